import { Pacing } from '../../../../nodes/shared/transport/pacing';

describe('Pacing', () => {
	it('sends at once until a round trip has been seen', () => {
		const pacing = new Pacing();

		expect([0, 0, 0, 0, 0].map((now) => pacing.takeTurn(now, 5))).toEqual([0, 0, 0, 0, 0]);
	});

	it('spaces the requests after it by an N-th of the shortest round trip', () => {
		const pacing = new Pacing();
		pacing.takeTurn(0, 4);
		pacing.recordRoundTrip(100);
		pacing.recordRoundTrip(40);

		// Four requests ready together at t = 40 leave at 40, 50, 60 and 70.
		expect([40, 40, 40, 40].map((now) => pacing.takeTurn(now, 4))).toEqual([0, 10, 20, 30]);
	});

	it('follows the window: half the spacing at twice the requests in flight', () => {
		const pacing = new Pacing();
		pacing.takeTurn(0, 2);
		pacing.recordRoundTrip(40);

		expect([0, 0, 0].map((now) => pacing.takeTurn(now, 2))).toEqual([20, 40, 60]);
		expect([80, 80, 80].map((now) => pacing.takeTurn(now, 4))).toEqual([0, 10, 20]);
	});

	it('never holds back a request that is ready after its turn', () => {
		const pacing = new Pacing();
		pacing.recordRoundTrip(40);

		expect(pacing.takeTurn(1000, 2)).toBe(0);
		expect(pacing.takeTurn(1100, 2)).toBe(0);
		expect(pacing.takeTurn(1100, 2)).toBe(20);
	});
});
