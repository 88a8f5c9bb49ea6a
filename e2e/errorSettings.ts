/**
 * n8n's own error settings on the AllsTechnology node, in a real n8n: Settings → On Error → "Continue (using error
 * output)" and Settings → Retry On Fail. Each workflow is built here, imported with the examples and started as
 * "Execute workflow" does; its saved execution and the sandbox's requests and records are asserted.
 */
import { deepStrictEqual, match, ok } from 'assert';
import type { Fault, RecordedRequest, Sandbox, SandboxState } from '../sandbox/server';
import { SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY } from '../sandbox/server';
import type { Checks } from './checks';
import { EXAMPLE_CREDENTIAL, requestLines } from './examples';
import type { N8n, Rest, RunData, RunItem, SavedExecution } from './n8n';
import { manifest } from './package';

const TRIGGER = 'Start';
const NODE = 'AllsTechnology';
/** The No Operation nodes on the node's outputs: the success output, then the error output. */
const SUCCESS_OUTPUT = 'Succeeded';
const ERROR_OUTPUT = 'Failed';

/** A UTR shaped like the API's, of no automation in the sandbox. */
const UNKNOWN_UTR = 'ffffffff-8d1c-11ee-91c4-b42e9970e591';

const RETRY_NAMES = ['E2E retry 1', 'E2E retry 2', 'E2E retry 3', 'E2E retry 4'];
/** The node's Settings for Retry On Fail: n8n waits at least 1 s between tries whatever Wait Between Tries says. */
const RETRY_ON_FAIL = { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 };

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	[setting: string]: unknown;
}

export interface E2eWorkflow {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: 'main'; index: number }>> }
	>;
	settings: { executionOrder: 'v1' };
	pinData: Record<string, never>;
}

/**
 * Manual Trigger → one item per value of `values`, as `{ [field]: value }` (Edit Fields, then Split Out) → the
 * AllsTechnology node with `parameters` and `settings` → its success output into one No Operation node and, with
 * an error output, that one into another.
 */
function itemsThroughNode(
	id: string,
	name: string,
	items: { field: string; values: string[] },
	node: { parameters: Record<string, unknown>; settings: Record<string, unknown> },
): E2eWorkflow {
	const nodeId = (index: number) => `${id}-node-${index}`;
	const hasErrorOutput = node.settings.onError === 'continueErrorOutput';
	const nodes: WorkflowNode[] = [
		{
			id: nodeId(1),
			name: TRIGGER,
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: nodeId(2),
			name: 'Items',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [220, 0],
			parameters: {
				mode: 'raw',
				jsonOutput: JSON.stringify({ [items.field]: items.values }),
				options: {},
			},
		},
		{
			id: nodeId(3),
			name: 'One Item Each',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [440, 0],
			parameters: { fieldToSplitOut: items.field, options: {} },
		},
		{
			id: nodeId(4),
			name: NODE,
			type: `${manifest().name}.allsTechnology`,
			typeVersion: 1,
			position: [660, 0],
			parameters: node.parameters,
			credentials: {
				allsTechnologyApi: { id: EXAMPLE_CREDENTIAL.id, name: EXAMPLE_CREDENTIAL.name },
			},
			...node.settings,
		},
		{
			id: nodeId(5),
			name: SUCCESS_OUTPUT,
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [880, -100],
			parameters: {},
		},
	];
	const outputs = [[{ node: SUCCESS_OUTPUT, type: 'main' as const, index: 0 }]];
	if (hasErrorOutput) {
		nodes.push({
			id: nodeId(6),
			name: ERROR_OUTPUT,
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [880, 100],
			parameters: {},
		});
		outputs.push([{ node: ERROR_OUTPUT, type: 'main', index: 0 }]);
	}
	return {
		id,
		name,
		nodes,
		connections: {
			[TRIGGER]: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'One Item Each', type: 'main', index: 0 }]] },
			'One Item Each': { main: [[{ node: NODE, type: 'main', index: 0 }]] },
			[NODE]: { main: outputs },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** Simplify off: the success output is then the API's records whole (detailsOutput), compared with the sandbox's answers. */
const GET_BY_UTR = {
	resource: 'automation',
	operation: 'get',
	automation: { __rl: true, mode: 'id', value: '={{ $json.utr }}' },
	simplify: false,
};

/** Three UTRs: the seed's first two automations, with one the API does not know between them. */
function errorOutputUtrs(seed: SandboxState): string[] {
	const known = seed.automations
		.filter((automation) => automation.deleted_at === null)
		.map((automation) => automation.utr);
	return [known[0], UNKNOWN_UTR, known[1]];
}

