import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { asItemError, errorItem, pairedItems } from '../helpers/items';
import * as automation from './automation';
import * as automationSchedule from './automationSchedule';
import type { Operation } from './operation';

const operationsByResource: Record<string, Record<string, Operation>> = {
	automation: automation.operations,
	automationSchedule: automationSchedule.operations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operationsByResource[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" is not known for the resource "${resource}"`);
	}
	if ('executeBatch' in operation) return [await operation.executeBatch.call(this, items)];

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			output.push(...pairedItems(await operation.execute.call(this, itemIndex), itemIndex));
		} catch (error) {
			const itemError = asItemError(this, error, itemIndex);
			if (!this.continueOnFail()) throw itemError;
			output.push(errorItem(itemError, itemIndex));
		}
	}
	return [output];
}
