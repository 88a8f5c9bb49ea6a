/**
 * The demo: starts the sandbox, runs every workflow in examples/ through n8n's engine with the built node
 * (dist/), and prints what each node returned and what the sandbox received. Run with `npm run demo`.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import type { IDataObject, INodeType } from 'n8n-workflow';
import type { EngineWorkflow } from '../test/engine';
import { runWorkflow } from '../test/engine';
import { SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY, startSandbox } from '../sandbox/server';

const root = join(__dirname, '..');
const { AllsTechnology } = require(join(root, 'dist/nodes/AllsTechnology/AllsTechnology.node.js')) as {
	AllsTechnology: new () => INodeType;
};
const { AllsTechnologyTrigger } = require(join(root, 'dist/nodes/AllsTechnologyTrigger/AllsTechnologyTrigger.node.js')) as {
	AllsTechnologyTrigger: new () => INodeType;
};
const { AllsTechnologyApi } = require(join(root, 'dist/credentials/AllsTechnologyApi.credentials.js'));

/** What the CRM would post to the example's webhook: the template automation to copy (the docs' automation 5). */
const CRM_EVENT: IDataObject = {
	headers: { 'content-type': 'application/json' },
	params: {},
	query: {},
	body: { event: 'deal.won', contactEmail: 'ada@example.com', templateAutomationUtr: 'e9c7ff00-8d1c-11ee-91c4-b42e9970e591' },
};

async function main() {
	const sandbox = await startSandbox();
	const engine = {
		nodeTypes: {
			'n8n-nodes-allstechnology.allsTechnology': new AllsTechnology(),
			'n8n-nodes-allstechnology.allsTechnologyTrigger': new AllsTechnologyTrigger(),
		},
		credentialTypes: { allsTechnologyApi: new AllsTechnologyApi() },
		credentials: {
			allsTechnologyApi: { publicKey: SANDBOX_PUBLIC_KEY, secretKey: SANDBOX_SECRET_KEY, baseUrl: sandbox.baseUrl },
		},
	};
	console.log(`Sandbox of the AllsTechnology API at ${sandbox.baseUrl}\n`);

	let failed = 0;
	const examples = readdirSync(join(root, 'examples')).filter((file) => file.endsWith('.json')).sort();
	for (const file of examples) {
		const workflow = JSON.parse(readFileSync(join(root, 'examples', file), 'utf8')) as EngineWorkflow & { name: string };
		const usesWebhook = workflow.nodes.some((node) => node.type === 'n8n-nodes-base.webhook');
		sandbox.clearRequests();
		// A workflow started by the AllsTechnology Trigger runs as "Execute workflow" does: the trigger fetches one sample event.
		const { outputs, error } = await runWorkflow(engine, workflow, usesWebhook ? { triggerItems: [CRM_EVENT] } : {});

		console.log(`=== ${workflow.name} (examples/${file})`);
		for (const node of workflow.nodes) {
			const items = outputs[node.name];
			if (!items || !node.type.startsWith('n8n-nodes-allstechnology.')) continue;
			console.log(`--- ${node.name}: ${items.length} item(s)`);
			for (const item of items) console.log(JSON.stringify(item.json));
		}
		console.log('--- requests the sandbox received');
		for (const request of sandbox.requests) {
			const fields = Object.keys(request.fields).length ? ` ${request.bodyEncoding} ${JSON.stringify(request.fields)}` : '';
			console.log(`${request.status} ${request.method} ${request.path}${request.rawQuery ? `?${request.rawQuery}` : ''}${fields}`);
		}
		if (error) {
			failed++;
			console.log(`!!! failed: ${error.message}`);
		}
		console.log('');
	}
	await sandbox.close();
	console.log(failed ? `${failed} of ${examples.length} example workflows failed` : `All ${examples.length} example workflows ran`);
	process.exitCode = failed ? 1 : 0;
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