/** Twelve UTRs, more than the node holds in flight: the seed's automations over and over, the 6th one unknown. */
function manyGetsUtrs(seed: SandboxState): string[] {
	const known = seed.automations
		.filter((automation) => automation.deleted_at === null)
		.map((automation) => automation.utr);
	return Array.from({ length: 12 }, (_, index) =>
		index === 5 ? UNKNOWN_UTR : known[index % known.length],
	);
}

/** The workflows are built from the seed, which every check restores with sandbox.reset() first. */
export function errorSettingsWorkflows(
	seed: SandboxState,
): Record<
	'errorOutput' | 'echoedKeys' | 'oneListForManyGets' | 'retryAnswerLost' | 'retryNotCreated',
	E2eWorkflow
> {
	const getMany = (id: string, name: string, utrs: string[]) =>
		itemsThroughNode(
			id,
			name,
			{ field: 'utr', values: utrs },
			{ parameters: GET_BY_UTR, settings: { onError: 'continueErrorOutput' } },
		);
	const creates = (id: string, name: string) =>
		itemsThroughNode(
			id,
			name,
			{ field: 'name', values: RETRY_NAMES },
			{
				parameters: {
					resource: 'automation',
					operation: 'create',
					type: 'custom',
					automationName: '={{ $json.name }}',
					unsubscribeGroupId: 3,
					additionalFields: {},
				},
				settings: RETRY_ON_FAIL,
			},
		);
	return {
		errorOutput: getMany(
			'allse2eerrorout1',
			'e2e: Get three automations, one unknown, with an error output',
			errorOutputUtrs(seed),
		),
		echoedKeys: getMany(
			'allse2eerrorout2',
			'e2e: Get three automations, an answer echoing the keys, with an error output',
			errorOutputUtrs(seed),
		),
		oneListForManyGets: getMany(
			'allse2eonelist01',
			'e2e: Get twelve automations, one unknown, with an error output',
			manyGetsUtrs(seed),
		),
		retryAnswerLost: creates(
			'allse2eretryfai1',
			'e2e: four creates with Retry On Fail, one answer lost after the create',
		),
		retryNotCreated: creates(
			'allse2eretryfai2',
			'e2e: four creates with Retry On Fail, one refused with HTTP 500',
		),
	};
}

/** The node's outputs in a run: each output's items, in order. */
function nodeOutputs(run: RunData, node: string): RunItem[][] {
	const runs = run.data.resultData.runData[node];
	ok(runs?.length === 1, `${node} ran ${runs?.length ?? 0} times, not once`);
	return (runs[0].data?.main ?? []).map((items) => items ?? []);
}

function pairing(item: RunItem): number | undefined {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return paired?.item;
}

function describeError(error: { message: string; description?: string }): string {
	return `${error.message}${error.description ? ` (${error.description})` : ''}`;
}

function succeeded(run: RunData): void {
	const { error } = run.data.resultData;
	if (error) throw new Error(`the workflow failed: ${describeError(error)}`);
}

/** How the run ended, and each output's items of the node (pairing and UTR). */
function describeRun(run: RunData): string {
	const { error, runData } = run.data.resultData;
	const outputs = (runData[NODE] ?? []).map((nodeRun) =>
		nodeRun.error
			? `the node failed: ${describeError(nodeRun.error)}`
			: JSON.stringify(
					(nodeRun.data?.main ?? []).map((items) =>
						(items ?? []).map((item) => [pairing(item), item.json.utr]),
					),
				),
	);
	return `${error ? `failed: ${describeError(error)}` : 'succeeded'}; ${NODE}: ${outputs.join('; ') || 'did not run'}`;
}

/** Runs `body`; a failure's reason gets `context()` added. */
async function withContext(context: () => string, body: () => unknown): Promise<void> {
	try {
		await body();
	} catch (error) {
		if (error instanceof Error) error.message = `${error.message}\n${context()}`;
		throw error;
	}
}

/** The sandbox's answer to Get of `utr` as the node outputs it with Simplify off: the status in words, the API's number as status_code. */
function detailsOutput(sandbox: Sandbox, utr: string): unknown {
	const request = sandbox.requests.find(
		(candidate) => candidate.path === '/api/automations/details' && candidate.query.utr === utr,
	);
	const automation = (
		request?.response as { message?: { automation?: Record<string, unknown> } } | undefined
	)?.message?.automation;
	return (
		automation && {
			...automation,
			status: automation.status === 1 ? 'live' : 'draft',
			status_code: automation.status,
		}
	);
}

