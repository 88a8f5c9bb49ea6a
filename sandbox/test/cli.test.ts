/** The `npm run sandbox` command line. */
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';

import { formatRequestLine, parseCliArgs } from '../cli';
import { KEYS, send } from './helpers';
import { RecordedRequest, startSandbox } from '../server';

const ROOT = path.resolve(__dirname, '..', '..');

describe('parseCliArgs', () => {
	it('defaults to any free port on 127.0.0.1 with HTTP error codes', () => {
		expect(parseCliArgs([], {})).toEqual({
			port: 0,
			host: '127.0.0.1',
			failureStatusMode: 'httpError',
		});
	});

	it('reads --port N, --port=N, --host and --mode', () => {
		expect(parseCliArgs(['--port', '8787'])).toEqual({
			port: 8787,
			host: '127.0.0.1',
			failureStatusMode: 'httpError',
		});
		expect(parseCliArgs(['--port=9000', '--host=0.0.0.0', '--mode', 'http200'])).toEqual({
			port: 9000,
			host: '0.0.0.0',
			failureStatusMode: 'http200',
		});
	});

	it('reads SANDBOX_PORT, the flag winning', () => {
		expect(parseCliArgs([], { SANDBOX_PORT: '4321' }).port).toBe(4321);
		expect(parseCliArgs(['--port', '1234'], { SANDBOX_PORT: '4321' }).port).toBe(1234);
		expect(parseCliArgs([], { SANDBOX_PORT: '' }).port).toBe(0);
	});

	it('refuses bad values and unknown arguments', () => {
		expect(() => parseCliArgs(['--port', 'abc'])).toThrow(
			'--port must be a port number from 0 to 65535, not "abc"',
		);
		expect(() => parseCliArgs(['--port'])).toThrow(
			'--port must be a port number from 0 to 65535, not ""',
		);
		expect(() => parseCliArgs(['--port', '70000'])).toThrow('--port must be a port number');
		expect(() => parseCliArgs([], { SANDBOX_PORT: '-1' })).toThrow(
			'SANDBOX_PORT must be a port number',
		);
		expect(() => parseCliArgs(['--mode', 'loud'])).toThrow(
			'--mode must be httpError or http200, not "loud"',
		);
		expect(() => parseCliArgs(['--verbose'])).toThrow('Unknown argument "--verbose"');
	});
});

describe('formatRequestLine', () => {
	it('writes method, path with query, and status', async () => {
		const sandbox = await startSandbox();
		try {
			await send(
				`${sandbox.baseUrl}/automations/details?utr=e9c7ff00-8d1c-11ee-91c4-b42e9970e591`,
				{ headers: KEYS },
			);
			await send(`${sandbox.baseUrl}//automations`, { method: 'POST', headers: KEYS });
			expect(
				sandbox.requests.map((request: RecordedRequest) => formatRequestLine(request)),
			).toEqual([
				'GET /api/automations/details?utr=e9c7ff00-8d1c-11ee-91c4-b42e9970e591 200',
				'POST /api//automations 405',
			]);
		} finally {
			await sandbox.close();
		}
	});
});

describe('the sandbox process', () => {
	let child: ChildProcess | undefined;

	afterEach(() => {
		if (child !== undefined && child.exitCode === null && child.signalCode === null)
			child.kill('SIGKILL');
		child = undefined;
	});

	/** Starts `ts-node --transpile-only sandbox/cli.ts` (what `npm run sandbox` runs) and waits for its banner. */
	async function startProcess(
		args: string[],
		env: Record<string, string> = {},
	): Promise<{ process: ChildProcess; baseUrl: string; output: () => string }> {
		const processHandle = spawn(
			process.execPath,
			[require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'sandbox/cli.ts', ...args],
			{
				cwd: ROOT,
				env: { ...process.env, ...env },
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		child = processHandle;
		let output = '';
		processHandle.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		processHandle.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const baseUrl = await waitFor(
			() => /base URL:\s+(\S+)/.exec(output)?.[1],
			() => output,
		);
		return { process: processHandle, baseUrl, output: () => output };
	}

	async function waitFor<T>(
		probe: () => T | undefined,
		describe: () => string,
		timeoutMs = 15_000,
	): Promise<T> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const value = probe();
			if (value !== undefined) return value;
			if (Date.now() > deadline) throw new Error(`timed out; output so far:\n${describe()}`);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	}

	function exitOf(
		processHandle: ChildProcess,
	): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
		return new Promise((resolve) => {
			if (processHandle.exitCode !== null || processHandle.signalCode !== null) {
				resolve({ code: processHandle.exitCode, signal: processHandle.signalCode });
				return;
			}
			processHandle.once('exit', (code, signal) => resolve({ code, signal }));
		});
	}

	it('prints the base URL and keys, logs each request on one line, and stops cleanly on SIGTERM', async () => {
		const started = await startProcess(['--port', '0']);
		expect(started.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
		expect(started.output()).toContain('PublicKey:  sandbox-public-key');
		expect(started.output()).toContain('SecretKey:  sandbox-secret-key');

		const ok = await send(
			`${started.baseUrl}/automations/details?utr=e9c7ff00-8d1c-11ee-91c4-b42e9970e591`,
			{ headers: KEYS },
		);
		expect(ok.status).toBe(200);
		const refused = await send(`${started.baseUrl}/automations`);
		expect(refused.status).toBe(401);
		await waitFor(
			() => (started.output().includes('GET /api/automations 401\n') ? true : undefined),
			started.output,
		);
		expect(started.output()).toContain(
			'GET /api/automations/details?utr=e9c7ff00-8d1c-11ee-91c4-b42e9970e591 200\n',
		);

		started.process.kill('SIGTERM');
		expect(await exitOf(started.process)).toEqual({ code: 0, signal: null });
		expect(started.output()).toContain('SIGTERM received, stopping the sandbox');
	});

	it('takes its port from SANDBOX_PORT, its mode from --mode, and stops cleanly on SIGINT', async () => {
		const probe = await startSandbox();
		const port = probe.port;
		await probe.close();
		const started = await startProcess(['--mode', 'http200'], { SANDBOX_PORT: String(port) });
		expect(started.baseUrl).toBe(`http://127.0.0.1:${port}/api`);
		const refused = await send(`${started.baseUrl}/automations`);
		expect(refused.status).toBe(200);
		expect((refused.body as { status: string }).status).toBe('failed');
		started.process.kill('SIGINT');
		expect(await exitOf(started.process)).toEqual({ code: 0, signal: null });
	});

	it('exits with an error on a bad argument', async () => {
		const processHandle = spawn(
			process.execPath,
			[require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'sandbox/cli.ts', '--port', 'x'],
			{
				cwd: ROOT,
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		child = processHandle;
		let stderr = '';
		processHandle.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		expect(await exitOf(processHandle)).toEqual({ code: 1, signal: null });
		expect(stderr).toBe('sandbox: --port must be a port number from 0 to 65535, not "x"\n');
	});
});
