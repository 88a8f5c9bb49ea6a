/**
 * The demo: starts the sandbox, runs every workflow in examples/ through n8n's engine with the built node
 * (dist/), prints what each node returned and what the sandbox received, and checks both against
 * examples/expectations.ts. Run with `npm run demo`.
 */
import type { INodeType } from 'n8n-workflow';
import { join } from 'path';
import type { ExampleExpectation } from '../examples/expectations';
import { EXAMPLE_EXPECTATIONS, readExamples } from '../examples/expectations';
import type { EngineWorkflow } from '../test/engine';
import { runWorkflow } from '../test/engine';
import type { Sandbox, SandboxState } from '../sandbox/server';
import { SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY, startSandbox } from '../sandbox/server';

const root = join(__dirname, '..');
const { AllsTechnology } = require(
	join(root, 'dist/nodes/AllsTechnology/AllsTechnology.node.js'),
) as {
	AllsTechnology: new () => INodeType;
};
const { AllsTechnologyTrigger } = require(
	join(root, 'dist/nodes/AllsTechnologyTrigger/AllsTechnologyTrigger.node.js'),
) as {
	AllsTechnologyTrigger: new () => INodeType;
};
const { AllsTechnologyApi } = require(
	join(root, 'dist/credentials/AllsTechnologyApi.credentials.js'),
);

async function main() {
	const sandbox = await startSandbox();
	const engine = {
		nodeTypes: {
			'n8n-nodes-allstechnology.allsTechnology': new AllsTechnology(),
			'n8n-nodes-allstechnology.allsTechnologyTrigger': new AllsTechnologyTrigger(),
		},
		credentialTypes: { allsTechnologyApi: new AllsTechnologyApi() },
		credentials: {
			allsTechnologyApi: {
				publicKey: SANDBOX_PUBLIC_KEY,
				secretKey: SANDBOX_SECRET_KEY,
				baseUrl: sandbox.baseUrl,
			},
		},
	};
	console.log(`Sandbox of the AllsTechnology API at ${sandbox.baseUrl}\n`);

	let failed = 0;
	const examples = readExamples<EngineWorkflow & { name: string }>();
	for (const { file, workflow } of examples) {
		const expectation: ExampleExpectation | undefined = EXAMPLE_EXPECTATIONS[file];
		sandbox.reset();
		const seed = structuredClone(sandbox.state);
		// What the CRM posts to the webhook example, as n8n's Webhook node outputs it.
		const triggerItems = expectation?.webhook
			? [
					{
						headers: { 'content-type': 'application/json' },
						params: {},
						query: {},
						body: expectation.webhook.body(seed),
					},
				]
			: undefined;
		// A workflow started by the AllsTechnology Trigger runs as "Execute workflow" does: the trigger fetches one sample event.
		const { outputs, error } = await runWorkflow(engine, workflow, { triggerItems });

		console.log(`=== ${workflow.name} (examples/${file})`);
		for (const node of workflow.nodes) {
			const items = outputs[node.name];
			if (!items || !node.type.startsWith('n8n-nodes-allstechnology.')) continue;
			console.log(`--- ${node.name}: ${items.length} item(s)`);
			for (const item of items) console.log(JSON.stringify(item.json));
		}
		console.log('--- requests the sandbox received');
		for (const request of sandbox.requests) {
			const fields = Object.keys(request.fields).length
				? ` ${request.bodyEncoding} ${JSON.stringify(request.fields)}`
				: '';
			console.log(
				`${request.status} ${request.method} ${request.path}${request.rawQuery ? `?${request.rawQuery}` : ''}${fields}`,
			);
		}
		const problem = error?.message ?? unexpected(expectation, outputs, sandbox, seed);
		if (problem) {
			failed++;
			console.log(`!!! failed: ${problem}`);
		}
		console.log('');
	}
	await sandbox.close();
	console.log(
		failed
			? `${failed} of ${examples.length} example workflows failed`
			: `All ${examples.length} example workflows ran as examples/expectations.ts expects`,
	);
	process.exitCode = failed ? 1 : 0;
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});

/** Why the run is not what examples/expectations.ts says, or undefined when it is. */
function unexpected(
	expectation: ExampleExpectation | undefined,
	outputs: Awaited<ReturnType<typeof runWorkflow>>['outputs'],
	sandbox: Sandbox,
	seed: SandboxState,
): string | undefined {
	if (!expectation) return 'it has no entry in examples/expectations.ts';
	const json = Object.fromEntries(
		Object.entries(outputs).map(([node, items]) => [node, items.map((item) => item.json)]),
	);
	try {
		expectation.verify({ outputs: json, sandbox, seed });
		return undefined;
	} catch (mismatch) {
		return `not what examples/expectations.ts expects: ${(mismatch as Error).message}`;
	}
}
