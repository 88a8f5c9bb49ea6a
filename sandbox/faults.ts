/**
 * Fault injection of the sandbox: which of `sandbox.faults` fire for a request, and the answers they give.
 * The rules are choice 19 in sandbox/README.md; the types are exported from server.ts.
 */
import { FAULT_ROUTE, matchesRoute } from './route';
import type { Fault, FaultKind, RecordedRequest } from './server';

export const FAULT_KINDS: readonly FaultKind[] = [
	'latency',
	'rateLimit',
	'serverError',
	'badGatewayHtml',
	'dropConnection',
	'malformedJson',
	'slowBody',
	'redirect',
	'echoKeys',
	'trickle',
	'fixedBody',
	'hugeBody',
	'tokenBucket',
];

/** The statuses a redirect fault may answer. */
export const REDIRECT_STATUSES: readonly number[] = [301, 302, 303, 307, 308];

/** nginx's own 502 page (ngx_http_special_response.c: CRLF line ends, the server name in the footer). */
const NGINX_502_PAGE =
	'<html>\r\n' +
	'<head><title>502 Bad Gateway</title></head>\r\n' +
	'<body>\r\n' +
	'<center><h1>502 Bad Gateway</h1></center>\r\n' +
	'<hr><center>nginx</center>\r\n' +
	'</body>\r\n' +
	'</html>\r\n';

/** What each fault answers, and its defaults. */
export const FAULT_ANSWERS = {
	defaultLatencyMs: 40,
	defaultSlowBodyMs: 200,
	/** slowBody writes one chunk about every this many milliseconds (at least one chunk, at most one per byte). */
	slowBodyChunkEveryMs: 20,
	/** Laravel's throttle middleware wording, in the API's failed envelope. */
	rateLimit: { status: 429, body: { status: 'failed', errors: 'Too Many Attempts.' } },
	/** Laravel's answer to an uncaught exception with APP_DEBUG off. */
	serverError: { status: 500, body: { message: 'Server Error' } },
	/** nginx in front of a PHP-FPM that is down. */
	badGatewayHtml: { status: 502, contentType: 'text/html', server: 'nginx', html: NGINX_502_PAGE },
	/** A success envelope cut short; Content-Length matches these bytes, so the HTTP message itself is whole. */
	malformedJson: { status: 200, text: '{"status":"success","message":{"au' },
	defaultRedirectStatus: 302,
	/** echoKeys: `errors` is this followed by the SecretKey header as received ('' without one). */
	echoKeysErrorPrefix: 'Invalid secret key ',
	defaultTrickleMsPerByte: 50,
	defaultFixedBodyStatus: 200,
	/** hugeBody: about 8 MiB unless `bytes` says otherwise. */
	defaultHugeBodyBytes: 8 * 1024 * 1024,
	defaultTokenBucket: { ratePerSecond: 20, burst: 5 },
} as const;

/** What the sandbox does to one request. */
export interface FaultPlan {
	/** The answer-changing fault that fired (the first in the array among those due), if any. */
	fault: Fault | undefined;
	/** True when at least one latency fault fired. */
	latencyFired: boolean;
	/** The sum of the `ms` of the latency faults that fired. */
	latencyMs: number;
	/** The `until` promises of the latency faults that fired: the answer waits for them after `latencyMs`. */
	until: Promise<unknown>[];
	/** tokenBucket that fired: whole seconds (at least 1) until its bucket has a token again. */
	retryAfterSeconds: number | undefined;
}

/** What a fault has counted since it was put in `faults`. */
export interface FaultCount {
	/** Matching requests seen since the fault was first seen in `faults`. */
	seen: number;
	/** Times the fault was injected (for tokenBucket: 429s sent). */
	injected: number;
}

interface Counter extends FaultCount {
	/** tokenBucket: tokens left at `refilledAt` (performance.now()); the bucket starts full. */
	tokens: number;
	refilledAt: number;
}

/** Header values Node's http module accepts (its checkInvalidHeaderChar). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

function describe(value: unknown): string {
	return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Throws an Error naming the fault and the bad setting. */
