import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { UTR_PATTERN, utrKey } from '../shared/identifiers';
import { listAutomationEntries, listAutomations } from '../shared/records';
import { allsTechnologyApiTest } from '../shared/credentialTest';
import { getAutomations } from './automations';
import type { AutomationEvent, Watch } from './events';
import {
	COUNTERS,
	TRIGGER_EVENTS,
	byUtr,
	detectEvents,
	followed,
	sameSnapshots,
	sampleEvent,
} from './events';
import { isSuperseded, pollClock, readSnapshots, writeSnapshots } from './state';

/**
 * A multi-options value, or the comma-separated text or array an expression gives instead. Anything else from an
 * expression (a number, an object), or an expression that gives nothing, is refused: read as empty, it would
 * widen the trigger to every automation or every counter.
 */
function listParameter(node: INode, parameter: string, value: unknown, raw: unknown): string[] {
	const parts: unknown[] | undefined = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(',')
			: value === undefined || value === null
				? []
				: undefined;
	const given = parts?.map((part) => String(part).trim()).filter((part) => part !== '');
	const isExpression = typeof raw === 'string' && raw.startsWith('=');
	if (given === undefined || (given.length === 0 && isExpression)) {
		const gives = given === undefined ? `${typeof value} ${JSON.stringify(value)}` : 'nothing';
		throw new NodeOperationError(
			node,
			`The expression of ${parameter} gives ${gives}: it must give a list or comma-separated text`,
			{
				description: `Fix the expression of "${parameter}" in the AllsTechnology Trigger and activate the workflow again.`,
			},
		);
	}
	return given;
}

/** The allowed values among those given, in the allowed order; any other value is refused by name. */
function chooseFrom<T extends string>(
	node: INode,
	parameter: string,
	given: string[],
	allowed: readonly T[],
): T[] {
	const unknown = given.find((value) => !(allowed as readonly string[]).includes(value));
	if (unknown !== undefined) {
		throw new NodeOperationError(
			node,
			`The ${parameter} parameter holds "${unknown}": it must be one of ${allowed.join(', ')}`,
			{
				description: `Fix "${parameter}" in the AllsTechnology Trigger and activate the workflow again.`,
			},
		);
	}
	return allowed.filter((value) => given.includes(value));
}

function readWatch(context: IPollFunctions): Watch {
	const node = context.getNode();
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const rawOptions = (node.parameters.options ?? {}) as IDataObject;
	const option = (name: string, parameter: string) =>
		listParameter(node, parameter, options[name], rawOptions[name]);
	const triggerOn = listParameter(
		node,
		'Trigger On',
		context.getNodeParameter('triggerOn', []),
		node.parameters.triggerOn,
	);
	const events = chooseFrom(node, 'Trigger On', triggerOn, TRIGGER_EVENTS);
	if (events.length === 0) {
		throw new NodeOperationError(
			node,
			'Trigger On is empty: choose at least one event to start the workflow on',
			{
				description:
					'Pick one or more of Automation Created, Automation Went Live, Automation Paused, Automation Deleted and Stats Changed.',
			},
		);
	}
	const counters = chooseFrom(node, 'Counters', option('counters', 'Counters'), COUNTERS);
	const automations = option('automations', 'Automation Names or IDs');
	const notUtr = automations.find((utr) => !UTR_PATTERN.test(utr));
	if (notUtr !== undefined) {
		throw new NodeOperationError(
			node,
			`The Automation Names or IDs option holds "${notUtr}": it must hold UTRs, UUIDs such as e9c7ff00-8d1c-11ee-91c4-b42e9970e591`,
			{
				description:
					'Pick the automations from the list, or give their UTRs (the "utr" field of AllsTechnology → Get Many).',
			},
		);
	}
	return {
		events,
		counters: counters.length > 0 ? counters : COUNTERS,
		automations: automations.length > 0 ? new Set(automations.map(utrKey)) : undefined,
	};
}

/** "Fetch test event": one sample event built from the current list, without the state. */
async function fetchSample(context: IPollFunctions, watch: Watch): Promise<AutomationEvent> {
	const sample = sampleEvent(byUtr(await listAutomations.call(context)), watch);
	if (!sample) {
		throw new NodeOperationError(
			context.getNode(),
			'There is no automation to build a sample event from',
			{
				description: watch.automations
					? 'None of the automations chosen in Options → Automation Names or IDs exists any more. Choose others, or remove the option.'
					: 'The account has no automation yet. Create one, then fetch a test event again.',
			},
		);
	}
	return sample;
}

