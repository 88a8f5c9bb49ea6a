import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { asItemError } from '../../shared/errors';

export function pairedItems(
	data: IDataObject | IDataObject[],
	itemIndex: number,
): INodeExecutionData[] {
	return (Array.isArray(data) ? data : [data]).map((json) => ({
		json,
		pairedItem: { item: itemIndex },
	}));
}

/**
 * The error as another item's: one failure that several items share (a list they all wait for), told for each of
 * them with its own index.
 */
export function forItem(
	context: Pick<IExecuteFunctions, 'getNode'>,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	const itemError = asItemError(context, error, itemIndex);
	if (itemError.context.itemIndex === itemIndex) return itemError;
	const { message } = itemError;
	const description = itemError.description ?? undefined;
	const copy =
		itemError instanceof NodeApiError
			? new NodeApiError(
					context.getNode(),
					{ message },
					{ message, description, httpCode: itemError.httpCode ?? undefined, itemIndex },
				)
			: new NodeOperationError(context.getNode(), message, { description, itemIndex });
	Object.assign(copy.context, itemError.context, { itemIndex });
	return copy;
}

/**
 * The output item Continue On Fail puts in place of an item that failed: the error's message, description and HTTP
 * code. n8n's "Continue (using error output)" sends an item to the error output only when its json holds nothing
 * but `error`, `message` and `details` (and adds the input item's fields to it), so there the description and HTTP
 * code go under `details`. Setting the item's own `error` would route it too, but n8n then cuts its json down to
 * the message alone.
 */
export function errorItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
): INodeExecutionData {
	const details: IDataObject = {};
	if (error.description) details.description = error.description;
	if (error instanceof NodeApiError && error.httpCode) details.httpCode = error.httpCode;
	const json: IDataObject = { error: error.message };
	if (Object.keys(details).length > 0) {
		// Every error of a run is made with the run's node, and so carries its On Error setting.
		if (error.node.onError === 'continueErrorOutput') json.details = details;
		else Object.assign(json, details);
	}
	return { json, pairedItem: { item: itemIndex } };
}