export function validateFault(fault: Fault, index: number): void {
	if (fault === null || typeof fault !== 'object')
		throw new Error(`fault #${index} is not an object`);
	const name = `fault #${index} (${String(fault.kind)})`;
	if (!FAULT_KINDS.includes(fault.kind)) {
		throw new Error(`${name}: kind must be one of ${FAULT_KINDS.join(', ')}`);
	}
	if (fault.every !== undefined && !(Number.isInteger(fault.every) && fault.every >= 1)) {
		throw new Error(`${name}: every must be a positive integer, not ${describe(fault.every)}`);
	}
	if (fault.times !== undefined && !(Number.isInteger(fault.times) && fault.times >= 0)) {
		throw new Error(`${name}: times must be an integer from 0, not ${describe(fault.times)}`);
	}
	if (
		fault.ms !== undefined &&
		!(typeof fault.ms === 'number' && Number.isFinite(fault.ms) && fault.ms >= 0)
	) {
		throw new Error(`${name}: ms must be a finite number from 0, not ${describe(fault.ms)}`);
	}
	if (fault.until !== undefined && !(fault.until instanceof Promise)) {
		throw new Error(`${name}: until must be a promise`);
	}
	if (fault.match !== undefined && typeof fault.match !== 'function') {
		throw new Error(`${name}: match must be a function`);
	}
	if (fault.afterApplying !== undefined && typeof fault.afterApplying !== 'boolean') {
		throw new Error(`${name}: afterApplying must be a boolean`);
	}
	if (
		fault.retryAfter !== undefined &&
		!(typeof fault.retryAfter === 'string' && HEADER_VALUE.test(fault.retryAfter))
	) {
		throw new Error(
			`${name}: retryAfter must be a string that is a valid header value, not ${describe(fault.retryAfter)}`,
		);
	}
	if (
		fault.route !== undefined &&
		!(typeof fault.route === 'string' && FAULT_ROUTE.test(fault.route))
	) {
		throw new Error(
			`${name}: route must be 'METHOD route/key' or 'route/key' (e.g. 'POST automations/create'), not ${describe(fault.route)}`,
		);
	}
	const isFiniteNumber = (value: unknown): value is number =>
		typeof value === 'number' && Number.isFinite(value);
	if (fault.retryAfterDateSeconds !== undefined) {
		if (!(Number.isInteger(fault.retryAfterDateSeconds) && fault.retryAfterDateSeconds >= 0)) {
			throw new Error(
				`${name}: retryAfterDateSeconds must be an integer from 0, not ${describe(fault.retryAfterDateSeconds)}`,
			);
		}
		if (fault.retryAfter !== undefined)
			throw new Error(`${name}: give retryAfter or retryAfterDateSeconds, not both`);
	}
	if (fault.clockSkewSeconds !== undefined && !Number.isInteger(fault.clockSkewSeconds)) {
		throw new Error(
			`${name}: clockSkewSeconds must be an integer, not ${describe(fault.clockSkewSeconds)}`,
		);
	}
	if (fault.status !== undefined) {
		const allowed =
			fault.kind === 'redirect'
				? REDIRECT_STATUSES.includes(fault.status)
				: Number.isInteger(fault.status) && fault.status >= 200 && fault.status <= 599;
		if (!allowed) {
			const expected =
				fault.kind === 'redirect'
					? `one of ${REDIRECT_STATUSES.join(', ')}`
					: 'an integer from 200 to 599';
			throw new Error(`${name}: status must be ${expected}, not ${describe(fault.status)}`);
		}
	}
	if (
		fault.kind === 'redirect' &&
		!(
			typeof fault.location === 'string' &&
			HEADER_VALUE.test(fault.location) &&
			/^https?:\/\/[^/?#]+/i.test(fault.location)
		)
	) {
		throw new Error(
			`${name}: location must be a full http(s) URL, not ${describe(fault.location)}`,
		);
	}
	if (fault.echoHeaders !== undefined && typeof fault.echoHeaders !== 'boolean') {
		throw new Error(`${name}: echoHeaders must be a boolean`);
	}
	if (fault.headers !== undefined) {
		const entries =
			fault.headers !== null && typeof fault.headers === 'object'
				? Object.entries(fault.headers)
				: undefined;
		const valid = entries?.every(
			([header, value]) =>
				/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header) &&
				typeof value === 'string' &&
				HEADER_VALUE.test(value),
		);
		if (valid !== true)
			throw new Error(
				`${name}: headers must map header names to strings that are valid header values`,
			);
	}
	if (fault.kind === 'fixedBody' && fault.body === undefined) {
		throw new Error(`${name}: body is required (a string sent as is, or a value sent as JSON)`);
	}
	if (fault.bytes !== undefined && !(Number.isInteger(fault.bytes) && fault.bytes >= 1)) {
		throw new Error(`${name}: bytes must be a positive integer, not ${describe(fault.bytes)}`);
	}
	if (
		fault.ratePerSecond !== undefined &&
		!(isFiniteNumber(fault.ratePerSecond) && fault.ratePerSecond > 0)
	) {
		throw new Error(
			`${name}: ratePerSecond must be a finite number above 0, not ${describe(fault.ratePerSecond)}`,
		);
	}
	if (fault.burst !== undefined && !(Number.isInteger(fault.burst) && fault.burst >= 1)) {
		throw new Error(`${name}: burst must be a positive integer, not ${describe(fault.burst)}`);
	}
}

