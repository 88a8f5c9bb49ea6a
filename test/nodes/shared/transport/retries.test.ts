import { retryAfterMs } from '../../../../nodes/shared/transport/retry';
import type { RecordedRequest } from '../../../../sandbox/server';
import { DRAFT_UTR, LIVE_UTR, locator, useSandbox } from '../../AllsTechnology/fixture';

const context = useSandbox();
/** Many Gets sent one request each, as rate limiting needs: by default more than 10 Gets read one list. */
const getEachOneByOne = {
	resource: 'automation',
	operation: 'get',
	automation: locator('={{ $json.utr }}'),
	options: { oneListForManyGets: false },
};
const getDraft = { resource: 'automation', operation: 'get', automation: locator(DRAFT_UTR) };
const create = {
	resource: 'automation',
	operation: 'create',
	type: 'custom',
	automationName: 'Retried',
	unsubscribeGroupId: 3,
};
const isCreate = (request: RecordedRequest) => request.path === '/api/automations/create';

/** When each request reached the sandbox, and when each was answered, in milliseconds. */
function clock() {
	const arrived: number[] = [];
	const answered: Array<{ at: number; status: number }> = [];
	context.sandbox.faults.push({
		kind: 'latency',
		ms: 0,
		match: () => (arrived.push(Date.now()), false),
	});
	context.afterEachRequest((request) => answered.push({ at: Date.now(), status: request.status }));
	return { arrived, answered };
}

describe('Retry-After', () => {
	const serverNow = 'Thu, 01 Jan 2026 00:00:00 GMT';
	const localNow = Date.parse('Thu, 01 Jan 2026 05:00:00 GMT');
	it.each([
		['delta-seconds', '3', 3000],
		["an HTTP date, against the answer's Date", 'Thu, 01 Jan 2026 00:00:10 GMT', 10_000],
		["an HTTP date before the answer's Date", 'Wed, 31 Dec 2025 23:59:00 GMT', 0],
	])('reads %s, not the local clock', (_case, header, expected) => {
		expect(retryAfterMs(header, serverNow, localNow)).toBe(expected);
	});

	it('measures a date against the local clock only when the answer has no Date', () => {
		expect(retryAfterMs('Thu, 01 Jan 2026 05:00:04 GMT', undefined, localNow)).toBe(4000);
		expect(retryAfterMs('Thu, 01 Jan 2026 05:00:04 GMT', 'not a date', localNow)).toBe(4000);
	});

	it.each([[undefined], [''], ['soon']])('reads %p as no wait asked', (header) => {
		expect(retryAfterMs(header, serverNow, localNow)).toBeUndefined();
	});

	it('reads the first of repeated headers', () => {
		expect(retryAfterMs(['2', '9'], serverNow, localNow)).toBe(2000);
	});
});

