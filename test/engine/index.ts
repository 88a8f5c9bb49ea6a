/**
 * Runs nodes, workflows and credential tests through n8n's real engine (n8n-core's WorkflowExecute,
 * ExecuteContext, RoutingNode and request helpers; n8n-workflow's Workflow and expressions), with no
 * n8n server: credentials come from the test, triggers are stubs.
 *
 * Usable from jest and from a plain `ts-node --transpile-only` script: no jest globals in here.
 */
import {
	CredentialTestContext,
	ExecuteContext,
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import {
	NodeConnectionTypes,
	NodeHelpers,
	UnexpectedError,
	UserError,
	Workflow,
	createEmptyRunExecutionData,
	createRunExecutionData,
} from 'n8n-workflow';
import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunction,
	ICredentialTestRequestData,
	ICredentialType,
	IConnections,
	IDataObject,
	IExecuteData,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IPinData,
	IRun,
	ITaskDataConnections,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
} from 'n8n-workflow';

import { EngineCredentialsHelper } from './credentials-helper';
import type { EngineCredentials } from './credentials-helper';
import { prepareEngine, requireFromN8nCore } from './setup';
import {
	MANUAL_TRIGGER_TYPE,
	NO_OP_TYPE,
	WEBHOOK_TYPE,
	noOpNodeType,
	stubTriggerTypes,
} from './stub-nodes';

// Before anything in n8n-core asks its DI container for InstanceSettings or Logger.
prepareEngine();

export type { EngineCredentials } from './credentials-helper';
export { EngineCredentialsHelper } from './credentials-helper';
export { createStubTrigger, MANUAL_TRIGGER_TYPE, WEBHOOK_TYPE } from './stub-nodes';
export * from './poll';

export interface EngineOptions {
	/** Keyed by full type name, e.g. 'n8n-nodes-allstechnology.allsTechnology'. */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	/** Keyed by credential name, e.g. 'allsTechnologyApi'. */
	credentialTypes: Record<string, ICredentialType>;
	credentials: EngineCredentials;
}

export interface RunNodeSpec {
	type: string;
	/** Default: the type's default version (versioned types) or its highest listed version. */
	typeVersion?: number;
	parameters: INodeParameters;
	/** Default [{}]: one empty item. */
	inputItems?: IDataObject[];
	/** Sets `onError: 'continueRegularOutput'` on the node. */
	continueOnFail?: boolean;
	/** The node's Settings → On Error; wins over `continueOnFail`. */
	onError?: INode['onError'];
	/** The node's Settings → Retry On Fail, with its Max Tries and Wait Between Tries (ms; default 0 here). */
	retryOnFail?: { maxTries: number; waitBetweenTries?: number };
	/** Default: the first key of engine.credentials. */
	credentialName?: string;
	/** Node name. Default: the type's `defaults.name`, else its display name. */
	name?: string;
}

export interface RunNodeResult {
	/** The node's first run, main output 0 ([] when it did not produce any). */
	items: INodeExecutionData[];
	/** Main output 1 of the first run: the error output of `onError: 'continueErrorOutput'` ([] otherwise). */
	errorItems: INodeExecutionData[];
	/** `run.data.resultData.error`: a plain copy of the thrown error (not an Error instance). */
	error: ExecutionError | undefined;
	run: IRun;
}

export interface EngineWorkflow {
	nodes: INode[];
	connections: IConnections;
	pinData?: IPinData;
	/** Loose on purpose: settings read from an exported .json have `executionOrder: string`. */
	settings?: IWorkflowSettings | IDataObject;
	[k: string]: unknown;
}

export interface RunWorkflowOptions {
	/** What the stub trigger outputs. Default [{}]. */
	triggerItems?: IDataObject[];
	/** Name of the node to start from. Default: the first enabled trigger without inputs. */
	startNode?: string;
}

export interface RunWorkflowResult {
	run: IRun;
	/** Node name → items of that node's first run's main[0]. */
	outputs: Record<string, INodeExecutionData[]>;
	error: ExecutionError | undefined;
}

const BASE_URL = 'http://localhost:5678';
const MANUAL_TRIGGER_NAME = 'Manual Trigger';
let executionCounter = 0;

function isVersioned(type: INodeType | IVersionedNodeType): type is IVersionedNodeType {
	return 'nodeVersions' in type;
}

function defaultTypeVersion(type: INodeType | IVersionedNodeType): number {
	if (isVersioned(type)) return type.description.defaultVersion ?? type.currentVersion;
	const { version } = type.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

class EngineNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (!type) {
			throw new UnexpectedError(
				`Unknown node type "${nodeType}": add it to EngineOptions.nodeTypes (keyed by full type name)`,
			);
		}
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries(Object.keys(this.types).map((name) => [name, {}]));
	}
}

