/**
 * This package as n8n receives it: built, packed with `npm pack`, and installed into an n8n user folder the way
 * n8n's own installer (Settings → Community Nodes) leaves it.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { environmentOutsideRepo, runCommand } from './processes';

export const REPO_ROOT = join(__dirname, '..');

export interface PackageManifest {
	name: string;
	n8n: { nodes: string[]; credentials: string[] };
}

export function manifest(): PackageManifest {
	return JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as PackageManifest;
}

/** A clean `npm run build`, then `npm pack` into `destination`; returns the tarball's path. */
export async function buildAndPack(destination: string, logFile: string): Promise<string> {
	// A file left in dist/ by an earlier build (an icon since deleted, say) would be packed and hide the loss.
	rmSync(join(REPO_ROOT, 'dist'), { recursive: true, force: true });
	await runCommand('npm', ['run', 'build'], { cwd: REPO_ROOT, logFile, timeoutMs: 5 * 60_000 });
	mkdirSync(destination, { recursive: true });
	const packed = await runCommand('npm', ['pack', '--pack-destination', destination], {
		cwd: REPO_ROOT,
		logFile,
	});
	return join(destination, packed.trim().split('\n').pop() as string);
}

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes`, as `npm install <package>` in that folder does by hand,
 * without the peer dependency: n8n's own installer drops `peerDependencies` too, so the node loads n8n's
 * n8n-workflow rather than a second copy (which, on this machine's Node 20 npm, would not even build).
 */
export async function installIntoUserFolder(
	tarball: string,
	userFolder: string,
	logFile: string,
): Promise<string> {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(
		join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }),
	);
	await runCommand(
		'npm',
		[
			'install',
			'--omit=peer',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--no-package-lock',
			tarball,
		],
		{
			cwd: nodesDir,
			env: environmentOutsideRepo(),
			logFile,
			timeoutMs: 5 * 60_000,
		},
	);
	return nodesDir;
}

/** The packages in `<nodesDir>/node_modules`, scoped ones as `@scope/name`. */
export function installedPackages(nodesDir: string): string[] {
	const modules = join(nodesDir, 'node_modules');
	return readdirSync(modules)
		.filter((entry) => !entry.startsWith('.'))
		.flatMap((entry) =>
			entry.startsWith('@')
				? readdirSync(join(modules, entry)).map((name) => `${entry}/${name}`)
				: [entry],
		)
		.sort();
}

export interface NodeDescription {
	name: string;
	displayName: string;
	usableAsTool?: boolean;
	properties: Array<{ name: string; options?: Array<{ action?: string }> }>;
}

/** The descriptions of the nodes the built package declares, read from its own `dist/` files. */
export function declaredNodes(): NodeDescription[] {
	return manifest().n8n.nodes.flatMap((file) =>
		instances<{ description: NodeDescription }>(file).map((node) => node.description),
	);
}

export interface DeclaredTypes {
	/** `<package>.<node name>` of every node, with the `…Tool` variant n8n adds for `usableAsTool`. */
	nodes: string[];
	/** Credential type names. */
	credentials: string[];
}

export function declaredTypes(): DeclaredTypes {
	const { name, n8n } = manifest();
	const nodes = declaredNodes().flatMap((description) => {
		const type = `${name}.${description.name}`;
		return description.usableAsTool ? [type, `${type}Tool`] : [type];
	});
	const credentials = n8n.credentials.flatMap((file) =>
		instances<{ name: string }>(file).map((credential) => credential.name),
	);
	return { nodes: nodes.sort(), credentials: credentials.sort() };
}

/** An instance of each class a built file exports. */
function instances<T>(file: string): T[] {
	return Object.values(require(join(REPO_ROOT, file)) as Record<string, new () => T>).map(
		(Type) => new Type(),
	);
}
