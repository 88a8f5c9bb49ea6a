import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { asItemError, errorItem } from '../../helpers/items';
import { requireIdList } from '../../helpers/validation';
import { apiRequest, indexedUrlencodedBody } from '../../transport';

export const description: INodeProperties[] = [
	{
		displayName: 'Automation IDs',
		name: 'automationIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 8, 44',
		description:
			'The numeric IDs (the ID field of Get Many, not the UTR) of the automations to delete, separated by commas, or an array from an expression. The IDs of all input items go out together in one request.',
		displayOptions: { show: { resource: ['automation'], operation: ['deleteMany'] } },
	},
];

/** All input items' IDs go out in one bulk request; each item still gets its own output, paired with it. */
export async function executeBatch(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = new Array(items.length);
	const idsByItem = new Map<number, number[]>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const value = this.getNodeParameter('automationIds', itemIndex);
			idsByItem.set(itemIndex, requireIdList(this, itemIndex, 'Automation IDs', value));
		} catch (error) {
			const itemError = asItemError(this, error, itemIndex);
			if (!this.continueOnFail()) throw itemError;
			output[itemIndex] = errorItem(itemError, itemIndex);
		}
	}

	if (idsByItem.size > 0) {
		const [firstItem] = idsByItem.keys();
		const uniqueIds = [...new Set([...idsByItem.values()].flat())];
		try {
			await apiRequest.call(
				this,
				{ method: 'POST', endpoint: 'automations/bulk-delete', body: indexedUrlencodedBody('strIds', uniqueIds) },
				firstItem,
			);
			for (const [itemIndex, ids] of idsByItem) {
				output[itemIndex] = { json: { deleted: true, ids }, pairedItem: { item: itemIndex } };
			}
		} catch (error) {
			// One request answered for every item in it: each of them failed with the same cause.
			if (!this.continueOnFail()) throw asItemError(this, error, firstItem);
			for (const itemIndex of idsByItem.keys()) {
				output[itemIndex] = errorItem(asItemError(this, error, itemIndex), itemIndex);
			}
		}
	}
	return output;
}
