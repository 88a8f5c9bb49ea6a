import {
	DOCS_AUTOMATION_5,
	DRAFT_UTR,
	LIVE_UTR,
	expectKeysOnEveryRequest,
	jsonOf,
	useSandbox,
} from '../../fixture';

const context = useSandbox();
const getMany = { resource: 'automation', operation: 'getAll' };

describe('automation: Get Many', () => {
	it("sends GET automations with no query or body and returns one item per automation with Simplify off: the API's record, its status in words and the API's number as status_code", async () => {
		const { items, error, requests } = await context.run({
			...getMany,
			returnAll: true,
			simplify: false,
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([
			{ method: 'GET', path: '/api/automations', query: '', contentType: undefined },
		]);
		expectKeysOnEveryRequest(context.sandbox);
		expect(items.map((item) => item.json.id)).toEqual([45, 44, 8, 6, 5, 3, 1]);
		expect(
			items.every((item) => JSON.stringify(item.pairedItem) === JSON.stringify({ item: 0 })),
		).toBe(true);
		expect(items[4].json).toEqual({
			...DOCS_AUTOMATION_5,
			status: 'draft',
			status_code: 0,
			automation_schedule_count: 3,
		});
		expect(items.map((item) => [item.json.status, item.json.status_code])).toEqual([
			['draft', 0],
			['draft', 0],
			['live', 1],
			['draft', 0],
			['draft', 0],
			['live', 1],
			['draft', 0],
		]);
	});

	it('returns at most Limit items when Return All is off', async () => {
		const { items, requests } = await context.run({
			...getMany,
			returnAll: false,
			limit: 2,
			simplify: false,
		});

		expect(requests).toHaveLength(1);
		expect(items.map((item) => item.json.utr)).toEqual([
			'405420d2-9407-11ee-8a8b-b42e9970e591',
			'5dcbb0d2-935b-11ee-a9a4-b42e9970e591',
		]);
	});

	it('simplifies each record to ten fields with status as draft or live', async () => {
		const { items } = await context.run({ ...getMany, returnAll: true, simplify: true });

		expect(jsonOf(items.slice(4, 6))).toEqual([
			{
				json: {
					id: 5,
					utr: DRAFT_UTR,
					automation_name: 'Test Automation',
					status: 'draft',
					live_at: null,
					automation_schedule_count: 3,
					total_delivered: 0,
					total_unique_opens: 0,
					total_bounces: 0,
					total_unsubscribe: 0,
				},
				pairedItem: { item: 0 },
			},
			{
				json: {
					id: 3,
					utr: LIVE_UTR,
					automation_name: 'Test Automation',
					status: 'live',
					live_at: '2023-11-28 12:16:59',
					automation_schedule_count: 3,
					total_delivered: 3,
					total_unique_opens: 2,
					total_bounces: 0,
					total_unsubscribe: 1,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it.each([
		['status live', { status: 'live' }, 10, [8, 3]],
		['status draft, with Limit counting after the filter', { status: 'draft' }, 2, [45, 44]],
		['type welcome', { type: 'welcome' }, 50, [1]],
		['type custom and status live', { type: 'custom', status: 'live' }, 50, [8, 3]],
		['name contains, ignoring case', { nameContains: 'TEST' }, 50, [5, 3]],
		['name contains with nothing matching', { nameContains: 'nope' }, 50, []],
	])('filters by %s', async (_case, filters, limit, ids) => {
		const { items, requests } = await context.run({
			...getMany,
			returnAll: false,
			limit,
			filters,
			simplify: true,
		});

		expect(requests).toHaveLength(1);
		expect(items.map((item) => item.json.id)).toEqual(ids);
	});

	it('pairs each input item with its own list', async () => {
		const { items, requests } = await context.run(
			{ ...getMany, returnAll: false, limit: 1, simplify: true },
			{ inputItems: [{ run: 'a' }, { run: 'b' }] },
		);

		expect(requests).toHaveLength(2);
		expect(items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			[45, { item: 0 }],
			[45, { item: 1 }],
		]);
	});

	it('returns no items for an account without automations, which the API answers with "Record Not Found"', async () => {
		for (const automation of context.sandbox.state.automations)
			automation.deleted_at = '2024-01-01T00:00:00.000000Z';

		const { items, error, requests } = await context.run({ ...getMany, returnAll: true });

		expect(error).toBeUndefined();
		expect(requests).toHaveLength(1);
		expect(items).toEqual([]);
	});
	it.each([
		[
			'Limit',
			{ returnAll: false, limit: '={{ $json.value }}' },
			2,
			'abc',
			'The Limit parameter is "abc": it must be a whole number greater than 0',
		],
		[
			'Return All',
			{ returnAll: '={{ $json.value }}' },
			true,
			'false',
			'The Return All parameter is "false": it must be true or false',
		],
		[
			'Simplify',
			{ returnAll: true, simplify: '={{ $json.value }}' },
			false,
			'yes',
			'The Simplify parameter is "yes": it must be true or false',
		],
		[
			'the Status filter',
			{ returnAll: true, filters: { status: '={{ $json.value }}' } },
			'live',
			'paused',
			'The Status parameter is "paused": it must be one of draft, live',
		],
		[
			'the Type filter',
			{ returnAll: true, filters: { type: '={{ $json.value }}' } },
			'custom',
			'Welcome',
			'The Type parameter is "Welcome": it must be one of custom, welcome',
		],
	])(
		'checks %s of each item before its turn: a bad item 1 stops the run before item 0 is sent',
		async (_case, parameters, good, bad, message) => {
			const { error, requests } = await context.run(
				{ ...getMany, ...parameters },
				{ inputItems: [{ value: good }, { value: bad }] },
			);

			expect(requests).toEqual([]);
			expect(error).toMatchObject({ name: 'NodeOperationError', message });
			expect(error?.context.itemIndex).toBe(1);
		},
	);
});
