import type { INodeProperties } from 'n8n-workflow';
import type { Operation } from '../operation';
import * as create from './create.operation';
import * as deleteAutomation from './delete.operation';
import * as deleteMany from './deleteMany.operation';
import * as duplicate from './duplicate.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as pause from './pause.operation';
import * as setLive from './setLive.operation';

export const operations: Record<string, Operation> = {
	create,
	delete: deleteAutomation,
	deleteMany,
	duplicate,
	get,
	getAll,
	pause,
	setLive,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['automation'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Create an automation', action: 'Create an automation' },
			{ name: 'Delete', value: 'delete', description: 'Delete an automation', action: 'Delete an automation' },
			{
				name: 'Delete Many',
				value: 'deleteMany',
				description: 'Delete many automations by their numeric IDs, in one request',
				action: 'Delete many automations',
			},
			{
				name: 'Duplicate',
				value: 'duplicate',
				description: 'Copy an automation and its emails into a new draft',
				action: 'Duplicate an automation',
			},
			{ name: 'Get', value: 'get', description: 'Get an automation', action: 'Get an automation' },
			{ name: 'Get Many', value: 'getAll', description: 'Get many automations', action: 'Get many automations' },
			{
				name: 'Pause',
				value: 'pause',
				description: 'Pause a live automation',
				action: 'Pause an automation',
			},
			{
				name: 'Set Live',
				value: 'setLive',
				description: 'Start an automation; it needs an unsubscribe group',
				action: 'Set an automation live',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...get.description,
	...create.description,
	...duplicate.description,
	...pause.description,
	...setLive.description,
	...deleteAutomation.description,
	...deleteMany.description,
];
