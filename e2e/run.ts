/**
 * `npm run test:e2e`: this package in a real n8n, as a user gets it.
 *
 *  1. Node.js 24 and n8n from the npm registry, into the cache (see runtime.ts); Debian's Chromium if missing.
 *  2. Build, `npm pack`, and n8n's verification scan over the tarball and the sources.
 *  3. The tarball installed into a fresh n8n user folder; n8n lists the node and the credential.
 *  4. A credential pointing at the sandbox and every workflow of examples/ imported, each run the way it starts
 *     (examples.ts), its outputs and the sandbox's requests asserted.
 *  5. `n8n start`: the owner set up through REST, the types, icons, the credential test (credentialTest.ts) and list
 *     search through REST; n8n's error settings on the node, On Error → error output and Retry On Fail, in
 *     workflows built for the run (errorSettings.ts); n8n's AI Agent using the node as its tools, its chat model a
 *     scripted server on loopback (agent.ts, model-server.ts); then the editor in headless Chromium (editor.ts).
 *  6. The secret key in no log and in nothing n8n saved (executions, database); n8n connected to nothing but loopback.
 *
 * Prints one line per check and ends with "e2e: N passed, N failed"; exits 1 on any failure.
 * `--results <file>` also writes {"passed": N, "failed": N} there, for CI's count.
 */
import { deepStrictEqual, ok } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import type { Sandbox, SandboxState } from '../sandbox/server';
import { SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY, startSandbox } from '../sandbox/server';
import type { AgentRun } from './agent';
import { agentCredential, agentScript, agentWorkflow, checkAgent } from './agent';
import type { Checks, Cleanups } from './checks';
import { runChecked } from './checks';
import { checkCredentialTest } from './credentialTest';
import type { EditorExpectations } from './editor';
import { CHROMIUM, checkEditor, mappingWorkflow } from './editor';
import type { Example, ExampleRun, StartedBy } from './examples';
import {
	EXAMPLES,
	EXAMPLE_CREDENTIAL as CREDENTIAL,
	loadExamples,
	requestLines,
	startedBy,
} from './examples';
import { checkErrorSettings, errorSettingsWorkflows } from './errorSettings';
import { startModelServer } from './model-server';
import type { RunData } from './n8n';
import { N8n, Rest } from './n8n';
import {
	REPO_ROOT,
	buildAndPack,
	declaredNodes,
	declaredTypes,
	installIntoUserFolder,
	installedPackages,
	manifest,
} from './package';
import { ensureDebianPackage, freePort, waitFor } from './processes';
import { N8N_VERSION, NODE_VERSION, ensureRuntime } from './runtime';
import { scanSources, scanTarball } from './scan';
import { filesHolding, logFiles, n8nDataFiles } from './stored';

