/**
 * Child processes for the e2e run and `npm run dev`: commands run to completion, long-running servers in their
 * own process group (n8n starts a task runner of its own), and the guarantee that every process started here
 * is gone when this process exits, however it exits.
 */
import { ChildProcess, spawn } from 'child_process';
import { createWriteStream, existsSync, readFileSync } from 'fs';
import * as net from 'net';

/**
 * The environment for commands outside this repository: without what `npm run` adds about this package
 * (`npm_package_*`, `npm_lifecycle_*`, `npm_config_local_prefix`) and without this repository's
 * `ignore-scripts=true` (`npm_config_ignore_scripts`), which would stop `npm rebuild sqlite3`. The user's own npm
 * settings (registry, cache) stay.
 */
export function environmentOutsideRepo(): NodeJS.ProcessEnv {
	const ours = /^npm_(package_|lifecycle_|config_local_prefix$|config_ignore_scripts$)/i;
	return Object.fromEntries(Object.entries(process.env).filter(([name]) => !ours.test(name)));
}

export interface CommandOptions {
	cwd: string;
	env?: NodeJS.ProcessEnv;
	/** Also write stdout and stderr to this file, for a look after a failure. */
	logFile?: string;
	timeoutMs?: number;
}

/** Runs a command to its end and returns its stdout; rejects with the command and the tail of its output unless it exits 0. */
export async function runCommand(
	command: string,
	args: string[],
	options: CommandOptions,
): Promise<string> {
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env ?? process.env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	const group = track(child);
	const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
	let stdout = '';
	let stderr = '';
	child.stdout?.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
		log?.write(chunk);
	});
	child.stderr?.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
		log?.write(chunk);
	});
	const timeout = options.timeoutMs
		? setTimeout(() => killGroup(group, 'SIGKILL'), options.timeoutMs)
		: undefined;
	const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
		(resolve, reject) => {
			child.once('error', reject);
			child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
		},
	);
	if (timeout) clearTimeout(timeout);
	await new Promise<void>((resolve) => (log ? log.end(resolve) : resolve()));
	untrack(group);
	if (code !== 0) {
		const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-30).join('\n');
		const why = signal
			? `was killed by ${signal}${options.timeoutMs ? ` (time limit ${options.timeoutMs / 1000} s)` : ''}`
			: `exited with ${code}`;
		throw new Error(`${command} ${args.join(' ')} ${why}:\n${tail}`);
	}
	return stdout;
}

export interface Server {
	child: ChildProcess;
	/** Everything the server has written so far (stdout and stderr), from its log file. */
	output(): string;
	/** Set once the process has exited. */
	exited: Promise<number | null>;
	/**
	 * `signal` (SIGTERM unless said) to the whole group, SIGKILL after `graceMs` if the server is still there, then
	 * to what is left of the group.
	 */
	stop(graceMs?: number, signal?: NodeJS.Signals): Promise<void>;
}

/** Starts a long-running command in its own process group, its output going to `logFile`. */
export function startServer(
	command: string,
	args: string[],
	options: CommandOptions & { logFile: string },
): Server {
	const log = createWriteStream(options.logFile, { flags: 'a' });
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env ?? process.env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	const group = track(child);
	child.stdout?.pipe(log, { end: false });
	child.stderr?.pipe(log, { end: false });
	const exited = new Promise<number | null>((resolve) => {
		child.once('close', (code) => log.end(() => resolve(code)));
		child.once('error', () => log.end(() => resolve(null)));
	});
	return {
		child,
		exited,
		output: () => readFileSync(options.logFile, 'utf8'),
		async stop(graceMs = 20_000, signal: NodeJS.Signals = 'SIGTERM') {
			killGroup(group, signal);
			const killTimer = setTimeout(() => killGroup(group, 'SIGKILL'), graceMs);
			await exited;
			clearTimeout(killTimer);
			// What the server started (n8n's task runner) may outlive it; the group goes with it.
			killGroup(group, 'SIGKILL');
			untrack(group);
		},
	};
}

/** A program from Debian's `debianPackage`, installed with apt-get when `path` is missing (CI runs as root). */
export async function ensureDebianPackage(path: string, debianPackage: string): Promise<string> {
	if (existsSync(path)) return path;
	if (process.getuid?.() !== 0)
		throw new Error(
			`${path} is missing: install Debian's ${debianPackage} package (apt-get install ${debianPackage})`,
		);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const install = () =>
		runCommand('apt-get', ['install', '-y', debianPackage], {
			cwd: '/',
			env,
			timeoutMs: 10 * 60_000,
		});
	await install().catch(async () => {
		await runCommand('apt-get', ['update'], { cwd: '/', env, timeoutMs: 5 * 60_000 });
		await install();
	});
	if (!existsSync(path))
		throw new Error(`Debian's ${debianPackage} package was installed but ${path} is still missing`);
	return path;
}

/** A TCP port free on 127.0.0.1 at the time of asking. */
export async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const { port } = server.address() as net.AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

/** Calls `probe` until it returns something other than undefined, or throws `timeoutMessage` after `timeoutMs`. */
export async function waitFor<T>(
	probe: () => Promise<T | undefined>,
	timeoutMs: number,
	timeoutMessage: () => string,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(timeoutMessage());
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

// Process groups started here and still running; all are killed when this process exits.
const liveGroups = new Set<number>();

function track(child: ChildProcess): number {
	const group = child.pid as number;
	liveGroups.add(group);
	return group;
}

function untrack(group: number): void {
	liveGroups.delete(group);
}

function killGroup(group: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-group, signal);
	} catch {
		// The group has already gone.
	}
}

process.once('exit', () => {
	for (const group of liveGroups) killGroup(group, 'SIGKILL');
});
