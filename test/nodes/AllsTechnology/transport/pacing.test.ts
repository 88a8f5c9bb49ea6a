import { Pacing } from '../../../../nodes/AllsTechnology/transport/pacing';

describe('Pacing', () => {
	it('sends at once until a round trip has been seen', () => {
		const pacing = new Pacing(5);

		expect([0, 0, 0, 0, 0].map((now) => pacing.takeTurn(now))).toEqual([0, 0, 0, 0, 0]);
	});

	it('spaces the requests after it by an N-th of the shortest round trip', () => {
		const pacing = new Pacing(4);
		pacing.takeTurn(0);
		pacing.recordRoundTrip(100);
		pacing.recordRoundTrip(40);

		// Four requests ready together at t = 40 leave at 40, 50, 60 and 70.
		expect([40, 40, 40, 40].map((now) => pacing.takeTurn(now))).toEqual([0, 10, 20, 30]);
	});

	it('never holds back a request that is ready after its turn', () => {
		const pacing = new Pacing(2);
		pacing.recordRoundTrip(40);

		expect(pacing.takeTurn(1000)).toBe(0);
		expect(pacing.takeTurn(1100)).toBe(0);
		expect(pacing.takeTurn(1100)).toBe(20);
	});
});
