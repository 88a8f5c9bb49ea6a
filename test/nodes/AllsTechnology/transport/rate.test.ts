import { RateLearner } from '../../../../nodes/AllsTechnology/transport/rate';

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

	it('learns the bucket from two cycles at two rates, and sends a little below its rate', () => {
		// A bucket of 5 refilled at 20 a second: 25 a second gets 25 through in 1 s, 22.5 a second 45 in 2 s.
		const learner = new RateLearner(0);
		const refusedAt = sendThrough(learner, 0, 10, 50);
		learner.refused(refusedAt, 2000);
		const cycle = (start: number, seconds: number, through: number) => {
			for (let index = 0; index < through; index++) learner.succeeded(start + (index * seconds * 1000) / through);
			learner.refused(start + seconds * 1000, start + seconds * 1000 + 1000);
		};
		cycle(2000, 1, 25);
		cycle(4000, 2, 45);

		expect(1000 / learner.spacingMs).toBeCloseTo(20 * 0.96, 1);
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
		// One cycle is not enough to learn from: the rate only drops.
		expect(1000 / learner.spacingMs).toBeCloseTo(rate * 0.8, 5);
	});
});
