/**
 * Attacks on "One List for Many Gets" from n8n's settings and the option's side: the option as an expression,
 * saved on another operation, Batching, Retry On Fail, the 10/11 boundary, a bad item among 11, the description.
 */
import type { INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { AllsTechnology } from '../../../../nodes/AllsTechnology/AllsTechnology.node';
import {
	LIST_REQUEST,
	automationsAsInput,
	byQuery,
	detailsRequestsOf,
	getEach,
} from '../actions/automation/getRuns';
import { jsonOf, locator, useSandbox } from '../fixture';

const context = useSandbox();

describe('attack: One List for Many Gets, from the settings side', () => {
	it("option as the expression '={{ false }}' turns the list off", async () => {
		const inputItems = automationsAsInput(context.sandbox, 12);
		const { error, requests } = await context.run(getEach({ oneListForManyGets: '={{ false }}' }), {
			inputItems,
		});
		expect(error).toBeUndefined();
		expect(requests.sort(byQuery)).toEqual(detailsRequestsOf(inputItems));
	});

	it("option as the expression '={{ true }}' keeps the list", async () => {
		const inputItems = automationsAsInput(context.sandbox, 12);
		const { error, requests } = await context.run(getEach({ oneListForManyGets: '={{ true }}' }), {
			inputItems,
		});
		expect(error).toBeUndefined();
		expect(requests).toEqual([LIST_REQUEST]);
	});

	it("option '={{ $json.x }}': read once at item 0 (x false on item 0 only → no list for anyone)", async () => {
		const inputItems = automationsAsInput(context.sandbox, 12).map((item, index) => ({
			...item,
			x: index !== 0,
		}));
		const { error, requests, items } = await context.run(
			getEach({ oneListForManyGets: '={{ $json.x }}' }),
			{ inputItems },
		);
		expect(error).toBeUndefined();
		// Documented as a run-level choice: item 0 decides. Outputs are the same either way.
		expect(requests.filter((r) => r.path === '/api/automations')).toHaveLength(0);
		expect(items.map(({ json }) => json.utr)).toEqual(inputItems.map(({ utr }) => utr));
	});

	it("option '={{ $json.x }}': x true on item 0 only → the list for all; outputs identical to details", async () => {
		const inputItems = automationsAsInput(context.sandbox, 12).map((item, index) => ({
			...item,
			x: index === 0,
		}));
		const fromList = await context.run(getEach({ oneListForManyGets: '={{ $json.x }}' }), {
			inputItems,
		});
		const oneByOne = await context.run(getEach({ oneListForManyGets: false }), { inputItems });
		expect(fromList.error).toBeUndefined();
		expect(fromList.requests).toEqual([LIST_REQUEST]);
		expect(jsonOf(fromList.items)).toEqual(jsonOf(oneByOne.items));
	});

	it.each([
		['={{ "true" }}', 'a string'],
		['={{ 1 }}', 'a number'],
	])(
		'option as the expression %s (%s): n8n does not coerce it, `=== true` reads it as off (outputs unchanged, one details request each)',
		async (value) => {
			const inputItems = automationsAsInput(context.sandbox, 12);
			const { error, requests } = await context.run(getEach({ oneListForManyGets: value }), {
				inputItems,
			});
			expect(error).toBeUndefined();
			expect(requests.sort(byQuery)).toEqual(detailsRequestsOf(inputItems));
		},
	);

	it('option as an expression that is undefined on item 0 (`={{ $json.missing }}`): run still succeeds', async () => {
		const inputItems = automationsAsInput(context.sandbox, 12);
		const { error, items, requests } = await context.run(
			getEach({ oneListForManyGets: '={{ $json.missing }}' }),
			{ inputItems },
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(12);
		// An expression that yields nothing reads as off (=== true), not as the default on: safe, only slower.
		expect(requests.filter((r) => r.path === '/api/automations')).toHaveLength(0);
		expect(requests).toHaveLength(12);
	});

	it('option saved on a Pause workflow: 12 pauses send 12 pause requests, no list', async () => {
		const inputItems = automationsAsInput(context.sandbox, 12);
		const { error, requests } = await context.run(
			{
				resource: 'automation',
				operation: 'pause',
				automation: locator('={{ $json.utr }}'),
				options: { oneListForManyGets: true },
			},
			{ inputItems, continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(requests.filter((r) => r.path === '/api/automations')).toHaveLength(0);
		expect(requests.filter((r) => r.path === '/api/automations/pause')).toHaveLength(12);
	});

	it('Batching (Items Per Batch 1, Batch Interval 100) with 12 Gets: one list, 12 outputs in order', async () => {
		const inputItems = automationsAsInput(context.sandbox, 12);
		const { error, requests, items } = await context.run(
			getEach({ batching: { batch: { batchSize: 1, batchInterval: 100 } } }),
			{ inputItems },
		);
		expect(error).toBeUndefined();
		expect(requests).toEqual([LIST_REQUEST]);
		expect(jsonOf(items).map(({ json, pairedItem }) => [json.utr, pairedItem])).toEqual(
			inputItems.map(({ utr }, item) => [utr, { item }]),
		);
	});

	it('Batching (Items Per Batch 1, no interval) with 12 Gets: one list', async () => {
		const inputItems = automationsAsInput(context.sandbox, 12);
		const { error, requests } = await context.run(
			getEach({ batching: { batch: { batchSize: 1 } } }),
			{ inputItems },
		);
		expect(error).toBeUndefined();
		expect(requests).toEqual([LIST_REQUEST]);
	});

	it("Retry On Fail: the list fails, one item's details fail, n8n retries the node: the retry reads the list again and succeeds", async () => {
		const inputItems = automationsAsInput(context.sandbox, 12);
		const target = inputItems[5].utr;
		context.sandbox.faults.push({ kind: 'serverError', route: 'GET automations', times: 1 });
		context.sandbox.faults.push({
			kind: 'serverError',
			route: 'GET automations/details',
			match: (request) => request.rawQuery === `utr=${target}`,
			times: 1,
		});
		const { error, requests, items } = await context.run(getEach({ maxTries: 1 }), {
			inputItems,
			retryOnFail: { maxTries: 2, waitBetweenTries: 0 },
		});
		expect(error).toBeUndefined();
		expect(items.map(({ json }) => json.utr)).toEqual(inputItems.map(({ utr }) => utr));
		// First try: a list (failed) + details; second try: a new run context, so a new list that succeeds.
		const lists = requests.filter((r) => r.path === '/api/automations');
		expect(lists).toHaveLength(2);
		expect(requests[requests.length - 1]).toEqual(LIST_REQUEST);
	});

	it('exactly 10 items: no list; exactly 11: one list', async () => {
		const ten = automationsAsInput(context.sandbox, 11).slice(0, 10);
		const r10 = await context.run(getEach(), { inputItems: ten });
		expect(r10.error).toBeUndefined();
		expect(r10.requests.sort(byQuery)).toEqual(detailsRequestsOf(ten));

		const eleven = automationsAsInput(context.sandbox, 11);
		const r11 = await context.run(getEach(), { inputItems: eleven });
		expect(r11.error).toBeUndefined();
		expect(r11.requests).toEqual([LIST_REQUEST]);
		expect(r11.items.map(({ json }) => json.utr)).toEqual(eleven.map(({ utr }) => utr));
	});

	it('11 items, item 3 a bad UTR, Continue On Fail: item 3 is an error item, the others from one list', async () => {
		const inputItems = automationsAsInput(context.sandbox, 11);
		inputItems[3] = { utr: 'not a utr' };
		const { error, requests, items } = await context.run(getEach(), {
			inputItems,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(requests).toEqual([LIST_REQUEST]);
		expect(items).toHaveLength(11);
		expect(items[3].json.error).toBeDefined();
		expect(items[3].pairedItem).toEqual({ item: 3 });
		expect(items.filter((_item, index) => index !== 3).map(({ json }) => json.utr)).toEqual(
			inputItems.filter((_item, index) => index !== 3).map(({ utr }) => utr),
		);
	});

	it('11 items, item 3 a bad UTR, no Continue On Fail: the run fails naming item 3; nothing was sent', async () => {
		const inputItems = automationsAsInput(context.sandbox, 11);
		inputItems[3] = { utr: 'not a utr' };
		const { error, requests } = await context.run(getEach(), { inputItems });
		expect(error).toBeDefined();
		expect(String(error?.message)).toMatch(/utr|UTR/);
		expect((error as unknown as { context?: { itemIndex?: number } }).context?.itemIndex ?? 3).toBe(
			3,
		);
		// Reads prepare each item as its turn comes: item 0 may have sent the list before item 3 failed.
		// Item 3's prepare fails before item 0's list leaves: the stopped run sends nothing at all.
		expect(requests).toEqual([]);
	});

	it('11 items with One List off, item 3 a bad UTR, no Continue On Fail: no more than items 0–2 details were sent', async () => {
		const inputItems = automationsAsInput(context.sandbox, 11);
		inputItems[3] = { utr: 'not a utr' };
		const { error, requests } = await context.run(getEach({ oneListForManyGets: false }), {
			inputItems,
		});
		expect(error).toBeDefined();
		expect(requests.every((r) => r.path === '/api/automations/details')).toBe(true);
		expect(requests.map((r) => r.query).sort()).toEqual(
			inputItems
				.slice(0, requests.length)
				.map(({ utr }) => `utr=${utr}`)
				.sort(),
		);
	});
});

describe('attack: One List for Many Gets, the description', () => {
	const { properties } = new AllsTechnology().description;
	const shown = (values: INodeParameters) =>
		NodeHelpers.getNodeParameters(properties, values, false, false, null, null) as INodeParameters;

	it('the option lives inside one Options collection and is only shown for automation → get', () => {
		const collections = properties.filter((p) => p.name === 'options' && p.type === 'collection');
		expect(collections.length).toBeGreaterThan(0);
		for (const collection of collections) {
			const option = (collection.options as Array<{ name: string; displayOptions?: unknown }>).find(
				(o) => o.name === 'oneListForManyGets',
			);
			if (option)
				expect(option.displayOptions).toEqual({
					show: { '/resource': ['automation'], '/operation': ['get'] },
				});
		}
	});

	it.each([
		['automation', 'get', true],
		['automation', 'pause', false],
		['automation', 'getAll', false],
		['automationSchedule', 'get', false],
	])('n8n keeps the saved option for %s → %s: %s', (resource, operation, kept) => {
		const values = shown({
			resource,
			operation,
			options: { oneListForManyGets: false, maxTries: 2 },
		});
		const options = (values.options ?? {}) as INodeParameters;
		expect('oneListForManyGets' in options).toBe(kept);
		if (kept) expect(options.oneListForManyGets).toBe(false);
	});

	it('displayParameter resolves the root paths against the root values', () => {
		const option = properties
			.flatMap((p) => (p.name === 'options' ? (p.options as never[]) : []))
			.find((o: { name: string }) => o.name === 'oneListForManyGets');
		expect(option).toBeDefined();
		const root = { resource: 'automation', operation: 'get' };
		expect(NodeHelpers.displayParameter({}, option as never, null, null, root)).toBe(true);
		expect(
			NodeHelpers.displayParameter({}, option as never, null, null, {
				...root,
				operation: 'pause',
			}),
		).toBe(false);
	});
});
