import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { apiRequest } from '../transport';
import { asItemError } from './items';

/** The array under `message[key]`; none when the API left it out. */
export function listUnder(message: unknown, key: string): IDataObject[] {
	const list = message && typeof message === 'object' ? (message as IDataObject)[key] : undefined;
	return Array.isArray(list) ? (list as IDataObject[]) : [];
}

export async function readAutomation(this: IExecuteFunctions, itemIndex: number, utr: string): Promise<IDataObject> {
	const message = await apiRequest.call(this, { method: 'GET', endpoint: 'automations/details', utr }, itemIndex);
	return ((message as IDataObject).automation ?? message) as IDataObject;
}

/**
 * Creates answer little or nothing about the new record, so the node reads it back for the user. Should that read
 * fail, the error says what was created, so nobody re-runs the create and makes a second one.
 */
export async function readBack<T>(
	context: IExecuteFunctions,
	itemIndex: number,
	whatWasCreated: string,
	read: () => Promise<T>,
): Promise<T> {
	try {
		return await read();
	} catch (error) {
		const reason = (error as Error).message;
		throw new NodeApiError(context.getNode(), { message: reason }, {
			message: `${whatWasCreated}, but reading it back failed: ${reason}`,
			description: 'Do not run the node again for this item: the create went through. Read the record with a Get operation instead.',
			itemIndex,
		});
	}
}

/** Create and Duplicate answer only the new automation's UTR; its record is read back. */
export async function readCreatedAutomation(this: IExecuteFunctions, itemIndex: number, message: unknown): Promise<IDataObject> {
	const utr = String((message as IDataObject).utr ?? '');
	return await readBack(this, itemIndex, `The automation was created (UTR ${utr})`, async () =>
		await readAutomation.call(this, itemIndex, utr),
	);
}

/** The API's answer for a record it does not know, and perhaps for an empty list too. */
export function isRecordNotFound(error: unknown): boolean {
	return error instanceof NodeApiError && /^record not found$/i.test(error.message);
}

export async function listSchedules(this: IExecuteFunctions, itemIndex: number, automationUtr: string): Promise<IDataObject[]> {
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
		await readAutomation.call(this, itemIndex, automationUtr);
		return [];
	}
}
