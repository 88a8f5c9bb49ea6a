import http from 'http';
import type { AddressInfo } from 'net';
import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	VersionedNodeType,
} from 'n8n-workflow';
import type {
	ICredentialType,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	JsonObject,
} from 'n8n-workflow';

import { runNode, runWorkflow, testCredential } from './index';
import type { EngineOptions } from './index';

// ---------------------------------------------------------------------------------------------
// A loopback API that records what it receives
// ---------------------------------------------------------------------------------------------

interface Received {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
}

const received: Received[] = [];
let checkReply: { status: number; body: unknown } = { status: 200, body: { status: 'success' } };

const server = http.createServer((req, res) => {
	received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
	const path = (req.url ?? '').split('?')[0];
	const send = (status: number, body: unknown) => {
		res.writeHead(status, { 'Content-Type': 'application/json' });
		res.end(JSON.stringify(body));
	};
	if (path === '/items') return send(200, { ok: true, path: req.url });
	if (path === '/check') return send(checkReply.status, checkReply.body);
	if (path === '/fail') return send(500, { message: 'server exploded' });
	send(404, { message: 'not found' });
});
let baseUrl = '';

beforeAll(async () => {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
	received.length = 0;
	checkReply = { status: 200, body: { status: 'success' } };
});

// ---------------------------------------------------------------------------------------------
// Test-only credential and node types
// ---------------------------------------------------------------------------------------------

const someTestApi: ICredentialType = {
	name: 'someTestApi',
	displayName: 'Some Test API',
	properties: [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Region', name: 'region', type: 'string', default: 'eu' },
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
	],
	authenticate: {
		type: 'generic',
		properties: {
			headers: {
				'X-Api-Key': '={{$credentials.apiKey}}',
				'X-Region': '={{$credentials.region}}',
			},
			qs: { client: 'engine-test' },
		},
	},
	test: {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/check' },
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'status', value: 'failed', message: 'The API refused this key' },
			},
		],
	},
};

const HTTP_TYPE = 'n8n-nodes-engine-test.httpTest';
const FAIL_TYPE = 'n8n-nodes-engine-test.failing';
const ECHO_TYPE = 'n8n-nodes-engine-test.echo';

/** GETs `url` with the credential's authentication, one request and one output item per input item. */
class HttpTest implements INodeType {
	description: INodeType['description'] = {
		displayName: 'HTTP Test',
		name: 'httpTest',
		group: ['transform'],
		version: 1,
		description: 'Engine test node',
		defaults: { name: 'HTTP Test' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'someTestApi', required: true }],
		properties: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '', required: true },
			{ displayName: 'Tag', name: 'tag', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnData: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const response = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					'someTestApi',
					{
						method: 'GET',
						url: this.getNodeParameter('url', i) as string,
						json: true,
					},
				)) as JsonObject;
				returnData.push({
					json: { ...response, tag: this.getNodeParameter('tag', i) as string },
					pairedItem: { item: i },
				});
			} catch (error) {
				// n8n-core's request helper wraps HTTP failures in the same NodeApiError class we import.
				if (!(error instanceof NodeApiError)) throw new Error('expected a NodeApiError');
				if (this.continueOnFail()) {
					returnData.push({ json: { error: error.message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		return [returnData];
	}
}

/** Throws NodeApiError or NodeOperationError on item `failAt`, honouring continueOnFail. */
class Failing implements INodeType {
	description: INodeType['description'] = {
		displayName: 'Failing',
		name: 'failing',
		group: ['transform'],
		version: [1, 2],
		description: 'Engine test node',
		defaults: { name: 'Failing' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Error Type',
				name: 'errorType',
				type: 'options',
				options: [
					{ name: 'API', value: 'api' },
					{ name: 'Operation', value: 'operation' },
					{ name: 'Operation, Ignoring Continue On Fail', value: 'uncaught' },
				],
				default: 'api',
			},
			{ displayName: 'Fail At', name: 'failAt', type: 'number', default: 0 },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnData: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			if (i !== this.getNodeParameter('failAt', i)) {
				returnData.push({ json: { ok: true, index: i }, pairedItem: { item: i } });
				continue;
			}
			const error =
				this.getNodeParameter('errorType', i) === 'api'
					? new NodeApiError(
							this.getNode(),
							{ message: 'Teapot refused', httpCode: '418' } as JsonObject,
							{ itemIndex: i, message: 'The API refused the request', httpCode: '418' },
						)
					: new NodeOperationError(this.getNode(), 'Bad input', { itemIndex: i });
			if (this.continueOnFail() && this.getNodeParameter('errorType', i) !== 'uncaught') {
				returnData.push({ json: { error: error.message }, pairedItem: { item: i } });
				continue;
			}
			throw error;
		}
		return [returnData];
	}
}

/** Outputs one item per input item with the evaluated `value` parameter. */
class Echo implements INodeType {
	description: INodeType['description'] = {
		displayName: 'Echo',
		name: 'echo',
		group: ['transform'],
		version: 1,
		description: 'Engine test node',
		defaults: { name: 'Echo' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Value', name: 'value', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((_item, i) => ({
				json: { value: this.getNodeParameter('value', i) as string },
				pairedItem: { item: i },
			})),
		];
	}
}

