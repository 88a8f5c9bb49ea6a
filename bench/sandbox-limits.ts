/**
 * bench/sandbox-process.ts (the sandbox in a process of its own, 40 ms on every request, requests in flight
 * counted), with two more commands for real-n8n.ts:
 *
 *   { id, command: 'limit', tokenBucket: { ratePerSecond, burst } }  adds a tokenBucket fault (429 with Retry-After
 *                                                                     beyond it) after the latency of 'prepare'
 *   { id, command: 'breakdown' }                                      answers SandboxBreakdown
 *
 * sandbox-process.ts takes no faults of its own. Rather than copy it, this entry catches the Sandbox it starts
 * (startSandbox is wrapped before sandbox-process.ts is loaded) and answers these two commands first;
 * sandbox-process.ts then answers them too, with `result: undefined`, and the client (sandbox-client.ts) keeps
 * the first answer to each id.
 */
import type { Fault, Sandbox, SandboxOptions } from '../sandbox/server';
import { routeKeyOf } from '../sandbox/server';

export interface TokenBucket {
	ratePerSecond: number;
	burst: number;
}

export interface SandboxBreakdown {
	/** Requests per HTTP status answered ('0' for a request not answered). */
	byStatus: Record<string, number>;
	/** Requests per 'METHOD route', e.g. 'GET automations', 'POST automations/delete'. */
	byRoute: Record<string, number>;
	/** 429s the tokenBucket sent. */
	rateLimited: number;
}

export type LimitsRequest =
	| { command: 'limit'; tokenBucket: TokenBucket }
	| { command: 'breakdown' };

type LimitsMessage = LimitsRequest & { id: number };

function count(into: Record<string, number>, key: string): void {
	into[key] = (into[key] ?? 0) + 1;
}

function breakdown(sandbox: Sandbox, bucket: Fault | undefined): SandboxBreakdown {
	const byStatus: Record<string, number> = {};
	const byRoute: Record<string, number> = {};
	for (const request of sandbox.requests) {
		count(byStatus, String(request.status));
		count(byRoute, `${request.method} ${routeKeyOf(request.path) ?? request.path}`);
	}
	return {
		byStatus,
		byRoute,
		rateLimited:
			bucket && sandbox.faults.includes(bucket) ? (sandbox.faultCount(bucket)?.injected ?? 0) : 0,
	};
}

function answerLimits(sandbox: Sandbox): void {
	let bucket: Fault | undefined;
	process.on('message', (message: LimitsMessage) => {
		if (message.command === 'limit') {
			bucket = { kind: 'tokenBucket', ...message.tokenBucket };
			sandbox.faults.push(bucket);
			process.send?.({ id: message.id, result: 'limited' });
		} else if (message.command === 'breakdown') {
			process.send?.({ id: message.id, result: breakdown(sandbox, bucket) });
		}
	});
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const server = require('../sandbox/server') as {
	startSandbox: (options?: SandboxOptions) => Promise<Sandbox>;
};
const startSandbox = server.startSandbox;
server.startSandbox = async (options) => {
	const sandbox = await startSandbox(options);
	answerLimits(sandbox);
	return sandbox;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./sandbox-process');
