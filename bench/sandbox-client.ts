/**
 * The benchmark's side of the sandbox process (sandbox-limits.ts, which is sandbox-process.ts with a rate limit
 * and a breakdown of the requests): started with fork, driven over IPC, gone when this process is (it exits when
 * its IPC channel closes, however this process ends).
 */
import { fork } from 'child_process';
import { join } from 'path';
import type { SandboxRequest, SandboxStats } from './sandbox-process';
import type { LimitsRequest, SandboxBreakdown, TokenBucket } from './sandbox-limits';

export interface SandboxClient {
	/** e.g. 'http://127.0.0.1:41234/api' */
	baseUrl: string;
	/** Back to an account of `count` benchmark automations, every request delayed LATENCY_MS, counters zeroed, no rate limit. */
	prepare(count: number): Promise<void>;
	/** A token bucket beyond which requests are answered 429 with Retry-After (after prepare, which removes it). */
	limit(tokenBucket: TokenBucket): Promise<void>;
	/** Requests and peak in flight zeroed. */
	clear(): Promise<void>;
	stats(): Promise<SandboxStats>;
	breakdown(): Promise<SandboxBreakdown>;
	close(): Promise<void>;
}

const ROOT = join(__dirname, '..');

export function startSandboxProcess(): Promise<SandboxClient> {
	const register = require.resolve('ts-node/register/transpile-only', { paths: [ROOT] });
	const child = fork(join(__dirname, 'sandbox-limits.ts'), [], {
		cwd: ROOT,
		execArgv: ['-r', register],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	let nextId = 0;
	let exited = false;
	const pending = new Map<
		number,
		{ resolve: (value: unknown) => void; reject: (error: Error) => void }
	>();
	const send = (message: SandboxRequest | LimitsRequest) =>
		new Promise<unknown>((resolve, reject) => {
			if (exited) return reject(new Error('the sandbox process has exited'));
			const id = ++nextId;
			pending.set(id, { resolve, reject });
			child.send({ ...message, id });
		});
	return new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('exit', (code) => {
			exited = true;
			const error = new Error(`the sandbox process exited (code ${code})`);
			for (const { reject: fail } of pending.values()) fail(error);
			pending.clear();
			reject(error);
		});
		child.on(
			'message',
			(message: {
				ready?: boolean;
				baseUrl: string;
				id: number;
				result?: unknown;
				error?: string;
			}) => {
				if (message.ready) {
					resolve({
						baseUrl: message.baseUrl,
						prepare: async (count) => void (await send({ command: 'prepare', count })),
						limit: async (tokenBucket) => void (await send({ command: 'limit', tokenBucket })),
						clear: async () => void (await send({ command: 'clear' })),
						stats: async () => (await send({ command: 'stats' })) as SandboxStats,
						breakdown: async () => (await send({ command: 'breakdown' })) as SandboxBreakdown,
						close: async () => {
							if (exited) return;
							const gone = new Promise((done) => child.once('exit', done));
							child.disconnect();
							await gone;
						},
					});
					return;
				}
				// The first answer to an id wins (see sandbox-limits.ts).
				const waiting = pending.get(message.id);
				pending.delete(message.id);
				if (message.error) waiting?.reject(new Error(message.error));
				else waiting?.resolve(message.result);
			},
		);
	});
}
