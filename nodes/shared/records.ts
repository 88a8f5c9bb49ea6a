import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { asItemError } from './errors';
import type { ListedAutomationRecord, ScheduleRecord } from './interfaces';
import { apiRequest, recordNotFound } from './transport';

type Context = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

/** Whether a listed entry is a record: an object, not null, a number, text or an array. */
export function isRecord(entry: unknown): entry is IDataObject {
	return typeof entry === 'object' && entry !== null && !Array.isArray(entry);
}

/** The records of the array under `message[key]`; none when the API left it out. */
export function listUnder(message: unknown, key: string): IDataObject[] {
	const list = isRecord(message) ? message[key] : undefined;
	return Array.isArray(list) ? list.filter(isRecord) : [];
}

/** An automation's `status` in words: 1 is live, anything else a draft. */
export function automationStatus(automation: IDataObject): 'live' | 'draft' {
	return Number(automation.status) === 1 ? 'live' : 'draft';
}

/** `fields` of a record, in that order, leaving out those it lacks. */
export function pickFields(record: IDataObject, fields: readonly string[]): IDataObject {
	const picked: IDataObject = {};
	for (const field of fields) {
		if (field in record) picked[field] = record[field];
	}
	return picked;
}

/** The record with `added` put right after its field `after` (at the end when it has none). */
function withFieldsAfter(record: IDataObject, after: string, added: IDataObject): IDataObject {
	if (!(after in record)) return { ...record, ...added };
	const result: IDataObject = {};
	for (const [field, value] of Object.entries(record)) {
		if (!(field in added)) result[field] = value;
		if (field === after) Object.assign(result, added);
	}
	return result;
}

/**
 * What Simplify keeps of an automation. `notice` is no API field: it is what a create outputs, beside the UTR, when
 * the new record could not be read back, and must not be simplified away.
 */
const SIMPLIFIED_AUTOMATION_FIELDS = [
	'id',
	'utr',
	'automation_name',
	'status',
	'live_at',
	'automation_schedule_count',
	'total_delivered',
	'total_unique_opens',
	'total_bounces',
	'total_unsubscribe',
	'notice',
] as const satisfies ReadonlyArray<keyof ListedAutomationRecord | 'notice'>;

/**
 * An automation as every output shows it: `status` in words, `draft` or `live`; unsimplified, the API's number
 * (0 or 1) stays beside it as `status_code`.
 */
export function automationOutput(automation: IDataObject, simplify: boolean): IDataObject {
	const status = automation.status;
	const hasStatus = status !== undefined && status !== null;
	const output = hasStatus
		? withFieldsAfter(automation, 'status', {
				status: automationStatus(automation),
				status_code: status,
			})
		: { ...automation };
	return simplify ? pickFields(output, SIMPLIFIED_AUTOMATION_FIELDS) : output;
}

/** What Simplify keeps of an email (schedule): all but the design's HTML and JSON and the timestamps. */
const SIMPLIFIED_SCHEDULE_FIELDS = [
	'id',
	'utr',
	'automation_utr',
	'automation_id',
	'subject',
	'waiting_type',
	'waiting_period',
	'sender_id',
	'template_id',
	'preview_img',
	'design_url',
	'notice',
] as const satisfies ReadonlyArray<keyof ScheduleRecord | 'automation_utr' | 'notice'>;

/**
 * An email (schedule) as every output shows it: beside its own `utr`, its automation's as `automation_utr`, the one
 * the automation operations take (the API gives only the automation's numeric `automation_id`).
 */
export function scheduleOutput(
	schedule: IDataObject,
	automationUtr: string,
	simplify: boolean,
): IDataObject {
	const output = withFieldsAfter(schedule, 'utr', { automation_utr: automationUtr });
	return simplify ? pickFields(output, SIMPLIFIED_SCHEDULE_FIELDS) : output;
}

/**
 * The entries of the account's automation list, newest first, as the API sends them: records, or anything else
 * a faulty answer puts in their place. The trigger needs to know that an entry went unnamed.
 */
export async function listAutomationEntries(this: Context, itemIndex?: number): Promise<unknown[]> {
	let message: unknown;
	try {
		message = await apiRequest.call(this, { method: 'GET', endpoint: 'automations' }, itemIndex);
	} catch (error) {
		// The API answers an account without automations with "Record Not Found" instead of an empty list.
		if (!recordNotFound(error)) throw asItemError(this, error, itemIndex);
		return [];
	}
	const automations = isRecord(message) ? message.automations : undefined;
	// Read as empty, such an answer would make the trigger report every automation deleted.
	if (!Array.isArray(automations)) {
		throw new NodeApiError(
			this.getNode(),
			{ message: 'No automations array in the answer' },
			{
				message: 'AllsTechnology answered the automation list without its "automations" array',
				description: 'Check the Base URL in the credential, then try again.',
				itemIndex,
			},
		);
	}
	return automations;
}

/** Every automation of the account, newest first, as the API lists them; entries that are not records left out. */
export async function listAutomations(this: Context, itemIndex?: number): Promise<IDataObject[]> {
	return (await listAutomationEntries.call(this, itemIndex)).filter(isRecord);
}
