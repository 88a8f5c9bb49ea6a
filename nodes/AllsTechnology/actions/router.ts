import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { asItemError } from '../../shared/errors';
import { errorItem, pairedItems } from '../helpers/items';
import { stopRun } from '../helpers/runStop';
import {
	RequestWindow,
	limitRequests,
	outcomeUnknown,
	paceRequests,
	wasNotSent,
} from '../../shared/transport';
import { pause } from '../../shared/transport/retry';
import * as automation from './automation';
import * as automationSchedule from './automationSchedule';
import { DEFAULT_BATCH_SIZE, MAX_IN_FLIGHT } from './common.descriptions';
import type { Effect, Operation } from './operation';

const operationsByResource: Record<string, Record<string, Operation>> = {
	automation: automation.operations,
	automationSchedule: automationSchedule.operations,
};

interface Batching {
	/** Batching → Items Per Batch: requests in flight at once, fixed; undefined lets the window adapt. */
	batchSize?: number;
	/** Pause between batches, in milliseconds; 0 keeps the window of requests always busy. */
	batchInterval: number;
}

function batchingOf(context: IExecuteFunctions): Batching {
	const batch = context.getNodeParameter('options.batching.batch', 0, {}) as IDataObject;
	const batchSize = Math.floor(Number(batch.batchSize));
	const batchInterval = Number(batch.batchInterval ?? 0);
	return {
		batchSize: batchSize >= 1 ? Math.min(batchSize, MAX_IN_FLIGHT) : undefined,
		batchInterval: batchInterval > 0 ? batchInterval : 0,
	};
}

interface ItemFailure {
	itemIndex: number;
	error: NodeApiError | NodeOperationError;
}

