/**
 * Runs a polling trigger's `poll()` as n8n does, with no n8n server: the node on a one-node workflow, n8n-core's
 * PollContext on it, and TriggersAndPollers.runPollFunction, which every poll tick of an active workflow goes
 * through. Mode 'trigger' is such a tick; mode 'manual' is "Fetch test event" in the editor, which runs the same
 * poll on a PollContext in manual mode.
 */
import { PollContext, TriggersAndPollers } from 'n8n-core';
import { commonPollingParameters } from 'n8n-core/dist/nodes-loader/constants';
import { NodeHelpers, UserError, Workflow } from 'n8n-workflow';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
} from 'n8n-workflow';

import { EngineCredentialsHelper } from './credentials-helper';
import type { EngineOptions } from './index';
import { createAdditionalData, createNodeTypes } from './index';
import { getCoreContainer, prepareEngine } from './setup';

export interface RunPollSpec {
	type: string;
	parameters: INodeParameters;
	/** 'trigger': a poll of the active workflow; 'manual': "Fetch test event". */
	mode: 'trigger' | 'manual';
	/**
	 * The workflow's static data, which n8n keeps in memory between the polls of an active workflow: the node's own
	 * part (`node:<name>`) is read and written in here. Pass the same object again, or a JSON copy of it as n8n's
	 * database would give it back after a restart.
	 */
	staticData: IDataObject;
	/** Node name. Default: the type's `defaults.name`. */
	name?: string;
}

export interface RunPollResult {
	/** What `poll()` returned: the items the workflow starts with, or null for no execution. */
	response: INodeExecutionData[][] | null;
	/** Whether n8n would save the static data after this poll (the `__dataChanged` flag it checks). */
	staticDataChanged: boolean;
}

/** The node type as n8n's node loader registers a polling node: with the Poll Times parameter in front. */
function asLoaded(type: INodeType): INodeType {
	const loaded = Object.create(type) as INodeType;
	loaded.description = {
		...type.description,
		properties: [...commonPollingParameters, ...type.description.properties],
	};
	return loaded;
}

/** Runs the node's `poll()` once; what it throws is thrown, as n8n receives it. */
export async function runPoll(engine: EngineOptions, spec: RunPollSpec): Promise<RunPollResult> {
	prepareEngine();
	const given = engine.nodeTypes[spec.type];
	if (!given)
		throw new UserError(`Unknown node type "${spec.type}": add it to EngineOptions.nodeTypes`);
	const type = NodeHelpers.getVersionedNodeType(given);
	if (!type.description.polling || !type.poll)
		throw new UserError(`"${spec.type}" is not a polling node`);

	const credentialName = Object.keys(engine.credentials)[0];
	const node: INode = {
		id: 'poll-node-under-test',
		name: spec.name ?? type.description.defaults.name ?? type.description.displayName,
		type: spec.type,
		typeVersion: Number(type.description.version),
		position: [0, 0],
		parameters: structuredClone(spec.parameters),
	};
	if (credentialName) node.credentials = { [credentialName]: { id: '1', name: 'Test' } };

	// The Workflow constructor fills in the node's default parameters and wraps `staticData` the way n8n does.
	const workflow = new Workflow({
		id: 'engine-test-workflow',
		name: 'Engine test',
		nodes: [node],
		connections: {},
		active: spec.mode === 'trigger',
		nodeTypes: createNodeTypes({
			...engine,
			nodeTypes: { ...engine.nodeTypes, [spec.type]: asLoaded(type) },
		}),
		staticData: spec.staticData,
	});
	const additionalData = createAdditionalData(
		new EngineCredentialsHelper(engine.credentialTypes, engine.credentials),
	);
	const pollFunctions = new PollContext(
		workflow,
		node,
		additionalData,
		spec.mode,
		spec.mode === 'manual' ? 'manual' : 'activate',
	);
	const response = await getCoreContainer()
		.get<TriggersAndPollers>(TriggersAndPollers)
		.runPollFunction(workflow, node, pollFunctions);
	return { response, staticDataChanged: workflow.staticData.__dataChanged === true };
}
