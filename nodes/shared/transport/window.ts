import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * How many items of one node run have a request in flight or about to go, shared by the run's items: the router
 * holds one of its slots for each item from before its first request until its output or error is settled, so an
 * item that fails stops the run before a slot it frees goes to another. A fixed window (Batching → Items Per Batch
 * set) keeps its size. An adaptive one starts small and, as TCP does, doubles each round trip until the first sign
 * of congestion (slow start), then widens by one each round trip while answers keep their latency and no 429 comes,
 * and halves on a 429 or a clear rise in latency (additive increase, multiplicative decrease), within its cap.
 */
export class RequestWindow {
	/** Slots taken by items not yet settled. */
	private held = 0;

	private readonly waiting: Array<() => void> = [];

	private size: number;

	/** The shortest round trip seen: the latency of the API when nothing queues. */
	private baselineMs?: number;

	/** Round trips, smoothed, so that one slow answer is not taken for a trend. */
	private smoothedMs?: number;

	/** Answers since the size last changed. */
	private answeredSinceChange = 0;

	/** How many answers the round in progress holds. */
	private roundLength: number;

	private lastChange?: 'narrowed' | 'widened';

	/** Until the first 429 or rise in latency, the window doubles a round trip instead of growing by one. */
	private slowStart = true;

	/** Set when an item failed without Continue On Fail: an item that has sent nothing sends nothing after it. */
	private closedByFailure = false;

	/** Items that have sent a request: after a failure they finish what they began (a read-back, a lookup). */
	private readonly itemsSending = new Set<number>();

	constructor(
		private readonly cap: number,
		readonly adaptive: boolean,
	) {
		this.size = adaptive ? Math.min(INITIAL_SIZE, cap) : cap;
		this.roundLength = this.size;
	}

	get current(): number {
		return this.size;
	}

	/**
	 * Whether a request of the item may go out now: false once the window is closed, unless the item has sent a
	 * request before (its create's read-back or lost-answer lookup must go on).
	 */
	maySend(itemIndex: number | undefined): boolean {
		if (itemIndex === undefined) return true;
		if (this.closedByFailure && !this.itemsSending.has(itemIndex)) return false;
		this.itemsSending.add(itemIndex);
		return true;
	}

	close(): void {
		this.closedByFailure = true;
	}

	/** Waits until an item may take a slot; false, taking nothing, when the run was stopped meanwhile. */
	async acquire(stop: AbortSignal | undefined): Promise<boolean> {
		while (this.held >= this.size) {
			if (stop?.aborted) return false;
			await new Promise<void>((resume) => {
				// Taken off again once resumed: the execution's one signal would otherwise keep a listener per wait.
				const onStop = () => resume();
				this.waiting.push(() => {
					stop?.removeEventListener('abort', onStop);
					resume();
				});
				stop?.addEventListener('abort', onStop, { once: true });
			});
		}
		if (stop?.aborted) return false;
		this.held++;
		return true;
	}

	/** An item that acquired the window is settled. */
	release(): void {
		this.held--;
		this.wake();
	}

	/** A request of the run is over: `roundTripMs` of an answer, or undefined when none came. */
	observe(answer: { roundTripMs?: number; rateLimited: boolean }): void {
		if (!this.adaptive) return;
		this.adapt(answer);
		this.wake();
	}

	private adapt({
		roundTripMs,
		rateLimited,
	}: {
		roundTripMs?: number;
		rateLimited: boolean;
	}): void {
		const roundOver = ++this.answeredSinceChange >= this.roundLength;
		if (roundTripMs !== undefined) {
			this.baselineMs = Math.min(this.baselineMs ?? Infinity, roundTripMs);
			this.smoothedMs =
				this.smoothedMs === undefined ? roundTripMs : this.smoothedMs * 0.8 + roundTripMs * 0.2;
		}
		const congested =
			rateLimited ||
			(this.smoothedMs !== undefined &&
				this.baselineMs !== undefined &&
				this.smoothedMs > this.baselineMs * LATENCY_RISE_FACTOR + LATENCY_RISE_SLACK_MS);
		if (congested) {
			// One halving a round trip: the answers of requests sent before it come in after it.
			if (this.lastChange === 'narrowed' && !roundOver) return;
			this.slowStart = false;
			this.resize(Math.max(1, Math.floor(this.size / 2)), 'narrowed');
			this.smoothedMs = this.baselineMs;
		} else if (roundOver && roundTripMs !== undefined && this.size < this.cap) {
			this.resize(Math.min(this.cap, this.slowStart ? this.size * 2 : this.size + 1), 'widened');
		}
	}

	private resize(size: number, change: 'narrowed' | 'widened'): void {
		// After a halving, the requests still in flight were sent at the old size: a round at the new one follows them.
		this.roundLength = change === 'narrowed' ? this.size + size : size;
		this.size = size;
		this.answeredSinceChange = 0;
		this.lastChange = change;
	}

	private wake(): void {
		for (let free = this.size - this.held; free > 0 && this.waiting.length > 0; free--)
			this.waiting.shift()?.();
	}
}

/** Requests in flight an adaptive window starts with. */
const INITIAL_SIZE = 2;
/** A smoothed round trip this many times the baseline, plus the slack, is a clear rise in latency. */
const LATENCY_RISE_FACTOR = 2;
const LATENCY_RISE_SLACK_MS = 20;

const windowByRun = new WeakMap<object, RequestWindow>();

export function limitRequests(run: object, window: RequestWindow): void {
	windowByRun.set(run, window);
}

export function windowOf(run: object): RequestWindow | undefined {
	return windowByRun.get(run);
}

/** The error of an item whose first request was held back because the run had stopped: nothing was sent for it. */
export function notSent(node: INode, itemIndex: number | undefined): NodeOperationError {
	const error = new NodeOperationError(node, 'Not sent: the node stopped at an earlier failure', {
		itemIndex,
		description:
			'This item was waiting for its turn when another item failed; nothing was sent for it.',
	});
	error.context.notSent = true;
	return error;
}

export function wasNotSent(error: unknown): boolean {
	return error instanceof NodeOperationError && error.context.notSent === true;
}
