import type { IDataObject, INodeParameters } from 'n8n-workflow';
import type { Fault } from '../../../../sandbox/server';
import { SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY } from '../../../../sandbox/server';
import {
	LIST_REQUEST,
	UNKNOWN_UTR,
	byQuery,
	detailsRequest,
	detailsRequestsOf,
	expectListThenDetailsOf,
	getEach,
	listAnswer,
	listAnsweredWith,
	twelveAutomations,
} from '../actions/automation/getRuns';
import { jsonOf, locatorById, useSandbox } from '../fixture';

/** Attacks on "One List for Many Gets": hostile and partial list answers, through n8n's engine. */
const context = useSandbox();

type Run = Awaited<ReturnType<typeof context.run>>;
/** Continue On Fail and the like, for a run whose input items are set for it. */
type RunSettings = Omit<NonNullable<Parameters<typeof context.run>[1]>, 'inputItems'>;

/** What the API answers each automation's details with, one by one (the option off). */
async function baseline(inputItems: IDataObject[], simplify = false) {
	const oneByOne = await context.run(getEach({ oneListForManyGets: false }, simplify), {
		inputItems,
	});
	expect(oneByOne.error).toBeUndefined();
	return jsonOf(oneByOne.items);
}
const listedNow = () => context.sandbox.state.automations.map((record) => ({ ...record }));
const noKeys = (value: unknown) => {
	const text = JSON.stringify(value);
	expect(text).not.toContain(SANDBOX_SECRET_KEY);
	expect(text).not.toContain(SANDBOX_PUBLIC_KEY);
};

/**
 * 12 Gets with the option on (and `options`), `listFault` on the list. Also gives the input items and `expected`,
 * what the option off outputs for them, read before the fault is set.
 */
async function runTwelveWithListFault(
	listFault: Fault,
	options: INodeParameters = {},
	settings: RunSettings = {},
) {
	const inputItems = twelveAutomations(context.sandbox);
	const expected = await baseline(inputItems);
	context.sandbox.faults.push(listFault);
	const run = await context.run(getEach(options), { inputItems, ...settings });
	return { ...run, inputItems, expected };
}

/** The list served no item: the run succeeded, every item asked for its details and the output is theirs. */
function expectEachFromItsDetails({
	error,
	requests,
	items,
	inputItems,
	expected,
}: Pick<Run, 'error' | 'requests' | 'items'> & {
	inputItems: Array<{ utr: string }>;
	expected: ReturnType<typeof jsonOf>;
}) {
	expect(error).toBeUndefined();
	expectListThenDetailsOf(requests, inputItems);
	expect(jsonOf(items)).toEqual(expected);
}

