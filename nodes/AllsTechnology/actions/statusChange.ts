import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { onceAcrossRetries } from '../helpers/retryMemory';
import { asItemError } from '../../shared/errors';
import { automationStatus } from '../../shared/records';
import { readAutomation } from '../helpers/records';
import { apiRequest, followedUncertainTry, mayHaveApplied } from '../../shared/transport';

const TARGET_STATUS = { 'automations/pause': 'draft', 'automations/set-live': 'live' } as const;

/**
 * Pause and Set Live: one GET on the automation's UTR, answered with a sentence. Should a try be refused after an
 * earlier one went unanswered (a try of this request, or under n8n's Retry On Fail an earlier run of this item), the
 * automation is read: if it has the status asked for, the earlier try did it. Under Retry On Fail, an item that
 * succeeded in an earlier try returns that output unsent: paused again, the draft it made would fail the retry.
 */
export async function changeAutomationStatus(
	this: IExecuteFunctions,
	itemIndex: number,
	utr: string,
	endpoint: 'automations/pause' | 'automations/set-live',
): Promise<IDataObject> {
	return await onceAcrossRetries(
		this,
		itemIndex,
		async (earlierTryUncertain) =>
			await sendStatusChange.call(this, itemIndex, utr, endpoint, earlierTryUncertain),
	);
}

async function sendStatusChange(
	this: IExecuteFunctions,
	itemIndex: number,
	utr: string,
	endpoint: 'automations/pause' | 'automations/set-live',
	earlierTryUncertain: boolean,
): Promise<IDataObject> {
	try {
		const message = await apiRequest.call(this, { method: 'GET', endpoint, utr }, itemIndex);
		return { success: true, utr, message: String(message) };
	} catch (error) {
		// Another lost answer says nothing of the status: that error stays, and the item stays uncertain for a retry.
		const refusedAfterUncertainTry =
			followedUncertainTry(error) ||
			(earlierTryUncertain && error instanceof NodeApiError && !mayHaveApplied(error));
		if (!refusedAfterUncertainTry) throw asItemError(this, error, itemIndex);
		const automation = await readAutomation.call(this, utr, itemIndex);
		if (automationStatus(automation) !== TARGET_STATUS[endpoint])
			throw asItemError(this, error, itemIndex);
		return {
			success: true,
			utr,
			message: `The automation is ${TARGET_STATUS[endpoint]}: an earlier try reached AllsTechnology, but its answer was lost`,
		};
	}
}
