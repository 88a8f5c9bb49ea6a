import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { apiRequest, followedUncertainTry } from '../transport';
import { asItemError } from './items';

type Context = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

/** The array under `message[key]`; none when the API left it out. */
export function listUnder(message: unknown, key: string): IDataObject[] {
	const list = message && typeof message === 'object' ? (message as IDataObject)[key] : undefined;
	return Array.isArray(list) ? (list as IDataObject[]) : [];
}

/** An automation's `status` in words: 1 is live, anything else a draft. */
export function automationStatus(automation: IDataObject): 'live' | 'draft' {
	return Number(automation.status) === 1 ? 'live' : 'draft';
}

/** The API's answer for a record it does not know, and for some empty lists too. */
export function isRecordNotFound(error: unknown): boolean {
	return error instanceof NodeApiError && /^record not found$/i.test(error.message);
}

/** Every automation of the account, newest first, as the API lists them. */
export async function listAutomations(this: Context, itemIndex?: number): Promise<IDataObject[]> {
	let message: unknown;
	try {
		message = await apiRequest.call(this, { method: 'GET', endpoint: 'automations' }, itemIndex);
	} catch (error) {
		// The API answers an account without automations with "Record Not Found" instead of an empty list.
		if (!isRecordNotFound(error)) throw asItemError(this, error, itemIndex);
		return [];
	}
	const automations = message && typeof message === 'object' ? (message as IDataObject).automations : undefined;
	// Read as empty, such an answer would make the trigger report every automation deleted.
	if (!Array.isArray(automations)) {
		throw new NodeApiError(this.getNode(), { message: 'No automations array in the answer' }, {
			message: 'AllsTechnology answered the automation list without its "automations" array',
			description: 'Check the Base URL in the credential, then try again.',
			itemIndex,
		});
	}
	return automations.filter((record): record is IDataObject => typeof record === 'object' && record !== null);
}

export async function readAutomation(this: Context, utr: string, itemIndex?: number): Promise<IDataObject> {
	const message = await apiRequest.call(this, { method: 'GET', endpoint: 'automations/details', utr }, itemIndex);
	return ((message as IDataObject).automation ?? message) as IDataObject;
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
		if (!isRecordNotFound(error)) throw asItemError(this, error, itemIndex);
		// "Record not found" may mean an unknown automation or one without emails: its details tell which.
		await readAutomation.call(this, automationUtr, itemIndex);
		return [];
	}
}

/** Deletes by UTR. A repeated try that finds nothing left means an earlier, unanswered try deleted it. */
export async function deleteByUtr(
	this: IExecuteFunctions,
	endpoint: 'automations/delete' | 'automations/schedule/delete',
	utr: string,
	itemIndex: number,
): Promise<void> {
	try {
		await apiRequest.call(this, { method: 'DELETE', endpoint, utr }, itemIndex);
	} catch (error) {
		if (!(isRecordNotFound(error) && followedUncertainTry(error))) throw asItemError(this, error, itemIndex);
	}
}
