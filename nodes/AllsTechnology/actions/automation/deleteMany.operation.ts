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
			'The numeric IDs (the ID field of Get Many, not the UTR) of the automations to delete, separated by commas, or an array from an expression. The IDs of all input items go out together, up to 500 in one request.',
		displayOptions: { show: { resource: ['automation'], operation: ['deleteMany'] } },
	},
];

/**
 * PHP, behind the API, drops form fields past its max_input_vars (1,000 by default) without a word: 500 IDs a
 * request stay well inside it, and 1,000 IDs still go out in two requests.
 */
export const IDS_PER_REQUEST = 500;

/** All input items' IDs go out in as few bulk requests as possible; each item still gets its own output, paired with it. */
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

	const uniqueIds = [...new Set([...idsByItem.values()].flat())];
	const failedIds = new Map<number, unknown>();
	for (let start = 0; start < uniqueIds.length; start += IDS_PER_REQUEST) {
		const chunk = uniqueIds.slice(start, start + IDS_PER_REQUEST);
		const firstItem = [...idsByItem].find(([, ids]) => ids.some((id) => chunk.includes(id)))?.[0];
		try {
			await apiRequest.call(
				this,
				{ method: 'POST', endpoint: 'automations/bulk-delete', body: indexedUrlencodedBody('strIds', chunk) },
				firstItem,
			);
		} catch (error) {
			// One answer for every ID in the request: each item with an ID in it failed with the same cause.
			if (!this.continueOnFail()) throw asItemError(this, error, firstItem);
			for (const id of chunk) failedIds.set(id, error);
		}
	}
	for (const [itemIndex, ids] of idsByItem) {
		const failedId = ids.find((id) => failedIds.has(id));
		output[itemIndex] =
			failedId === undefined
				? { json: { deleted: true, ids }, pairedItem: { item: itemIndex } }
				: errorItem(asItemError(this, failedIds.get(failedId), itemIndex), itemIndex);
	}
	return output;
}
