import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { UTR_REGEX, requireBoolean, requirePositiveInteger, requireUtr } from '../helpers/validation';
import { MAX_RATE_LIMIT_WAIT_SECONDS, MAX_TIMEOUT_SECONDS, MAX_TRIES_LIMIT } from '../transport/retry';

interface UtrLocator {
	name: string;
	displayName: string;
	/** "an automation", "a schedule": what the list's placeholder asks for. */
	aNoun: string;
	example: string;
	description: string;
	searchListMethod: string;
	required: boolean;
}

/** A resource locator holding a UTR: picked from a searchable list, or typed in (checked as a UUID). */
function utrLocator(locator: UtrLocator, displayOptions: IDisplayOptions): INodeProperties {
	const { name, displayName, aNoun, example, description, searchListMethod, required } = locator;
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
				name: 'id',
				type: 'string',
				placeholder: `e.g. ${example}`,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: required ? UTR_REGEX : `(?:${UTR_REGEX})?`,
							errorMessage: `Not a UTR: a UTR is a UUID such as ${example}`,
						},
					},
				],
			},
		],
		displayOptions,
	};
}

export function automationLocator(
	displayOptions: IDisplayOptions,
	description = 'The automation: pick it from the list, or give its UTR, the UUID in the "utr" field of Get Many (e.g. e9c7ff00-8d1c-11ee-91c4-b42e9970e591)',
	required = true,
): INodeProperties {
	return utrLocator(
		{
			name: 'automation',
			displayName: 'Automation',
			aNoun: 'an automation',
			example: 'e9c7ff00-8d1c-11ee-91c4-b42e9970e591',
			description,
			searchListMethod: 'searchAutomations',
			required,
		},
		displayOptions,
	);
}

export function scheduleLocator(displayOptions: IDisplayOptions): INodeProperties {
	return utrLocator(
		{
			name: 'schedule',
			displayName: 'Schedule',
			aNoun: 'an email of the automation',
			example: '5a24b56e-89de-11ee-ae43-b42e9970e591',
			description:
				"The schedule (an email of an automation): pick it from the list of the chosen automation's emails, or give its own UTR, the UUID in the \"utr\" field of the automation's schedules (not the automation's UTR)",
			searchListMethod: 'searchSchedules',
			required: true,
		},
		displayOptions,
	);
}

export function getAutomationUtr(this: IExecuteFunctions, itemIndex: number): string {
	const value = this.getNodeParameter('automation', itemIndex, '', { extractValue: true });
	return requireUtr(this, itemIndex, 'Automation', value);
}

export function getScheduleUtr(this: IExecuteFunctions, itemIndex: number): string {
	const value = this.getNodeParameter('schedule', itemIndex, '', { extractValue: true });
	return requireUtr(this, itemIndex, 'Schedule', value);
}

/** Return All, Limit, the operation's filters if any, and Simplify, as every Get Many operation shows them. */
export function getManyOptions(
	displayOptions: IDisplayOptions,
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
			displayOptions,
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...displayOptions.show, returnAll: [false] } },
		},
		...filters.map((filter) => ({ ...filter, displayOptions })),
		{
			displayName: 'Simplify',
			name: 'simplify',
			type: 'boolean',
			default: true,
			description: `Whether to return a simplified version of the response instead of the raw data: ${simplifiedFields}`,
			displayOptions,
		},
	];
}

/** Return All, Limit and Simplify of one item, checked. */
export interface ListShape {
	/** How many records to keep; undefined with Return All. */
	limit?: number;
	simplify: boolean;
}

export function readListShape(this: IExecuteFunctions, itemIndex: number): ListShape {
	const returnAll = requireBoolean(this, itemIndex, 'Return All', this.getNodeParameter('returnAll', itemIndex, false));
	const simplify = requireBoolean(this, itemIndex, 'Simplify', this.getNodeParameter('simplify', itemIndex, true));
	if (returnAll) return { simplify };
	return { limit: requirePositiveInteger(this, itemIndex, 'Limit', this.getNodeParameter('limit', itemIndex, 50)), simplify };
}

/** Applies the list shape to a list the API returned whole, already filtered. */
export function shapeList(
	records: IDataObject[],
	shape: ListShape,
	simplifyRecord: (record: IDataObject) => IDataObject,
): IDataObject[] {
	const selected = shape.limit === undefined ? records : records.slice(0, shape.limit);
	return shape.simplify ? selected.map(simplifyRecord) : selected;
}

/** Picks the named fields of a record, in that order, leaving out those it lacks. */
export function pickFields(record: IDataObject, fields: readonly string[]): IDataObject {
	const picked: IDataObject = {};
	for (const field of fields) {
		if (field in record) picked[field] = record[field];
	}
	return picked;
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
			description: 'How many items the node works on at once, and whether to pause between batches of them',
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
			description: 'How many seconds one request may take, from sending it to the last byte of its answer, before the node gives up on it',
		},
	],
};
