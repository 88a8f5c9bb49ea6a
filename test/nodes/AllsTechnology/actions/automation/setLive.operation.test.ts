import { DRAFT_UTR, expectKeysOnEveryRequest, jsonOf, locator, useSandbox } from '../../fixture';

const context = useSandbox();
const WITHOUT_GROUP_UTR = '405420d2-9407-11ee-8a8b-b42e9970e591';

describe('automation: Set Live', () => {
	it("sends GET automations/set-live?utr= and returns the API's message", async () => {
		const { items, error, requests } = await context.run({
			resource: 'automation',
			operation: 'setLive',
			automation: locator(DRAFT_UTR),
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([
			{
				method: 'GET',
				path: '/api/automations/set-live',
				query: `utr=${DRAFT_UTR}`,
				contentType: undefined,
			},
		]);
		expectKeysOnEveryRequest(context.sandbox);
		expect(jsonOf(items)).toEqual([
			{
				json: { success: true, utr: DRAFT_UTR, message: 'Automation has been set live' },
				pairedItem: { item: 0 },
			},
		]);
		expect(
			context.sandbox.state.automations.find((automation) => automation.utr === DRAFT_UTR)?.status,
		).toBe(1);
	});

	it("fails in the API's words when the automation has no unsubscribe group", async () => {
		const { error } = await context.run({
			resource: 'automation',
			operation: 'setLive',
			automation: locator(WITHOUT_GROUP_UTR),
		});

		expect(error).toMatchObject({ name: 'NodeApiError' });
		expect(error?.message).toBe('Unsubscribe group require to live automation');
	});
});
