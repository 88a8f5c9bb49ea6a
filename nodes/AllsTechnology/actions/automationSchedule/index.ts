import type { INodeProperties } from 'n8n-workflow';
import type { Operation } from '../operation';
import * as create from './create.operation';
import * as deleteSchedule from './delete.operation';
import * as getAll from './getAll.operation';

export const operations: Record<string, Operation> = {
	create,
	delete: deleteSchedule,
	getAll,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['automationSchedule'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Add an email to an automation',
				action: 'Create an automation schedule',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Remove an email from an automation',
				action: 'Delete an automation schedule',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: "Get many of an automation's emails",
				action: 'Get many automation schedules',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...create.description,
	...deleteSchedule.description,
];