/** The counters of the faults, keyed by the Fault objects themselves. */
export class FaultCounters {
	private readonly counters = new Map<Fault, Counter>();

	clear(): void {
		this.counters.clear();
	}

	/** What `fault` has counted, or undefined when it has seen no request since it was put in `faults`. */
	count(fault: Fault): FaultCount | undefined {
		const counter = this.counters.get(fault);
		return counter === undefined ? undefined : { seen: counter.seen, injected: counter.injected };
	}

	/**
	 * Decides what happens to `request` (its method, path, query, headers and fields known): every fault
	 * whose `match` passes counts it; a fault is due on every `every`-th request it counts, while it has been
	 * injected fewer than `times` times. All latency faults that are due fire; of the other faults, the
	 * first due one in the array fires, and the later due ones do not (nor do they use up one of their `times`).
	 * A due tokenBucket fault that no earlier fault pre-empted takes a token and does not fire, or fires
	 * when its bucket is empty.
	 * Throws when a fault is invalid or a `match` throws.
	 */
	plan(faults: readonly Fault[], request: RecordedRequest): FaultPlan {
		if (!Array.isArray(faults)) throw new Error('sandbox.faults must be an array');
		const list = [...new Set(faults)];
		list.forEach(validateFault);
		for (const fault of [...this.counters.keys()]) {
			if (!list.includes(fault)) this.counters.delete(fault);
		}
		const plan: FaultPlan = {
			fault: undefined,
			latencyFired: false,
			latencyMs: 0,
			until: [],
			retryAfterSeconds: undefined,
		};
		for (const fault of list) {
			if (fault.route !== undefined && !matchesRoute(fault.route, request.method, request.path))
				continue;
			if (fault.match !== undefined && !fault.match(request)) continue;
			let counter = this.counters.get(fault);
			if (counter === undefined) {
				counter = {
					seen: 0,
					injected: 0,
					tokens: fault.burst ?? FAULT_ANSWERS.defaultTokenBucket.burst,
					refilledAt: performance.now(),
				};
				this.counters.set(fault, counter);
			}
			counter.seen += 1;
			const due =
				counter.seen % (fault.every ?? 1) === 0 &&
				(fault.times === undefined || counter.injected < fault.times);
			if (!due) continue;
			if (fault.kind === 'latency') {
				counter.injected += 1;
				plan.latencyFired = true;
				plan.latencyMs += fault.ms ?? FAULT_ANSWERS.defaultLatencyMs;
				if (fault.until !== undefined) plan.until.push(fault.until);
			} else if (fault.kind === 'tokenBucket') {
				if (plan.fault !== undefined) continue;
				const waitSeconds = takeToken(fault, counter);
				if (waitSeconds === undefined) continue;
				counter.injected += 1;
				plan.fault = fault;
				plan.retryAfterSeconds = waitSeconds;
			} else if (plan.fault === undefined) {
				counter.injected += 1;
				plan.fault = fault;
			}
		}
		return plan;
	}
}

/**
 * Refills the bucket for the time since its last refill (up to `burst` tokens), then takes a token: undefined
 * when there was one, else the whole seconds (at least 1) until the next token is due.
 */
function takeToken(fault: Fault, counter: Counter): number | undefined {
	const rate = fault.ratePerSecond ?? FAULT_ANSWERS.defaultTokenBucket.ratePerSecond;
	const burst = fault.burst ?? FAULT_ANSWERS.defaultTokenBucket.burst;
	const now = performance.now();
	counter.tokens = Math.min(burst, counter.tokens + ((now - counter.refilledAt) / 1000) * rate);
	counter.refilledAt = now;
	if (counter.tokens >= 1) {
		counter.tokens -= 1;
		return undefined;
	}
	return Math.max(1, Math.ceil((1 - counter.tokens) / rate));
}