/** The sandbox's list answer, each automation as Get outputs it with Simplify off (the list's count of emails left out). */
function listedAsDetails(sandbox: Sandbox): Map<string, unknown> {
	const request = sandbox.requests.find((candidate) => candidate.path === '/api/automations');
	const listed =
		(request?.response as { message?: { automations?: Array<Record<string, unknown>> } })?.message
			?.automations ?? [];
	return new Map(
		listed.map(({ automation_schedule_count: _count, ...automation }) => [
			automation.utr as string,
			{
				...automation,
				status: automation.status === 1 ? 'live' : 'draft',
				status_code: automation.status,
			},
		]),
	);
}

export interface ErrorSettingsContext {
	checks: Checks;
	n8n: N8n;
	rest: Rest;
	sandbox: Sandbox;
	workflows: ReturnType<typeof errorSettingsWorkflows>;
}

/**
 * Runs `workflow` as "Execute workflow" does and hands its saved execution to `verify`; a failure's reason also
 * tells the requests the sandbox received and how the run ended.
 */
async function runAndVerify(
	{ n8n, rest, sandbox }: ErrorSettingsContext,
	workflow: E2eWorkflow,
	verify: (result: RunData, saved: SavedExecution) => void,
): Promise<void> {
	const saved = await n8n.runFromEditor(rest, workflow.id, TRIGGER);
	const result: RunData = { data: n8n.parseExecutionData(saved.data) };
	await withContext(
		() => `requests:\n${requestLines(sandbox.requests).join('\n')}\nrun: ${describeRun(result)}`,
		() => verify(result, saved),
	);
}

export async function checkErrorSettings(context: ErrorSettingsContext): Promise<void> {
	const { checks, sandbox, workflows } = context;

	sandbox.reset();
	await checks.check(
		"On Error → Continue (using error output): the unknown UTR on the error output with the API's message, the others on the success output, pairing kept",
		async () => {
			const utrs = errorOutputUtrs(sandbox.state);
			await runAndVerify(context, workflows.errorOutput, (result) => {
				succeeded(result);
				deepStrictEqual(
					requestLines(sandbox.requests).sort(),
					[
						`200 GET /api/automations/details?utr=${utrs[0]}`,
						`404 GET /api/automations/details?utr=${UNKNOWN_UTR}`,
						`200 GET /api/automations/details?utr=${utrs[2]}`,
					].sort(),
				);
				const [success, failure, ...more] = nodeOutputs(result, NODE);
				deepStrictEqual(more, [], 'the node has more than two outputs');
				deepStrictEqual(
					success.map((item) => [pairing(item), item.json]),
					[
						[0, detailsOutput(sandbox, utrs[0])],
						[2, detailsOutput(sandbox, utrs[2])],
					],
				);
				// n8n adds the input item's fields (the UTR) to an item it sends to the error output.
				deepStrictEqual(
					failure.map((item) => [pairing(item), item.json.utr]),
					[[1, UNKNOWN_UTR]],
				);
				match(String(failure[0].json.error), /Record not found/i);
				deepStrictEqual(
					nodeOutputs(result, SUCCESS_OUTPUT)[0].map((item) => item.json),
					success.map((item) => item.json),
				);
				deepStrictEqual(
					nodeOutputs(result, ERROR_OUTPUT)[0].map((item) => item.json),
					failure.map((item) => item.json),
				);
			});
		},
	);

	sandbox.reset();
	await checks.check(
		'On Error → Continue (using error output): an answer quoting the keys sends its item to the error output without them',
		async () => {
			const utrs = errorOutputUtrs(sandbox.state);
			sandbox.faults.push({
				kind: 'echoKeys',
				echoHeaders: true,
				route: 'GET automations/details',
				match: (request) => request.query.utr === utrs[0],
			});
			await runAndVerify(context, workflows.echoedKeys, (result, saved) => {
				const echoed = sandbox.requests.find((request) => request.query.utr === utrs[0]);
				ok(
					JSON.stringify(echoed?.response).includes(SANDBOX_SECRET_KEY),
					'the sandbox answered with the secret key',
				);
				succeeded(result);
				const [success, failure] = nodeOutputs(result, NODE);
				deepStrictEqual(
					[success.map(pairing), failure.map((item) => [pairing(item), item.json.utr])],
					[
						[2],
						[
							[0, utrs[0]],
							[1, UNKNOWN_UTR],
						],
					],
				);
				match(String(failure[0].json.error), /Invalid secret key/);
				for (const key of [SANDBOX_SECRET_KEY, SANDBOX_PUBLIC_KEY]) {
					deepStrictEqual(saved.data.includes(key), false, `the saved execution holds ${key}`);
				}
			});
		},
	);

	sandbox.reset();
	await checks.check(
		'Options → One List for Many Gets (the default): 12 Gets send one GET /api/automations, the unknown UTR alone asks for its details and goes to the error output',
		async () => {
			const utrs = manyGetsUtrs(sandbox.state);
			await runAndVerify(context, workflows.oneListForManyGets, (result) => {
				succeeded(result);
				deepStrictEqual(requestLines(sandbox.requests), [
					'200 GET /api/automations',
					`404 GET /api/automations/details?utr=${UNKNOWN_UTR}`,
				]);
				const listed = listedAsDetails(sandbox);
				const [success, failure] = nodeOutputs(result, NODE);
				deepStrictEqual(
					success.map((item) => [pairing(item), item.json]),
					utrs.flatMap((utr, index) => (index === 5 ? [] : [[index, listed.get(utr)]])),
				);
				deepStrictEqual(
					failure.map((item) => [pairing(item), item.json.utr]),
					[[5, UNKNOWN_UTR]],
				);
				match(String(failure[0].json.error), /Record not found/i);
			});
		},
	);

	await checkRetryOnFail(context, {
		name: "Settings → Retry On Fail: 4 creates, the 3rd one's answer lost (HTTP 500 after creating) → 4 automations, each name sent once, 4 distinct UTRs",
		workflow: workflows.retryAnswerLost,
		afterApplying: true,
	});
	await checkRetryOnFail(context, {
		name: 'Settings → Retry On Fail: 4 creates, the 3rd one refused with HTTP 500 → n8n runs the node again, only that one is sent again: 4 automations, 4 distinct UTRs',
		workflow: workflows.retryNotCreated,
		afterApplying: false,
	});
}