describe('rate limiting (HTTP 429)', () => {
	it('waits as Retry-After says, then sends the same request again', async () => {
		const { arrived } = clock();
		context.sandbox.faults.push({ kind: 'rateLimit', times: 1, retryAfter: '1' });

		const { items, error, requests } = await context.run(getDraft);

		expect(error).toBeUndefined();
		expect(items[0].json.id).toBe(5);
		expect(context.sandbox.requests.map((request) => request.status)).toEqual([429, 200]);
		expect(requests[1]).toEqual(requests[0]);
		expect(arrived[1] - arrived[0]).toBeGreaterThanOrEqual(950);
	});

	it('uses no try: with Max Tries 1, a request refused twice still succeeds', async () => {
		context.sandbox.faults.push({ kind: 'rateLimit', times: 2, retryAfter: '1' });

		const { items, error } = await context.run({ ...getDraft, options: { maxTries: 1 } });

		expect(error).toBeUndefined();
		expect(items[0].json.utr).toBe(DRAFT_UTR);
		expect(context.sandbox.requests.map((request) => request.status)).toEqual([429, 429, 200]);
	});

	it('loses no item of 20 Gets when every third request is refused with Retry-After: 1', async () => {
		context.sandbox.faults.push({ kind: 'rateLimit', every: 3, retryAfter: '1' });
		const utrs = context.sandbox.state.automations.map((automation) => automation.utr);
		const twenty = Array.from({ length: 20 }, (_, index) => ({ utr: utrs[index % utrs.length] }));

		const { items, error } = await context.run(getEachOneByOne, { inputItems: twenty });

		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.utr, item.pairedItem])).toEqual(
			twenty.map(({ utr }, index) => [utr, { item: index }]),
		);
		const statuses = context.sandbox.requests.map((request) => request.status);
		expect(statuses.filter((status) => status === 200)).toHaveLength(20);
		expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(9);
	});

	it('learns the rate a token bucket allows: 100 Gets against 20 a second, refused a few times, not every other time', async () => {
		context.sandbox.faults.push(
			{ kind: 'latency', ms: 40 },
			{ kind: 'tokenBucket', ratePerSecond: 20, burst: 5 },
		);
		const utrs = context.sandbox.state.automations.map((automation) => automation.utr);
		const hundred = Array.from({ length: 100 }, (_, index) => ({ utr: utrs[index % utrs.length] }));

		const { items, error } = await context.run(getEachOneByOne, { inputItems: hundred });

		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.utr)).toEqual(hundred.map(({ utr }) => utr));
		const statuses = context.sandbox.requests.map((request) => request.status);
		expect(statuses.filter((status) => status === 200)).toHaveLength(100);
		// Sent as fast as the window allows, about every other request was refused.
		expect(statuses.filter((status) => status === 429).length).toBeLessThanOrEqual(20);
	});

	it('makes exactly 6 automations of 6 creates when every second create is refused', async () => {
		context.sandbox.faults.push({ kind: 'rateLimit', every: 2, retryAfter: '1', match: isCreate });
		const before = context.sandbox.state.automations.length;
		const names = ['A', 'B', 'C', 'D', 'E', 'F'];

		const { items, error, requests } = await context.run(
			{ ...create, automationName: '={{ $json.name }}' },
			{ inputItems: names.map((name) => ({ name })) },
		);

		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.automation_name)).toEqual(names);
		expect(context.sandbox.state.automations.length).toBe(before + 6);
		const creates = requests.filter((request) => request.path === '/api/automations/create');
		expect(creates.length).toBeGreaterThanOrEqual(11);
		expect(
			context.sandbox.requests.filter((request) => isCreate(request) && request.status === 200),
		).toHaveLength(6);
	});

	it('re-sends a create it was refused with 429, with the same form, making one automation', async () => {
		context.sandbox.faults.push({ kind: 'rateLimit', times: 1, retryAfter: '1', match: isCreate });
		const before = context.sandbox.state.automations.length;

		const { error, requests } = await context.run(create);

		expect(error).toBeUndefined();
		const creates = requests.filter((request) => request.path === '/api/automations/create');
		expect(creates).toHaveLength(2);
		expect(creates[1].fields).toEqual({
			type: 'custom',
			automation_name: 'Retried',
			unsubscribe_group_id: '3',
		});
		expect(context.sandbox.state.automations.length).toBe(before + 1);
	});

	it("measures a Retry-After date against the answer's Date: a server clock an hour ahead still means 1 s", async () => {
		context.sandbox.faults.push({
			kind: 'rateLimit',
			times: 1,
			retryAfterDateSeconds: 1,
			clockSkewSeconds: 3600,
		});

		const { items, error } = await context.run({ ...getDraft, options: { rateLimitWait: 60 } });

		expect(error).toBeUndefined();
		expect(items[0].json.utr).toBe(DRAFT_UTR);
		expect(context.sandbox.requests.map((request) => request.status)).toEqual([429, 200]);
	});

	it("fails once the run's waits would pass Rate Limit Wait, saying what was asked", async () => {
		context.sandbox.faults.push({ kind: 'rateLimit', retryAfter: '120' });

		const { error, requests } = await context.run({ ...getDraft, options: { rateLimitWait: 60 } });

		expect(requests).toHaveLength(1);
		expect(error).toMatchObject({
			name: 'NodeApiError',
			message: 'AllsTechnology is rate-limiting requests (HTTP 429 Too Many Requests)',
			description:
				'It asked to wait 120 s. The run has waited 0 s for it in all, and waits at most 60 s (Options → Rate Limit Wait). Run the workflow again later, send fewer items at once, or raise Rate Limit Wait.',
			httpCode: '429',
		});
	});

	it('ends a run refused forever with "Retry-After: 0" within its budget', async () => {
		context.sandbox.faults.push({ kind: 'rateLimit', retryAfter: '0' });

		const { error, requests } = await context.run({ ...getDraft, options: { rateLimitWait: 1 } });

		// Each "0" still waits 250 ms: four fit in 1 s, the fifth refusal ends the run.
		expect(requests).toHaveLength(5);
		expect(error?.message).toBe(
			'AllsTechnology is rate-limiting requests (HTTP 429 Too Many Requests)',
		);
	});

	it('backs off without Retry-After', async () => {
		const { arrived } = clock();
		context.sandbox.faults.push({ kind: 'rateLimit', times: 2 });

		const { error } = await context.run(getDraft);

		expect(error).toBeUndefined();
		expect(arrived).toHaveLength(3);
		expect(arrived[1] - arrived[0]).toBeGreaterThanOrEqual(490);
		expect(arrived[2] - arrived[1]).toBeGreaterThanOrEqual(990);
	});

	it('slows every item in flight, not only the one that heard it', async () => {
		const { arrived, answered } = clock();
		context.sandbox.faults.push(
			{ kind: 'latency', ms: 30 },
			{ kind: 'rateLimit', times: 1, retryAfter: '1' },
		);
		const utrs = context.sandbox.state.automations.map((automation) => automation.utr);

		const { items, error } = await context.run(
			{
				resource: 'automation',
				operation: 'get',
				automation: locator('={{ $json.utr }}'),
				options: { batching: { batch: { batchSize: 2 } } },
			},
			{ inputItems: utrs.map((utr) => ({ utr })) },
		);

		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.utr)).toEqual(utrs);
		const refusedAt = answered.find((answer) => answer.status === 429)!.at;
		const sentAfterRefusal = arrived.filter((at) => at > refusedAt);
		expect(sentAfterRefusal.length).toBeGreaterThan(1);
		for (const at of sentAfterRefusal) expect(at - refusedAt).toBeGreaterThanOrEqual(950);
	});

	it('holds back the requests that were waiting their turn to leave when the 429 came', async () => {
		const { arrived, answered } = clock();
		// Four answers 400 ms apart from their requests space the next four a quarter of that apart: item 4 leaves at
		// once and is refused, while items 5 to 7 still wait their turn. They once left during the pause.
		context.sandbox.faults.push(
			{ kind: 'latency', ms: 400, times: 4 },
			{ kind: 'rateLimit', every: 5, times: 1, retryAfter: '2' },
		);
		const utrs = context.sandbox.state.automations.map((automation) => automation.utr).slice(0, 7);
		const inputItems = [...utrs, utrs[0]].map((utr) => ({ utr }));

		const { items, error } = await context.run(
			{
				...getEachOneByOne,
				options: { ...getEachOneByOne.options, batching: { batch: { batchSize: 4 } } },
			},
			{ inputItems },
		);

		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.utr)).toEqual(inputItems.map(({ utr }) => utr));
		const refusedAt = answered.find((answer) => answer.status === 429)!.at;
		const sentAfterRefusal = arrived.filter((at) => at > refusedAt);
		// Items 5 to 7 and item 4 again, all after the pause.
		expect(sentAfterRefusal).toHaveLength(4);
		for (const at of sentAfterRefusal) expect(at - refusedAt).toBeGreaterThanOrEqual(1900);
	});
});

