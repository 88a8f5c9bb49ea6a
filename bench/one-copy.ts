/**
 * One copy of n8n's engine for everything the benchmark loads. Import it before anything else.
 *
 * n8n-nodes-base lives in bench/node_modules (it is too large for the root package), next to the exact n8n-core
 * and n8n-workflow versions the root uses. Our node (dist/) and the engine harness (test/engine/) would otherwise
 * load the root's copies of n8n-core and n8n-workflow while the HTTP Request node loads bench's: two Workflow
 * classes, two error classes, two DI containers, and instanceof checks that fail across them. So every request
 * for n8n-core or n8n-workflow made from outside bench/node_modules is resolved from bench/ instead; inside
 * bench/node_modules npm has deduplicated them to a single copy already (`npm --prefix bench ls n8n-workflow`).
 *
 * When bench's copies are missing (its install failed), nothing is redirected and our node runs on the root's.
 */
import { existsSync, readFileSync } from 'fs';
import { createRequire } from 'module';
import { dirname, join, sep } from 'path';

type Resolve = (
	request: string,
	parent: { filename?: string | null } | undefined,
	isMain: boolean,
	options?: object,
) => string;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Module = require('module') as { _resolveFilename: Resolve };

export const ROOT = join(__dirname, '..');
export const BENCH_DIR = __dirname;
const BENCH_MODULES = join(BENCH_DIR, 'node_modules') + sep;
const SHARED = ['n8n-core', 'n8n-workflow'];

function versionAt(dir: string, name: string): string | undefined {
	const file = join(dir, 'node_modules', name, 'package.json');
	return existsSync(file)
		? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
		: undefined;
}

/** The versions in bench/node_modules and in the root's node_modules. */
export const ENGINE_VERSIONS = Object.fromEntries(
	SHARED.map((name) => [name, { bench: versionAt(BENCH_DIR, name), root: versionAt(ROOT, name) }]),
) as Record<string, { bench?: string; root?: string }>;

/** Whether n8n-core and n8n-workflow are loaded from bench/node_modules for everyone. */
export const USING_BENCH_ENGINE = SHARED.every((name) => ENGINE_VERSIONS[name].bench !== undefined);

function packageName(request: string): string {
	const parts = request.split('/');
	return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

if (USING_BENCH_ENGINE) {
	const resolve = Module._resolveFilename;
	Module._resolveFilename = function (this: unknown, request, parent, isMain, options) {
		const fromOutside = !(parent?.filename ?? '').startsWith(BENCH_MODULES);
		if (fromOutside && SHARED.includes(packageName(request))) {
			return resolve.call(this, request, parent, isMain, { ...options, paths: [BENCH_DIR] });
		}
		return resolve.call(this, request, parent, isMain, options);
	};
}

/** Where `require('n8n-workflow')` and `require('n8n-core')` land from the harness, our node and n8n-nodes-base. */
export function engineResolution(): Array<{ from: string; module: string; path: string }> {
	const sides = [
		['test/engine (harness)', join(ROOT, 'test/engine/index.ts')],
		['dist (our node)', join(ROOT, 'dist/nodes/AllsTechnology/AllsTechnology.node.js')],
		[
			'n8n-nodes-base (HTTP Request)',
			join(BENCH_MODULES, 'n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node.js'),
		],
	];
	const rows: Array<{ from: string; module: string; path: string }> = [];
	for (const [from, file] of sides) {
		if (!existsSync(dirname(file))) continue;
		for (const module of SHARED) {
			let path: string;
			try {
				path = createRequire(file).resolve(module);
			} catch (error) {
				path = `not found (${(error as Error).message.split('\n')[0]})`;
			}
			rows.push({ from, module, path });
		}
	}
	return rows;
}

/** The package folders of every copy of n8n-workflow / n8n-core actually loaded so far. */
export function loadedCopies(): Record<string, string[]> {
	const copies: Record<string, Set<string>> = Object.fromEntries(
		SHARED.map((name) => [name, new Set<string>()]),
	);
	for (const file of Object.keys(require.cache)) {
		for (const name of SHARED) {
			const marker = `${sep}node_modules${sep}${name}${sep}`;
			const at = file.lastIndexOf(marker);
			if (at >= 0) copies[name].add(file.slice(0, at + marker.length - 1));
		}
	}
	return Object.fromEntries(Object.entries(copies).map(([name, set]) => [name, [...set]]));
}
