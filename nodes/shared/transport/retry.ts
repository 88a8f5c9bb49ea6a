import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { perRun } from './perRun';

/** How hard the transport tries; the node's Options set them. */
export interface RetryPolicy {
	/** Tries in all for failures other than 429, the first included: 1 sends once. */
	maxTries: number;
	/** How long one request may take, first byte to last, in milliseconds. */
	timeoutMs: number;
	/** How long the run may spend in all waiting out 429s, in milliseconds. */
	rateLimitWaitMs: number;
}

export const MAX_TRIES_LIMIT = 10;
/** Timers overflow past 2^31 ms; a longer Timeout used to fail every request at once. */
export const MAX_TIMEOUT_SECONDS = 600;
export const MAX_RATE_LIMIT_WAIT_SECONDS = 3600;
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxTries: 3,
	timeoutMs: 30_000,
	rateLimitWaitMs: 300_000,
};

const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 8_000;
/** A 429 without Retry-After: pauses grow from this, up to the cap. */
const RATE_LIMIT_BACKOFF_BASE_MS = 1_000;
const RATE_LIMIT_BACKOFF_CAP_MS = 30_000;

function numberIn(value: unknown, min: number, max: number): number | undefined {
	const number = Number(value);
	return number >= min ? Math.min(number, max) : undefined;
}

/** The node's Options (all optional, possibly from expressions) as a policy; out-of-range values fall back or clamp. */
export function retryPolicyFrom(options: IDataObject): RetryPolicy {
	const maxTries = numberIn(options.maxTries, 1, MAX_TRIES_LIMIT);
	const timeoutSeconds = numberIn(options.timeout, 0.001, MAX_TIMEOUT_SECONDS);
	const rateLimitWaitSeconds = numberIn(options.rateLimitWait, 0, MAX_RATE_LIMIT_WAIT_SECONDS);
	return {
		maxTries: maxTries === undefined ? DEFAULT_RETRY_POLICY.maxTries : Math.floor(maxTries),
		timeoutMs:
			timeoutSeconds === undefined ? DEFAULT_RETRY_POLICY.timeoutMs : timeoutSeconds * 1000,
		rateLimitWaitMs:
			rateLimitWaitSeconds === undefined
				? DEFAULT_RETRY_POLICY.rateLimitWaitMs
				: rateLimitWaitSeconds * 1000,
	};
}

/** Exponential, with jitter so that requests slowed together do not come back together. */
function jittered(base: number, cap: number, attempt: number): number {
	const ceiling = Math.min(cap, base * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

export function backoffMs(attempt: number): number {
	return jittered(BACKOFF_BASE_MS, BACKOFF_CAP_MS, attempt);
}

export function rateLimitBackoffMs(refusals: number): number {
	return jittered(RATE_LIMIT_BACKOFF_BASE_MS, RATE_LIMIT_BACKOFF_CAP_MS, refusals);
}

function firstValue(header: unknown): string | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/**
 * Retry-After in milliseconds: delta-seconds (fractions read too), or an HTTP date measured against the answer's own
 * Date header (the server's clock), falling back to the local clock only when the answer has no readable Date.
 * Undefined when absent or unreadable: "-1" or "5, 10" are no dates, although Date.parse reads them as dates of 2001.
 */
export function retryAfterMs(
	retryAfter: unknown,
	date: unknown,
	localNow = Date.now(),
): number | undefined {
	const value = firstValue(retryAfter);
	if (value === undefined) return undefined;
	if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
	// Every HTTP date form starts with the day's name.
	if (!/^[a-z]/i.test(value)) return undefined;
	const retryAt = Date.parse(value);
	if (Number.isNaN(retryAt)) return undefined;
	const serverDate = firstValue(date);
	const serverNow = serverDate === undefined ? NaN : Date.parse(serverDate);
	return Math.max(0, retryAt - (Number.isNaN(serverNow) ? localNow : serverNow));
}

/** Waits `ms`; false when the run was stopped (Stop in the editor, the execution cancelled) before, which ends it at once. */
export async function pause(ms: number, stop: AbortSignal | undefined): Promise<boolean> {
	if (stop?.aborted) return false;
	if (ms < 1) return true;
	try {
		await sleep(ms, stop);
	} catch {
		return false;
	}
	// n8n versions whose sleep takes no signal wait the whole time: the stop is still honoured from here on.
	return !stop?.aborted;
}

/**
 * A 429 slows every request of the same node run, not only the one that saw it: the first to hear it sets when
 * the API may be asked again, and every request waits for that moment before it goes out. What the run has
 * waited in all is bounded by the policy's rate-limit wait.
 */
export class RateLimitGate {
	private resumeAt = 0;

	private waitedMs = 0;

	/** Holds the run back `waitMs` from now; false, holding nothing, when that would exceed the run's budget. */
	holdBack(waitMs: number, budgetMs: number, now = Date.now()): boolean {
		const extension = Math.max(0, now + waitMs - Math.max(this.resumeAt, now));
		if (this.waitedMs + extension > budgetMs) return false;
		this.waitedMs += extension;
		this.resumeAt = Math.max(this.resumeAt, now + waitMs);
		return true;
	}

	/** False when the run was stopped while it waited. */
	async waitUntilOpen(stop: AbortSignal | undefined): Promise<boolean> {
		while (this.resumeAt > Date.now()) {
			if (!(await pause(this.resumeAt - Date.now(), stop))) return false;
		}
		return !stop?.aborted;
	}

	get budgetUsedMs(): number {
		return this.waitedMs;
	}

	/** When the run may send again (in the past when it may now). */
	get resumesAt(): number {
		return this.resumeAt;
	}
}

const gateByRun = new WeakMap<object, RateLimitGate>();

export function rateLimitGateOf(run: object): RateLimitGate {
	return perRun(gateByRun, run, () => new RateLimitGate());
}
