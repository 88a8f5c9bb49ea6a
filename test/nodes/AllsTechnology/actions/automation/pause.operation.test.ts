import {
	DRAFT_UTR,
	LIVE_UTR,
	expectKeysOnEveryRequest,
	jsonOf,
	locator,
	useSandbox,
} from '../../fixture';

const context = useSandbox();

describe('automation: Pause', () => {
	it("sends GET automations/pause?utr= and returns the API's message", async () => {
		const { items, error, requests } = await context.run({
			resource: 'automation',
			operation: 'pause',
			automation: locator(LIVE_UTR),
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([
			{
				method: 'GET',
				path: '/api/automations/pause',
				query: `utr=${LIVE_UTR}`,
				contentType: undefined,
			},
		]);
		expectKeysOnEveryRequest(context.sandbox);
		expect(jsonOf(items)).toEqual([
			{
				json: { success: true, utr: LIVE_UTR, message: 'Automation Paused Successfully' },
				pairedItem: { item: 0 },
			},
		]);
		expect(
			context.sandbox.state.automations.find((automation) => automation.utr === LIVE_UTR)?.status,
		).toBe(0);
	});

	it('fails when the automation is a draft: only a live automation can be paused', async () => {
		const { error, requests } = await context.run({
			resource: 'automation',
			operation: 'pause',
			automation: locator(DRAFT_UTR),
		});

		expect(requests).toHaveLength(1);
		expect(error).toMatchObject({ name: 'NodeApiError' });
		expect(error).toMatchObject({
			message: 'We allow pause only live automation',
			httpCode: '400',
		});
	});
});
