/**
 * Installs a folder's own dependencies, from its package.json and package-lock.json, with `npm ci` when one is
 * missing or not the locked version. What only `npm run test:e2e` and `test:queue` (e2e/: Playwright, n8n's
 * verification scanner) or `npm run bench` (bench/: n8n-nodes-base) need stays out of the root install; the first
 * run that needs it installs it, once per clone.
 *
 *   node scripts/ensure-installed.js <folder>      exits with npm's status
 *
 * Install scripts are skipped, as in the root (.npmrc); none of these packages needs one.
 */
const { spawnSync } = require('child_process');
const { existsSync, readFileSync } = require('fs');
const { join, relative, resolve } = require('path');

function readJson(file) {
	return JSON.parse(readFileSync(file, 'utf8'));
}

/** The folder's dependencies that are missing from its node_modules or not at the locked version. */
function staleDependencies(folder) {
	const lock = readJson(join(folder, 'package-lock.json'));
	return Object.keys(readJson(join(folder, 'package.json')).dependencies ?? {}).filter((name) => {
		const installed = join(folder, 'node_modules', name, 'package.json');
		return (
			!existsSync(installed) ||
			readJson(installed).version !== lock.packages[`node_modules/${name}`]?.version
		);
	});
}

/**
 * Runs `npm ci` in `folder` unless its dependencies are already installed; returns undefined when they are, or
 * why the install failed. Without what `npm run` adds about the root package (`npm_package_*`, `npm_lifecycle_*`,
 * `npm_config_local_prefix`), so that npm works on the folder's own package.json.
 */
function ensureInstalled(folder) {
	const stale = staleDependencies(folder);
	if (stale.length === 0) return undefined;
	const packageCount = Object.keys(readJson(join(folder, 'package-lock.json')).packages).length - 1;
	const name = relative(process.cwd(), folder) || folder;
	console.log(
		`${name}/: installing ${stale.join(', ')} (npm ci, ${packageCount} packages; once per clone)…`,
	);
	const rootPackage = /^npm_(package_|lifecycle_|config_local_prefix$)/i;
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const result = spawnSync(
		npm,
		['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
		{
			cwd: folder,
			env: Object.fromEntries(
				Object.entries(process.env).filter(([variable]) => !rootPackage.test(variable)),
			),
			stdio: 'inherit',
			shell: process.platform === 'win32',
		},
	);
	if (result.status === 0) return undefined;
	return result.error
		? result.error.message
		: `npm ci exited with ${result.status ?? result.signal}`;
}

module.exports = { ensureInstalled, staleDependencies };

if (require.main === module) {
	const folder = process.argv[2];
	if (!folder) {
		console.error('usage: node scripts/ensure-installed.js <folder>');
		process.exit(2);
	}
	const failure = ensureInstalled(resolve(folder));
	if (failure) {
		console.error(`${folder}/: ${failure}`);
		process.exit(1);
	}
}
