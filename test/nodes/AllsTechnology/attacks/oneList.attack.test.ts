import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY } from '../../../../sandbox/server';
import { jsonOf, locator, locatorById, useSandbox } from '../fixture';

/** Attacks on "One List for Many Gets": hostile and partial list answers, through n8n's engine. */
const context = useSandbox();

const details = (utr: string) => ({
	method: 'GET',
	path: '/api/automations/details',
	query: `utr=${utr}`,
	contentType: undefined,
});
const list = { method: 'GET', path: '/api/automations', query: '', contentType: undefined };
const byQuery = (a: { query: string }, b: { query: string }) => a.query.localeCompare(b.query);
const UNKNOWN_UTR = '00000000-0000-11ee-0000-000000000000';

function twelveAutomations(): Array<{ utr: string }> {
	const { automations } = context.sandbox.state;
	for (let id = 101; automations.length < 12; id++) {
		automations.push({
			...automations[0],
			id,
			utr: `00000000-0000-11ee-0000-${String(id).padStart(12, '0')}`,
			automation_name: `Automation ${id}`,
			total_delivered: id,
		});
	}
	return automations.map(({ utr }) => ({ utr }));
}
const getEach = (options: INodeParameters = {}, simplify = false) => ({
	resource: 'automation',
	operation: 'get',
	automation: locator('={{ $json.utr }}'),
	simplify,
	options,
});
/** What the API answers each automation's details with, one by one (the option off). */
async function baseline(inputItems: IDataObject[], simplify = false) {
	const oneByOne = await context.run(getEach({ oneListForManyGets: false }, simplify), {
		inputItems,
	});
	expect(oneByOne.error).toBeUndefined();
	return jsonOf(oneByOne.items);
}
const listedNow = () => context.sandbox.state.automations.map((record) => ({ ...record }));
const listBody = (automations: unknown) => ({ status: 'success', message: { automations } });
const noKeys = (value: unknown) => {
	const text = JSON.stringify(value);
	expect(text).not.toContain(SANDBOX_SECRET_KEY);
	expect(text).not.toContain(SANDBOX_PUBLIC_KEY);
};

