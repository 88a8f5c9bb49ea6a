/**
 * First step of `npm run bench`: installs bench/'s own dependencies (n8n-nodes-base with the exact n8n-core and
 * n8n-workflow versions the root uses) from bench/package-lock.json when they are missing or not the locked
 * versions (scripts/ensure-installed.js). They stay out of the root package: n8n-nodes-base is some 800 MB that CI
 * has no use for.
 *
 * A failed install does not stop the benchmark: it then runs our node alone and says why the HTTP Request node
 * is missing. Install scripts are skipped: n8n's need pnpm or Node.js 24, and the HTTP Request node needs none of
 * them.
 */
const { ensureInstalled } = require('../scripts/ensure-installed');

const failure = ensureInstalled(__dirname);
if (failure)
	console.log(`bench/: ${failure}; the benchmark goes on without the HTTP Request node.`);