describe('failures that may have reached the server', () => {
	it('retries a read after a 500, with Max Tries as the bound', async () => {
		context.sandbox.faults.push({ kind: 'serverError', times: 2 });

		const { items, error } = await context.run(getDraft);

		expect(error).toBeUndefined();
		expect(items[0].json.id).toBe(5);
		expect(context.sandbox.requests.map((request) => request.status)).toEqual([500, 500, 200]);
	});

	it('sends once with Max Tries 1', async () => {
		context.sandbox.faults.push({ kind: 'serverError' });

		const { error, requests } = await context.run({ ...getDraft, options: { maxTries: 1 } });

		expect(requests).toHaveLength(1);
		expect(error).toMatchObject({
			message: 'AllsTechnology answered GET automations/details with HTTP 500: Server Error',
			httpCode: '500',
		});
	});

	it.each([
		['a 500', 'serverError'],
		['a dropped connection', 'dropConnection'],
		['a malformed answer', 'malformedJson'],
	] as const)('never re-sends a create after %s', async (_case, kind) => {
		context.sandbox.faults.push({ kind, times: 1, afterApplying: true, match: isCreate });
		const before = context.sandbox.state.automations.length;

		const { requests } = await context.run(create);

		expect(requests.filter((request) => request.path === '/api/automations/create')).toHaveLength(
			1,
		);
		expect(context.sandbox.state.automations.length).toBe(before + 1);
	});

	it('never re-sends a Duplicate, a GET that creates', async () => {
		context.sandbox.faults.push({
			kind: 'serverError',
			times: 1,
			afterApplying: true,
			route: 'GET automations/duplicate',
		});
		const before = context.sandbox.state.automations.length;

		const { requests } = await context.run({
			resource: 'automation',
			operation: 'duplicate',
			automation: locator(DRAFT_UTR),
		});

		expect(
			requests.filter((request) => request.path === '/api/automations/duplicate'),
		).toHaveLength(1);
		expect(context.sandbox.state.automations.length).toBe(before + 1);
	});

	it('counts a repeated delete that finds nothing as deleted, when the first try went unanswered', async () => {
		context.sandbox.faults.push({ kind: 'dropConnection', times: 1, afterApplying: true });

		const { items, error } = await context.run({
			resource: 'automation',
			operation: 'delete',
			automation: locator(DRAFT_UTR),
		});

		expect(error).toBeUndefined();
		expect(context.sandbox.requests.map((request) => request.status)).toEqual([0, 404]);
		expect(items[0].json).toEqual({ deleted: true, utr: DRAFT_UTR });
	});

	it('confirms a pause by reading the automation when the repeat is refused after an unanswered try', async () => {
		context.sandbox.faults.push({ kind: 'serverError', times: 1, afterApplying: true });

		const { items, error, requests } = await context.run({
			resource: 'automation',
			operation: 'pause',
			automation: locator(LIVE_UTR),
		});

		expect(error).toBeUndefined();
		expect(requests.map((request) => request.path)).toEqual([
			'/api/automations/pause',
			'/api/automations/pause',
			'/api/automations/details',
		]);
		expect(items[0].json).toEqual({
			success: true,
			utr: LIVE_UTR,
			message:
				'The automation is draft: an earlier try reached AllsTechnology, but its answer was lost',
		});
	});

	it('gives up on a request that does not answer within Timeout', async () => {
		context.sandbox.faults.push({ kind: 'latency', ms: 1500 });

		const { error, requests } = await context.run({
			...getDraft,
			options: { timeout: 1, maxTries: 2 },
		});

		expect(requests).toHaveLength(2);
		expect(error).toMatchObject({
			message: 'AllsTechnology did not answer GET automations/details within 1 s',
			description: "Tried 2 times. Try again later, or raise Timeout in the node's Options.",
		});
	});
});
