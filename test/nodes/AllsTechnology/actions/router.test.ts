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

	describe('items in flight', () => {
		/** Counts requests between their arrival at the sandbox and their answer. */
		function inFlightCounter() {
			let now = 0;
			const seen = { most: 0 };
			context.sandbox.faults.push({ kind: 'latency', ms: 0, match: () => ((seen.most = Math.max(seen.most, ++now)), false) });
			context.afterEachRequest(() => now--);
			return seen;
		}
		const getFromInput = { resource: 'automation', operation: 'get', automation: locator('={{ $json.utr }}') };
		const allUtrs = () => context.sandbox.state.automations.map((automation) => ({ utr: automation.utr }));

		it.each([
			['the default', {}, 5],
			['Items Per Batch 1, one after the other', { batching: { batch: { batchSize: 1 } } }, 1],
			['Items Per Batch 3', { batching: { batch: { batchSize: 3 } } }, 3],
		])('with %s, keeps at most that many requests in flight and the output in input order', async (_case, options, most) => {
			const inFlight = inFlightCounter();
			// The first item's request is the slowest, so that answers come back out of order.
			context.sandbox.faults.push({ kind: 'latency', ms: 60, match: (request) => request.rawQuery.includes(allUtrs()[0].utr) });
			context.sandbox.faults.push({ kind: 'latency', ms: 20 });
			const inputItems = [...allUtrs(), ...allUtrs()];

			const { items, error } = await context.run({ ...getFromInput, options }, { inputItems });

			expect(error).toBeUndefined();
			expect(items.map((item) => [item.json.utr, item.pairedItem])).toEqual(inputItems.map((input, item) => [input.utr, { item }]));
			expect(inFlight.most).toBe(most);
		});

		it('after the first round, spreads the requests over the round trip instead of sending them in bursts', async () => {
			const arrived: number[] = [];
			context.sandbox.faults.push({ kind: 'latency', ms: 90, match: () => (arrived.push(Date.now()), true) });

			const { error } = await context.run(
				{ ...getFromInput, options: { batching: { batch: { batchSize: 3 } } } },
				{ inputItems: [...allUtrs(), ...allUtrs()].slice(0, 9) },
			);

			expect(error).toBeUndefined();
			expect(arrived).toHaveLength(9);
			// Round trips take at least 90 ms, so requests leave at least 30 ms apart; half of that allows for jitter.
			const gaps = arrived.slice(3).map((at, index) => at - arrived[index + 2]);
			expect(gaps.filter((gap) => gap < 15)).toEqual([]);
		});

		it('pauses Batch Interval between batches, and sends each batch whole', async () => {
			const arrived: number[] = [];
			context.sandbox.faults.push({ kind: 'latency', ms: 150, match: () => (arrived.push(Date.now()), true) });

			const { error } = await context.run(
				{ ...getFromInput, options: { batching: { batch: { batchSize: 2, batchInterval: 300 } } } },
				{ inputItems: allUtrs().slice(0, 6) },
			);

			expect(error).toBeUndefined();
			expect(arrived).toHaveLength(6);
			expect(arrived[2] - arrived[1]).toBeGreaterThanOrEqual(290);
			expect(arrived[4] - arrived[3]).toBeGreaterThanOrEqual(290);
			// Paced like the window, a batch's second request would leave half a round trip (75 ms) after its first.
			expect([arrived[3] - arrived[2], arrived[5] - arrived[4]].filter((gap) => gap >= 50)).toEqual([]);
		});

		it('without Continue On Fail, names the first failing item even when a later one failed first', async () => {
			context.sandbox.faults.push({ kind: 'latency', ms: 80, match: (request) => request.rawQuery.includes(UNKNOWN_UTR) });

			const { error } = await context.run(
				{ ...getFromInput, options: { maxTries: 1 } },
				{ inputItems: [{ utr: LIVE_UTR }, { utr: UNKNOWN_UTR }, { utr: '00000000-0000-11ee-0000-000000000001' }] },
			);

			expect(error).toMatchObject({ message: 'Record Not Found' });
			expect(error?.context?.itemIndex).toBe(1);
		});
	});
});
