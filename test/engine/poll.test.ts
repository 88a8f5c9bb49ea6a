import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INodeExecutionData, INodeType, IPollFunctions } from 'n8n-workflow';

import { runPoll } from './index';
import type { EngineOptions } from './index';

const COUNTER_TYPE = 'n8n-nodes-engine-test.counterTrigger';

/**
 * Counts its polls in the node's static data and emits the count, except every third poll (null); `fail` throws
 * before touching the static data. Emits what it sees of its context so the test can check it.
 */
class CounterTrigger implements INodeType {
	description: INodeType['description'] = {
		displayName: 'Counter Trigger',
		name: 'counterTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Engine test polling node',
		defaults: { name: 'Counter Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'counterApi', required: true }],
		properties: [{ displayName: 'Fail', name: 'fail', type: 'boolean', default: false }],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		if (this.getNodeParameter('fail') as boolean)
			throw new NodeOperationError(this.getNode(), 'Poll failed on purpose');
		const staticData = this.getWorkflowStaticData('node');
		staticData.polls = ((staticData.polls as number | undefined) ?? 0) + 1;
		if ((staticData.polls as number) % 3 === 0) return null;
		const credentials = await this.getCredentials('counterApi');
		return [
			[
				{
					json: {
						polls: staticData.polls,
						mode: this.getMode(),
						activation: this.getActivationMode(),
						pollTimes: this.getNodeParameter('pollTimes') as IDataObject,
						region: credentials.region,
					},
				},
			],
		];
	}
}

const engine: EngineOptions = {
	nodeTypes: { [COUNTER_TYPE]: new CounterTrigger() },
	credentialTypes: {
		counterApi: {
			name: 'counterApi',
			displayName: 'Counter API',
			properties: [{ displayName: 'Region', name: 'region', type: 'string', default: 'eu' }],
		},
	},
	credentials: { counterApi: { region: 'us' } },
};

describe('runPoll', () => {
	it('runs poll() in trigger mode with the credential, the Poll Times parameter n8n adds, and the static data kept between polls', async () => {
		const staticData: IDataObject = {};

		const first = await runPoll(engine, {
			type: COUNTER_TYPE,
			parameters: {},
			mode: 'trigger',
			staticData,
		});
		const second = await runPoll(engine, {
			type: COUNTER_TYPE,
			parameters: {},
			mode: 'trigger',
			staticData,
		});
		const third = await runPoll(engine, {
			type: COUNTER_TYPE,
			parameters: {},
			mode: 'trigger',
			staticData,
		});

		expect(first).toEqual({
			response: [
				[
					{
						json: {
							polls: 1,
							mode: 'trigger',
							activation: 'activate',
							pollTimes: { item: [{ mode: 'everyMinute' }] },
							region: 'us',
						},
					},
				],
			],
			staticDataChanged: true,
		});
		expect(second.response?.[0][0].json.polls).toBe(2);
		expect(third).toEqual({ response: null, staticDataChanged: true });
		expect(JSON.stringify(staticData)).toBe('{"node:Counter Trigger":{"polls":3}}');
	});

	it('runs poll() in manual mode, and reads static data restored from JSON as n8n does after a restart', async () => {
		const staticData = JSON.parse('{"node:Counter Trigger":{"polls":4}}') as IDataObject;

		const { response } = await runPoll(engine, {
			type: COUNTER_TYPE,
			parameters: {},
			mode: 'manual',
			staticData,
		});

		expect(response?.[0][0].json).toMatchObject({ polls: 5, mode: 'manual', activation: 'manual' });
	});

	it('throws what poll() throws, with the static data as poll() left it', async () => {
		const staticData: IDataObject = { 'node:Counter Trigger': { polls: 1 } };

		await expect(
			runPoll(engine, {
				type: COUNTER_TYPE,
				parameters: { fail: true },
				mode: 'trigger',
				staticData,
			}),
		).rejects.toThrow('Poll failed on purpose');
		expect(staticData).toEqual({ 'node:Counter Trigger': { polls: 1 } });
	});

	it('gives polls that overlap the same static data, as n8n’s main process gives the polls of one active workflow', async () => {
		let openGate = () => {};
		const gate = new Promise<void>((resolve) => (openGate = resolve));
		let started = 0;
		const gated: INodeType = {
			description: { ...new CounterTrigger().description, credentials: [], properties: [] },
			async poll(this: IPollFunctions) {
				const staticData = this.getWorkflowStaticData('node');
				if (++started === 1) await gate;
				const seen = (staticData.polls as number | undefined) ?? 0;
				staticData.polls = seen + 1;
				return [[{ json: { seen } }]];
			},
		};
		const gatedEngine: EngineOptions = { ...engine, nodeTypes: { [COUNTER_TYPE]: gated } };
		const staticData: IDataObject = {};

		const first = runPoll(gatedEngine, {
			type: COUNTER_TYPE,
			parameters: {},
			mode: 'trigger',
			staticData,
		});
		const second = await runPoll(gatedEngine, {
			type: COUNTER_TYPE,
			parameters: {},
			mode: 'trigger',
			staticData,
		});
		openGate();

		expect(second.response?.[0][0].json).toEqual({ seen: 0 });
		expect((await first).response?.[0][0].json).toEqual({ seen: 1 });
		expect(JSON.stringify(staticData)).toBe('{"node:Counter Trigger":{"polls":2}}');
	});

	it('refuses a node type that does not poll', async () => {
		const notPolling = {
			...engine,
			nodeTypes: {
				[COUNTER_TYPE]: {
					description: { ...new CounterTrigger().description, polling: undefined },
				},
			},
		};

		await expect(
			runPoll(notPolling, { type: COUNTER_TYPE, parameters: {}, mode: 'trigger', staticData: {} }),
		).rejects.toThrow('is not a polling node');
	});
});