describe('attack: One List for Many Gets', () => {
	it('a list without an automations array ("x"): every item asks for its details, and the output is theirs', async () => {
		const result = await runTwelveWithListFault(listAnsweredWith('x'));

		expectEachFromItsDetails(result);
	});

	it('a list of null, numbers, strings and a record with a numeric utr: the rest come from the list, that one from its details', async () => {
		const inputItems = twelveAutomations(context.sandbox);
		const expected = await baseline(inputItems);
		const listed: unknown[] = listedNow();
		const numeric = listed[3] as IDataObject;
		listed[3] = { ...numeric, utr: 12345 };
		context.sandbox.faults.push(listAnsweredWith([null, 7, 'x', [], true, ...listed]));
		const { items, error, requests } = await context.run(getEach(), { inputItems });

		expect(error).toBeUndefined();
		expect(requests).toEqual([LIST_REQUEST, detailsRequest(numeric.utr as string)]);
		expect(jsonOf(items)).toEqual(expected);
	});

	it('an empty list, and a list answered "Record not found": every item asks for its details', async () => {
		const inputItems = twelveAutomations(context.sandbox);
		const expected = await baseline(inputItems);
		for (const body of [
			listAnswer([]),
			{ status: 'failed', errors: 'Record not found' },
			listAnswer(null),
		]) {
			context.sandbox.faults.length = 0;
			context.sandbox.faults.push({ kind: 'fixedBody', route: 'GET automations', body });
			const run = await context.run(getEach(), { inputItems });
			expectEachFromItsDetails({ ...run, inputItems, expected });
		}
	});

	it('a 429 on the list, then success: the list is sent again and still serves every item', async () => {
		const { items, error, requests, expected } = await runTwelveWithListFault({
			kind: 'rateLimit',
			route: 'GET automations',
			times: 1,
			retryAfter: '1',
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([LIST_REQUEST, LIST_REQUEST]);
		expect(jsonOf(items)).toEqual(expected);
	});

	it('a 429 on the list asking for a wait past Rate Limit Wait: the list fails and every item asks for its details, as with the option off', async () => {
		// With the option off, a details request answered so fails its item alone and the other 11 go out at once:
		// the transport holds no request past Rate Limit Wait. The fallback does the same, one request later.
		const result = await runTwelveWithListFault(
			{ kind: 'rateLimit', route: 'GET automations', times: 1, retryAfter: '3600' },
			{ rateLimitWait: 10 },
			{ continueOnFail: true },
		);

		expectEachFromItsDetails(result);
	});

	it.each([
		['serverError', {}],
		['dropConnection', {}],
		['malformedJson', {}],
		['hugeBody', { bytes: 51 * 1024 * 1024 }],
	])(
		'a list failing with %s (Max Tries 1): every item asks for its details',
		async (kind, extra) => {
			const result = await runTwelveWithListFault(
				{ kind: kind as 'serverError', route: 'GET automations', times: 1, ...extra },
				{ maxTries: 1 },
			);

			expectEachFromItsDetails(result);
		},
		30000,
	);

	it('the list timing out (Timeout 1 s, Max Tries 1, Continue On Fail): every item asks for its details and succeeds', async () => {
		const result = await runTwelveWithListFault(
			{ kind: 'latency', route: 'GET automations', times: 1, ms: 2500 },
			{ maxTries: 1, timeout: 1 },
			{ continueOnFail: true },
		);

		expectEachFromItsDetails(result);
	});

	it("another automation's record under the item's UTR (different id and name): the list's record is output, no details", async () => {
		const inputItems = twelveAutomations(context.sandbox);
		const listed = listedNow();
		const target = listed[5];
		listed[5] = { ...target, id: 999, automation_name: 'Impostor' };
		context.sandbox.faults.push(listAnsweredWith(listed));
		const { items, error, requests } = await context.run(getEach(), { inputItems });

		expect(error).toBeUndefined();
		expect(requests).toEqual([LIST_REQUEST]);
		expect(items[5].json).toMatchObject({ utr: target.utr, id: 999, automation_name: 'Impostor' });
	});

	it('Continue On Fail, a bad UTR among 12: that item fails alone, the others come from the one list', async () => {
		const inputItems = [...twelveAutomations(context.sandbox).slice(0, 11), { utr: 'not-a-utr' }];
		const expected = await baseline(inputItems.slice(0, 11));
		const { items, error, requests } = await context.run(getEach(), {
			inputItems,
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([LIST_REQUEST]);
		expect(jsonOf(items.slice(0, 11))).toEqual(expected);
		expect(items[11].pairedItem).toEqual({ item: 11 });
		expect(items[11].json.error).toEqual(expect.any(String));
	});

	it('Stop Workflow, a bad UTR among 12: nothing is sent', async () => {
		const inputItems = [...twelveAutomations(context.sandbox).slice(0, 11), { utr: 'not-a-utr' }];
		const { error, requests } = await context.run(getEach(), { inputItems });

		expect(error).toBeDefined();
		expect(requests).toEqual([]);
	});

	it('error output: 12 from the list on the main output, the unknown UTR alone on the error output', async () => {
		const inputItems = [...twelveAutomations(context.sandbox), { utr: UNKNOWN_UTR }];
		const expected = await baseline(inputItems.slice(0, 12));
		const { items, errorItems, error, requests } = await context.run(getEach(), {
			inputItems,
			onError: 'continueErrorOutput',
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([LIST_REQUEST, detailsRequest(UNKNOWN_UTR)]);
		expect(jsonOf(items)).toEqual(expected);
		expect(errorItems).toHaveLength(1);
		expect(errorItems[0].pairedItem).toEqual({ item: 12 });
		expect(errorItems[0].json.utr).toBe(UNKNOWN_UTR);
		expect(String(errorItems[0].json.error)).toMatch(/Record Not Found/);
	});

	it('the list echoing the keys (HTTP 401, with headers): no key in output or errors, the items fall back to details', async () => {
		const result = await runTwelveWithListFault({
			kind: 'echoKeys',
			route: 'GET automations',
			times: 1,
			echoHeaders: true,
		});

		noKeys(result.run);
		expectEachFromItsDetails(result);
	});

	it('every request echoing the keys (HTTP 200, Continue On Fail): 12 errors, none with a key', async () => {
		const inputItems = twelveAutomations(context.sandbox);
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
		const automations = twelveAutomations(context.sandbox);
		const expected = await baseline(automations);
		const inputItems = context.sandbox.state.automations.map((record, index) => ({
			ref: index % 2 === 0 ? record.id : record.utr,
		}));
		const { items, error, requests } = await context.run(
			{ ...getEach(), automation: locatorById('={{ $json.ref }}') },
			{ inputItems },
		);

		expect(error).toBeUndefined();
		expect(requests).toEqual([LIST_REQUEST]);
		expect(jsonOf(items)).toEqual(expected);
	});

	it('mixed By ID and By UTR, the list failing (Max Tries 1, Continue On Fail): By ID items fail, the UTRs ask for their details', async () => {
		const automations = twelveAutomations(context.sandbox);
		const inputItems = context.sandbox.state.automations.map((record, index) => ({
			ref: index % 2 === 0 ? record.id : record.utr,
		}));
		context.sandbox.faults.push({ kind: 'serverError', route: 'GET automations', times: 1 });
		const { items, error, requests } = await context.run(
			{ ...getEach({ maxTries: 1 }), automation: locatorById('={{ $json.ref }}') },
			{ inputItems, continueOnFail: true },
		);

		expect(error).toBeUndefined();
		expectListThenDetailsOf(
			requests,
			automations.filter((_a, index) => index % 2 === 1),
		);
		items.forEach((item, index) => {
			if (index % 2 === 0) expect(item.json.error).toEqual(expect.any(String));
			else expect(item.json.utr).toBe(automations[index].utr);
		});
	});

	it('11 items all the same UTR: one list, 11 equal items, paired 0..10', async () => {
		const [first] = twelveAutomations(context.sandbox);
		const inputItems = Array.from({ length: 11 }, () => ({ utr: first.utr }));
		const [expected] = await baseline([first]);
		const { items, error, requests } = await context.run(getEach(), { inputItems });

		expect(error).toBeUndefined();
		expect(requests).toEqual([LIST_REQUEST]);
		expect(jsonOf(items)).toEqual(
			inputItems.map((_item, item) => ({ json: expected.json, pairedItem: { item } })),
		);
	});

	it('11 items the same UTR whose record holds an object: the items do not share it', async () => {
		const [first] = twelveAutomations(context.sandbox);
		const inputItems = Array.from({ length: 11 }, () => ({ utr: first.utr }));
		const listed = listedNow();
		listed[0] = { ...listed[0], settings: { nested: [1, 2] } } as never;
		context.sandbox.faults.push(listAnsweredWith(listed));
		const { items, error, requests } = await context.run(getEach(), { inputItems });

		expect(error).toBeUndefined();
		expect(requests).toEqual([LIST_REQUEST]);
		expect(items[0].json.settings).toEqual({ nested: [1, 2] });
		// One item's change (a Code node editing its item in place) must not reach another.
		expect(items[0].json.settings).not.toBe(items[1].json.settings);
	});

	it('the option as an expression false, and as the string "false": the Gets ask for their details', async () => {
		const inputItems = twelveAutomations(context.sandbox);
		for (const value of ['={{ false }}', 'false']) {
			const { error, requests } = await context.run(getEach({ oneListForManyGets: value }), {
				inputItems,
			});
			expect(error).toBeUndefined();
			expect(requests.sort(byQuery)).toEqual(detailsRequestsOf(inputItems));
		}
	});
});
