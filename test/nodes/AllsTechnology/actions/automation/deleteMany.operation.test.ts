import { expectKeysOnEveryRequest, jsonOf, useSandbox } from '../../fixture';

const context = useSandbox();
const deleteMany = { resource: 'automation', operation: 'deleteMany' };

function isDeleted(id: number) {
	return context.sandbox.state.automations.find((automation) => automation.id === id)?.deleted_at !== null;
}

describe('automation: Delete Many', () => {
	it('sends the docs\' body, strIds[0]=8&strIds[1]=44 urlencoded, to automations/bulk-delete', async () => {
		const { items, error, requests } = await context.run({ ...deleteMany, automationIds: '8, 44' });

		expect(error).toBeUndefined();
		expect(requests).toEqual([
			{
				method: 'POST',
				path: '/api/automations/bulk-delete',
				query: '',
				contentType: 'application/x-www-form-urlencoded',
				fields: { 'strIds[0]': '8', 'strIds[1]': '44' },
				rawBody: 'strIds%5B0%5D=8&strIds%5B1%5D=44',
			},
		]);
		expectKeysOnEveryRequest(context.sandbox);
		expect(jsonOf(items)).toEqual([{ json: { deleted: true, ids: [8, 44] }, pairedItem: { item: 0 } }]);
		expect([isDeleted(8), isDeleted(44), isDeleted(5)]).toEqual([true, true, false]);
	});

	it('sends the IDs of all items in one request, each item paired with its own IDs', async () => {
		const { items, requests } = await context.run(
			{ ...deleteMany, automationIds: '={{ $json.ids }}' },
			{ inputItems: [{ ids: 8 }, { ids: '44,5' }, { ids: [1, 8] }] },
		);

		expect(requests).toHaveLength(1);
		expect(requests[0].rawBody).toBe('strIds%5B0%5D=8&strIds%5B1%5D=44&strIds%5B2%5D=5&strIds%5B3%5D=1');
		expect(jsonOf(items)).toEqual([
			{ json: { deleted: true, ids: [8] }, pairedItem: { item: 0 } },
			{ json: { deleted: true, ids: [44, 5] }, pairedItem: { item: 1 } },
			{ json: { deleted: true, ids: [1, 8] }, pairedItem: { item: 2 } },
		]);
	});

	it('sends 1,001 IDs in chunks of 500, and fails only the items whose chunk failed', async () => {
		const ids = Array.from({ length: 1001 }, (_, index) => 1000 + index);
		for (const id of ids.slice(0, 1000)) {
			context.sandbox.state.automations.push({ ...context.sandbox.state.automations[0], id, utr: `00000000-0000-11ee-0000-${String(id).padStart(12, '0')}` });
		}

		const { items, requests } = await context.run(
			{ ...deleteMany, automationIds: '={{ $json.ids }}' },
			{ inputItems: [{ ids: ids.slice(0, 700) }, { ids: ids.slice(700, 1000) }, { ids: [2000] }], continueOnFail: true },
		);

		expect(requests.map((request) => request.rawBody?.split('&').length)).toEqual([500, 500, 1]);
		expect(requests[1].rawBody?.startsWith('strIds%5B0%5D=1500&')).toBe(true);
		expect(items.map((item) => [item.json.deleted ?? item.json.error, item.pairedItem])).toEqual([
			[true, { item: 0 }],
			[true, { item: 1 }],
			['Record not found', { item: 2 }],
		]);
	});

	it.each([
		['empty', ''],
		['a UTR instead of an ID', 'e9c7ff00-8d1c-11ee-91c4-b42e9970e591'],
		['negative', '-4'],
		['a float', '4.5'],
		['a list with an empty entry only', ' , '],
	])('refuses IDs that are %s before any request', async (_case, automationIds) => {
		const { error, requests } = await context.run(
			{ ...deleteMany, automationIds: '={{ $json.ids }}' },
			{ inputItems: [{ ids: automationIds }] },
		);

		expect(requests).toEqual([]);
		expect(error).toMatchObject({ name: 'NodeOperationError' });
		expect(error?.message).toMatch(/^The Automation IDs parameter is .*: it must be /);
	});

	it('with Continue On Fail, gives a bad item its error and still deletes the others in one request', async () => {
		const { items, requests } = await context.run(
			{ ...deleteMany, automationIds: '={{ $json.ids }}' },
			{ inputItems: [{ ids: '8' }, { ids: 'x' }, { ids: '44' }], continueOnFail: true },
		);

		expect(requests.map((request) => request.rawBody)).toEqual(['strIds%5B0%5D=8&strIds%5B1%5D=44']);
		expect(jsonOf(items)).toEqual([
			{ json: { deleted: true, ids: [8] }, pairedItem: { item: 0 } },
			{
				json: {
					error: 'The Automation IDs parameter is "x": it must be automation IDs, whole numbers greater than 0, separated by commas',
					description: 'Fix "Automation IDs" for item 1 and run the node again.',
				},
				pairedItem: { item: 1 },
			},
			{ json: { deleted: true, ids: [44] }, pairedItem: { item: 2 } },
		]);
	});

	it('fails every item of the request with the API\'s words when none of the IDs exist', async () => {
		const { items, requests } = await context.run(
			{ ...deleteMany, automationIds: '={{ $json.ids }}' },
			{ inputItems: [{ ids: '900' }, { ids: '901' }], continueOnFail: true },
		);

		expect(requests).toHaveLength(1);
		expect(jsonOf(items)).toEqual([
			{ json: { error: 'Record not found', httpCode: '404' }, pairedItem: { item: 0 } },
			{ json: { error: 'Record not found', httpCode: '404' }, pairedItem: { item: 1 } },
		]);
	});

	it('without Continue On Fail, stops with the API error naming the first item', async () => {
		const { error } = await context.run({ ...deleteMany, automationIds: '900' });

		expect(error).toMatchObject({ name: 'NodeApiError' });
		expect(error?.message).toBe('Record not found');
		expect(error?.context.itemIndex).toBe(0);
	});
});
