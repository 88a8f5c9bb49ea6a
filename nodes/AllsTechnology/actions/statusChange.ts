import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { apiRequest } from '../transport';
import { getAutomationUtr } from './common.descriptions';

/** Pause and Set Live: one GET on the automation's UTR, answered with a sentence. */
export async function changeAutomationStatus(
	this: IExecuteFunctions,
	itemIndex: number,
	endpoint: 'automations/pause' | 'automations/set-live',
): Promise<IDataObject> {
	const utr = getAutomationUtr.call(this, itemIndex);
	const message = await apiRequest.call(this, { method: 'GET', endpoint, utr }, itemIndex);
	return { success: true, utr, message: String(message) };
}
