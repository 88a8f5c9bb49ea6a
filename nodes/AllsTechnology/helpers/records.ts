import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { apiRequest, followedUncertainTry, recordNotFound } from '../transport';
import { shortened } from '../transport/baseUrl';
import { asItemError } from './items';

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

/**
 * The key under which a UTR is compared: UTRs are UUIDs, which the API may write in either case, and a space
 * around one is no part of it.
 */
export function utrKey(utr: string): string {
	return utr.trim().toLowerCase();
}

/** The key of a record's UTR (see utrKey); '' for a record without one. */
export function utrKeyOf(record: IDataObject): string {
	return typeof record.utr === 'string' ? utrKey(record.utr) : '';
}

/** An automation's `status` in words: 1 is live, anything else a draft. */
export function automationStatus(automation: IDataObject): 'live' | 'draft' {
	return Number(automation.status) === 1 ? 'live' : 'draft';
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
		throw new NodeApiError(this.getNode(), { message: 'No automations array in the answer' }, {
			message: 'AllsTechnology answered the automation list without its "automations" array',
			description: 'Check the Base URL in the credential, then try again.',
			itemIndex,
		});
	}
	return automations;
}

/** Every automation of the account, newest first, as the API lists them; entries that are not records left out. */
export async function listAutomations(this: Context, itemIndex?: number): Promise<IDataObject[]> {
	return (await listAutomationEntries.call(this, itemIndex)).filter(isRecord);
}

/** The automation's details; refused when the answer is another automation's record. */
export async function readAutomation(this: Context, utr: string, itemIndex?: number): Promise<IDataObject> {
	const message = await apiRequest.call(this, { method: 'GET', endpoint: 'automations/details', utr }, itemIndex);
	// The transport has checked that the answer holds an "automation" object.
	const automation = (message as IDataObject).automation as IDataObject;
	if (typeof automation.utr === 'string' && utrKey(automation.utr) !== utrKey(utr)) {
		throw new NodeApiError(this.getNode(), { message: 'Another automation\'s record in the answer' }, {
			message: `AllsTechnology answered Get for automation ${utr} with automation ${shortened(automation.utr)}'s record`,
			description: 'A cache or proxy in front of the API may be ignoring the query string: check the Base URL in the credential.',
			itemIndex,
		});
	}
	return automation;
}

/** The emails (schedules) of an automation, oldest first. */
export async function listSchedules(this: Context, automationUtr: string, itemIndex?: number): Promise<IDataObject[]> {
	try {
		const message = await apiRequest.call(
			this,
			{ method: 'GET', endpoint: 'automations/schedule', utr: automationUtr },
			itemIndex,
		);
		return listUnder(message, 'automation_schedules');
	} catch (error) {
		if (!recordNotFound(error)) throw asItemError(this, error, itemIndex);
		// "Record not found" may mean an unknown automation or one without emails: its details tell which.
		await readAutomation.call(this, automationUtr, itemIndex);
		return [];
	}
}

/**
 * Deletes by UTR. A repeated try that finds nothing left means an earlier, unanswered try deleted it: a try of this
 * request, or (`earlierTryUncertain`) one of an earlier run of the item under n8n's Retry On Fail.
 */
export async function deleteByUtr(
	this: IExecuteFunctions,
	endpoint: 'automations/delete' | 'automations/schedule/delete',
	utr: string,
	itemIndex: number,
	earlierTryUncertain = false,
): Promise<void> {
	try {
		await apiRequest.call(this, { method: 'DELETE', endpoint, utr }, itemIndex);
	} catch (error) {
		const deletedByEarlierTry = recordNotFound(error) && (followedUncertainTry(error) || earlierTryUncertain);
		if (!deletedByEarlierTry) throw asItemError(this, error, itemIndex);
	}
}
