import { UUID, expectKeysOnEveryRequest, useSandbox } from '../../fixture';

const context = useSandbox();
const create = {
	resource: 'automation',
	operation: 'create',
	type: 'custom',
	automationName: 'Api Automation',
	unsubscribeGroupId: 3,
	simplify: false,
};

describe('automation: Create', () => {
	it("lists the automations, sends the docs' multipart form to automations/create, then reads the new automation back", async () => {
		const { items, error, requests } = await context.run({
			...create,
			additionalFields: { automationFor: 'contacts_3' },
		});

		expect(error).toBeUndefined();
		const newUtr = items[0].json.utr as string;
		expect(newUtr).toMatch(UUID);
		expect(requests).toEqual([
			{ method: 'GET', path: '/api/automations', query: '', contentType: undefined },
			{
				method: 'POST',
				path: '/api/automations/create',
				query: '',
				contentType: 'multipart/form-data',
				fields: {
					type: 'custom',
					automation_for: 'contacts_3',
					automation_name: 'Api Automation',
					unsubscribe_group_id: '3',
				},
			},
			{
				method: 'GET',
				path: '/api/automations/details',
				query: `utr=${newUtr}`,
				contentType: undefined,
			},
		]);
		expectKeysOnEveryRequest(context.sandbox);
		const stored = context.sandbox.state.automations.find(
			(automation) => automation.utr === newUtr,
		);
		expect(items).toEqual([
			{ json: { ...stored, status: 'draft', status_code: 0 }, pairedItem: { item: 0 } },
		]);
		expect(items[0].json).toMatchObject({
			automation_name: 'Api Automation',
			automation_for: 3,
			automation_for_table: 'contacts_',
			unsubscribe_group_id: '3',
			status: 'draft',
			status_code: 0,
		});
	});

	it('simplifies by default: ID, UTR, name, status in words, live since and the totals of the new automation', async () => {
		const { items, error } = await context.run({ ...create, simplify: undefined });

		expect(error).toBeUndefined();
		const stored = context.sandbox.state.automations.find(
			(automation) => automation.automation_name === 'Api Automation',
		);
		expect(items).toEqual([
			{
				json: {
					id: stored?.id,
					utr: stored?.utr,
					automation_name: 'Api Automation',
					status: 'draft',
					live_at: null,
					total_delivered: 0,
					total_unique_opens: 0,
					total_bounces: 0,
					total_unsubscribe: 0,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('leaves automation_for out of the form when Automation For is empty', async () => {
		const { requests } = await context.run({ ...create, type: 'welcome', additionalFields: {} });

		expect(requests[1].fields).toEqual({
			type: 'welcome',
			automation_name: 'Api Automation',
			unsubscribe_group_id: '3',
		});
	});

	it.each([
		['automationName', '  ', /^The Automation Name parameter is "  ": it must be filled in$/],
		[
			'unsubscribeGroupId',
			0,
			/^The Unsubscribe Group Name or ID parameter is "0": it must be a whole number greater than 0$/,
		],
		[
			'unsubscribeGroupId',
			2.5,
			/^The Unsubscribe Group Name or ID parameter is "2.5": it must be a whole number greater than 0$/,
		],
		['type', 'monthly', /^The Type parameter is "monthly": it must be one of custom, welcome$/],
	])('refuses %s = %p before any request', async (parameter, value, message) => {
		const { error, requests } = await context.run(
			{ ...create, [parameter]: '={{ $json.value }}' },
			{ inputItems: [{ value }] },
		);

		expect(requests).toEqual([]);
		expect(error).toMatchObject({ name: 'NodeOperationError' });
		expect(error?.message).toMatch(message);
	});

	it('refuses an Automation For that is neither contacts_{id} nor segments_{id}', async () => {
		const { error, requests } = await context.run(
			{ ...create, additionalFields: { automationFor: '={{ $json.target }}' } },
			{ inputItems: [{ target: 'lists_3' }] },
		);

		expect(requests).toEqual([]);
		expect(error?.message).toBe(
			'The Target Name or ID parameter is "lists_3": it must be contacts_{contact type ID} or segments_{segment ID}, e.g. contacts_10',
		);
	});
});
