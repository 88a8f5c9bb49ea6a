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

/**
 * What each operation does, for a model that calls the node as an AI agent's tool: n8n gives it as the tool's
 * description. The ones that change what contacts receive, or cannot be undone, say so first.
 */
export const toolDescriptions: Record<keyof typeof operations, string> = {
	create:
		'Create an automation (an email sequence) in AllsTechnology. It starts as a draft that sends nothing. Returns the new automation; its "utr" field is the UTR that names it when adding emails to it and setting it live. Changes the account.',
	delete:
		'DESTRUCTIVE, cannot be undone: delete an automation and its emails in AllsTechnology. Takes the automation\'s UTR, the UUID in the "utr" field of the automations listed by Get Many. Call it only when the user asked to delete that automation.',
	deleteMany:
		'DESTRUCTIVE, cannot be undone: delete several automations in AllsTechnology in one call. Takes their numeric IDs (the "id" field of Get Many, not the UTR), separated by commas. Returns the IDs deleted and the IDs not found. Call it only when the user asked to delete those automations.',
	duplicate:
		'Copy an automation and its emails into a new draft automation in AllsTechnology. Takes the UTR of the automation to copy. Returns the copy, whose "utr" is its own new UTR. Changes the account.',
	get: 'Read one automation of AllsTechnology by its UTR, the UUID in the "utr" field of Get Many: its name, status ("draft" or "live"), when it went live, and its statistics. Changes nothing.',
	getAll:
		'List the automations (email sequences) of the AllsTechnology account, each with its "utr" (the UUID every other automation operation takes), numeric "id", name, status ("draft" or "live") and statistics. Changes nothing. Use it first to find an automation by its name.',
	pause:
		"DESTRUCTIVE: pause a live automation in AllsTechnology, so it stops sending emails to contacts. Only a live automation can be paused. Takes the automation's UTR. Call it only when the user asked to pause that automation.",
	setLive:
		'DESTRUCTIVE: set an automation live in AllsTechnology, so it starts sending its emails to real contacts. It needs an unsubscribe group. Takes the automation\'s UTR: the "utr" of an automation, or the "automation_utr" of one of its emails, never an email\'s own "utr". Call it only when the user asked to set that automation live.',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['automation'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create an automation',
				action: 'Create an automation',
				builderHint: {
					propertyHint:
						'Creates a draft automation. Its output "utr" is the new automation\'s UTR: map it into the Automation field of the Automation Schedule Create nodes that add its emails and of the Set Live node, e.g. expr(\'{{ $json.utr }}\') in the node right after it. Type "welcome" for a welcome series. Unsubscribe Group is required to set it live later: let the user pick it (placeholder), never invent an ID.',
				},
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete an automation',
				action: 'Delete an automation',
				builderHint: {
					propertyHint:
						'Deletes the automation and its emails for good. Use only when the user asks to delete it.',
				},
			},
			{
				name: 'Delete Many',
				value: 'deleteMany',
				description: 'Delete many automations by their numeric IDs, in one request',
				action: 'Delete many automations',
				builderHint: {
					propertyHint:
						'Automation IDs takes the numeric "id" field (e.g. expr(\'{{ $json.id }}\') after Get Many), never the UTR. The IDs of all input items go out together; each item gets { deleted, notFound }.',
				},
			},
			{
				name: 'Duplicate',
				value: 'duplicate',
				description: 'Copy an automation and its emails into a new draft',
				action: 'Duplicate an automation',
				builderHint: {
					propertyHint: 'The output is the copy, a draft; its "utr" is the copy\'s new UTR.',
				},
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get an automation',
				action: 'Get an automation',
				builderHint: {
					propertyHint:
						'Reads one automation by its UTR. To find an automation by name, use Get Many with Filters instead.',
				},
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get many automations',
				action: 'Get many automations',
				builderHint: {
					propertyHint:
						'Finds automations by name: Filters → Name Contains (e.g. "welcome"), Status, Type (welcome or custom). Each output item has "utr" (map it into the next node\'s Automation field) and "id" (for Delete Many only). The API cannot filter: the node lists the whole account and filters it.',
				},
			},
			{
				name: 'Pause',
				value: 'pause',
				description: 'Pause a live automation',
				action: 'Pause an automation',
				builderHint: {
					propertyHint:
						"Stops a live automation sending; it fails on a draft. Takes the automation's UTR.",
				},
			},
			{
				name: 'Set Live',
				value: 'setLive',
				description: 'Start an automation; it needs an unsubscribe group',
				action: 'Set an automation live',
				builderHint: {
					propertyHint:
						"Put it after the Automation Schedule Create nodes that add the emails. Automation must be the automation's UTR: right after Automation Schedule Create use expr('{{ $json.automation_utr }}'), never expr('{{ $json.utr }}'), which is the new email's own UTR; or reference the Create node, e.g. expr(\"{{ $('Create Automation').item.json.utr }}\"). Set executeOnce: true when several emails come in, so it is set live once.",
				},
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