const VERSIONED_TYPE = 'n8n-nodes-engine-test.versioned';

class VersionOne extends Echo {
	constructor() {
		super();
		this.description = { ...this.description, version: 1 };
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[{ json: { version: 1 }, pairedItem: { item: 0 } }]];
	}
}

class VersionTwo extends Echo {
	constructor() {
		super();
		this.description = { ...this.description, version: [2, 2.1] };
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[{ json: { version: this.getNode().typeVersion }, pairedItem: { item: 0 } }]];
	}
}

class Versioned extends VersionedNodeType {
	constructor() {
		const v2 = new VersionTwo();
		super(
			{ 1: new VersionOne(), 2: v2, 2.1: v2 },
			{
				displayName: 'Versioned',
				name: 'versioned',
				group: ['transform'],
				description: '',
				defaultVersion: 2,
			},
		);
	}
}

function engine(): EngineOptions {
	return {
		nodeTypes: {
			[HTTP_TYPE]: new HttpTest(),
			[FAIL_TYPE]: new Failing(),
			[ECHO_TYPE]: new Echo(),
			[VERSIONED_TYPE]: new Versioned(),
		},
		credentialTypes: { someTestApi },
		credentials: { someTestApi: { apiKey: 'secret-123', baseUrl } },
	};
}

// ---------------------------------------------------------------------------------------------

