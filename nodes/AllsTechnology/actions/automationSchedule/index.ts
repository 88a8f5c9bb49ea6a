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

/** What each operation does, for a model that calls the node as an AI agent's tool (see automation/index.ts). */
export const toolDescriptions: Record<keyof typeof operations, string> = {
	create:
		'Add an email to an automation in AllsTechnology. Takes the automation\'s UTR, the sender ID, the subject, when to send it (instantly, or a number of hours or days after the previous one) and the design template. Returns the new email: "utr" is the email\'s own UTR, "automation_utr" the automation\'s. Changes the account; the email goes out only once the automation is live.',
	delete:
		'DESTRUCTIVE, cannot be undone: remove one email from an automation in AllsTechnology. Takes the email\'s own UTR (the "utr" field of the emails listed by Get Many), not the automation\'s. Call it only when the user asked to remove that email.',
	getAll:
		'List the emails of one automation in AllsTechnology. Takes the automation\'s UTR. Each email has its own "utr", "automation_utr" (the automation\'s UTR), subject, when it is sent (waiting_type and waiting_period), sender ID and template ID. Changes nothing.',
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
				builderHint: {
					propertyHint:
						"Adds one email to an automation. Automation is the automation's UTR: after Automation Create, Get or Get Many use expr('{{ $json.utr }}'). Sender ID: AllsTechnology has no sender list to look up; ask the user (placeholder), never invent one. Template: let the user pick it (placeholder); Preview Image may stay empty. In the output, \"utr\" is the new email's own UTR and \"automation_utr\" the automation's: map automation_utr into a following Set Live.",
				},
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Remove an email from an automation',
				action: 'Delete an automation schedule',
				builderHint: {
					propertyHint:
						'Schedule is the email\'s own UTR (the "utr" of an Automation Schedule output), not the automation\'s. Removes the email for good.',
				},
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: "Get many of an automation's emails",
				action: 'Get many automation schedules',
				builderHint: {
					propertyHint:
						'Lists the emails of one automation; Automation is the automation\'s UTR. Each item has the email\'s own "utr" and the automation\'s "automation_utr".',
				},
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...create.description,
	...deleteSchedule.description,
];