async function runE2e(checks: Checks, workDir: string, cleanups: Cleanups): Promise<void> {
	console.log(`Runtime: Node.js ${NODE_VERSION} and n8n ${N8N_VERSION}`);
	const runtime = await checks.step('Node.js 24 and n8n ready in the cache', () =>
		ensureRuntime((line) => console.log(`    ${line}`)),
	);
	const chromiumReady = await checks.step('Chromium installed', () =>
		ensureDebianPackage(CHROMIUM, 'chromium'),
	);

	console.log('Package');
	const tarball = await checks.step('build and npm pack', () =>
		buildAndPack(join(workDir, 'pack'), join(workDir, 'build.log')),
	);
	if (tarball) {
		await checks.check('n8n verification scan: the packed tarball has no findings', async () =>
			assertScanPassed(await scanTarball(tarball)),
		);
	}
	await checks.check(
		'n8n verification scan: package.json, nodes/ and credentials/ have no findings',
		async () => assertScanPassed(await scanSources(REPO_ROOT)),
	);
	if (!runtime || !tarball) return;

	const userFolder = join(workDir, 'n8n');
	const nodesDir = await checks.step('tarball installed into <user folder>/.n8n/nodes', () =>
		installIntoUserFolder(tarball, userFolder, join(workDir, 'install.log')),
	);
	if (!nodesDir) return;
	const { name: packageName } = manifest();
	await checks.check('the install brought no dependency along', () =>
		deepStrictEqual(installedPackages(nodesDir), [packageName]),
	);

	const sandbox = await startSandbox();
	cleanups.push(() => sandbox.close());
	const modelServer = await startModelServer(agentScript);
	cleanups.push(() => modelServer.close());
	const n8n = new N8n({
		runtime,
		userFolder,
		port: await freePort(),
		brokerPort: await freePort(),
		outboundLog: join(workDir, 'outbound-connections.log'),
	});
	cleanups.push(() => n8n.stop());
	const declared = declaredTypes();

	console.log('n8n CLI');
	await checks.check(`n8n export:nodes lists ${declared.nodes.join(', ')}`, async () => {
		const file = join(workDir, 'nodes.json');
		await n8n.cli(['export:nodes', `--output=${file}`]);
		const exported = JSON.parse(readFileSync(file, 'utf8')) as Array<{
			name: string;
			credentials?: Array<{ name: string }>;
		}>;
		const ours = exported.filter((node) => node.name.startsWith(`${packageName}.`));
		deepStrictEqual(ours.map((node) => node.name).sort(), declared.nodes);
		deepStrictEqual(
			[
				...new Set(
					ours.flatMap((node) => (node.credentials ?? []).map((credential) => credential.name)),
				),
			].sort(),
			declared.credentials,
		);
	});

	const examples = loadExamples(REPO_ROOT);
	const errorSettings = errorSettingsWorkflows(sandbox.state);
	const imported = await checks.step(
		'the sandbox and model credentials, every example workflow, the error settings, agent and editor workflows imported',
		async () => {
			await n8n.importCredentials([
				{
					...CREDENTIAL,
					data: {
						publicKey: SANDBOX_PUBLIC_KEY,
						secretKey: SANDBOX_SECRET_KEY,
						baseUrl: sandbox.baseUrl,
					},
				},
				agentCredential(modelServer),
			]);
			await n8n.importWorkflows([
				...examples.map(({ id, workflow }) => ({ ...workflow, id })),
				...Object.values(errorSettings),
				agentWorkflow(),
				mappingWorkflow(sandbox.state),
			]);
			return true;
		},
	);
	if (!imported) return;

	const startedWith = (kind: StartedBy | undefined) =>
		examples.filter(({ workflow }) => startedBy(workflow) === kind);
	for (const example of startedWith(undefined)) {
		checks.fail(
			`examples/${example.file}`,
			new Error('it has no Manual Trigger, Webhook or polling trigger to start it with'),
		);
	}
	for (const example of startedWith('cli')) {
		await checkExample(checks, example, sandbox, async () => ({
			outputs: outputsOf(await n8n.execute(example.id)),
			sandbox,
		}));
	}
	for (const example of startedWith('webhook')) {
		await checks.step(`examples/${example.file} published`, () =>
			n8n.cli(['publish:workflow', `--id=${example.id}`]),
		);
	}

	console.log('n8n server and editor');
	const rest = await checks.step(
		'n8n start, owner set up through POST /rest/owner/setup',
		async () => {
			await n8n.start();
			return await n8n.setUpOwner();
		},
	);
	if (rest) {
		await checkServedTypes(checks, rest, declared);
		await checkCredentialTest(checks, rest, sandbox, cleanups);
		await checkListSearch(checks, rest, sandbox);
		await checkErrorSettings({ checks, n8n, rest, sandbox, workflows: errorSettings });
		const agentRun = await checkAgent({ checks, n8n, rest, sandbox, modelServer });
		for (const example of startedWith('webhook')) {
			await checkExample(checks, example, sandbox, (seed) =>
				runByWebhook(n8n, rest, example, sandbox, seed),
			);
		}
		for (const example of startedWith('editor')) {
			await checkExample(checks, example, sandbox, () =>
				runFromEditor(n8n, rest, example, sandbox),
			);
		}
		if (chromiumReady) {
			sandbox.reset();
			await checkEditor(checks, {
				baseUrl: n8n.baseUrl,
				sandbox,
				screenshotsDir: join(REPO_ROOT, 'docs/screenshots'),
				expected: editorExpectations(sandbox, agentRun),
			});
		}
		await checkNoKeySaved(
			checks,
			n8n,
			rest,
			Object.keys(EXAMPLES).length + Object.keys(errorSettings).length,
		);
	}
	await n8n.stop();

	await checks.check(
		'the secret key is in no log file and in no file n8n keeps (database, execution data)',
		() => {
			const logs = logFiles(workDir);
			ok(
				logs.some((file) => file.endsWith('n8n-server.log')),
				`no n8n server log among ${logs.join(', ')}`,
			);
			deepStrictEqual(filesHolding(logs, SANDBOX_SECRET_KEY), []);
			const data = n8nDataFiles(userFolder);
			ok(
				data.some((file) => file.endsWith('database.sqlite')),
				`no database among ${data.join(', ')}`,
			);
			deepStrictEqual(filesHolding(data, SANDBOX_SECRET_KEY), []);
		},
	);

	await checks.check('n8n connected to no host but loopback', () =>
		deepStrictEqual(n8n.outboundConnections(), []),
	);
}