describe('runNode', () => {
	it('sends the authenticated request with headers resolved from the credential expressions', async () => {
		const { items, error } = await runNode(engine(), {
			type: HTTP_TYPE,
			parameters: { url: `${baseUrl}/items` },
			inputItems: [{ n: 1 }, { n: 2 }],
		});

		expect(error).toBeUndefined();
		expect(received).toHaveLength(2);
		for (const request of received) {
			expect(request.method).toBe('GET');
			expect(request.headers['x-api-key']).toBe('secret-123');
			// not given in the test credentials: the credential type's default, as n8n applies it
			expect(request.headers['x-region']).toBe('eu');
			expect(request.url).toBe('/items?client=engine-test');
		}
		expect(items.map((item) => item.json)).toEqual([
			{ ok: true, path: '/items?client=engine-test', tag: '' },
			{ ok: true, path: '/items?client=engine-test', tag: '' },
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('resolves expressions in parameters from the input items and through pairedItem', async () => {
		const { items, error } = await runNode(engine(), {
			type: HTTP_TYPE,
			parameters: {
				url: `=${baseUrl}/items?n={{ $json.n }}`,
				tag: "={{ $json.x }}-{{ $('Manual Trigger').item.json.n }}",
			},
			inputItems: [
				{ x: 'a', n: 1 },
				{ x: 'b', n: 2 },
			],
		});

		expect(error).toBeUndefined();
		expect(received.map((request) => request.url)).toEqual([
			'/items?n=1&client=engine-test',
			'/items?n=2&client=engine-test',
		]);
		expect(items.map((item) => item.json.tag)).toEqual(['a-1', 'b-2']);
	});

	it('reports a NodeApiError thrown by the request helper (one n8n-workflow copy: instanceof holds)', async () => {
		const { items, error } = await runNode(engine(), {
			type: HTTP_TYPE,
			parameters: { url: `${baseUrl}/fail` },
		});

		expect(items).toEqual([]);
		expect(error).toBeDefined();
		expect(error?.name).toBe('NodeApiError');
		expect((error as unknown as { httpCode: string }).httpCode).toBe('500');
	});

	it.each([
		['api', 'NodeApiError', 'The API refused the request'],
		['operation', 'NodeOperationError', 'Bad input'],
	])(
		'sets error when a %s error is thrown without continueOnFail',
		async (errorType, name, message) => {
			const { items, error, run } = await runNode(engine(), {
				type: FAIL_TYPE,
				parameters: { errorType, failAt: 1 },
				inputItems: [{}, {}],
			});

			expect(items).toEqual([]);
			expect(error?.name).toBe(name);
			expect(error?.message).toBe(message);
			expect(run.status).toBe('error');
			expect(run.data.resultData.lastNodeExecuted).toBe('Failing');
		},
	);

	it('with continueOnFail the failed item carries json.error and the other items go on', async () => {
		const { items, error, run } = await runNode(engine(), {
			type: FAIL_TYPE,
			typeVersion: 1,
			parameters: { errorType: 'api', failAt: 0 },
			inputItems: [{}, {}],
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(run.status).toBe('success');
		expect(items.map((item) => item.json)).toEqual([
			{ error: 'The API refused the request' },
			{ ok: true, index: 1 },
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('with continueOnFail, a node that throws anyway passes its input items through (n8n behaviour)', async () => {
		const { items, error, run } = await runNode(engine(), {
			type: FAIL_TYPE,
			parameters: { errorType: 'uncaught', failAt: 0 },
			inputItems: [{ a: 1 }, { a: 2 }],
			continueOnFail: true,
		});

		// WorkflowExecute outputs the node's input items unchanged, records the error on the task...
		expect(items.map((item) => item.json)).toEqual([{ a: 1 }, { a: 2 }]);
		expect(run.data.resultData.runData.Failing[0].error?.message).toBe('Bad input');
		// ...and, because it was the last node to run, also reports it as the run's error.
		expect(error?.message).toBe('Bad input');
		expect(run.status).toBe('error');
	});

	it('picks the default version of a versioned node type unless typeVersion is given', async () => {
		const latest = await runNode(engine(), { type: VERSIONED_TYPE, parameters: {} });
		const one = await runNode(engine(), { type: VERSIONED_TYPE, typeVersion: 1, parameters: {} });
		const twoOne = await runNode(engine(), {
			type: VERSIONED_TYPE,
			typeVersion: 2.1,
			parameters: {},
		});

		expect(latest.items[0].json).toEqual({ version: 2 });
		expect(one.items[0].json).toEqual({ version: 1 });
		expect(twoOne.items[0].json).toEqual({ version: 2.1 });
	});

	it('throws for a node type the engine does not know', async () => {
		await expect(runNode(engine(), { type: 'nope.nope', parameters: {} })).rejects.toThrow(
			/Unknown node type "nope.nope"/,
		);
	});
});

describe('runWorkflow', () => {
	const nodes = (trigger: INode): INode[] => [
		trigger,
		{
			id: '2',
			name: 'Call API',
			type: HTTP_TYPE,
			typeVersion: 1,
			position: [200, 0],
			parameters: { url: `=${baseUrl}/items?x={{ $json.body ? $json.body.x : 'none' }}` },
			credentials: { someTestApi: { id: 'abc', name: 'Some Test API account' } },
		},
		{
			id: '3',
			name: 'Fail',
			type: FAIL_TYPE,
			typeVersion: 2,
			position: [400, 0],
			parameters: { errorType: 'operation', failAt: 0 },
			onError: 'continueRegularOutput',
		},
		{
			id: '4',
			name: 'Echo',
			type: ECHO_TYPE,
			typeVersion: 1,
			position: [600, 0],
			parameters: { value: "={{ $('Call API').item.json.path }}|{{ $json.error }}" },
		},
	];
	const connections = (triggerName: string) => ({
		[triggerName]: { main: [[{ node: 'Call API', type: NodeConnectionTypes.Main, index: 0 }]] },
		'Call API': { main: [[{ node: 'Fail', type: NodeConnectionTypes.Main, index: 0 }]] },
		Fail: { main: [[{ node: 'Echo', type: NodeConnectionTypes.Main, index: 0 }]] },
	});

	it('runs manualTrigger → node → continued failure → node', async () => {
		const workflow = {
			name: 'Manual',
			nodes: nodes({
				id: '1',
				name: 'When clicking ‘Execute workflow’',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			}),
			connections: connections('When clicking ‘Execute workflow’'),
			settings: { executionOrder: 'v1' as const },
		};
		const before = JSON.stringify(workflow);

		const { outputs, error, run } = await runWorkflow(engine(), workflow);

		expect(error).toBeUndefined();
		expect(run.finished).toBe(true);
		expect(outputs['When clicking ‘Execute workflow’']).toEqual([
			{ json: {}, pairedItem: { item: 0 } },
		]);
		expect(outputs['Call API'].map((item) => item.json.path)).toEqual([
			'/items?x=none&client=engine-test',
		]);
		expect(outputs.Fail.map((item) => item.json)).toEqual([{ error: 'Bad input' }]);
		expect(outputs.Echo.map((item) => item.json)).toEqual([
			{ value: '/items?x=none&client=engine-test|Bad input' },
		]);
		expect(received[0].headers['x-api-key']).toBe('secret-123');
		expect(JSON.stringify(workflow)).toBe(before);
	});

	it('runs webhook → nodes with the given trigger items', async () => {
		const { outputs, error } = await runWorkflow(
			engine(),
			{
				nodes: nodes({
					id: '1',
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					parameters: { httpMethod: 'POST', path: 'abc', options: {} },
					webhookId: 'abc',
				}),
				connections: connections('Webhook'),
			},
			{ triggerItems: [{ body: { x: 7 } }, { body: { x: 8 } }] },
		);

		expect(error).toBeUndefined();
		expect(outputs.Webhook.map((item) => item.json)).toEqual([
			{ body: { x: 7 } },
			{ body: { x: 8 } },
		]);
		// "Fail" fails item 0 only (continued), item 1 goes on
		expect(outputs.Fail.map((item) => item.json)).toEqual([
			{ error: 'Bad input' },
			{ ok: true, index: 1 },
		]);
		expect(received.map((request) => request.url)).toEqual([
			'/items?x=7&client=engine-test',
			'/items?x=8&client=engine-test',
		]);
		expect(outputs.Echo.map((item) => item.json.value)).toEqual([
			'/items?x=7&client=engine-test|Bad input',
			'/items?x=8&client=engine-test|',
		]);
	});

	it('uses pinned data instead of running the pinned node', async () => {
		const { outputs, error } = await runWorkflow(engine(), {
			nodes: nodes({
				id: '1',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			}),
			connections: connections('Start'),
			pinData: { 'Call API': [{ json: { path: 'pinned-1' } }, { json: { path: 'pinned-2' } }] },
		});

		expect(error).toBeUndefined();
		expect(received).toHaveLength(0);
		expect(outputs.Echo.map((item) => item.json.value)).toEqual([
			'pinned-1|Bad input',
			'pinned-2|',
		]);
	});

	it('returns the error of a failing node and stops there', async () => {
		const workflowNodes = nodes({
			id: '1',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		});
		delete workflowNodes[2].onError;

		const { outputs, error } = await runWorkflow(engine(), {
			nodes: workflowNodes,
			connections: connections('Start'),
		});

		expect(error?.message).toBe('Bad input');
		expect(error?.name).toBe('NodeOperationError');
		expect(outputs.Fail).toEqual([]);
		expect(outputs.Echo).toBeUndefined();
	});
});

describe('testCredential', () => {
	it('is OK when the API accepts the key', async () => {
		const result = await testCredential(engine(), 'someTestApi', { apiKey: 'good', baseUrl });

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(received).toHaveLength(1);
		expect(received[0].url).toBe('/check?client=engine-test');
		expect(received[0].headers['x-api-key']).toBe('good');
		expect(received[0].headers['x-region']).toBe('eu');
	});

	it('is an Error with the rule message when the API answers HTTP 200 with status "failed"', async () => {
		checkReply = { status: 200, body: { status: 'failed', message: 'wrong key' } };

		const result = await testCredential(engine(), 'someTestApi', { apiKey: 'bad', baseUrl });

		expect(result).toEqual({ status: 'Error', message: 'The API refused this key' });
	});

	it('is an Error on HTTP 401', async () => {
		checkReply = { status: 401, body: { message: 'Unauthorized' } };

		const result = await testCredential(engine(), 'someTestApi', { apiKey: 'bad', baseUrl });

		expect(result).toEqual({ status: 'Error', message: 'Unauthorized' });
	});

	it('is an Error with the network error code when nothing listens', async () => {
		const closed = http.createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
		await new Promise<void>((resolve) => closed.close(() => resolve()));

		const result = await testCredential(engine(), 'someTestApi', { apiKey: 'x', baseUrl: deadUrl });

		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});
});