function listInWords(parts: string[]): string {
	return parts.length < 2
		? parts.join('')
		: `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * The error of the first failing item, once the items in flight have finished. When items had already changed the
 * account, or other failing items may have (a create whose answer was lost), its description says which, and how
 * to finish without doing them again: running every item again would create a second copy of each automation
 * already created.
 */
function withWhatWasDone(
	failures: ItemFailure[],
	effect: Effect | undefined,
	outputByItem: INodeExecutionData[][],
): NodeApiError | NodeOperationError {
	const [{ itemIndex: failedItem, error }, ...otherFailures] = [...failures].sort(
		(a, b) => a.itemIndex - b.itemIndex,
	);
	// Items that did not finish have no output: flatMap skips the holes of the sparse array.
	const done = outputByItem.flatMap((output, itemIndex) =>
		output.map(({ json }) =>
			json.utr ? `${String(json.utr)} (item ${itemIndex})` : `item ${itemIndex}`,
		),
	);
	const uncertainItems = otherFailures
		.filter((failure) => outcomeUnknown(failure.error))
		.map(({ itemIndex }) => itemIndex);
	const uncertain = uncertainItems.map((itemIndex) => `item ${itemIndex}`);
	if (!effect || (done.length === 0 && uncertain.length === 0)) return error;
	// The first item neither done nor maybe done: the failing one unless its own create may exist, or an item before
	// it that held its slot but had sent nothing yet when the run stopped.
	const maybeDone = new Set(
		outcomeUnknown(error) ? [failedItem, ...uncertainItems] : uncertainItems,
	);
	let continueFrom = 0;
	while (outputByItem[continueFrom] !== undefined || maybeDone.has(continueFrom)) continueFrom++;
	const records = `${effect.noun}${done.length === 1 ? '' : 's'}`;
	error.description = [
		error.description,
		done.length > 0 &&
			`Before it stopped, the node had ${effect.verb} ${records} ${listInWords(done)}.`,
		uncertain.length > 0 &&
			(uncertain.length === 1
				? `The ${effect.noun} of ${uncertain[0]} may exist: its answer was lost.`
				: `The ${effect.noun}s of ${listInWords(uncertain)} may exist: their answers were lost.`),
		continueFrom < outputByItem.length
			? `To finish, continue from item ${continueFrom} and leave out the items listed here, or check with Get Many first.`
			: 'Every other item is done: nothing is left to run but what may exist, which Get Many can check.',
	]
		.filter(Boolean)
		.join(' ');
	return error;
}

/**
 * Runs the chosen operation over the input items with a bounded number in flight. For an operation that changes the
 * account, every item's parameters are checked before the first request, so that a bad item 9 fails the run before
 * item 0 has changed anything. A read checks each item as it goes out instead: n8n's work on item 999's expressions
 * then overlaps the round trips of the items before it, and the reads a bad item stops changed nothing. Output
 * keeps the input's order and pairing. Without Continue On Fail no new item starts after a failure, the items in
 * flight are awaited, and the first failing item is named with what the others had done or may have done.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operationsByResource[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" is not known for the resource "${resource}"`,
		);
	}
	if ('executeBatch' in operation) return [await operation.executeBatch.call(this, items)];

	const outputByItem: INodeExecutionData[][] = new Array(items.length);
	const checkedFirst = operation.effect !== undefined;
	const paramsByItem = new Map<number, unknown>();
	for (let itemIndex = 0; checkedFirst && itemIndex < items.length; itemIndex++) {
		try {
			paramsByItem.set(itemIndex, operation.prepare.call(this, itemIndex));
		} catch (error) {
			const itemError = asItemError(this, error, itemIndex);
			if (!this.continueOnFail()) throw itemError;
			outputByItem[itemIndex] = [errorItem(itemError, itemIndex)];
		}
	}
	const prepared = checkedFirst
		? [...paramsByItem.keys()]
		: items.map((_item, itemIndex) => itemIndex);

	const failures: ItemFailure[] = [];
	const settleFailure = (itemIndex: number, error: unknown) => {
		const itemError = asItemError(this, error, itemIndex);
		if (this.continueOnFail()) {
			outputByItem[itemIndex] = [errorItem(itemError, itemIndex)];
		} else {
			stopRun(this);
			failures.push({ itemIndex, error: itemError });
		}
	};
	const runItem = async (itemIndex: number, window?: RequestWindow) => {
		let params: unknown;
		try {
			params = checkedFirst ? paramsByItem.get(itemIndex) : operation.prepare.call(this, itemIndex);
		} catch (error) {
			settleFailure(itemIndex, error);
			return;
		}
		if (window && !(await window.acquire(this.getExecutionCancelSignal()))) return;
		try {
			// A failure while this item waited for its slot stopped the run: it starts nothing.
			if (failures.length > 0) return;
			const output = await operation.execute.call(this, itemIndex, params);
			outputByItem[itemIndex] = pairedItems(output, itemIndex);
		} catch (error) {
			// Held back by the failure that stopped the run: the item did nothing, like one that never had its turn.
			if (!wasNotSent(error)) settleFailure(itemIndex, error);
		} finally {
			// After the failure above is settled: the slot cannot go to an item that would start after it.
			window?.release();
		}
	};

	const { batchSize, batchInterval } = batchingOf(this);
	if (batchInterval > 0) {
		const size = batchSize ?? DEFAULT_BATCH_SIZE;
		for (let start = 0; start < prepared.length && failures.length === 0; start += size) {
			if (start > 0 && !(await pause(batchInterval, this.getExecutionCancelSignal()))) break;
			await Promise.all(prepared.slice(start, start + size).map((itemIndex) => runItem(itemIndex)));
		}
	} else {
		// Each item holds a slot of the window, which the answers size, from its first request to its output. Twice
		// the cap of items are taken at once, so that a freed slot goes to an item n8n has already read.
		const cap = batchSize ?? MAX_IN_FLIGHT;
		const window = new RequestWindow(cap, batchSize === undefined);
		limitRequests(this, window);
		paceRequests(this);
		let next = 0;
		const worker = async () => {
			while (next < prepared.length && failures.length === 0)
				await runItem(prepared[next++], window);
		};
		await Promise.all(Array.from({ length: Math.min(2 * cap, prepared.length) }, worker));
	}
	if (failures.length > 0) throw withWhatWasDone(failures, operation.effect, outputByItem);
	return [outputByItem.flat()];
}
