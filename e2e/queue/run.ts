/**
 * `npm run test:queue`: this package in n8n's queue mode, the way teams scale n8n out — one main that takes
 * webhooks and polls, two workers that run the executions, Redis between them, PostgreSQL shared by all.
 *
 *  1. Redis and PostgreSQL on loopback ports of their own (services.ts); Node.js 24 and n8n from the cache.
 *  2. Build and `npm pack`; the tarball installed into the user folder of the main and of each worker, as on
 *     separate machines; one N8N_ENCRYPTION_KEY for all.
 *  3. A credential pointing at the sandbox, the CRM example and a read (webhook → Get Many) published, the
 *     trigger workflow imported; the main and the workers started.
 *  4. Load: 300 webhook calls, at most 20 at a time, half to each webhook; every call 2xx, 300 successful
 *     executions in PostgreSQL, run by both workers, each by one, and exactly the sandbox requests they make.
 *  5. Report: a worker stopped with SIGTERM, then one with SIGKILL, in the middle of a batch of creates.
 *  6. The trigger active on the main: two rounds of changes made in the sandbox, each event in exactly one
 *     execution, run on a worker, and nothing more at the next poll.
 *  7. The secret key in no log and in no stored execution; n8n connected to nothing but loopback.
 *
 * Prints one line per check and ends with "queue: N passed, N failed"; `--results <file>` as test:e2e.
 */
import { deepStrictEqual, ok } from 'assert';
import { randomBytes } from 'crypto';
import { join } from 'path';
import type { AutomationRecord, Sandbox } from '../../sandbox/server';
import { SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY, startSandbox } from '../../sandbox/server';
import type { Checks, Cleanups } from '../checks';
import { runChecked, seconds } from '../checks';
import { EXAMPLE_CREDENTIAL, loadExamples, requestLines } from '../examples';
import type { RunData } from '../n8n';
import { N8n, Rest } from '../n8n';
import {
	REPO_ROOT,
	buildAndPack,
	installIntoUserFolder,
	installedPackages,
	manifest,
} from '../package';
import { freePort, waitFor } from '../processes';
import { filesHolding, logFiles } from '../stored';
import type { Runtime } from '../runtime';
import { N8N_VERSION, NODE_VERSION, ensureRuntime } from '../runtime';
import type { Postgres, Redis } from './services';
import { redisCommand, startPostgres, startRedis } from './services';
import {
	READ_WEBHOOK_PATH,
	READ_WORKFLOW,
	TRIGGER_EVENTS_NODE,
	TRIGGER_WORKFLOW,
} from './workflows';

const WEBHOOK_CALLS = 300;
const CALLS_IN_FLIGHT = 20;
const CRM_EXAMPLE_FILE = 'crm-event-duplicate-and-set-live.json';
/** The docs' draft automation the CRM example duplicates. */
const TEMPLATE_AUTOMATION_ID = 5;
/** The docs' live automation. */
const LIVE_AUTOMATION_ID = 3;
/** n8n's Bull queue in Redis (prefix `bull`, queue `jobs`). */
const BULL_KEYS = { active: 'bull:jobs:active', waiting: 'bull:jobs:wait' };
const UNFINISHED = ['new', 'running', 'waiting'];

interface Cluster {
	main: N8n;
	workers: Instance[];
	rest: Rest;
	sandbox: Sandbox;
	postgres: Postgres;
	redis: Redis;
	crm: { workflowId: string; path: string };
}