/** The node's static data, where it keeps its state; refused when it is not an object, as no poll could save to it. */
function nodeState(context: IPollFunctions): IDataObject {
	const staticData: unknown = context.getWorkflowStaticData('node');
	if (typeof staticData !== 'object' || staticData === null || Array.isArray(staticData)) {
		throw new NodeOperationError(
			context.getNode(),
			`The trigger's saved state is not an object but ${JSON.stringify(staticData)}: the workflow was changed outside n8n`,
			{
				description:
					'Rename this trigger node (n8n keeps its saved state under its name) and save the workflow: the next poll records the account afresh.',
			},
		);
	}
	return staticData as IDataObject;
}

export class AllsTechnologyTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AllsTechnology Trigger',
		name: 'allsTechnologyTrigger',
		icon: {
			light: 'file:../../icons/allstechnology.svg',
			dark: 'file:../../icons/allstechnology.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["triggerOn"].join(", ")}}',
		description:
			'Starts the workflow when AllsTechnology automations are created, go live, are paused or deleted, or their statistics grow',
		defaults: { name: 'AllsTechnology Trigger' },
		polling: true,
		builderHint: {
			searchHint:
				'Polls the AllsTechnology account (every minute by default; the API has no webhooks). Each output item is one event: { event, automation, previous, changes }, where automation.utr is the UTR the AllsTechnology node takes in its Automation field. The first poll after activation records the account and emits nothing.',
			relatedNodes: [
				{
					nodeType: 'n8n-nodes-allstechnology.allsTechnology',
					relationHint:
						'Acts on the automation of an event (Get, Pause, Set Live) or on its emails',
				},
			],
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'allsTechnologyApi', required: true, testedBy: 'allsTechnologyApiTest' }],
		properties: [
			{
				displayName:
					"Each poll lists the account's automations and compares them with the previous poll. The first poll after activation only records them: events start from the second poll.",
				name: 'pollingNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Trigger On',
				name: 'triggerOn',
				type: 'multiOptions',
				required: true,
				default: [],
				description:
					'The changes that start the workflow; each change found by a poll is one output item',
				options: [
					{
						name: 'Automation Created',
						value: 'automationCreated',
						description: 'A new automation appeared in the account (created or duplicated)',
					},
					{
						name: 'Automation Deleted',
						value: 'automationDeleted',
						description: 'An automation disappeared from the account (deleted)',
					},
					{
						name: 'Automation Paused',
						value: 'automationPaused',
						description: 'A live automation stopped being live (its status went from 1 to 0)',
					},
					{
						name: 'Automation Went Live',
						value: 'automationWentLive',
						description:
							'An automation became live (status 1), a new automation that is already live included',
					},
					{
						name: 'Stats Changed',
						value: 'statsChanged',
						description:
							"One or more of an automation's counters grew: triggered, delivered, unique opens, opens, bounces, unsubscribes",
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Automation Names or IDs',
						name: 'automations',
						type: 'multiOptions',
						typeOptions: { loadOptionsMethod: 'getAutomations' },
						default: [],
						description:
							'Only report changes of these automations, by UTR; leave empty to watch every automation of the account. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Counters',
						name: 'counters',
						type: 'multiOptions',
						default: [],
						description:
							'Only report Stats Changed when one of these counters grew, and put only these in "changes"; leave empty to watch all six',
						displayOptions: { show: { '/triggerOn': ['statsChanged'] } },
						options: [
							{ name: 'Bounces', value: 'total_bounces' },
							{ name: 'Delivered', value: 'total_delivered' },
							{ name: 'Opens', value: 'total_opens' },
							{ name: 'Triggered', value: 'total_triggered' },
							{ name: 'Unique Opens', value: 'total_unique_opens' },
							{ name: 'Unsubscribes', value: 'total_unsubscribe' },
						],
					},
				],
			},
		],
	};

	methods = { credentialTest: { allsTechnologyApiTest }, loadOptions: { getAutomations } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const watch = readWatch(this);
		if (this.getMode() === 'manual')
			return [this.helpers.returnJsonArray(await fetchSample(this, watch))];

		const startedAt = pollClock();
		const staticData = nodeState(this);
		let entries = await listAutomationEntries.call(this);
		if (entries.length === 0 && (readSnapshots(staticData)?.size ?? 0) > 0) {
			// The API answers an account without automations "Record Not Found", and so it may answer by mistake: before
			// reporting every automation deleted, ask once more.
			entries = await listAutomationEntries.call(this);
		}

		// Nothing below waits, so no other poll can save the state between this check and this poll's own save. The
		// state is written only once the whole list has been read, so a failed poll leaves it as it was.
		if (isSuperseded(staticData, startedAt)) return null;
		const previous = readSnapshots(staticData);
		if (previous === undefined) {
			writeSnapshots(staticData, byUtr(entries), pollClock());
			return null;
		}
		const listed = followed(entries, previous);
		const events = detectEvents(previous, listed, watch);
		if (!sameSnapshots(previous, listed)) writeSnapshots(staticData, listed, pollClock());
		return events.length > 0 ? [this.helpers.returnJsonArray(events)] : null;
	}
}
