/**
 * The workflows of the queue-mode run besides the CRM example from examples/: a read (webhook → Get Many) and the
 * AllsTechnology Trigger polling every minute for every kind of event.
 */
import { EXAMPLE_CREDENTIAL } from '../examples';
import { manifest } from '../package';

const credentials = {
	allsTechnologyApi: { id: EXAMPLE_CREDENTIAL.id, name: EXAMPLE_CREDENTIAL.name },
};

export const READ_WEBHOOK_PATH = 'allstechnology-queue-read';

export const READ_WORKFLOW = {
	id: 'allsqueueread001',
	name: 'Queue test: on a webhook, list the automations',
	nodes: [
		{
			parameters: { httpMethod: 'POST', path: READ_WEBHOOK_PATH, options: {} },
			id: '0d6a3c1e-7f7e-4c8e-9a51-5b3f2a7c9e01',
			name: 'Read Request',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '0d6a3c1e-7f7e-4c8e-9a51-5b3f2a7c9e0a',
		},
		{
			parameters: { resource: 'automation', operation: 'getAll', returnAll: true, simplify: true },
			id: '0d6a3c1e-7f7e-4c8e-9a51-5b3f2a7c9e02',
			name: 'Get Many Automations',
			type: `${manifest().name}.allsTechnology`,
			typeVersion: 1,
			position: [220, 0],
			credentials,
		},
	],
	connections: {
		'Read Request': { main: [[{ node: 'Get Many Automations', type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
	pinData: {},
};

/** The node whose output items are the trigger's events. */
export const TRIGGER_EVENTS_NODE = 'Record Event';

export const TRIGGER_WORKFLOW = {
	id: 'allsqueuetrigger',
	name: 'Queue test: every automation event',
	nodes: [
		{
			parameters: {
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				triggerOn: [
					'automationCreated',
					'automationWentLive',
					'automationPaused',
					'automationDeleted',
					'statsChanged',
				],
				options: {},
			},
			id: '5e2b8f4a-1c3d-4e6f-8a9b-0c1d2e3f4a01',
			name: 'Automation Event',
			type: `${manifest().name}.allsTechnologyTrigger`,
			typeVersion: 1,
			position: [0, 0],
			credentials,
		},
		{
			parameters: {},
			id: '5e2b8f4a-1c3d-4e6f-8a9b-0c1d2e3f4a02',
			name: TRIGGER_EVENTS_NODE,
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [220, 0],
		},
	],
	connections: {
		'Automation Event': { main: [[{ node: TRIGGER_EVENTS_NODE, type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
	pinData: {},
};