async function runQueue(checks: Checks, workDir: string, cleanups: Cleanups): Promise<void> {
	console.log(`Runtime: Node.js ${NODE_VERSION} and n8n ${N8N_VERSION}, queue mode`);
	const runtime = await checks.step('Node.js 24 and n8n ready in the cache', () =>
		ensureRuntime((line) => console.log(`    ${line}`)),
	);
	const redis = await checks.step('Redis started on a loopback port of its own', () =>
		startRedis(join(workDir, 'redis')),
	);
	if (redis) cleanups.push(() => redis.stop());
	const postgres = await checks.step(
		'PostgreSQL started on a loopback port of its own (initdb, pg_ctl)',
		() => startPostgres(join(workDir, 'postgres')),
	);
	if (postgres) cleanups.push(() => postgres.stop());
	const tarball = await checks.step('build and npm pack', () =>
		buildAndPack(join(workDir, 'pack'), join(workDir, 'build.log')),
	);
	if (!runtime || !redis || !postgres || !tarball) return;

	const sandbox = await startSandbox();
	cleanups.push(() => sandbox.close());
	const instances = await checks.step(
		'the tarball installed into the user folder of the main and of each worker',
		() => createInstances(runtime, tarball, workDir, queueEnvironment(postgres, redis)),
	);
	if (!instances) return;
	for (const instance of instances) cleanups.push(() => instance.n8n.stop());
	await checks.check('each install brought no dependency along', () => {
		for (const { nodesDir } of instances)
			deepStrictEqual(installedPackages(nodesDir), [manifest().name]);
	});

	const [{ n8n: main }, ...workers] = instances;
	const crmExample = loadExamples(REPO_ROOT).find((example) => example.file === CRM_EXAMPLE_FILE);
	ok(crmExample, `examples/${CRM_EXAMPLE_FILE} exists`);
	const crm = { workflowId: crmExample.id, path: webhookPath(crmExample.workflow) };
	const imported = await checks.step(
		'the sandbox credential imported, the CRM example and the read published, the trigger imported',
		async () => {
			await main.importCredentials([
				{
					...EXAMPLE_CREDENTIAL,
					data: {
						publicKey: SANDBOX_PUBLIC_KEY,
						secretKey: SANDBOX_SECRET_KEY,
						baseUrl: sandbox.baseUrl,
					},
				},
			]);
			await main.importWorkflows([
				{ ...crmExample.workflow, id: crmExample.id },
				READ_WORKFLOW,
				TRIGGER_WORKFLOW,
			]);
			for (const workflowId of [crm.workflowId, READ_WORKFLOW.id])
				await main.cli(['publish:workflow', `--id=${workflowId}`]);
			return true;
		},
	);
	if (!imported) return;

	const rest = await checks.step(
		'n8n start (the main) and two n8n workers ready; the owner set up',
		async () => {
			await main.start('start');
			await Promise.all(workers.map((worker) => worker.n8n.start('worker')));
			return await main.setUpOwner();
		},
	);
	if (!rest) return;
	const cluster: Cluster = { main, workers, rest, sandbox, postgres, redis, crm };
	const registered = await checks.step(
		'both webhooks registered on the main (answer other than 404)',
		async () => {
			await waitForWebhooks(main, [crm.path, READ_WEBHOOK_PATH]);
			return true;
		},
	);
	if (!registered) return;

	console.log(
		`Load: ${WEBHOOK_CALLS} webhook calls, at most ${CALLS_IN_FLIGHT} at a time, the sandbox answering after 40 ms`,
	);
	await checkLoad(checks, cluster);

	console.log('Report: a worker stopped in the middle of a batch of creates');
	for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
		await checks.step(
			`${workers[0].name} stopped with ${signal} mid-batch, then started again`,
			() => reportWorkerStop(cluster, signal),
		);
	}

	console.log('The AllsTechnology Trigger, active on the main');
	await checkTrigger(checks, cluster);

	await Promise.all(instances.map(({ n8n }) => n8n.stop()));
	await checks.check(
		'the secret key is in no log file and in no execution stored in PostgreSQL',
		async () => {
			const logs = logFiles(workDir);
			ok(logs.length > 0, 'no log file found');
			deepStrictEqual(filesHolding(logs, SANDBOX_SECRET_KEY), []);
			deepStrictEqual(
				await postgres.query(
					`SELECT count(*) FROM execution_data WHERE data LIKE '%${SANDBOX_SECRET_KEY}%'`,
				),
				[['0']],
			);
		},
	);
	await checks.check('n8n (main, workers, CLI) connected to no host but loopback', () =>
		deepStrictEqual(main.outboundConnections(), []),
	);
}

function queueEnvironment(postgres: Postgres, redis: Redis): NodeJS.ProcessEnv {
	return {
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		// Every instance decrypts the credential with it; n8n would otherwise make a key per user folder.
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('base64'),
	};
}