export function createNodeTypes(engine: EngineOptions): INodeTypes {
	return new EngineNodeTypes({
		...stubTriggerTypes(),
		[NO_OP_TYPE]: noOpNodeType(),
		...engine.nodeTypes,
	});
}

function notAvailable(what: string): () => Promise<never> {
	return async () => {
		throw new UnexpectedError(`${what} is not available in the engine test harness`);
	};
}

/**
 * What WorkflowExecute and the node contexts dereference in n8n-core 2.41. The URLs must be valid
 * absolute URLs: every run carries a resume token that is appended to the waiting-webhook URLs.
 */
export function createAdditionalData(
	credentialsHelper: EngineCredentialsHelper,
	executionId?: string,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		hooks,
		executionId,
		currentNodeExecutionIndex: 0,
		executeWorkflow: notAvailable('Executing a sub-workflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: notAvailable('The task runner (Code node)'),
		logAiEvent: () => undefined,
		externalSecretsProxy: new ExternalSecretsProxy(),
		restApiUrl: `${BASE_URL}/rest`,
		instanceBaseUrl: `${BASE_URL}/`,
		formBaseUrl: `${BASE_URL}/form`,
		formWaitingBaseUrl: `${BASE_URL}/form-waiting`,
		formTestBaseUrl: `${BASE_URL}/form-test`,
		webhookBaseUrl: `${BASE_URL}/webhook`,
		webhookWaitingBaseUrl: `${BASE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${BASE_URL}/webhook-test`,
		mcpBaseUrl: `${BASE_URL}/mcp`,
		mcpTestBaseUrl: `${BASE_URL}/mcp-test`,
		variables: {},
	};
}

function toItems(objects: IDataObject[]): INodeExecutionData[] {
	return objects.map((json) => ({ json: structuredClone(json) }));
}

/** Exported workflows hold `[{ json }]`; accept bare objects too. */
function normalizePinData(pinData: IPinData | undefined): IPinData | undefined {
	if (!pinData) return undefined;
	const normalized: IPinData = {};
	for (const [nodeName, items] of Object.entries(pinData)) {
		normalized[nodeName] = (items as unknown[]).map((item) =>
			item !== null && typeof item === 'object' && 'json' in item
				? (structuredClone(item) as INodeExecutionData)
				: { json: structuredClone(item) as IDataObject },
		);
	}
	return normalized;
}

async function execute(
	engine: EngineOptions,
	workflowData: EngineWorkflow,
	startNodeName: string,
	startItems: INodeExecutionData[],
): Promise<IRun> {
	prepareEngine();
	const nodeTypes = createNodeTypes(engine);
	const nodes = structuredClone(workflowData.nodes);
	const connections = structuredClone(workflowData.connections);
	const settings = structuredClone(workflowData.settings ?? {}) as IWorkflowSettings;
	const pinData = normalizePinData(workflowData.pinData);
	const id = typeof workflowData.id === 'string' ? workflowData.id : 'engine-test-workflow';
	const name = typeof workflowData.name === 'string' ? workflowData.name : 'Engine test';
	const staticData = structuredClone((workflowData.staticData as IDataObject | undefined) ?? {});

	// The Workflow constructor fills in every node's default parameters (mutating `nodes`).
	const workflow = new Workflow({
		id,
		name,
		nodes,
		connections,
		nodeTypes,
		active: false,
		staticData,
		settings,
		pinData,
	});
	const startNode = workflow.getNode(startNodeName);
	if (!startNode) throw new UserError(`The workflow has no node named "${startNodeName}"`);

	const executionId = `engine-test-${++executionCounter}`;
	const workflowBase: IWorkflowBase = {
		id,
		name,
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections,
		settings,
		activeVersionId: null,
	};
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowBase);
	const finished = new Promise<IRun>((resolve) => {
		hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolve(fullRunData));
	});

	const credentialsHelper = new EngineCredentialsHelper(engine.credentialTypes, engine.credentials);
	const additionalData = createAdditionalData(credentialsHelper, executionId, hooks);
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [startItems] }, source: null }],
		},
		resultData: { pinData },
	});

	// Throws synchronously (WorkflowHasIssuesError) when a node misses required parameters.
	const execution = new WorkflowExecute(
		additionalData,
		'manual',
		runExecutionData,
	).processRunExecutionData(workflow);
	const returned = await execution;
	// The hook has run by the time the execution settles; fall back to the returned data regardless.
	return await Promise.race([finished, Promise.resolve(returned)]);
}

