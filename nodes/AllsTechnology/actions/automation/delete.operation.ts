import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { onceAcrossRetries } from '../../helpers/retryMemory';
import { automationUtrOf, deleteByUtr } from '../../helpers/records';
import type { RecordRef } from '../../helpers/parameters';
import { getAutomationRef } from '../../helpers/parameters';
import { automationLocator } from '../common.descriptions';
import type { Effect } from '../operation';

const properties: INodeProperties[] = [automationLocator()];

export const description = updateDisplayOptions(
	{ show: { resource: ['automation'], operation: ['delete'] } },
	properties,
);

export const effect: Effect = { verb: 'deleted', noun: 'automation' };

export const prepare = getAutomationRef;

/**
 * Under n8n's Retry On Fail, an item deleted in an earlier try returns that output unsent: sent again, it would fail
 * "Record not found". After an earlier try whose answer was lost, "Record not found" means that try deleted it.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	automation: RecordRef,
): Promise<IDataObject> {
	return await onceAcrossRetries(this, itemIndex, async (earlierTryUncertain) => {
		const utr = await automationUtrOf.call(this, itemIndex, automation, earlierTryUncertain);
		await deleteByUtr.call(this, 'automations/delete', utr, itemIndex, earlierTryUncertain);
		return { deleted: true, utr };
	});
}