interface Instance {
	name: string;
	n8n: N8n;
	/** Where the tarball was installed: `<user folder>/.n8n/nodes`. */
	nodesDir: string;
}

/** The main and two workers, each with its own user folder and the tarball installed into it. */
async function createInstances(
	runtime: Runtime,
	tarball: string,
	workDir: string,
	env: NodeJS.ProcessEnv,
): Promise<Instance[]> {
	const names = ['main', 'worker-1', 'worker-2'];
	const nodesDirs = await Promise.all(
		names.map((name) =>
			installIntoUserFolder(tarball, join(workDir, name), join(workDir, `install-${name}.log`)),
		),
	);
	const instances: Instance[] = [];
	for (const [index, name] of names.entries()) {
		const n8n = new N8n({
			runtime,
			userFolder: join(workDir, name),
			port: await freePort(),
			brokerPort: await freePort(),
			outboundLog: join(workDir, 'outbound-connections.log'),
			env,
		});
		instances.push({ name, n8n, nodesDir: nodesDirs[index] });
	}
	return instances;
}

function webhookPath(workflow: {
	nodes: Array<{ type: string; parameters: Record<string, unknown> }>;
}): string {
	const webhook = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook');
	return String(webhook?.parameters.path);
}

/**
 * The main answers its health check before it has registered the published webhooks. A CORS preflight names
 * the path without running the workflow, and answers 404 until the path is registered.
 */
async function waitForWebhooks(main: N8n, paths: string[]): Promise<void> {
	for (const path of paths) {
		await waitFor(
			async () => {
				const response = await fetch(`${main.baseUrl}/webhook/${path}`, {
					method: 'OPTIONS',
					headers: { origin: main.baseUrl, 'access-control-request-method': 'POST' },
				}).catch(() => undefined);
				return response && response.status !== 404 ? true : undefined;
			},
			120_000,
			() => `POST /webhook/${path} was not registered within 120 s`,
		);
	}
}

