import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import { asItemError, errorItem, pairedItems } from '../helpers/items';
import { paceRequests } from '../transport';
import * as automation from './automation';
import * as automationSchedule from './automationSchedule';
import { DEFAULT_IN_FLIGHT, MAX_IN_FLIGHT } from './common.descriptions';
import type { Operation } from './operation';

const operationsByResource: Record<string, Record<string, Operation>> = {
	automation: automation.operations,
	automationSchedule: automationSchedule.operations,
};

interface Batching {
	/** Requests in flight at once. */
	batchSize: number;
	/** Pause between batches, in milliseconds; 0 keeps a window of `batchSize` requests always busy. */
	batchInterval: number;
}

function batchingOf(context: IExecuteFunctions): Batching {
	const batch = context.getNodeParameter('options.batching.batch', 0, {}) as IDataObject;
	const batchSize = Math.floor(Number(batch.batchSize ?? DEFAULT_IN_FLIGHT));
	const batchInterval = Number(batch.batchInterval ?? 0);
	return {
		batchSize: batchSize >= 1 ? Math.min(batchSize, MAX_IN_FLIGHT) : DEFAULT_IN_FLIGHT,
		batchInterval: batchInterval > 0 ? batchInterval : 0,
	};
}

/**
 * Runs the chosen operation over the input items with a bounded number in flight. Output keeps the input's order
 * and pairing. Without Continue On Fail no new item starts after a failure, and the first failing item is named.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operationsByResource[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" is not known for the resource "${resource}"`);
	}
	if ('executeBatch' in operation) return [await operation.executeBatch.call(this, items)];

	const outputByItem: INodeExecutionData[][] = new Array(items.length);
	let firstFailure: { itemIndex: number; error: NodeApiError | NodeOperationError } | undefined;
	const runItem = async (itemIndex: number) => {
		try {
			outputByItem[itemIndex] = pairedItems(await operation.execute.call(this, itemIndex), itemIndex);
		} catch (error) {
			const itemError = asItemError(this, error, itemIndex);
			if (this.continueOnFail()) {
				outputByItem[itemIndex] = [errorItem(itemError, itemIndex)];
			} else if (!firstFailure || itemIndex < firstFailure.itemIndex) {
				firstFailure = { itemIndex, error: itemError };
			}
		}
	};

	const { batchSize, batchInterval } = batchingOf(this);
	if (batchInterval > 0) {
		for (let start = 0; start < items.length && !firstFailure; start += batchSize) {
			if (start > 0) await sleep(batchInterval);
			const batch = Array.from({ length: Math.min(batchSize, items.length - start) }, (_, offset) => start + offset);
			await Promise.all(batch.map(runItem));
		}
	} else {
		paceRequests(this, batchSize);
		let nextItem = 0;
		const worker = async () => {
			while (nextItem < items.length && !firstFailure) await runItem(nextItem++);
		};
		await Promise.all(Array.from({ length: Math.min(batchSize, items.length) }, worker));
	}
	if (firstFailure) throw firstFailure.error;
	return [outputByItem.flat()];
}
