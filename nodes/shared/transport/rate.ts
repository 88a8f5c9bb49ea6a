import { perRun } from './perRun';

/**
 * The rate the API allows, learnt from its 429s, so that a rate-limited run spaces its requests instead of being
 * refused again and again (each refusal holds the whole run back for its Retry-After). A rate limit is read as a
 * bucket of `burst` requests refilled at `R` a second: a run sending `g` a second after a pause (which refills the
 * bucket) is refused after `T` seconds, having had `S = burst + R·T` requests through. The run's start is the first
 * such cycle; the run then sends at half the rate that cycle got through, and its next cycle gives `R` and `burst`
 * (more cycles when the two cannot be told apart). Two short cycles can be a few percent off either way: the run sends
 * a little above the `R` they give, so that the next refusal ends a long cycle, whose count measures `R` to about a
 * percent; from then on it sends a little below the `R` measured, creeping up while nothing is refused in case the
 * limit was raised.
 */
export class RateLearner {
	private phase: 'free' | 'probing' | 'steady' = 'free';

	/** Requests a second the run may start; undefined while no 429 came. */
	private rate?: number;

	private readonly cycles: Cycle[] = [];

	private burst = 0;

	/** When the current cycle began: the run's start, or the end of the last pause a 429 asked for. */
	private cycleStart: number;

	private cycleSuccesses = 0;

	private readonly sentAt: number[] = [];

	constructor(now = Date.now()) {
		this.cycleStart = now;
	}

	/** The least time between two request starts, in milliseconds; 0 while no rate limit was met. */
	get spacingMs(): number {
		return this.rate === undefined ? 0 : 1000 / this.rate;
	}

	sent(at: number): void {
		this.sentAt.push(at);
		while (this.sentAt.length > 0 && this.sentAt[0] < at - RECENT_MS) this.sentAt.shift();
	}

	succeeded(sentAt: number): void {
		if (sentAt < this.cycleStart) return;
		this.cycleSuccesses++;
		if (this.rate !== undefined)
			this.rate *= this.phase === 'steady' ? STEADY_CREEP : PROBING_CREEP;
	}

	/** A request sent at `sentAt` was refused with 429; the run resumes at `resumeAt`, its bucket full again. */
	refused(sentAt: number, resumeAt: number): void {
		// Refusals of requests sent before the last pause belong to the cycle it ended; each one lengthens that pause.
		if (sentAt < this.cycleStart) {
			this.cycleStart = Math.max(this.cycleStart, resumeAt);
			return;
		}
		const cycle = {
			successes: this.cycleSuccesses,
			seconds: Math.max(0.001, (sentAt - this.cycleStart) / 1000),
		};
		this.cycleStart = resumeAt;
		this.cycleSuccesses = 0;
		if (this.rate === undefined) {
			this.cycles.push(cycle);
			this.phase = 'probing';
			this.rate = Math.max(
				MIN_RATE,
				Math.min(this.recentRate(sentAt), cycle.successes / cycle.seconds) / 2,
			);
			return;
		}
		if (this.phase === 'steady') {
			const allowed = (cycle.successes - this.burst) / cycle.seconds;
			this.rate = Math.max(
				MIN_RATE,
				allowed > 0 ? Math.min(this.rate, allowed * MARGIN) : this.rate * STEADY_DECREASE,
			);
			return;
		}
		this.cycles.push(cycle);
		const solved =
			this.cycles.length >= 2 ? solve(this.cycles[this.cycles.length - 2], cycle) : undefined;
		if (solved && solved.rate < this.rate * 2) {
			this.burst = solved.burst;
			this.rate = Math.max(MIN_RATE, solved.rate * SOLVED_RATE_FACTOR);
			this.phase = 'steady';
		} else {
			this.rate = Math.max(MIN_RATE, this.rate * PROBING_DECREASE);
		}
	}

	/** Requests sent a second over the last moments. */
	private recentRate(now: number): number {
		const first = this.sentAt[0] ?? now;
		return this.sentAt.length / Math.max(0.05, (now - first) / 1000);
	}
}

interface Cycle {
	successes: number;
	seconds: number;
}

/** `burst + rate·seconds = successes` for two cycles; undefined when they cannot tell the two apart. */
function solve(a: Cycle, b: Cycle): { rate: number; burst: number } | undefined {
	if (Math.abs(a.seconds - b.seconds) < 0.05) return undefined;
	const rate = (a.successes - b.successes) / (a.seconds - b.seconds);
	const burst = a.successes - rate * a.seconds;
	return rate > 0 && burst >= 0 ? { rate, burst } : undefined;
}

const RECENT_MS = 1000;
const MIN_RATE = 0.5;
/** How far below the rate a long cycle measured the run sends, for the jitter of the network. */
const MARGIN = 0.97;
/** How far above the rate two short cycles gave the run sends, to end its next cycle with a refusal. */
const SOLVED_RATE_FACTOR = 1.03;
const PROBING_DECREASE = 0.8;
const STEADY_DECREASE = 0.9;
/** Growth of the rate with each answer that came through: quick while probing, slow once the limit is known. */
const PROBING_CREEP = 1.003;
const STEADY_CREEP = 1.0002;

const learnerByRun = new WeakMap<object, RateLearner>();

export function rateLearnerOf(run: object): RateLearner {
	return perRun(learnerByRun, run, () => new RateLearner());
}
