/**
 * First step of `npm run bench`: installs bench/'s own dependencies (n8n-nodes-base with the exact n8n-core and
 * n8n-workflow versions the root uses) from bench/package-lock.json when they are missing or not the locked
 * versions. They stay out of the root package: n8n-nodes-base is some 800 MB that CI has no use for.
 *
 * A failed install does not stop the benchmark: it then runs our node alone and says why the HTTP Request node
 * is missing. Install scripts are skipped, as in the root (.npmrc): n8n's need pnpm or Node.js 24, and the HTTP
 * Request node needs none of them.
 */
const { spawnSync } = require('child_process');
const { existsSync, readFileSync } = require('fs');
const { join } = require('path');

const benchDir = __dirname;
const lock = JSON.parse(readFileSync(join(benchDir, 'package-lock.json'), 'utf8'));
const wanted = ['n8n-nodes-base', 'n8n-core', 'n8n-workflow'];

function installedVersion(name) {
	const file = join(benchDir, 'node_modules', name, 'package.json');
	return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : undefined;
}

const stale = wanted.filter((name) => installedVersion(name) !== lock.packages[`node_modules/${name}`]?.version);
if (stale.length === 0) process.exit(0);

console.log(`bench/: installing ${stale.join(', ')} (npm ci, about 850 packages; once per clone)…`);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
	cwd: benchDir,
	stdio: 'inherit',
	shell: process.platform === 'win32',
});
if (result.status !== 0) {
	console.log(
		`bench/: npm ci failed (${result.error ? result.error.message : `exit code ${result.status}`}); ` +
			'the benchmark goes on without the HTTP Request node.',
	);
}
