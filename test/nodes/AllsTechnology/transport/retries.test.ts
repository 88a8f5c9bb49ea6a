import { MAX_RETRY_AFTER_MS, retryAfterMs } from '../../../../nodes/AllsTechnology/transport';
import type { RecordedRequest } from '../../../sandbox/server';
import { DRAFT_UTR, LIVE_UTR, locator, useSandbox } from '../fixture';

const context = useSandbox();
const getDraft = { resource: 'automation', operation: 'get', automation: locator(DRAFT_UTR) };
const create = { resource: 'automation', operation: 'create', type: 'custom', automationName: 'Retried', unsubscribeGroupId: 3 };
const isCreate = (request: RecordedRequest) => request.path === '/api/automations/create';

/** When each request reached the sandbox, and when each was answered, in milliseconds. */
function clock() {
	const arrived: number[] = [];
	const answered: Array<{ at: number; status: number }> = [];
	context.sandbox.faults.push({ kind: 'latency', ms: 0, match: () => (arrived.push(Date.now()), false) });
	context.afterEachRequest((request) => answered.push({ at: Date.now(), status: request.status }));
	return { arrived, answered };
}

describe('Retry-After', () => {
	it.each([
		['delta-seconds', '3', 3000],
		['an HTTP date', 'Thu, 01 Jan 2026 00:00:10 GMT', 10_000],
		['an HTTP date in the past', 'Thu, 01 Jan 2026 00:00:00 GMT', 0],
	])('reads %s', (_case, header, expected) => {
		expect(retryAfterMs(header, Date.parse('Thu, 01 Jan 2026 00:00:00 GMT'))).toBe(expected);
	});

	it.each([[undefined], [''], ['soon']])('reads %p as no wait asked', (header) => {
		expect(retryAfterMs(header, 0)).toBeUndefined();
	});

	it('reads the first of repeated headers', () => {
		expect(retryAfterMs(['2', '9'], 0)).toBe(2000);
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

	it('re-sends a create it was refused with 429, with the same form, making one automation', async () => {
		context.sandbox.faults.push({ kind: 'rateLimit', times: 1, retryAfter: '1', match: isCreate });
		const before = context.sandbox.state.automations.length;

		const { error, requests } = await context.run(create);

		expect(error).toBeUndefined();
		const creates = requests.filter((request) => request.path === '/api/automations/create');
		expect(creates).toHaveLength(2);
		expect(creates[1].fields).toEqual({ type: 'custom', automation_name: 'Retried', unsubscribe_group_id: '3' });
		expect(context.sandbox.state.automations.length).toBe(before + 1);
	});

	it('gives up after Max Tries, saying the API is rate-limiting and how long it asked to wait', async () => {
		context.sandbox.faults.push({ kind: 'rateLimit', retryAfter: '1' });

		const { error, requests } = await context.run({ ...getDraft, options: { maxTries: 2 } });

		expect(requests).toHaveLength(2);
		expect(error).toMatchObject({
			name: 'NodeApiError',
			message: 'AllsTechnology is rate-limiting requests (HTTP 429 Too Many Requests)',
			description: 'It asked to wait 1 s; the node tried 2 times. Run the workflow again later, or send fewer items at once.',
			httpCode: '429',
		});
	});

	it('does not wait longer than it allows, and says what was asked', async () => {
		context.sandbox.faults.push({ kind: 'rateLimit', retryAfter: String(MAX_RETRY_AFTER_MS / 1000 + 60) });

		const { error, requests } = await context.run(getDraft);

		expect(requests).toHaveLength(1);
		expect(error?.description).toBe(
			'It asked to wait 120 s, longer than the node waits (60 s). Run the workflow again later, or send fewer items at once.',
		);
	});

	it('backs off without Retry-After', async () => {
		const { arrived } = clock();
		context.sandbox.faults.push({ kind: 'rateLimit', times: 2 });

		const { error } = await context.run(getDraft);

		expect(error).toBeUndefined();
		expect(arrived).toHaveLength(3);
		expect(arrived[1] - arrived[0]).toBeGreaterThanOrEqual(240);
		expect(arrived[2] - arrived[1]).toBeGreaterThanOrEqual(490);
	});

	it('slows every item in flight, not only the one that heard it', async () => {
		const { arrived, answered } = clock();
		context.sandbox.faults.push({ kind: 'latency', ms: 30 }, { kind: 'rateLimit', times: 1, retryAfter: '1' });
		const utrs = context.sandbox.state.automations.map((automation) => automation.utr);

		const { items, error } = await context.run(
			{ resource: 'automation', operation: 'get', automation: locator('={{ $json.utr }}'), options: { batching: { batch: { batchSize: 2 } } } },
			{ inputItems: utrs.map((utr) => ({ utr })) },
		);

		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.utr)).toEqual(utrs);
		const refusedAt = answered.find((answer) => answer.status === 429)!.at;
		const sentAfterRefusal = arrived.filter((at) => at > refusedAt);
		expect(sentAfterRefusal.length).toBeGreaterThan(1);
		for (const at of sentAfterRefusal) expect(at - refusedAt).toBeGreaterThanOrEqual(950);
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
		expect(error).toMatchObject({ message: 'AllsTechnology answered HTTP 500: Server Error', httpCode: '500' });
	});

	it.each([
		['a 500', 'serverError'],
		['a dropped connection', 'dropConnection'],
		['a malformed answer', 'malformedJson'],
	] as const)('never re-sends a create after %s, and says it may exist', async (_case, kind) => {
		context.sandbox.faults.push({ kind, times: 1, afterApplying: true, match: isCreate });
		const before = context.sandbox.state.automations.length;

		const { error, requests } = await context.run(create);

		expect(requests.filter((request) => request.path === '/api/automations/create')).toHaveLength(1);
		expect(context.sandbox.state.automations.length).toBe(before + 1);
		expect(error?.description).toMatch(/The node did not send it again: the request creates a record, and it may have been created/);
	});

	it('never re-sends a Duplicate, a GET that creates', async () => {
		context.sandbox.faults.push({ kind: 'serverError', times: 1, afterApplying: true });

		const { error, requests } = await context.run({ resource: 'automation', operation: 'duplicate', automation: locator(DRAFT_UTR) });

		expect(requests).toHaveLength(1);
		expect(error?.description).toMatch(/^The node did not send it again/);
	});

	it('counts a repeated delete that finds nothing as deleted, when the first try went unanswered', async () => {
		context.sandbox.faults.push({ kind: 'dropConnection', times: 1, afterApplying: true });

		const { items, error } = await context.run({ resource: 'automation', operation: 'delete', automation: locator(DRAFT_UTR) });

		expect(error).toBeUndefined();
		expect(context.sandbox.requests.map((request) => request.status)).toEqual([0, 404]);
		expect(items[0].json).toEqual({ deleted: true, utr: DRAFT_UTR });
	});

	it('confirms a pause by reading the automation when the repeat is refused after an unanswered try', async () => {
		context.sandbox.faults.push({ kind: 'serverError', times: 1, afterApplying: true });

		const { items, error, requests } = await context.run({ resource: 'automation', operation: 'pause', automation: locator(LIVE_UTR) });

		expect(error).toBeUndefined();
		expect(requests.map((request) => request.path)).toEqual(['/api/automations/pause', '/api/automations/pause', '/api/automations/details']);
		expect(items[0].json).toEqual({
			success: true,
			utr: LIVE_UTR,
			message: 'The automation is draft: an earlier try reached AllsTechnology, but its answer was lost',
		});
	});

	it('gives up on a request that does not answer within Timeout', async () => {
		context.sandbox.faults.push({ kind: 'latency', ms: 1500 });

		const { error, requests } = await context.run({ ...getDraft, options: { timeout: 1, maxTries: 2 } });

		expect(requests).toHaveLength(2);
		expect(error).toMatchObject({
			message: 'AllsTechnology did not answer GET automations/details within 1 s',
			description: "Tried 2 times. Try again later, or raise Timeout in the node's Options.",
		});
	});
});
