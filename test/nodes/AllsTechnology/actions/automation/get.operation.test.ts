import type { NodeApiError } from 'n8n-workflow';
import {
	DOCS_AUTOMATION_5,
	DRAFT_UTR,
	LIVE_UTR,
	expectKeysOnEveryRequest,
	jsonOf,
	locator,
	locatorById,
	useSandbox,
} from '../../fixture';
import {
	LIST_REQUEST,
	UNKNOWN_UTR,
	byQuery,
	detailsRequest,
	detailsRequestsOf,
	expectListThenDetailsOf,
	getEach,
	listAnsweredWith,
	twelveAutomations,
} from './getRuns';

const context = useSandbox();

/** The docs' automation 5 as Get outputs it with Simplify off: the API's record, the status in words beside its 0. */
const RAW_5 = { ...DOCS_AUTOMATION_5, status: 'draft', status_code: 0 };

describe('automation: Get', () => {
	it("sends GET automations/details?utr= and returns the record with Simplify off, its status in words and the API's number as status_code", async () => {
		const { items, error, requests } = await context.run({
			resource: 'automation',
			operation: 'get',
			automation: locator(DRAFT_UTR),
			simplify: false,
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([detailsRequest(DRAFT_UTR)]);
		expectKeysOnEveryRequest(context.sandbox);
		expect(jsonOf(items)).toEqual([{ json: RAW_5, pairedItem: { item: 0 } }]);
		expect(Object.keys(items[0].json).slice(9, 12)).toEqual(['status', 'status_code', 'live_at']);
	});

	it('simplifies by default: ID, UTR, name, status in words, live since and the totals', async () => {
		const { items, error } = await context.run({
			resource: 'automation',
			operation: 'get',
			automation: locator(LIVE_UTR),
		});

		expect(error).toBeUndefined();
		expect(jsonOf(items)).toEqual([
			{
				json: {
					id: 3,
					utr: LIVE_UTR,
					automation_name: 'Test Automation',
					status: 'live',
					live_at: '2023-11-28 12:16:59',
					total_delivered: 3,
					total_unique_opens: 2,
					total_bounces: 0,
					total_unsubscribe: 1,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('takes the UTR from an expression and trims it', async () => {
		const { items, requests } = await context.run(
			{
				resource: 'automation',
				operation: 'get',
				automation: locator('={{ " " + $json.utr + " " }}'),
			},
			{ inputItems: [{ utr: DRAFT_UTR }] },
		);

		expect(requests.map((request) => request.query)).toEqual([`utr=${DRAFT_UTR}`]);
		expect(items[0].json.id).toBe(5);
	});

	it('still runs a workflow saved when By UTR was the mode named "id": { mode: "id", value: <UTR> }, typed or an expression', async () => {
		const { items, error, requests } = await context.run(
			{
				resource: 'automation',
				operation: 'get',
				automation: { __rl: true, mode: 'id', value: '={{ $json.utr }}' },
				simplify: false,
			},
			{ inputItems: [{ utr: DRAFT_UTR }] },
		);
		const typed = await context.run({
			resource: 'automation',
			operation: 'get',
			automation: { __rl: true, mode: 'id', value: LIVE_UTR },
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([detailsRequest(DRAFT_UTR)]);
		expect(jsonOf(items)).toEqual([{ json: RAW_5, pairedItem: { item: 0 } }]);
		expect([typed.error, typed.requests]).toEqual([undefined, [detailsRequest(LIVE_UTR)]]);
	});

	it('runs a workflow saved before the field was a resource locator, a plain UTR', async () => {
		const { error, requests } = await context.run({
			resource: 'automation',
			operation: 'get',
			automation: DRAFT_UTR,
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([detailsRequest(DRAFT_UTR)]);
	});

	it("By ID: finds the UTR in the account's list, listed once for all items of the run", async () => {
		const { items, error, requests } = await context.run(
			{
				resource: 'automation',
				operation: 'get',
				automation: locatorById('={{ $json.id }}'),
				simplify: false,
			},
			{ inputItems: [{ id: 5 }, { id: '3' }, { id: 5 }] },
		);

		expect(error).toBeUndefined();
		// The three Gets go out together: they may reach the API in any order.
		expectListThenDetailsOf(requests, [{ utr: DRAFT_UTR }, { utr: LIVE_UTR }, { utr: DRAFT_UTR }]);
		expect(jsonOf(items).map(({ json, pairedItem }) => [json.id, json.utr, pairedItem])).toEqual([
			[5, DRAFT_UTR, { item: 0 }],
			[3, LIVE_UTR, { item: 1 }],
			[5, DRAFT_UTR, { item: 2 }],
		]);
	});

	it('By ID: an ID the account does not have fails saying no automation has it, after the list alone', async () => {
		const { error, requests } = await context.run({
			resource: 'automation',
			operation: 'get',
			automation: locatorById(99),
		});

		expect(requests).toEqual([LIST_REQUEST]);
		expect(error).toMatchObject({
			name: 'NodeOperationError',
			message: 'No automation has the ID 99 in this account',
			description:
				'The ID is the whole number in the "id" field of Get Many. Check it, or pick the automation From List.',
		});
		expect(error?.context.itemIndex).toBe(0);
	});

	it('By ID: with Continue On Fail, only the item with the unknown ID fails', async () => {
		const { items, error, requests } = await context.run(
			{ resource: 'automation', operation: 'get', automation: locatorById('={{ $json.id }}') },
			{ inputItems: [{ id: 99 }, { id: 3 }], continueOnFail: true },
		);

		expect(error).toBeUndefined();
		expect(requests).toEqual([LIST_REQUEST, detailsRequest(LIVE_UTR)]);
		expect(jsonOf(items)).toEqual([
			{
				json: {
					error: 'No automation has the ID 99 in this account',
					description:
						'The ID is the whole number in the "id" field of Get Many. Check it, or pick the automation From List.',
				},
				pairedItem: { item: 0 },
			},
			{
				json: expect.objectContaining({ id: 3, utr: LIVE_UTR, status: 'live' }),
				pairedItem: { item: 1 },
			},
		]);
	});

	it("By ID: n8n refuses a typed value that is neither an ID nor a UTR with the mode's message, before the run", async () => {
		await expect(
			context.run({ resource: 'automation', operation: 'get', automation: locatorById('five') }),
		).rejects.toThrow('Not an ID: an ID is a whole number such as 5, the "id" field of Get Many');
		await expect(
			context.run({ resource: 'automation', operation: 'get', automation: locator('5') }),
		).rejects.toThrow('Not a UTR: a UTR is a UUID such as e9c7ff00-8d1c-11ee-91c4-b42e9970e591');
		expect(context.sandbox.requests).toEqual([]);
	});

	it('By ID: refuses an expression giving neither an ID nor a UTR before any request', async () => {
		const { error, requests } = await context.run(
			{ resource: 'automation', operation: 'get', automation: locatorById('={{ $json.id }}') },
			{ inputItems: [{ id: 'five' }] },
		);

		expect(requests).toEqual([]);
		expect(error).toMatchObject({
			name: 'NodeOperationError',
			message:
				'The Automation parameter is "five": it must be an ID, a whole number such as 5 (the "id" field of Get Many)',
		});
	});

	it('By UTR: an expression giving a numeric ID is refused before any request, pointing to By ID', async () => {
		const { error, requests } = await context.run(
			{ resource: 'automation', operation: 'get', automation: locator('={{ $json.id }}') },
			{ inputItems: [{ id: 5 }] },
		);

		expect(requests).toEqual([]);
		expect(error).toMatchObject({
			name: 'NodeOperationError',
			message:
				'The Automation parameter is "5": it must be a UTR, a UUID such as e9c7ff00-8d1c-11ee-91c4-b42e9970e591',
			description:
				'5 looks like a numeric ID: choose By ID for "Automation", or give the UTR. Fix "Automation" for item 0 and run the node again.',
		});
	});

	it("fails an unknown UTR naming it and the kind of UTR the field takes, with the API's words and code", async () => {
		const { error, requests } = await context.run({
			resource: 'automation',
			operation: 'get',
			automation: locator(UNKNOWN_UTR),
		});

		expect(requests).toEqual([detailsRequest(UNKNOWN_UTR)]);
		expect(error).toMatchObject({
			name: 'NodeApiError',
			message: `No automation has the UTR ${UNKNOWN_UTR}: AllsTechnology answered "Record Not Found"`,
			description:
				'The Automation field takes an automation\'s UTR: the "utr" of Get, Get Many or Create of automations, or the "automation_utr" of an email. An email\'s own "utr" (from Automation Schedule) names the email, not its automation. Pick the automation From List, or map "automation_utr" instead.',
		});
		expect((error as NodeApiError).httpCode).toBe('404');
	});

	it.each([
		['not a UUID', 'abc'],
		['empty', ''],
		['a UUID with a query appended', `${DRAFT_UTR}&utr=x`],
	])('refuses a UTR that is %s before any request', async (_case, utr) => {
		const { error, requests } = await context.run(
			{ resource: 'automation', operation: 'get', automation: locator('={{ $json.utr }}') },
			{ inputItems: [{ utr }] },
		);

		expect(requests).toEqual([]);
		expect(error).toMatchObject({ name: 'NodeOperationError' });
		expect(error?.message).toMatch(/^The Automation parameter is .*: it must be a UTR, a UUID/);
		expect(error?.context.itemIndex).toBe(0);
	});
});

describe('automation: Get, more than 10 items: one list for many Gets', () => {
	it.each([
		['Simplify off', false],
		['Simplify on', true],
	])(
		'12 Gets send one GET automations and output what 12 details requests do (%s)',
		async (_case, simplify) => {
			const inputItems = twelveAutomations(context.sandbox);
			const oneByOne = await context.run(getEach({ oneListForManyGets: false }, simplify), {
				inputItems,
			});
			const fromList = await context.run(getEach({}, simplify), { inputItems });

			expect(oneByOne.error).toBeUndefined();
			expect(oneByOne.requests.sort(byQuery)).toEqual(detailsRequestsOf(inputItems));
			expect(fromList.error).toBeUndefined();
			expect(fromList.requests).toEqual([LIST_REQUEST]);
			expectKeysOnEveryRequest(context.sandbox);
			expect(jsonOf(fromList.items)).toEqual(jsonOf(oneByOne.items));
			expect(jsonOf(fromList.items).map(({ json, pairedItem }) => [json.utr, pairedItem])).toEqual(
				inputItems.map(({ utr }, item) => [utr, { item }]),
			);
			expect(fromList.items.some(({ json }) => 'automation_schedule_count' in json)).toBe(false);
		},
	);

	it('10 Gets, no more than are in flight at once, ask for each automation by itself', async () => {
		const inputItems = twelveAutomations(context.sandbox).slice(0, 10);
		const { error, requests } = await context.run(getEach(), { inputItems });

		expect(error).toBeUndefined();
		expect(requests.sort(byQuery)).toEqual(detailsRequestsOf(inputItems));
	});

	it('an automation the list lacks is asked for by its UTR: the API\'s "Record Not Found" fails that item alone', async () => {
		const inputItems = [...twelveAutomations(context.sandbox), { utr: UNKNOWN_UTR }];
		const { items, error, requests } = await context.run(getEach(), {
			inputItems,
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([LIST_REQUEST, detailsRequest(UNKNOWN_UTR)]);
		expect(jsonOf(items).map(({ json }) => json.utr ?? json.error)).toEqual([
			...inputItems.slice(0, 12).map(({ utr }) => utr),
			`No automation has the UTR ${UNKNOWN_UTR}: AllsTechnology answered "Record Not Found"`,
		]);
		expect(items[12].pairedItem).toEqual({ item: 12 });
	});

	it('a list that fails leaves every item to its details request, and they succeed', async () => {
		const inputItems = twelveAutomations(context.sandbox);
		context.sandbox.faults.push({ kind: 'serverError', route: 'GET automations', times: 1 });
		const { items, error, requests } = await context.run(getEach({ maxTries: 1 }), {
			inputItems,
		});

		expect(error).toBeUndefined();
		expectListThenDetailsOf(requests, inputItems);
		expect(items.map(({ json }) => json.utr)).toEqual(inputItems.map(({ utr }) => utr));
	});

	it('a UTR the list holds twice, as deleted, or written otherwise than the item names it is asked for by itself', async () => {
		const inputItems = twelveAutomations(context.sandbox);
		const [twice, deleted, upperCase] = context.sandbox.state.automations.slice(-3);
		const listed = context.sandbox.state.automations.map((automation) =>
			automation === deleted
				? { ...automation, deleted_at: '2024-01-01 00:00:00' }
				: automation === upperCase
					? { ...automation, utr: automation.utr.toUpperCase() }
					: automation,
		);
		context.sandbox.faults.push(listAnsweredWith([...listed, twice]));
		const { items, error, requests } = await context.run(getEach(), { inputItems });

		expect(error).toBeUndefined();
		expectListThenDetailsOf(requests, [twice, deleted, upperCase]);
		expect(items.map(({ json }) => [json.utr, json.deleted_at])).toEqual(
			inputItems.map(({ utr }) => [utr, null]),
		);
	});

	it('By ID: the one list finds both the UTR and the record, so no details request is sent', async () => {
		const inputItems = twelveAutomations(context.sandbox).map((_item, index) => ({
			id: context.sandbox.state.automations[index].id,
		}));
		const { items, error, requests } = await context.run(
			{ ...getEach(), automation: locatorById('={{ $json.id }}') },
			{ inputItems },
		);

		expect(error).toBeUndefined();
		expect(requests).toEqual([LIST_REQUEST]);
		expect(items.map(({ json }) => json.id)).toEqual(inputItems.map(({ id }) => id));
	});
});