describe('attack: One List for Many Gets', () => {
	it('a list without an automations array ("x"): every item asks for its details, and the output is theirs', async () => {
		const inputItems = twelveAutomations();
		const expected = await baseline(inputItems);
		context.sandbox.faults.push({
			kind: 'fixedBody',
			route: 'GET automations',
			body: listBody('x'),
		});
		const { items, error, requests } = await context.run(getEach(), { inputItems });

		expect(error).toBeUndefined();
		expect(requests[0]).toEqual(list);
		expect(requests.slice(1).sort(byQuery)).toEqual(
			inputItems.map(({ utr }) => details(utr)).sort(byQuery),
		);
		expect(jsonOf(items)).toEqual(expected);
	});

	it('a list of null, numbers, strings and a record with a numeric utr: the rest come from the list, that one from its details', async () => {
		const inputItems = twelveAutomations();
		const expected = await baseline(inputItems);
		const listed: unknown[] = listedNow();
		const numeric = listed[3] as IDataObject;
		listed[3] = { ...numeric, utr: 12345 };
		context.sandbox.faults.push({
			kind: 'fixedBody',
			route: 'GET automations',
			body: listBody([null, 7, 'x', [], true, ...listed]),
		});
		const { items, error, requests } = await context.run(getEach(), { inputItems });

		expect(error).toBeUndefined();
		expect(requests).toEqual([list, details(numeric.utr as string)]);
		expect(jsonOf(items)).toEqual(expected);
	});

	it('an empty list, and a list answered "Record not found": every item asks for its details', async () => {
		const inputItems = twelveAutomations();
		const expected = await baseline(inputItems);
		for (const body of [
			listBody([]),
			{ status: 'failed', errors: 'Record not found' },
			{ status: 'success', message: { automations: null } },
		]) {
			context.sandbox.faults.length = 0;
			context.sandbox.faults.push({ kind: 'fixedBody', route: 'GET automations', body });
			const { items, error, requests } = await context.run(getEach(), { inputItems });
			expect(error).toBeUndefined();
			expect(requests[0]).toEqual(list);
			expect(requests.slice(1).sort(byQuery)).toEqual(
				inputItems.map(({ utr }) => details(utr)).sort(byQuery),
			);
			expect(jsonOf(items)).toEqual(expected);
		}
	});

	it('a 429 on the list, then success: the list is sent again and still serves every item', async () => {
		const inputItems = twelveAutomations();
		const expected = await baseline(inputItems);
		context.sandbox.faults.push({
			kind: 'rateLimit',
			route: 'GET automations',
			times: 1,
			retryAfter: '1',
		});
		const { items, error, requests } = await context.run(getEach(), { inputItems });

		expect(error).toBeUndefined();
		expect(requests).toEqual([list, list]);
		expect(jsonOf(items)).toEqual(expected);
	});

	it('a 429 on the list asking for a wait past Rate Limit Wait: the list fails and every item asks for its details, as with the option off', async () => {
		// With the option off, a details request answered so fails its item alone and the other 11 go out at once:
		// the transport holds no request past Rate Limit Wait. The fallback does the same, one request later.
		const inputItems = twelveAutomations();
		const expected = await baseline(inputItems);
		context.sandbox.faults.push({
			kind: 'rateLimit',
			route: 'GET automations',
			times: 1,
			retryAfter: '3600',
		});
		const { items, error, requests } = await context.run(getEach({ rateLimitWait: 10 }), {
			inputItems,
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(requests[0]).toEqual(list);
		expect(requests.slice(1).sort(byQuery)).toEqual(
			inputItems.map(({ utr }) => details(utr)).sort(byQuery),
		);
		expect(jsonOf(items)).toEqual(expected);
	});

	it.each([
		['serverError', {}],
		['dropConnection', {}],
		['malformedJson', {}],
		['hugeBody', { bytes: 51 * 1024 * 1024 }],
	])(
		'a list failing with %s (Max Tries 1): every item asks for its details',
		async (kind, extra) => {
			const inputItems = twelveAutomations();
			const expected = await baseline(inputItems);
			context.sandbox.faults.push({
				kind: kind as 'serverError',
				route: 'GET automations',
				times: 1,
				...extra,
			});
			const { items, error, requests } = await context.run(getEach({ maxTries: 1 }), {
				inputItems,
			});

			expect(error).toBeUndefined();
			expect(requests[0]).toEqual(list);
			expect(requests.slice(1).sort(byQuery)).toEqual(
				inputItems.map(({ utr }) => details(utr)).sort(byQuery),
			);
			expect(jsonOf(items)).toEqual(expected);
		},
		30000,
	);

	it('the list timing out (Timeout 1 s, Max Tries 1, Continue On Fail): every item asks for its details and succeeds', async () => {
		const inputItems = twelveAutomations();
		const expected = await baseline(inputItems);
		context.sandbox.faults.push({
			kind: 'latency',
			route: 'GET automations',
			times: 1,
			ms: 2500,
		});
		const { items, error, requests } = await context.run(getEach({ maxTries: 1, timeout: 1 }), {
			inputItems,
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(requests[0]).toEqual(list);
		expect(requests.slice(1).sort(byQuery)).toEqual(
			inputItems.map(({ utr }) => details(utr)).sort(byQuery),
		);
		expect(jsonOf(items)).toEqual(expected);
	});

	it("another automation's record under the item's UTR (different id and name): the list's record is output, no details", async () => {
		const inputItems = twelveAutomations();
		const listed = listedNow();
		const target = listed[5];
		listed[5] = { ...target, id: 999, automation_name: 'Impostor' };
		context.sandbox.faults.push({
			kind: 'fixedBody',
			route: 'GET automations',
			body: listBody(listed),
		});
		const { items, error, requests } = await context.run(getEach(), { inputItems });

		expect(error).toBeUndefined();
		expect(requests).toEqual([list]);
		expect(items[5].json).toMatchObject({ utr: target.utr, id: 999, automation_name: 'Impostor' });
	});

	it('Continue On Fail, a bad UTR among 12: that item fails alone, the others come from the one list', async () => {
		const inputItems = [...twelveAutomations().slice(0, 11), { utr: 'not-a-utr' }];
		const expected = await baseline(inputItems.slice(0, 11));
		const { items, error, requests } = await context.run(getEach(), {
			inputItems,
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([list]);
		expect(jsonOf(items.slice(0, 11))).toEqual(expected);
		expect(items[11].pairedItem).toEqual({ item: 11 });
		expect(items[11].json.error).toEqual(expect.any(String));
	});

	it('Stop Workflow, a bad UTR among 12: nothing is sent', async () => {
		const inputItems = [...twelveAutomations().slice(0, 11), { utr: 'not-a-utr' }];
		const { error, requests } = await context.run(getEach(), { inputItems });

		expect(error).toBeDefined();
		expect(requests).toEqual([]);
	});

	it('error output: 12 from the list on the main output, the unknown UTR alone on the error output', async () => {
		const inputItems = [...twelveAutomations(), { utr: UNKNOWN_UTR }];
		const expected = await baseline(inputItems.slice(0, 12));
		const { items, errorItems, error, requests } = await context.run(getEach(), {
			inputItems,
			onError: 'continueErrorOutput',
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([list, details(UNKNOWN_UTR)]);
		expect(jsonOf(items)).toEqual(expected);
		expect(errorItems).toHaveLength(1);
		expect(errorItems[0].pairedItem).toEqual({ item: 12 });
		expect(errorItems[0].json.utr).toBe(UNKNOWN_UTR);
		expect(String(errorItems[0].json.error)).toMatch(/Record Not Found/);
	});

	it('the list echoing the keys (HTTP 401, with headers): no key in output or errors, the items fall back to details', async () => {
		const inputItems = twelveAutomations();
		const expected = await baseline(inputItems);
		context.sandbox.faults.push({
			kind: 'echoKeys',
			route: 'GET automations',
			times: 1,
			echoHeaders: true,
		});
		const { items, error, requests, run } = await context.run(getEach(), { inputItems });

		noKeys(run);
		expect(error).toBeUndefined();
		expect(requests[0]).toEqual(list);
		expect(requests.slice(1).sort(byQuery)).toEqual(
			inputItems.map(({ utr }) => details(utr)).sort(byQuery),
		);
		expect(jsonOf(items)).toEqual(expected);
	});

	it('every request echoing the keys (HTTP 200, Continue On Fail): 12 errors, none with a key', async () => {
		const inputItems = twelveAutomations();
		context.sandbox.faults.push({ kind: 'echoKeys', status: 200, echoHeaders: true });
		const { items, error, run } = await context.run(getEach({ maxTries: 1 }), {
			inputItems,
			continueOnFail: true,
		});

		noKeys(run);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(12);
		for (const item of items) expect(item.json.error).toEqual(expect.any(String));
	});

	it('mixed By ID and UTRs (in the ID field) among 12: one list, no details', async () => {
		const automations = twelveAutomations();
		const expected = await baseline(automations);
		const inputItems = context.sandbox.state.automations.map((record, index) => ({
			ref: index % 2 === 0 ? record.id : record.utr,
		}));
		const { items, error, requests } = await context.run(
			{ ...getEach(), automation: locatorById('={{ $json.ref }}') },
			{ inputItems },
		);

		expect(error).toBeUndefined();
		expect(requests).toEqual([list]);
		expect(jsonOf(items)).toEqual(expected);
	});

	it('mixed By ID and By UTR, the list failing (Max Tries 1, Continue On Fail): By ID items fail, the UTRs ask for their details', async () => {
		const automations = twelveAutomations();
		const inputItems = context.sandbox.state.automations.map((record, index) => ({
			ref: index % 2 === 0 ? record.id : record.utr,
		}));
		context.sandbox.faults.push({ kind: 'serverError', route: 'GET automations', times: 1 });
		const { items, error, requests } = await context.run(
			{ ...getEach({ maxTries: 1 }), automation: locatorById('={{ $json.ref }}') },
			{ inputItems, continueOnFail: true },
		);

		expect(error).toBeUndefined();
		expect(requests[0]).toEqual(list);
		expect(requests.slice(1).sort(byQuery)).toEqual(
			automations
				.filter((_a, index) => index % 2 === 1)
				.map(({ utr }) => details(utr))
				.sort(byQuery),
		);
		items.forEach((item, index) => {
			if (index % 2 === 0) expect(item.json.error).toEqual(expect.any(String));
			else expect(item.json.utr).toBe(automations[index].utr);
		});
	});

	it('11 items all the same UTR: one list, 11 equal items, paired 0..10', async () => {
		const [first] = twelveAutomations();
		const inputItems = Array.from({ length: 11 }, () => ({ utr: first.utr }));
		const [expected] = await baseline([first]);
		const { items, error, requests } = await context.run(getEach(), { inputItems });

		expect(error).toBeUndefined();
		expect(requests).toEqual([list]);
		expect(jsonOf(items)).toEqual(
			inputItems.map((_item, item) => ({ json: expected.json, pairedItem: { item } })),
		);
	});

	it('11 items the same UTR whose record holds an object: the items do not share it', async () => {
		const [first] = twelveAutomations();
		const inputItems = Array.from({ length: 11 }, () => ({ utr: first.utr }));
		const listed = listedNow();
		listed[0] = { ...listed[0], settings: { nested: [1, 2] } } as never;
		context.sandbox.faults.push({
			kind: 'fixedBody',
			route: 'GET automations',
			body: listBody(listed),
		});
		const { items, error, requests } = await context.run(getEach(), { inputItems });

		expect(error).toBeUndefined();
		expect(requests).toEqual([list]);
		expect(items[0].json.settings).toEqual({ nested: [1, 2] });
		// One item's change (a Code node editing its item in place) must not reach another.
		expect(items[0].json.settings).not.toBe(items[1].json.settings);
	});

	it('the option as an expression false, and as the string "false": the Gets ask for their details', async () => {
		const inputItems = twelveAutomations();
		for (const value of ['={{ false }}', 'false']) {
			const { error, requests } = await context.run(getEach({ oneListForManyGets: value }), {
				inputItems,
			});
			expect(error).toBeUndefined();
			expect(requests.sort(byQuery)).toEqual(
				inputItems.map(({ utr }) => details(utr)).sort(byQuery),
			);
		}
	});
});