async function checkExample(
	checks: Checks,
	example: Example,
	sandbox: Sandbox,
	run: (seed: SandboxState) => Promise<Omit<ExampleRun, 'seed'>>,
): Promise<void> {
	const how = { cli: 'n8n execute', webhook: 'its webhook', editor: 'Execute workflow' }[
		startedBy(example.workflow) as StartedBy
	];
	await checks.check(`examples/${example.file} run by ${how}: outputs and requests`, async () => {
		const expectation = EXAMPLES[example.file];
		ok(expectation, `examples/${example.file} has no expectation in examples/expectations.ts`);
		sandbox.reset();
		const seed = structuredClone(sandbox.state);
		expectation.verify({ ...(await run(seed)), seed });
	});
}

function outputsOf(run: RunData): ExampleRun['outputs'] {
	const { error, runData } = run.data.resultData;
	if (error)
		throw new Error(
			`the workflow failed: ${error.message}${error.description ? ` (${error.description})` : ''}`,
		);
	return Object.fromEntries(
		Object.entries(runData).map(([node, runs]) => [
			node,
			(runs[0]?.data?.main[0] ?? []).map((item) => item.json),
		]),
	);
}

/** Calls the example's production webhook URL, as the CRM would, and reads the execution it started. */
async function runByWebhook(
	n8n: N8n,
	rest: Rest,
	example: Example,
	sandbox: Sandbox,
	seed: SandboxState,
): Promise<Omit<ExampleRun, 'seed'>> {
	const webhook = example.workflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook');
	const response = await fetch(`${n8n.baseUrl}/webhook/${String(webhook?.parameters.path)}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(EXAMPLES[example.file]?.webhookBody?.(seed) ?? {}),
	});
	const webhookResponse = { status: response.status, body: (await response.json()) as unknown };
	return {
		outputs: outputsOf(await finishedExecution(n8n, rest, example.id)),
		sandbox,
		webhookResponse,
	};
}

/** "Execute workflow" in the editor: POST /rest/workflows/:id/run from the trigger, as the button does. */
async function runFromEditor(
	n8n: N8n,
	rest: Rest,
	example: Example,
	sandbox: Sandbox,
): Promise<Omit<ExampleRun, 'seed'>> {
	const trigger = example.workflow.nodes.find((node) => node.type.endsWith('Trigger'));
	await rest.post(`/rest/workflows/${example.id}/run`, {
		triggerToStartFrom: { name: trigger?.name },
	});
	return { outputs: outputsOf(await finishedExecution(n8n, rest, example.id)), sandbox };
}

async function finishedExecution(n8n: N8n, rest: Rest, workflowId: string): Promise<RunData> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const execution = await waitFor(
		async () => {
			const { data } = await rest.get<{ data: { results: Array<{ id: string; status: string }> } }>(
				`/rest/executions?filter=${filter}`,
			);
			return data.results.find((result) => !['new', 'running', 'waiting'].includes(result.status));
		},
		60_000,
		() => `no finished execution of workflow ${workflowId} within 60 s`,
	);
	const { data } = await rest.get<{ data: { data: string } }>(`/rest/executions/${execution.id}`);
	return { data: n8n.parseExecutionData(data.data) };
}

async function checkServedTypes(
	checks: Checks,
	rest: Rest,
	declared: { nodes: string[]; credentials: string[] },
): Promise<void> {
	await checks.check(
		'the server lists the node and credential types, and serves their light and dark icons',
		async () => {
			type ServedType = { name: string; iconUrl?: { light?: string; dark?: string } };
			const nodes = (await rest.get<ServedType[]>('/types/nodes.json')).filter((node) =>
				declared.nodes.includes(node.name),
			);
			deepStrictEqual([...new Set(nodes.map((node) => node.name))].sort(), declared.nodes);
			const credentials = (await rest.get<ServedType[]>('/types/credentials.json')).filter(
				(credential) => declared.credentials.includes(credential.name),
			);
			deepStrictEqual(
				credentials.map((credential) => credential.name).sort(),
				declared.credentials,
			);
			const types = [...nodes, ...credentials];
			deepStrictEqual(
				types.filter((type) => !type.iconUrl?.light || !type.iconUrl.dark).map((type) => type.name),
				[],
				'types without both icons',
			);
			for (const icon of new Set(
				types.flatMap((type) => [type.iconUrl?.light as string, type.iconUrl?.dark as string]),
			)) {
				const response = await fetch(`${rest.baseUrl}/${icon}`);
				const body = await response.text();
				deepStrictEqual(
					[icon, response.status, response.headers.get('content-type')],
					[icon, 200, 'image/svg+xml'],
				);
				ok(body.includes('<svg'), `${icon} is an SVG`);
			}
		},
	);
}

/**
 * Every execution of this run that n8n saved (the examples', the error settings' and the editor's, `runs` at least)
 * without the secret key.
 */
async function checkNoKeySaved(checks: Checks, n8n: N8n, rest: Rest, runs: number): Promise<void> {
	await checks.check('the secret key is in no execution n8n saved', async () => {
		const executions = await n8n.savedExecutions(rest);
		ok(
			executions.length >= runs,
			`${executions.length} saved executions, not the ${runs} or more of this run`,
		);
		// The IDs of the saved executions that hold it.
		deepStrictEqual(
			executions
				.filter((execution) => execution.data.includes(SANDBOX_SECRET_KEY))
				.map((execution) => execution.id),
			[],
		);
	});
}

/** The Automation field's list as the sandbox's account gives it: newest first, each with status, ID and creation day. */
function automationList(
	sandbox: Sandbox,
): Array<{ name: string; value: string; description: string }> {
	return sandbox.state.automations
		.filter((automation) => automation.deleted_at === null)
		.sort((a, b) => b.id - a.id)
		.map((automation) => ({
			name: `${automation.automation_name} (${automation.status === 1 ? 'Live' : 'Draft'}, ID ${automation.id}, created ${automation.created_at.slice(0, 10)})`,
			value: automation.utr,
			description: `UTR ${automation.utr}`,
		}));
}

async function checkListSearch(checks: Checks, rest: Rest, sandbox: Sandbox): Promise<void> {
	sandbox.reset();
	await checks.check(
		'POST /rest/dynamic-node-parameters/resource-locator-results lists the automations',
		async () => {
			const result = await rest.post<{ data: { results: Array<{ name: string; value: string }> } }>(
				'/rest/dynamic-node-parameters/resource-locator-results',
				{
					nodeTypeAndVersion: { name: `${manifest().name}.allsTechnology`, version: 1 },
					methodName: 'searchAutomations',
					path: 'parameters.automation',
					currentNodeParameters: {
						resource: 'automation',
						operation: 'get',
						automation: { __rl: true, mode: 'list', value: '' },
					},
					credentials: { allsTechnologyApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
				},
			);
			deepStrictEqual(result.data.results, automationList(sandbox));
			deepStrictEqual(requestLines(sandbox.requests), ['200 GET /api/automations']);
		},
	);
}

function editorExpectations(sandbox: Sandbox, agentRun: AgentRun | undefined): EditorExpectations {
	const description = declaredNodes().find((node) => node.name === 'allsTechnology');
	ok(description, 'the package declares the allsTechnology node');
	const actions = description.properties
		.filter((property) => property.name === 'operation')
		.flatMap((property) => (property.options ?? []).map((option) => option.action as string));
	const list = automationList(sandbox);
	const pick = list.find((entry) => entry.name.includes('(Live,'));
	ok(pick, 'the sandbox has a live automation');
	return {
		packageName: manifest().name,
		nodeName: description.displayName,
		actions,
		action: { name: 'Get an automation', resource: 'Automation', operation: 'Get' },
		credentialName: CREDENTIAL.name,
		automationList: list.map((entry) => entry.name),
		pick: { name: pick.name, utr: pick.value },
		automationModes: ['From list', 'By UTR', 'By ID'],
		agentRun,
	};
}

function assertScanPassed(result: { passed: boolean; message?: string; details?: string }): void {
	ok(result.passed, `${result.message ?? 'the scan failed'}\n${result.details ?? ''}`);
}

runChecked('e2e', runE2e).then(
	(code) => process.exit(code),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
