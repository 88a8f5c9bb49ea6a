/**
 * `npm run dev`: the e2e run's n8n, for a person to build workflows by hand against the sandbox.
 *
 * This repository is linked (a symlink) into the n8n user folder as a community package, a sandbox of the API
 * runs beside it, and the credential "AllsTechnology account" points at that sandbox. `tsc --watch` rebuilds
 * dist/ on every change and n8n reloads the node (N8N_DEV_RELOAD). The user folder persists between runs in the
 * cache folder, with the workflows built there; the examples are imported on the first run. Ctrl-C stops n8n,
 * the compiler and the sandbox.
 *
 * Ports: N8N_PORT (default 5678), N8N_RUNNERS_BROKER_PORT (5679), SANDBOX_PORT (8787).
 */
import {
	existsSync,
	lstatSync,
	mkdirSync,
	rmSync,
	symlinkSync,
	unlinkSync,
	writeFileSync,
} from 'fs';
import { join } from 'path';
import { formatRequestLine } from '../sandbox/cli';
import { SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY, startSandbox } from '../sandbox/server';
import { EXAMPLE_CREDENTIAL as CREDENTIAL, loadExamples } from './examples';
import { N8n, OWNER } from './n8n';
import { REPO_ROOT, manifest } from './package';
import { runCommand, startServer } from './processes';
import { cacheDir, ensureRuntime } from './runtime';

async function main(): Promise<void> {
	const n8nPort = Number(process.env.N8N_PORT ?? 5678);
	const brokerPort = Number(process.env.N8N_RUNNERS_BROKER_PORT ?? 5679);
	const sandboxPort = Number(process.env.SANDBOX_PORT ?? 8787);
	const stops: Array<() => Promise<void>> = [];
	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		for (const stopOne of stops.reverse()) await stopOne().catch((error) => console.error(error));
		if (code === 0) console.log('Stopped.');
		process.exit(code);
	};
	process.once('SIGINT', () => {
		console.log('\nStopping n8n, the compiler and the sandbox…');
		void stop(0);
	});
	process.once('SIGTERM', () => void stop(0));

	try {
		const runtime = await ensureRuntime((line) => console.log(line));
		console.log('Building the package…');
		await runCommand('npm', ['run', 'build'], { cwd: REPO_ROOT, timeoutMs: 5 * 60_000 });

		const userFolder = join(cacheDir(), 'dev-user-folder');
		const firstRun = !existsSync(join(userFolder, '.n8n', 'database.sqlite'));
		linkPackage(join(userFolder, '.n8n', 'nodes'));

		const sandbox = await startSandbox({
			port: sandboxPort,
			onRequest: (request) => {
				console.log(`[sandbox] ${formatRequestLine(request)}`);
				sandbox.requests.splice(sandbox.requests.indexOf(request), 1);
			},
		});
		stops.push(() => sandbox.close());

		const n8n = new N8n({
			runtime,
			userFolder,
			port: n8nPort,
			brokerPort,
			// Hot reload drops the cached modules under the link's path; Node caches them there (rather than under
			// this repository's path) only with --preserve-symlinks.
			env: { N8N_DEV_RELOAD: 'true', NODE_OPTIONS: '--preserve-symlinks' },
		});
		await n8n.importCredentials([
			{
				...CREDENTIAL,
				data: {
					publicKey: SANDBOX_PUBLIC_KEY,
					secretKey: SANDBOX_SECRET_KEY,
					baseUrl: sandbox.baseUrl,
				},
			},
		]);
		if (firstRun)
			await n8n.importWorkflows(
				loadExamples(REPO_ROOT).map(({ id, workflow }) => ({ ...workflow, id })),
			);

		const compiler = startServer(
			'npx',
			['tsc', '-p', 'tsconfig.json', '--watch', '--preserveWatchOutput'],
			{
				cwd: REPO_ROOT,
				logFile: join(userFolder, 'tsc-watch.log'),
			},
		);
		stops.push(() => compiler.stop(5_000));

		console.log('Starting n8n…');
		stops.push(() => n8n.stop());
		await n8n.start();
		if (!(await n8n.hasOwner())) await n8n.setUpOwner();

		console.log(
			[
				'',
				`n8n is ready: http://localhost:${n8nPort}`,
				`  sign in as   ${OWNER.email} / ${OWNER.password}`,
				`  credential   "${CREDENTIAL.name}" → the sandbox at ${sandbox.baseUrl}`,
				`  package      ${manifest().name}, linked from ${REPO_ROOT}; changes are rebuilt and reloaded (reload the page)`,
				`  data         ${userFolder} (kept between runs; delete it to start afresh)`,
				'Ctrl-C stops everything.',
				'',
			].join('\n'),
		);
		const ended = await Promise.race([
			compiler.exited.then(() => 'tsc --watch'),
			n8n.exited().then(() => 'n8n'),
		]);
		if (stopping) return;
		console.error(`${ended} stopped on its own; its log is in ${userFolder}`);
		await stop(1);
	} catch (error) {
		console.error(error instanceof Error ? error.message : error);
		await stop(1);
	}
}

/** `<nodesDir>/node_modules/<package>` → this repository, as `npm link` would leave it. */
function linkPackage(nodesDir: string): void {
	const { name } = manifest();
	const link = join(nodesDir, 'node_modules', name);
	mkdirSync(join(nodesDir, 'node_modules'), { recursive: true });
	// Only the link itself goes, never what it points at.
	if (isSymlink(link)) unlinkSync(link);
	else rmSync(link, { recursive: true, force: true });
	symlinkSync(REPO_ROOT, link, 'dir');
	writeFileSync(
		join(nodesDir, 'package.json'),
		JSON.stringify({
			name: 'installed-nodes',
			private: true,
			dependencies: { [name]: `file:${REPO_ROOT}` },
		}),
	);
}

function isSymlink(path: string): boolean {
	try {
		return lstatSync(path).isSymbolicLink();
	} catch {
		return false;
	}
}

void main();