/** The automation creates the sandbox received, by the name sent: the statuses it answered, in order. */
function createsByName(requests: RecordedRequest[]): Record<string, number[]> {
	const byName: Record<string, number[]> = {};
	for (const request of requests) {
		if (request.method !== 'POST' || request.path !== '/api/automations/create') continue;
		const name = String(request.fields.automation_name);
		(byName[name] ??= []).push(request.status);
	}
	return byName;
}

/**
 * Four creates from four items with Retry On Fail, the 3rd create answered HTTP 500: after it created the automation
 * (`afterApplying`: the answer is lost, the node must find what it made) or instead of creating it (the item fails,
 * n8n runs the whole node again, and the three creates already made must not be sent again).
 */
async function checkRetryOnFail(
	context: ErrorSettingsContext,
	{
		name,
		workflow,
		afterApplying,
	}: { name: string; workflow: E2eWorkflow; afterApplying: boolean },
): Promise<void> {
	const { checks, sandbox } = context;
	sandbox.reset();
	await checks.check(name, async () => {
		const seedIds = new Set(sandbox.state.automations.map((automation) => automation.id));
		const fault: Fault = {
			kind: 'serverError',
			route: 'POST automations/create',
			every: 3,
			times: 1,
			afterApplying,
		};
		sandbox.faults.push(fault);
		await runAndVerify(context, workflow, (result) => {
			deepStrictEqual(
				sandbox.faultCount(fault)?.injected,
				1,
				'the sandbox answered one create with HTTP 500',
			);
			const made = sandbox.state.automations.filter((automation) => !seedIds.has(automation.id));
			// The new automations: one per name.
			deepStrictEqual(made.map((automation) => automation.automation_name).sort(), RETRY_NAMES);

			const faultedName = String(
				sandbox.requests.find((request) => request.status === 500)?.fields.automation_name,
			);
			// Each name created once: a lost answer's create is not sent again; a refused one is, once, and succeeds.
			const expectedCreates = Object.fromEntries(
				RETRY_NAMES.map((automationName) => [
					automationName,
					automationName !== faultedName ? [200] : afterApplying ? [500] : [500, 200],
				]),
			);
			deepStrictEqual(createsByName(sandbox.requests), expectedCreates);

			succeeded(result);
			const [output] = nodeOutputs(result, NODE);
			const utrByName = new Map(
				made.map((automation) => [automation.automation_name, automation.utr]),
			);
			deepStrictEqual(
				output.map((item) => [pairing(item), item.json.automation_name, item.json.utr]),
				RETRY_NAMES.map((automationName, index) => [
					index,
					automationName,
					utrByName.get(automationName),
				]),
			);
			deepStrictEqual(
				new Set(output.map((item) => item.json.utr)).size,
				RETRY_NAMES.length,
				'distinct UTRs',
			);
		});
	});
}
