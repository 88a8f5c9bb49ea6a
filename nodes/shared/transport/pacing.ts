/**
 * Requests of one node run leave evenly spaced, not in bursts: with N requests in flight (the run's window), each
 * leaves no sooner than an N-th of the shortest round trip seen after the one before. N answers
 * arriving together would queue behind each other in n8n's one thread, and the N requests after them would
 * leave together again, every round. Runs the router does not pace (with a Batch Interval, whose batches go out
 * whole; dropdowns; the trigger) send at once.
 */
export class Pacing {
	/** When the last request of the run left, or is due to leave. */
	private lastTurnAt = 0;

	private shortestRoundTripMs?: number;

	/**
	 * How long a request that is ready at `now`, with `inFlight` allowed at once, waits for its turn, turns being at
	 * least `leastSpacingMs` apart (a rate limit's); takes the turn.
	 */
	takeTurn(now: number, inFlight: number, leastSpacingMs = 0): number {
		const spacing = Math.max((this.shortestRoundTripMs ?? 0) / inFlight, leastSpacingMs);
		const turn = Math.max(now, this.lastTurnAt + spacing);
		this.lastTurnAt = turn;
		return turn - now;
	}

	recordRoundTrip(ms: number): void {
		this.shortestRoundTripMs = Math.min(this.shortestRoundTripMs ?? Infinity, ms);
	}
}

const pacingByRun = new WeakMap<object, Pacing>();

export function paceRequests(run: object): void {
	pacingByRun.set(run, new Pacing());
}

export function pacingOf(run: object): Pacing | undefined {
	return pacingByRun.get(run);
}
