/**
 * The API sandbox in a process of its own, as the real API is not in n8n's process: its CPU time (parsing,
 * recording, answering) then does not queue on the event loop of the node being measured. Driven over IPC by
 * bench.ts (fork): every request waits LATENCY_MS and is counted while in flight.
 *
 * Messages in: { id, command: 'prepare', count } | { id, command: 'clear' } | { id, command: 'stats' }; the parent
 * disconnecting ends it.
 * Messages out: { ready: true, baseUrl } once listening, then { id, result } or { id, error } per message.
 */
import { startSandbox } from '../sandbox/server';
import type { Fault, Sandbox } from '../sandbox/server';
import { LATENCY_MS, benchAutomations } from './common';

export interface SandboxStats {
	/** Requests received since the last prepare or clear. */
	requests: number;
	/** Most requests in flight at once since then: from arrival (body read) to the end of the answer. */
	peakInFlight: number;
	/** For each request, how many `strIds[…]` fields it carried (Delete Many). */
	idsPerRequest: number[];
	/** Automations soft-deleted since the last prepare. */
	deleted: number;
	/** Size of the first request's JSON answer, in bytes. */
	firstAnswerBytes?: number;
}

export type SandboxRequest = { command: 'prepare'; count: number } | { command: 'clear' | 'stats' };
export type SandboxCommand = SandboxRequest & { id: number };

let inFlight = 0;
let peakInFlight = 0;

function latencyFault(): Fault {
	return {
		kind: 'latency',
		ms: LATENCY_MS,
		// Called once per request as it arrives, before the wait: from here the request is in flight.
		match: () => {
			inFlight++;
			peakInFlight = Math.max(peakInFlight, inFlight);
			return true;
		},
	};
}

function handle(sandbox: Sandbox, message: SandboxCommand): SandboxStats | undefined {
	switch (message.command) {
		case 'prepare':
			sandbox.reset();
			sandbox.state.automations = benchAutomations(message.count);
			sandbox.state.schedules = [];
			sandbox.faults.push(latencyFault());
			inFlight = 0;
			peakInFlight = 0;
			return undefined;
		case 'clear':
			sandbox.clearRequests();
			inFlight = 0;
			peakInFlight = 0;
			return undefined;
		case 'stats': {
			const first = sandbox.requests[0]?.response;
			return {
				requests: sandbox.requests.length,
				peakInFlight,
				idsPerRequest: sandbox.requests.map(
					(request) =>
						Object.keys(request.fields).filter((name) => name.startsWith('strIds[')).length,
				),
				deleted: sandbox.state.automations.filter((record) => record.deleted_at !== null).length,
				firstAnswerBytes:
					first === undefined ? undefined : Buffer.byteLength(JSON.stringify(first)),
			};
		}
	}
}

async function main() {
	if (!process.send)
		throw new Error('bench/sandbox-process.ts is started by bench/bench.ts (fork, with IPC)');
	const send = process.send.bind(process);
	const sandbox = await startSandbox({
		onRequest: () => {
			inFlight = Math.max(0, inFlight - 1);
		},
	});
	process.on('message', (message: SandboxCommand) => {
		try {
			const result = handle(sandbox, message);
			send({ id: message.id, result });
		} catch (error) {
			send({ id: message.id, error: (error as Error).message });
		}
	});
	// The parent done or gone (even killed): nothing keeps this process.
	process.on('disconnect', () => void sandbox.close().then(() => process.exit(0)));
	send({ ready: true, baseUrl: sandbox.baseUrl });
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
