import type { INodeProperties } from 'n8n-workflow';
import { UTR_REGEX } from '../../shared/identifiers';
import {
	MAX_RATE_LIMIT_WAIT_SECONDS,
	MAX_TIMEOUT_SECONDS,
	MAX_TRIES_LIMIT,
} from '../../shared/transport/retry';

interface UtrLocator {
	name: string;
	displayName: string;
	/** "an automation", "an email of the automation": what the list's placeholder asks for. */
	aNoun: string;
	example: string;
	exampleId: number;
	description: string;
	searchListMethod: string;
	required: boolean;
}

/** A regex for n8n's mode validation, which anchors it; an optional field may be left empty. */
function modeRegex(regex: string, required: boolean): string {
	return required ? `(?:${regex})` : `(?:${regex})?`;
}

/**
 * A resource locator naming a record: picked from a searchable list, typed in By UTR (checked as a UUID), or By ID,
 * the numeric ID every output shows first, looked up in a list when the node runs. n8n's editor labels the mode
 * named `id` "By ID" whatever its display name, so By UTR is `utr`; workflows saved when By UTR was `id` hold a UTR
 * there, which the node still takes.
 */
function utrLocator(locator: UtrLocator): INodeProperties {
	const { name, displayName, aNoun, example, exampleId, description, searchListMethod, required } =
		locator;
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select ${aNoun}...`,
				typeOptions: { searchListMethod, searchable: true, searchFilterRequired: false },
			},
			{
				displayName: 'By UTR',
				name: 'utr',
				type: 'string',
				placeholder: `e.g. ${example}`,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: modeRegex(UTR_REGEX, required),
							errorMessage: `Not a UTR: a UTR is a UUID such as ${example}`,
						},
					},
				],
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: `e.g. ${exampleId}`,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: modeRegex(`\\d+|${UTR_REGEX}`, required),
							errorMessage: `Not an ID: an ID is a whole number such as ${exampleId}, the "id" field of Get Many`,
						},
					},
				],
			},
		],
	};
}

export function automationLocator(
	description = 'The automation: pick it from the list, give its UTR, the UUID in the "utr" field of an automation (Get Many, Get, Create) or in the "automation_utr" field of one of its emails (e.g. e9c7ff00-8d1c-11ee-91c4-b42e9970e591), or its ID, the whole number in the "id" field of an automation (e.g. 5)',
	required = true,
): INodeProperties {
	return {
		...utrLocator({
			name: 'automation',
			displayName: 'Automation',
			aNoun: 'an automation',
			example: 'e9c7ff00-8d1c-11ee-91c4-b42e9970e591',
			exampleId: 5,
			description,
			searchListMethod: 'searchAutomations',
			required,
		}),
		builderHint: {
			propertyHint:
				"A resource locator value { __rl: true, mode, value }. For an automation the user already has, mode 'list' with value '' so they pick it. After a node that outputs automations (Automation Create, Get, Get Many) use mode 'utr' with expr('{{ $json.utr }}'); after an Automation Schedule node use mode 'utr' with expr('{{ $json.automation_utr }}'), as its utr is the email's own. Mode 'id' takes the numeric id field. Never invent a UTR.",
		},
	};
}

export const scheduleLocator: INodeProperties = {
	...utrLocator({
		name: 'schedule',
		displayName: 'Schedule',
		aNoun: 'an email of the automation',
		example: '5a24b56e-89de-11ee-ae43-b42e9970e591',
		exampleId: 10,
		description:
			'The schedule (an email of an automation): pick it from the list of the chosen automation\'s emails, give its own UTR, the UUID in the "utr" field of the automation\'s schedules (not the automation\'s UTR, which they show as "automation_utr"), or its ID, the whole number in their "id" field, looked up among the emails of the automation chosen above',
		searchListMethod: 'searchSchedules',
		required: true,
	}),
	builderHint: {
		propertyHint:
			"A resource locator value { __rl: true, mode, value }: the email's own UTR, mode 'utr' with expr('{{ $json.utr }}') after an Automation Schedule Get Many or Create node, never automation_utr (the automation's). Mode 'id' takes the email's numeric id and needs Automation set too.",
	},
};

/** Simplify, as every operation that outputs a record shows it, saying what it keeps. */
export function simplifyOption(simplifiedFields: string): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: `Whether to return a simplified version of the response instead of the raw data: ${simplifiedFields}`,
	};
}

/** What Simplify keeps of an automation, as its description says it. */
export const SIMPLIFIED_AUTOMATION =
	'ID, UTR, name, status ("draft" or "live"), live since, number of emails (Get Many), and the delivered, unique opens, bounces and unsubscribes totals. Off, the API\'s whole record, with the status in words too and the API\'s 0 or 1 as "status_code"';

/** What Simplify keeps of an email, as its description says it. */
export const SIMPLIFIED_SCHEDULE =
	'ID, UTR, the automation\'s UTR ("automation_utr"), automation ID, subject, waiting type and period, sender ID, template ID, preview image and design URL, without the template HTML and JSON';

/** Return All, Limit, the operation's filters if any, and Simplify, as every Get Many operation shows them. */
export function getManyOptions(
	simplifiedFields: string,
	filters: INodeProperties[] = [],
): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
		...filters,
		simplifyOption(simplifiedFields),
	];
}

/** Items Per Batch as the Batching option offers it; without the option the run's window sizes itself. */
export const DEFAULT_BATCH_SIZE = 5;
export const MAX_IN_FLIGHT = 10;

/** Settings of the node as a whole, for every operation. */
export const nodeOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	description: 'How the node talks to the API when it is slow, failing or rate-limiting',
	options: [
		{
			displayName: 'Batching',
			name: 'batching',
			placeholder: 'Add Batching',
			type: 'fixedCollection',
			typeOptions: { multipleValues: false },
			default: { batch: {} },
			description:
				'How many items the node works on at once, and whether to pause between batches of them',
			options: [
				{
					displayName: 'Batching',
					name: 'batch',
					values: [
						{
							displayName: 'Items Per Batch',
							name: 'batchSize',
							type: 'number',
							typeOptions: { minValue: 1, maxValue: MAX_IN_FLIGHT },
							default: DEFAULT_BATCH_SIZE,
							description: `Input will be split in batches to throttle requests: how many requests are in flight at once, at most ${MAX_IN_FLIGHT}, fixed. 1 sends one request at a time. Without Batching, the node starts with 2 and widens up to ${MAX_IN_FLIGHT} while the API keeps up, narrowing when it slows or rate-limits.`,
						},
						{
							displayName: 'Batch Interval',
							name: 'batchInterval',
							type: 'number',
							typeOptions: { minValue: 0 },
							default: 0,
							description:
								'Time in milliseconds between each batch of requests. 0 for disabled: a new request starts as soon as one finishes.',
						},
					],
				},
			],
		},
		{
			displayName: 'Max Tries',
			name: 'maxTries',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_TRIES_LIMIT },
			default: 3,
			description:
				'How many times a request is sent in all before the item fails; 1 sends it once. A failed read or delete is retried with growing pauses; a create is never sent again after a failure that may have reached the API. Waiting out a rate limit (HTTP 429) uses no try: see Rate Limit Wait.',
		},
		{
			displayName: 'One List for Many Gets',
			name: 'oneListForManyGets',
			type: 'boolean',
			default: true,
			displayOptions: { show: { '/resource': ['automation'], '/operation': ['get'] } },
			description: `Whether a run of more than ${MAX_IN_FLIGHT} items reads the account's automation list once and takes each automation from it, instead of one request per item. The list holds the same fields as an automation's details; an automation it does not hold is asked for by its UTR. Turn off to ask for every automation's details by itself.`,
		},
		{
			displayName: 'Rate Limit Wait',
			name: 'rateLimitWait',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: MAX_RATE_LIMIT_WAIT_SECONDS },
			default: 300,
			description:
				'How many seconds the run may spend in all waiting out rate limits (HTTP 429, refused before it was processed, so the request is sent again, a create too). The wait the API asks for holds back every request of the run; once the waits would pass this, the item fails.',
		},
		{
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_SECONDS },
			default: 30,
			description:
				'How many seconds one request may take, from sending it to the last byte of its answer, before the node gives up on it',
		},
	],
};
