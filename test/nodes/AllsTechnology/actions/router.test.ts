import { DRAFT_UTR, LIVE_UTR, jsonOf, locator, useSandbox } from '../fixture';

const context = useSandbox();
const UNKNOWN_UTR = '00000000-0000-11ee-0000-000000000000';
const pauseFromInput = { resource: 'automation', operation: 'pause', automation: locator('={{ $json.utr }}') };

describe('router', () => {
	it('with Continue On Fail, pairs an error item with each failing item and goes on with the others', async () => {
		const { items, error, requests } = await context.run(pauseFromInput, {
			inputItems: [{ utr: LIVE_UTR }, { utr: 'not-a-utr' }, { utr: UNKNOWN_UTR }, { utr: DRAFT_UTR }],
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(requests.map((request) => request.query)).toEqual([
			`utr=${LIVE_UTR}`,
			`utr=${UNKNOWN_UTR}`,
			`utr=${DRAFT_UTR}`,
		]);
		expect(jsonOf(items)).toEqual([
			{ json: { success: true, utr: LIVE_UTR, message: 'Automation Paused Successfully' }, pairedItem: { item: 0 } },
			{
				json: {
					error: 'The Automation parameter is "not-a-utr": it must be a UTR, a UUID such as e9c7ff00-8d1c-11ee-91c4-b42e9970e591',
					description: 'Fix "Automation" for item 1 and run the node again.',
				},
				pairedItem: { item: 1 },
			},
			{ json: { error: 'Record not found', httpCode: '404' }, pairedItem: { item: 2 } },
			{ json: expect.objectContaining({ httpCode: '400' }), pairedItem: { item: 3 } },
		]);
	});

	it('without Continue On Fail and one item at a time, stops at the first failing item and names it', async () => {
		const { error, requests } = await context.run(
			{ ...pauseFromInput, options: { batching: { batch: { batchSize: 1 } } } },
			{ inputItems: [{ utr: LIVE_UTR }, { utr: UNKNOWN_UTR }, { utr: DRAFT_UTR }] },
		);

		expect(requests.map((request) => request.query)).toEqual([`utr=${LIVE_UTR}`, `utr=${UNKNOWN_UTR}`]);
		expect(error).toMatchObject({ name: 'NodeApiError' });
		expect(error?.message).toBe('Record not found');
		expect(error?.context.itemIndex).toBe(1);
	});

	it('names the item of a bad input too', async () => {
		const { error, requests } = await context.run(pauseFromInput, { inputItems: [{ utr: LIVE_UTR }, { utr: 42 }] });

		expect(requests).toHaveLength(1);
		expect(error).toMatchObject({ name: 'NodeOperationError' });
		expect(error?.context.itemIndex).toBe(1);
	});
});