function firstOutput(run: IRun, nodeName: string, outputIndex = 0): INodeExecutionData[] {
	return (
		run.data.resultData.runData[nodeName]?.[0]?.data?.[NodeConnectionTypes.Main]?.[outputIndex] ??
		[]
	);
}

/** Runs one node, fed by a stub manual trigger that outputs `inputItems`. */
export async function runNode(engine: EngineOptions, spec: RunNodeSpec): Promise<RunNodeResult> {
	const type = engine.nodeTypes[spec.type];
	if (!type) {
		throw new UserError(`Unknown node type "${spec.type}": add it to EngineOptions.nodeTypes`);
	}
	const typeVersion = spec.typeVersion ?? defaultTypeVersion(type);
	const { description } = NodeHelpers.getVersionedNodeType(type, typeVersion);
	let nodeName = spec.name ?? description.defaults.name ?? description.displayName;
	if (nodeName === MANUAL_TRIGGER_NAME) nodeName = `${nodeName}1`;

	const credentialName = spec.credentialName ?? Object.keys(engine.credentials)[0];
	const node: INode = {
		id: 'node-under-test',
		name: nodeName,
		type: spec.type,
		typeVersion,
		position: [220, 0],
		parameters: spec.parameters,
	};
	if (credentialName) node.credentials = { [credentialName]: { id: '1', name: 'Test' } };
	if (spec.continueOnFail) node.onError = 'continueRegularOutput';
	if (spec.onError) node.onError = spec.onError;
	if (spec.retryOnFail) {
		node.retryOnFail = true;
		node.maxTries = spec.retryOnFail.maxTries;
		node.waitBetweenTries = spec.retryOnFail.waitBetweenTries ?? 0;
	}

	const trigger: INode = {
		id: 'manual-trigger',
		name: MANUAL_TRIGGER_NAME,
		type: MANUAL_TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const connections: IConnections = {
		[MANUAL_TRIGGER_NAME]: {
			[NodeConnectionTypes.Main]: [[{ node: nodeName, type: NodeConnectionTypes.Main, index: 0 }]],
		},
	};
	const run = await execute(
		engine,
		{ nodes: [trigger, node], connections, settings: { executionOrder: 'v1' } },
		MANUAL_TRIGGER_NAME,
		toItems(spec.inputItems ?? [{}]),
	);
	return {
		items: firstOutput(run, nodeName),
		errorItems: firstOutput(run, nodeName, 1),
		error: run.data.resultData.error,
		run,
	};
}

function findStartNode(engine: EngineOptions, workflow: EngineWorkflow): string {
	const nodeTypes = createNodeTypes(engine);
	const hasInput = new Set<string>();
	for (const outputs of Object.values(workflow.connections)) {
		for (const connections of outputs[NodeConnectionTypes.Main] ?? []) {
			for (const connection of connections ?? []) hasInput.add(connection.node);
		}
	}
	const candidates = workflow.nodes.filter((node) => !node.disabled && !hasInput.has(node.name));
	const isTrigger = (node: INode): boolean => {
		if (node.type === MANUAL_TRIGGER_TYPE || node.type === WEBHOOK_TYPE) return true;
		try {
			return nodeTypes
				.getByNameAndVersion(node.type, node.typeVersion)
				.description.group.includes('trigger');
		} catch {
			return false;
		}
	};
	const start = candidates.find(isTrigger) ?? candidates[0];
	if (!start) throw new UserError('The workflow has no node to start from');
	return start.name;
}

/**
 * Runs a workflow (as exported from n8n) from its trigger. manualTrigger and webhook are stubs that
 * output `triggerItems`; pinned data (`workflow.pinData`) replaces a node's output as in n8n.
 */
export async function runWorkflow(
	engine: EngineOptions,
	workflow: EngineWorkflow,
	options: RunWorkflowOptions = {},
): Promise<RunWorkflowResult> {
	const startNode = options.startNode ?? findStartNode(engine, workflow);
	const run = await execute(engine, workflow, startNode, toItems(options.triggerItems ?? [{}]));
	const outputs: Record<string, INodeExecutionData[]> = {};
	for (const nodeName of Object.keys(run.data.resultData.runData)) {
		outputs[nodeName] = firstOutput(run, nodeName);
	}
	return { run, outputs, error: run.data.resultData.error };
}

/** As CredentialsTester.getCredentialTestFunction: the type's own `test`, else a node's `testedBy`. */
function getCredentialTestFunction(
	engine: EngineOptions,
	credentialType: string,
): ICredentialTestFunction | ICredentialTestRequestData | undefined {
	const type = engine.credentialTypes[credentialType];
	if (type?.test) return { testRequest: type.test };

	for (const node of Object.values(engine.nodeTypes)) {
		const versions: INodeType[] = isVersioned(node) ? Object.values(node.nodeVersions) : [node];
		for (const nodeType of versions) {
			for (const { name, testedBy } of nodeType.description.credentials ?? []) {
				if (name !== credentialType || !testedBy) continue;
				if (typeof testedBy === 'string') {
					if (isVersioned(node)) {
						const latestFirst = Object.keys(node.nodeVersions).sort().reverse();
						for (const version of latestFirst) {
							const credentialTest = node.nodeVersions[Number(version)].methods?.credentialTest;
							if (credentialTest && testedBy in credentialTest) return credentialTest[testedBy];
						}
					}
					const { methods } = node as INodeType;
					if (methods === undefined) return undefined;
					// As in n8n, which reads `node.methods?.credentialTest[testedBy]`: a testedBy whose method is
					// missing throws (a TypeError) rather than finding nothing.
					return (methods.credentialTest as NonNullable<typeof methods.credentialTest>)[testedBy];
				}
				return { nodeType, testRequest: testedBy };
			}
		}
	}
	return undefined;
}

interface ErrorWithCause {
	message?: unknown;
	cause?: { response?: { status: number; statusText?: string }; code?: string };
}

/**
 * Tests credentials as n8n's CredentialsTester.testCredentials does: a node's `credentialTest` method
 * (reached with `testedBy`) is called with a CredentialTestContext, whose only HTTP helper is the legacy
 * `request`; a generic test request goes through RoutingNode with an ExecuteContext (authentication
 * applied by the credentials helper), then the `rules` are evaluated the same way. A credential type's
 * own `test` wins over a node's `testedBy`, as in n8n.
 */
export async function testCredential(
	engine: EngineOptions,
	credentialType: string,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	prepareEngine();
	const credentialsHelper = new EngineCredentialsHelper(engine.credentialTypes, {
		...engine.credentials,
		[credentialType]: data,
	});
	credentialsHelper.getCredentialType(credentialType);

	const credentialTestFunction = getCredentialTestFunction(engine, credentialType);
	if (credentialTestFunction === undefined) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}

	const credentialsDecrypted: ICredentialsDecrypted = {
		id: '1',
		name: 'Test',
		type: credentialType,
		data: structuredClone(data),
	};
	try {
		credentialsDecrypted.data = credentialsHelper.applyDefaults(credentialType, data, 'internal');
	} catch (error) {
		return { status: 'Error', message: String((error as Error).message) };
	}

	const additionalData = createAdditionalData(credentialsHelper, 'engine-credential-test');

	if (typeof credentialTestFunction === 'function') {
		const context = new CredentialTestContext(additionalData);
		// n8n then redacts from the message only values taken from external secrets, which the engine has none of:
		// the method must keep the keys out of its messages itself.
		return await credentialTestFunction.call(context, credentialsDecrypted);
	}

	const nodeType = credentialTestFunction.nodeType ?? noOpNodeType();
	const { version } = nodeType.description;
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: nodeType.description.name,
		typeVersion: Array.isArray(version) ? version[version.length - 1] : version,
		position: [0, 0],
		credentials: {
			[credentialType]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name },
		},
	};
	const nodeTypeCopy: INodeType = {
		description: {
			...nodeType.description,
			credentials: [{ name: credentialType, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: credentialTestFunction.testRequest.request },
					default: '',
				},
			],
		},
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new EngineNodeTypes({ [nodeTypeCopy.description.name]: nodeTypeCopy }),
	});
	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		inputData,
		executeData,
		[],
	);
	const routingNode = new RoutingNode(context, nodeTypeCopy, credentialsDecrypted);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (caught) {
		const error = caught as ErrorWithCause;
		if (error.cause?.response) {
			const statusCode = error.cause.response.status;
			const statusMessage = error.cause.response.statusText;
			for (const rule of credentialTestFunction.testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && statusCode === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (statusCode < 199 || statusCode > 299) {
				return {
					status: 'Error',
					message: statusMessage || `Received HTTP status code: ${statusCode}`,
				};
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: String(error.message) };
	}

	const get = requireFromN8nCore<(object: unknown, path: string) => unknown>('lodash/get');
	for (const rule of credentialTestFunction.testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const responseData = response?.[0]?.[0]?.json;
			if (get(responseData, rule.properties.key) === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

// Re-exported for tests that want to build their own stub triggers or no-op nodes.
export { NO_OP_TYPE, noOpNodeType };
