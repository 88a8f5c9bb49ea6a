import { RateLearner } from '../../../../nodes/shared/transport/rate';

/** Sends `count` requests `1000 / rate` ms apart from `from`, all answered; returns when the last one left. */
function sendThrough(learner: RateLearner, from: number, count: number, rate: number): number {
	let at = from;
	for (let index = 0; index < count; index++, at += 1000 / rate) {
		learner.sent(at);
		learner.succeeded(at);
	}
	return at;
}

describe('RateLearner', () => {
	it('spaces nothing until a 429 comes', () => {
		const learner = new RateLearner(0);
		sendThrough(learner, 0, 50, 100);

		expect(learner.spacingMs).toBe(0);
	});

	it('after the first 429, sends at half the rate it was sending at', () => {
		const learner = new RateLearner(0);
		const refusedAt = sendThrough(learner, 0, 10, 50);
		learner.refused(refusedAt, refusedAt + 1000);

		expect(1000 / learner.spacingMs).toBeCloseTo(25, 0);
	});

	it('after the first 429, sends at half the rate its start got through when that is lower than what it sent', () => {
		// 20 sent at 100 a second, 5 of them through before a refusal at 200 ms: 25 a second got through.
		const learner = new RateLearner(0);
		for (let index = 0; index < 20; index++) learner.sent(index * 10);
		for (let index = 0; index < 5; index++) learner.succeeded(index * 10);
		learner.refused(200, 1200);

		expect(1000 / learner.spacingMs).toBeCloseTo(12.5, 5);
	});

	describe('a bucket of 5 refilled at 20 a second', () => {
		/** Records `through` answers spread over `seconds` from `start`, and a refusal at its end, resuming 1 s later. */
		const cycle = (learner: RateLearner, start: number, seconds: number, through: number) => {
			for (let index = 0; index < through; index++)
				learner.succeeded(start + (index * seconds * 1000) / through);
			const refusedAt = start + seconds * 1000;
			learner.refused(refusedAt, refusedAt + 1000);
			return refusedAt + 1000;
		};
		/** The run's start at 45 a second: 9 through in 0.2 s, then half that rate: 45 through in 2 s. */
		const learnt = () => {
			const learner = new RateLearner(0);
			const refusedAt = sendThrough(learner, 0, 9, 45);
			learner.refused(refusedAt, refusedAt + 1000);
			return { learner, resumedAt: cycle(learner, refusedAt + 1000, 2, 45) };
		};

		it("learns it from the run's start and one cycle, and sends a little above its rate", () => {
			expect(1000 / learnt().learner.spacingMs).toBeCloseTo(20 * 1.03, 5);
		});

		it('after a long cycle ends in a refusal, sends a little below the rate that cycle measured', () => {
			const { learner, resumedAt } = learnt();
			// 8 s at 20.6 a second: the bucket's 5 and 20 a second for 8 s came through.
			cycle(learner, resumedAt, 8, 165);

			expect(1000 / learner.spacingMs).toBeCloseTo(20 * 0.97, 5);
		});
	});

	it('counts refusals of requests sent before a pause into that pause, not as a new cycle', () => {
		const learner = new RateLearner(0);
		learner.refused(sendThrough(learner, 0, 6, 50), 1100);
		const rate = 1000 / learner.spacingMs;
		learner.refused(120, 1150);
		learner.refused(130, 1180);

		expect(1000 / learner.spacingMs).toBe(rate);
		// The cycle starts when the last of those pauses ends: an answer sent before it is not counted in it.
		learner.succeeded(1160);
		learner.refused(2180, 3180);
		// A cycle that does not fit a bucket with the run's start teaches nothing: the rate only drops.
		expect(1000 / learner.spacingMs).toBeCloseTo(rate * 0.8, 5);
	});
});
