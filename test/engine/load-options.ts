/**
 * Runs a node's list-search and load-options methods as n8n's editor does through
 * `POST /rest/dynamic-node-parameters/…`: a one-node workflow, n8n-core's LoadOptionsContext on it,
 * the node's current parameters, and the method called with the search filter.
 */
import type {
	INode,
	INodeListSearchResult,
	INodeParameters,
	INodePropertyOptions,
} from 'n8n-workflow';
import { LoadOptionsContext } from 'n8n-core';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import { EngineCredentialsHelper } from './credentials-helper';
import type { EngineOptions } from './index';
import { createAdditionalData, createNodeTypes } from './index';
import { prepareEngine } from './setup';

interface MethodCall {
	type: string;
	method: string;
	currentNodeParameters?: INodeParameters;
	/** Where in the parameters the field being filled sits, as the editor passes it. */
	path?: string;
	/** The node without a credential, as the editor asks before one is chosen. */
	withoutCredential?: boolean;
}

function contextFor(engine: EngineOptions, call: MethodCall) {
	prepareEngine();
	const nodeTypes = createNodeTypes(engine);
	const nodeType = NodeHelpers.getVersionedNodeType(engine.nodeTypes[call.type]);
	const credentialName = Object.keys(engine.credentials)[0];
	const node: INode = {
		id: 'node-in-editor',
		name: 'Node in the editor',
		type: call.type,
		typeVersion: Number(nodeType.description.version),
		position: [0, 0],
		parameters: call.currentNodeParameters ?? {},
		credentials: call.withoutCredential
			? undefined
			: { [credentialName]: { id: '1', name: 'Test' } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = createAdditionalData(
		new EngineCredentialsHelper(engine.credentialTypes, engine.credentials),
	);
	additionalData.currentNodeParameters = node.parameters;
	return {
		context: new LoadOptionsContext(workflow, node, additionalData, call.path ?? 'parameters'),
		nodeType,
	};
}

export async function runListSearch(
	engine: EngineOptions,
	call: MethodCall & { filter?: string; paginationToken?: string },
): Promise<INodeListSearchResult> {
	const { context, nodeType } = contextFor(engine, call);
	const method = nodeType.methods?.listSearch?.[call.method];
	if (!method) throw new Error(`The node has no list-search method "${call.method}"`);
	return await method.call(context, call.filter, call.paginationToken);
}

export async function runLoadOptions(
	engine: EngineOptions,
	call: MethodCall,
): Promise<INodePropertyOptions[]> {
	const { context, nodeType } = contextFor(engine, call);
	const method = nodeType.methods?.loadOptions?.[call.method];
	if (!method) throw new Error(`The node has no load-options method "${call.method}"`);
	return await method.call(context);
}