async function callWebhook(main: N8n, path: string, body: object): Promise<number> {
	const response = await fetch(`${main.baseUrl}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	await response.arrayBuffer();
	return response.status;
}

async function checkLoad(checks: Checks, cluster: Cluster): Promise<void> {
	const { main, sandbox, postgres, crm } = cluster;
	sandbox.reset();
	// The latency fault's default: 40 ms before each answer.
	sandbox.faults = [{ kind: 'latency' }];
	const templateUtr = automation(sandbox, TEMPLATE_AUTOMATION_ID).utr;
	const seedIds = new Set(sandbox.state.automations.map((record) => record.id));
	const firstId = (await lastExecutionId(postgres)) + 1;
	const calls = Array.from({ length: WEBHOOK_CALLS }, (_, index) =>
		index % 2 === 0
			? () => callWebhook(main, crm.path, { templateAutomationUtr: templateUtr })
			: () => callWebhook(main, READ_WEBHOOK_PATH, {}),
	);
	const started = Date.now();
	const statuses = await mapConcurrently(calls, CALLS_IN_FLIGHT, (call) => call());
	const answeredMs = Date.now() - started;
	const executions = await checks.step(`the ${WEBHOOK_CALLS} executions finished`, () =>
		waitForFinished(
			postgres,
			[crm.workflowId, READ_WORKFLOW.id],
			firstId,
			WEBHOOK_CALLS,
			5 * 60_000,
		),
	);
	sandbox.faults = [];

	await checks.check(`all ${WEBHOOK_CALLS} webhook calls answered 2xx`, () =>
		deepStrictEqual(
			countBy(statuses.map((status) => (status >= 200 && status < 300 ? '2xx' : String(status)))),
			{ '2xx': WEBHOOK_CALLS },
		),
	);
	if (!executions) return;
	const half = WEBHOOK_CALLS / 2;
	await checks.check(
		`${WEBHOOK_CALLS} successful executions recorded in PostgreSQL, ${half} of each workflow`,
		() =>
			deepStrictEqual(
				countBy(executions.map((execution) => `${execution.workflowId} ${execution.status}`)),
				{
					[`${crm.workflowId} success`]: half,
					[`${READ_WORKFLOW.id} success`]: half,
				},
			),
	);
	await checks.check(
		'both workers ran executions, and each execution ran on exactly one worker',
		() => {
			const runs = workerRuns(
				cluster,
				executions.map((execution) => execution.id),
			);
			console.log(
				`    ${cluster.workers.map(({ name }) => `${name} ran ${runs.finishedBy[name].length}`).join(', ')}`,
			);
			deepStrictEqual(runs.notOnExactlyOneWorker, []);
			for (const { name } of cluster.workers)
				ok(runs.finishedBy[name].length > 0, `${name} ran none`);
		},
	);
	await checks.check(
		`the sandbox saw exactly the requests of ${half} duplicates and set-lives and ${half} lists, none lost, none twice`,
		() => {
			const copies = sandbox.state.automations.filter((record) => !seedIds.has(record.id));
			deepStrictEqual(
				[copies.length, copies.filter((copy) => copy.status === 1).length],
				[half, half],
				'[copies, live copies]',
			);
			const expected = [
				...Array.from(
					{ length: half },
					() => `200 GET /api/automations/duplicate?utr=${templateUtr}`,
				),
				// The reads' lists, and the list each duplicate makes before it (to find a duplicate whose answer gets lost).
				...Array.from({ length: 2 * half }, () => '200 GET /api/automations'),
				...copies.flatMap((copy) => [
					`200 GET /api/automations/details?utr=${copy.utr}`,
					`200 GET /api/automations/set-live?utr=${copy.utr}`,
				]),
			];
			deepStrictEqual(requestLines(sandbox.requests).sort(), expected.sort());
		},
	);

	const [span] = await postgres.query(
		`SELECT extract(epoch FROM max("stoppedAt") - min("createdAt")) FROM execution_entity WHERE id >= ${firstId} AND "workflowId" IN ('${crm.workflowId}', '${READ_WORKFLOW.id}')`,
	);
	const spanSeconds = Number(span[0]);
	console.log(
		`    report: ${WEBHOOK_CALLS} calls answered in ${seconds(answeredMs)}; ${WEBHOOK_CALLS} executions from the first created to the last ` +
			`finished in ${spanSeconds.toFixed(1)} s: ${(WEBHOOK_CALLS / spanSeconds).toFixed(1)} executions/s through two workers`,
	);
}

/**
 * Report, not assert: a batch of CRM events (each a duplicate, which the sandbox answers after 3 s, then a read
 * and a set-live), the first worker stopped with `signal` while it runs some of them, and what became of each
 * execution and each create.
 */
async function reportWorkerStop(cluster: Cluster, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
	const { main, sandbox, postgres, redis, crm } = cluster;
	const [stopped] = cluster.workers;
	const batch = 30;
	sandbox.reset();
	sandbox.faults = [
		{
			kind: 'latency',
			ms: 3000,
			match: (request) => request.path === '/api/automations/duplicate',
		},
	];
	const templateUtr = automation(sandbox, TEMPLATE_AUTOMATION_ID).utr;
	const seedIds = new Set(sandbox.state.automations.map((record) => record.id));
	const duplicates = () =>
		sandbox.requests.filter((request) => request.path === '/api/automations/duplicate').length;
	const firstId = (await lastExecutionId(postgres)) + 1;

	const statuses = await mapConcurrently(Array.from({ length: batch }), CALLS_IN_FLIGHT, () =>
		callWebhook(main, crm.path, { templateAutomationUtr: templateUtr }),
	);
	// Both workers busy: 10 executions each (n8n's default concurrency), the rest waiting in the queue.
	await waitFor(
		async () => (duplicates() >= 20 ? true : undefined),
		60_000,
		() => `only ${duplicates()} duplicates reached the sandbox`,
	);
	const ids = (await executionsSince(postgres, [crm.workflowId], firstId)).map(
		(execution) => execution.id,
	);
	const inFlight = workerRuns(cluster, ids).startedBy[stopped.name].length;
	const stopping = Date.now();
	await stopped.n8n.stop(60_000, signal);
	const stopMs = Date.now() - stopping;

	// After a SIGKILL the job stays in Bull's active list until its lock expires (60 s) and a stalled-job check
	// (every 30 s) on the other worker finds it.
	const settled = await waitFor(
		async () => {
			const [active, waiting] = await Promise.all([
				redisCommand(redis.port, ['LLEN', BULL_KEYS.active]),
				redisCommand(redis.port, ['LLEN', BULL_KEYS.waiting]),
			]);
			const executions = await executionsSince(postgres, [crm.workflowId], firstId);
			const running = executions.filter((execution) =>
				UNFINISHED.includes(execution.status),
			).length;
			return active === ':0' && waiting === ':0' && (running === 0 || signal === 'SIGKILL')
				? Date.now()
				: undefined;
		},
		180_000,
		() => 'the queue did not empty within 180 s',
	).catch(() => undefined);
	// A stalled job that Bull gave back to the queue would be running again by now.
	await new Promise((resolve) => setTimeout(resolve, 5000));

	const executions = await executionsSince(postgres, [crm.workflowId], firstId);
	const runs = workerRuns(
		cluster,
		executions.map((execution) => execution.id),
	);
	const copies = sandbox.state.automations.filter((record) => !seedIds.has(record.id));
	const setLives = sandbox.requests.filter(
		(request) => request.path === '/api/automations/set-live',
	).length;
	sandbox.faults = [];
	console.log(
		[
			`    report, ${signal}: ${batch} calls answered ${JSON.stringify(countBy(statuses.map(String)))}; ${stopped.name} had ${inFlight} executions in flight; ` +
				`it exited ${seconds(stopMs)} after the signal`,
			`      executions by status ${settled ? `once the queue was empty (${seconds(settled - stopping)} after the signal)` : 'after 180 s, the queue not empty'}: ` +
				JSON.stringify(countBy(executions.map((execution) => execution.status))),
			`      started twice (re-run): ${runs.startedTwice.length}; finished ${cluster.workers.map(({ name }) => `by ${name} ${runs.finishedBy[name].length}`).join(', ')}`,
			`      sandbox: ${duplicates()} duplicate requests, ${copies.length} copies created, ${setLives} set-live requests, ${copies.filter((copy) => copy.status === 1).length} copies live`,
		].join('\n'),
	);
	await stopped.n8n.start('worker');
}

async function checkTrigger(checks: Checks, cluster: Cluster): Promise<void> {
	const { rest, sandbox, postgres } = cluster;
	sandbox.reset();
	// Polls answered: a change made after an answer is the next poll's to find.
	const polls = () =>
		sandbox.requests.filter(
			(request) => request.path === '/api/automations' && request.status !== 0,
		).length;
	const firstId = (await lastExecutionId(postgres)) + 1;
	// The automations the rounds create: made through the sandbox's API before the trigger is active, and hidden
	// (soft-deleted) until their round shows them, so that each round's changes all happen between two polls.
	const createdLater: AutomationRecord[] = [];
	for (const name of ['Created while the trigger polls', 'Created at the second round']) {
		const record = automation(sandbox, await createAutomation(sandbox, name));
		record.deleted_at = new Date().toISOString();
		createdLater.push(record);
	}
	const activated = await checks.step(
		'the trigger workflow activated through REST; its first poll recorded the account',
		async () => {
			const { data } = await rest.get<{ data: { versionId: string } }>(
				`/rest/workflows/${TRIGGER_WORKFLOW.id}`,
			);
			await rest.post(`/rest/workflows/${TRIGGER_WORKFLOW.id}/activate`, {
				versionId: data.versionId,
			});
			// n8n 2.40 activates through its publication outbox, after the request has been answered.
			return await waitFor(
				async () => (polls() > 0 ? true : undefined),
				60_000,
				() => 'no poll within 60 s of activation',
			);
		},
	);
	if (!activated) return;

	const live = automation(sandbox, LIVE_AUTOMATION_ID);
	const draft = automation(sandbox, TEMPLATE_AUTOMATION_ID);
	const rounds: Array<{ change: () => Array<[string, string]>; description: string }> = [
		{
			description:
				'an automation created, one paused, one set live, one with more deliveries, one deleted',
			change: () => {
				const created = createdLater[0];
				created.deleted_at = null;
				live.status = 0;
				draft.status = 1;
				const grown = automation(sandbox, 6);
				grown.total_delivered += 5;
				const deleted = automation(sandbox, 8);
				deleted.deleted_at = new Date().toISOString();
				return [
					['automationCreated', created.utr],
					['automationPaused', live.utr],
					['automationWentLive', draft.utr],
					['statsChanged', grown.utr],
					['automationDeleted', deleted.utr],
				];
			},
		},
		{
			description: 'the paused automation set live again, another created',
			change: () => {
				live.status = 1;
				const created = createdLater[1];
				created.deleted_at = null;
				return [
					['automationWentLive', live.utr],
					['automationCreated', created.utr],
				];
			},
		},
	];
	const eventsByExecution: string[] = [];
	for (const [index, round] of rounds.entries()) {
		const expected = round.change();
		const found = await checks.step(
			`round ${index + 1} (${round.description}): an execution of the trigger workflow finished`,
			() => waitForFinished(postgres, [TRIGGER_WORKFLOW.id], firstId, index + 1, 150_000),
		);
		if (!found) return;
		const execution = found[index];
		await checks.check(
			`round ${index + 1}: execution ${execution.id} succeeded on a worker with exactly its ${expected.length} events`,
			async () => {
				deepStrictEqual(execution.status, 'success');
				const runs = workerRuns(cluster, [execution.id]);
				deepStrictEqual(runs.notOnExactlyOneWorker, []);
				const events = (await eventItems(cluster, execution.id)).map((item) => [
					item.event,
					(item.automation as { utr: string }).utr,
				]);
				deepStrictEqual(events.map(String).sort(), expected.map(String).sort());
				eventsByExecution.push(
					`${execution.id} on ${cluster.workers.find(({ name }) => runs.finishedBy[name].length > 0)?.name}: ${events.length} events`,
				);
			},
		);
	}

	const pollsSoFar = polls();
	await checks.check(
		'the next poll, with nothing changed, starts no execution: every event ran exactly once',
		async () => {
			await waitFor(
				async () => (polls() > pollsSoFar ? true : undefined),
				90_000,
				() => 'no poll within 90 s',
			);
			await new Promise((resolve) => setTimeout(resolve, 5000));
			const executions = await executionsSince(postgres, [TRIGGER_WORKFLOW.id], firstId);
			deepStrictEqual(executions.length, rounds.length, 'executions of the trigger workflow');
			deepStrictEqual(
				workerRuns(
					cluster,
					executions.map((execution) => execution.id),
				).startedTwice,
				[],
			);
		},
	);
	console.log(`    trigger executions: ${eventsByExecution.join('; ')}; ${polls()} polls in all`);
}

/** The items the trigger's execution passed to the node after it, read through REST. */
async function eventItems(
	cluster: Cluster,
	executionId: number,
): Promise<Array<Record<string, unknown>>> {
	const { data } = await cluster.rest.get<{ data: { data: string } }>(
		`/rest/executions/${executionId}`,
	);
	const run: RunData['data'] = cluster.main.parseExecutionData(data.data);
	const { error, runData } = run.resultData;
	if (error) throw new Error(`the execution failed: ${error.message}`);
	return (runData[TRIGGER_EVENTS_NODE]?.[0]?.data?.main[0] ?? []).map((item) => item.json);
}

/** The sandbox's automation with this id or UTR. */
function automation(sandbox: Sandbox, idOrUtr: number | string): AutomationRecord {
	const record = sandbox.state.automations.find(
		(candidate) => candidate.id === idOrUtr || candidate.utr === idOrUtr,
	);
	if (!record) throw new Error(`the sandbox has no automation ${idOrUtr}`);
	return record;
}

/** A new draft automation, created through the sandbox's API as AllsTechnology's web app would; returns its UTR. */
async function createAutomation(sandbox: Sandbox, name: string): Promise<string> {
	const form = new FormData();
	for (const [field, value] of Object.entries({
		type: 'custom',
		automation_name: name,
		unsubscribe_group_id: '3',
	}))
		form.append(field, value);
	const response = await fetch(`${sandbox.baseUrl}/automations/create`, {
		method: 'POST',
		headers: { PublicKey: SANDBOX_PUBLIC_KEY, SecretKey: SANDBOX_SECRET_KEY },
		body: form,
	});
	const answer = (await response.json()) as { message: { utr: string } };
	deepStrictEqual(
		response.status,
		200,
		`creating "${name}" in the sandbox answered ${JSON.stringify(answer)}`,
	);
	return answer.message.utr;
}

interface Execution {
	id: number;
	workflowId: string;
	status: string;
}

async function lastExecutionId(postgres: Postgres): Promise<number> {
	const [[id]] = await postgres.query('SELECT coalesce(max(id), 0) FROM execution_entity');
	return Number(id);
}

async function executionsSince(
	postgres: Postgres,
	workflowIds: string[],
	firstId: number,
): Promise<Execution[]> {
	const rows = await postgres.query(
		`SELECT id, "workflowId", status FROM execution_entity WHERE id >= ${firstId} AND "workflowId" IN (${workflowIds.map((id) => `'${id}'`).join(', ')}) ORDER BY id`,
	);
	return rows.map(([id, workflowId, status]) => ({ id: Number(id), workflowId, status }));
}

/** Waits until `count` executions of the workflows exist and none is unfinished; returns them in order. */
async function waitForFinished(
	postgres: Postgres,
	workflowIds: string[],
	firstId: number,
	count: number,
	timeoutMs: number,
): Promise<Execution[]> {
	let last: Execution[] = [];
	return await waitFor(
		async () => {
			last = await executionsSince(postgres, workflowIds, firstId);
			return last.length >= count &&
				last.every((execution) => !UNFINISHED.includes(execution.status))
				? last
				: undefined;
		},
		timeoutMs,
		() =>
			`expected ${count} finished executions within ${timeoutMs / 1000} s; by status: ${JSON.stringify(countBy(last.map((execution) => execution.status)))}`,
	);
}

interface WorkerRuns {
	startedBy: Record<string, number[]>;
	finishedBy: Record<string, number[]>;
	/** Executions not finished by exactly one worker, or finished more than once. */
	notOnExactlyOneWorker: number[];
	/** Executions a worker started more than once, or more than one worker started. */
	startedTwice: number[];
}

/**
 * Which worker ran which of `ids`, from the workers' logs: the executions table has no worker column, and each
 * worker logs "Worker started execution 12 (job 12)" and "Worker finished execution 12 (job 12)".
 */
function workerRuns(cluster: Cluster, ids: number[]): WorkerRuns {
	const wanted = new Set(ids);
	const logged = (log: string, verb: string) =>
		[...log.matchAll(new RegExp(`Worker ${verb} execution (\\d+) \\(job`, 'g'))]
			.map((match) => Number(match[1]))
			.filter((id) => wanted.has(id));
	const startedBy: Record<string, number[]> = {};
	const finishedBy: Record<string, number[]> = {};
	for (const { name, n8n } of cluster.workers) {
		const log = n8n.output('worker');
		startedBy[name] = logged(log, 'started');
		finishedBy[name] = logged(log, 'finished');
	}
	const times = (lists: Record<string, number[]>) =>
		countBy(Object.values(lists).flat().map(String));
	const finished = times(finishedBy);
	const started = times(startedBy);
	return {
		startedBy,
		finishedBy,
		notOnExactlyOneWorker: ids.filter((id) => finished[id] !== 1),
		startedTwice: ids.filter((id) => (started[id] ?? 0) > 1),
	};
}

/** Calls `run` on every item, at most `limit` at a time; the results in the items' order. */
async function mapConcurrently<T, R>(
	items: T[],
	limit: number,
	run: (item: T) => Promise<R>,
): Promise<R[]> {
	const results: R[] = [];
	let next = 0;
	const lane = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await run(items[index]);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
	return results;
}

function countBy(values: string[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
	return counts;
}

/** Every *.log file under `folder`: what n8n, Redis, PostgreSQL, npm and the CLI wrote. */
runChecked('queue', runQueue).then(
	(code) => process.exit(code),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
