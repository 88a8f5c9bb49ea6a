import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

export function pairedItems(data: IDataObject | IDataObject[], itemIndex: number): INodeExecutionData[] {
	return (Array.isArray(data) ? data : [data]).map((json) => ({ json, pairedItem: { item: itemIndex } }));
}

/** An error that n8n shows with its item: what the API or the check said, and what to do about it. */
export function asItemError(
	context: Pick<IExecuteFunctions, 'getNode'>,
	error: unknown,
	itemIndex: number | undefined,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined) error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

/** The output item Continue On Fail puts in place of an item that failed. */
export function errorItem(error: NodeApiError | NodeOperationError, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	if (error instanceof NodeApiError && error.httpCode) json.httpCode = error.httpCode;
	return { json, pairedItem: { item: itemIndex } };
}
