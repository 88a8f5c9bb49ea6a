/**
 * `npm run sandbox` — runs the AllsTechnology API sandbox until SIGINT / SIGTERM.
 *
 *   npm run sandbox -- --port 8787 [--host 127.0.0.1] [--mode httpError|http200]
 *
 * The port also comes from the environment variable SANDBOX_PORT (the flag wins); the default 0 picks any
 * free port. Prints the base URL and the keys, then one line per request: method, path and query, status.
 */
import {
	FailureStatusMode,
	RecordedRequest,
	SANDBOX_PUBLIC_KEY,
	SANDBOX_SECRET_KEY,
	Sandbox,
	startSandbox,
} from './server';

export interface CliOptions {
	port: number;
	host: string;
	failureStatusMode: FailureStatusMode;
}

/** Reads `--port N` / `--port=N`, `--host H`, `--mode M` and the SANDBOX_PORT variable. */
export function parseCliArgs(
	argv: string[],
	env: Record<string, string | undefined> = {},
): CliOptions {
	const options: CliOptions = { port: 0, host: '127.0.0.1', failureStatusMode: 'httpError' };
	const portText = (value: string | undefined, source: string): number => {
		const port = Number(value);
		if (
			value === undefined ||
			value.trim() === '' ||
			!Number.isInteger(port) ||
			port < 0 ||
			port > 65535
		) {
			throw new Error(`${source} must be a port number from 0 to 65535, not "${value ?? ''}"`);
		}
		return port;
	};
	if (env.SANDBOX_PORT !== undefined && env.SANDBOX_PORT !== '')
		options.port = portText(env.SANDBOX_PORT, 'SANDBOX_PORT');
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [flag, inline] =
			arg.startsWith('--') && arg.includes('=')
				? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
				: [arg, undefined];
		const value = (): string | undefined => (inline !== undefined ? inline : argv[++i]);
		switch (flag) {
			case '--port':
				options.port = portText(value(), '--port');
				break;
			case '--host': {
				const host = value();
				if (host === undefined || host === '') throw new Error('--host needs a value');
				options.host = host;
				break;
			}
			case '--mode': {
				const mode = value();
				if (mode !== 'httpError' && mode !== 'http200')
					throw new Error(`--mode must be httpError or http200, not "${mode ?? ''}"`);
				options.failureStatusMode = mode;
				break;
			}
			default:
				throw new Error(
					`Unknown argument "${arg}" (known: --port N, --host H, --mode httpError|http200)`,
				);
		}
	}
	return options;
}

/** One log line per request: 'GET /api/automations/details?utr=… 200'. */
export function formatRequestLine(request: RecordedRequest): string {
	const target = request.rawQuery === '' ? request.path : `${request.path}?${request.rawQuery}`;
	return `${request.method} ${target} ${request.status}`;
}

export async function main(
	argv: string[] = process.argv.slice(2),
	env: NodeJS.ProcessEnv = process.env,
): Promise<Sandbox> {
	const options = parseCliArgs(argv, env);
	const sandbox = await startSandbox({
		port: options.port,
		host: options.host,
		failureStatusMode: options.failureStatusMode,
		onRequest: (request) => {
			process.stdout.write(`${formatRequestLine(request)}\n`);
			// The log is the record; keep memory flat however long the sandbox runs.
			const index = sandbox.requests.indexOf(request);
			if (index !== -1) sandbox.requests.splice(index, 1);
		},
	});
	process.stdout.write(
		[
			'AllsTechnology API sandbox',
			`  base URL:   ${sandbox.baseUrl}`,
			`  PublicKey:  ${SANDBOX_PUBLIC_KEY}`,
			`  SecretKey:  ${SANDBOX_SECRET_KEY}`,
			`  failures:   ${options.failureStatusMode === 'http200' ? 'HTTP 200 with a failed body' : 'HTTP 4xx with a failed body'}`,
			'Press Ctrl+C to stop.',
			'',
		].join('\n'),
	);
	let stopping = false;
	const stop = (signal: NodeJS.Signals): void => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`${signal} received, stopping the sandbox\n`);
		sandbox.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	return sandbox;
}

if (require.main === module) {
	main().catch((error: Error) => {
		process.stderr.write(`sandbox: ${error.message}\n`);
		process.exit(1);
	});
}
