/**
 * Fault injection of the sandbox: which of `sandbox.faults` fire for a request, and the answers they give.
 * The rules are in the header comment of server.ts (choice 19); the types are exported from server.ts.
 */
import type { Fault, FaultKind, RecordedRequest } from './server';

export const FAULT_KINDS: readonly FaultKind[] = [
	'latency',
	'rateLimit',
	'serverError',
	'badGatewayHtml',
	'dropConnection',
	'malformedJson',
	'slowBody',
];

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
} as const;

/** What the sandbox does to one request. */
export interface FaultPlan {
	/** The answer-changing fault that fired (the first in the array among those due), if any. */
	fault: Fault | undefined;
	/** True when at least one latency fault fired. */
	latencyFired: boolean;
	/** The sum of the `ms` of the latency faults that fired. */
	latencyMs: number;
}

interface Counter {
	/** Matching requests seen since the fault was first seen in `faults`. */
	seen: number;
	/** Times the fault was injected. */
	injected: number;
}

/** Header values Node's http module accepts (its checkInvalidHeaderChar). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

function describe(value: unknown): string {
	return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Throws an Error naming the fault and the bad setting. */
export function validateFault(fault: Fault, index: number): void {
	if (fault === null || typeof fault !== 'object') throw new Error(`fault #${index} is not an object`);
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
	if (fault.ms !== undefined && !(typeof fault.ms === 'number' && Number.isFinite(fault.ms) && fault.ms >= 0)) {
		throw new Error(`${name}: ms must be a finite number from 0, not ${describe(fault.ms)}`);
	}
	if (fault.match !== undefined && typeof fault.match !== 'function') {
		throw new Error(`${name}: match must be a function`);
	}
	if (fault.afterApplying !== undefined && typeof fault.afterApplying !== 'boolean') {
		throw new Error(`${name}: afterApplying must be a boolean`);
	}
	if (fault.retryAfter !== undefined && !(typeof fault.retryAfter === 'string' && HEADER_VALUE.test(fault.retryAfter))) {
		throw new Error(`${name}: retryAfter must be a string that is a valid header value, not ${describe(fault.retryAfter)}`);
	}
}

/** The counters of the faults, keyed by the Fault objects themselves. */
export class FaultCounters {
	private readonly counters = new Map<Fault, Counter>();

	clear(): void {
		this.counters.clear();
	}

	/**
	 * Decides what happens to `request` (its method, path, query, headers and fields known): every fault
	 * whose `match` passes counts it; a fault is due on every `every`-th request it counts, while it has been
	 * injected fewer than `times` times. All latency faults that are due fire; of the other faults, the
	 * first due one in the array fires, and the later due ones do not (nor do they use up one of their `times`).
	 * Throws when a fault is invalid or a `match` throws.
	 */
	plan(faults: readonly Fault[], request: RecordedRequest): FaultPlan {
		if (!Array.isArray(faults)) throw new Error('sandbox.faults must be an array');
		const list = [...new Set(faults)];
		list.forEach(validateFault);
		for (const fault of [...this.counters.keys()]) {
			if (!list.includes(fault)) this.counters.delete(fault);
		}
		const plan: FaultPlan = { fault: undefined, latencyFired: false, latencyMs: 0 };
		for (const fault of list) {
			if (fault.match !== undefined && !fault.match(request)) continue;
			let counter = this.counters.get(fault);
			if (counter === undefined) {
				counter = { seen: 0, injected: 0 };
				this.counters.set(fault, counter);
			}
			counter.seen += 1;
			const due = counter.seen % (fault.every ?? 1) === 0 && (fault.times === undefined || counter.injected < fault.times);
			if (!due) continue;
			if (fault.kind === 'latency') {
				counter.injected += 1;
				plan.latencyFired = true;
				plan.latencyMs += fault.ms ?? FAULT_ANSWERS.defaultLatencyMs;
			} else if (plan.fault === undefined) {
				counter.injected += 1;
				plan.fault = fault;
			}
		}
		return plan;
	}
}
