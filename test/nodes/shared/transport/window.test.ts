import { getEventListeners } from 'node:events';
import { RequestWindow } from '../../../../nodes/shared/transport/window';

/** Runs `count` items through the window, each taking a slot, having its one answer, and giving the slot back. */
async function answer(
	window: RequestWindow,
	count: number,
	outcome: { roundTripMs?: number; rateLimited: boolean },
) {
	for (let index = 0; index < count; index++) {
		await window.acquire(undefined);
		window.observe(outcome);
		window.release();
	}
}

const fast = { roundTripMs: 40, rateLimited: false };

describe('RequestWindow', () => {
	it('keeps a fixed size whatever the answers say', async () => {
		const window = new RequestWindow(5, false);
		await answer(window, 20, fast);
		await answer(window, 5, { roundTripMs: 40, rateLimited: true });

		expect(window.current).toBe(5);
	});

	it('starts at 2 and doubles each round trip until the first sign of congestion, up to its cap', async () => {
		const window = new RequestWindow(10, true);
		const sizes = [window.current];
		for (let round = 0; round < 5; round++) {
			await answer(window, window.current, fast);
			sizes.push(window.current);
		}

		expect(sizes).toEqual([2, 4, 8, 10, 10, 10]);
	});

	it('after its first halving, widens by one each round trip while latency holds', async () => {
		const window = new RequestWindow(20, true);
		for (let round = 0; round < 3; round++) await answer(window, window.current, fast);
		expect(window.current).toBe(16);
		await answer(window, 1, { roundTripMs: 40, rateLimited: true });
		expect(window.current).toBe(8);
		// The halving's round holds the 15 answers still due at the old size and a round of 8 after it.
		await answer(window, 22, fast);
		expect(window.current).toBe(8);

		const sizes = [];
		for (let round = 0; round < 4; round++) {
			await answer(window, window.current, fast);
			sizes.push(window.current);
		}
		expect(sizes).toEqual([9, 10, 11, 12]);
	});

	it('halves on a 429, once for the answers of one round', async () => {
		const window = new RequestWindow(10, true);
		for (let round = 0; round < 2; round++) await answer(window, window.current, fast);
		expect(window.current).toBe(8);

		// A round of 429s: the first halves the window, the others of its round do not.
		await answer(window, 8, { roundTripMs: 40, rateLimited: true });
		expect(window.current).toBe(4);
		// The next halving waits for the eight sent before this one and a round of four after it.
		await answer(window, 4, { roundTripMs: 40, rateLimited: true });
		expect(window.current).toBe(4);
		await answer(window, 1, { roundTripMs: 40, rateLimited: true });
		expect(window.current).toBe(2);
		await answer(window, 5, { roundTripMs: 40, rateLimited: true });
		expect(window.current).toBe(2);
		await answer(window, 1, { roundTripMs: 40, rateLimited: true });
		expect(window.current).toBe(1);
	});

	it('halves on a 429 right after widening: a widening does not hold a halving back', async () => {
		const window = new RequestWindow(10, true);
		for (let round = 0; round < 2; round++) await answer(window, window.current, fast);
		await answer(window, 1, fast);

		await answer(window, 1, { roundTripMs: 40, rateLimited: true });
		expect(window.current).toBe(4);
	});

	it('halves on a clear rise in latency, not on one slow answer', async () => {
		const window = new RequestWindow(10, true);
		for (let round = 0; round < 2; round++) await answer(window, window.current, fast);
		expect(window.current).toBe(8);

		await answer(window, 1, { roundTripMs: 200, rateLimited: false });
		await answer(window, 7, fast);
		expect(window.current).toBe(10);

		await answer(window, 10, { roundTripMs: 400, rateLimited: false });
		expect(window.current).toBe(5);
	});

	it('never goes below one', async () => {
		const window = new RequestWindow(10, true);
		for (let round = 0; round < 5; round++)
			await answer(window, 2, { roundTripMs: 40, rateLimited: true });

		expect(window.current).toBe(1);
	});

	it('holds a request back until one in flight is over', async () => {
		const window = new RequestWindow(1, false);
		await window.acquire(undefined);
		let second = false;
		const waiting = window.acquire(undefined).then(() => (second = true));
		await Promise.resolve();
		expect(second).toBe(false);

		window.release();
		await waiting;
		expect(second).toBe(true);
	});

	it('lets a waiting request go when the run is stopped, taking nothing', async () => {
		const window = new RequestWindow(1, false);
		const stop = new AbortController();
		await window.acquire(undefined);
		const waiting = window.acquire(stop.signal);
		stop.abort();

		await expect(waiting).resolves.toBe(false);
	});

	it("leaves no listener on the execution's cancel signal once its waits are over", async () => {
		const window = new RequestWindow(1, false);
		const stop = new AbortController();
		await window.acquire(stop.signal);
		const waits = Array.from({ length: 20 }, () => window.acquire(stop.signal));
		for (let turn = 0; turn < 20; turn++) window.release();

		await expect(Promise.all(waits)).resolves.toEqual(new Array(20).fill(true));
		expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
	});
	it('once closed by a failure, lets only the items that had sent a request send again', () => {
		const window = new RequestWindow(10, true);
		expect(window.maySend(0)).toBe(true);
		window.close();

		expect(window.maySend(0)).toBe(true);
		expect(window.maySend(1)).toBe(false);
		expect(window.maySend(undefined)).toBe(true);
	});
});
