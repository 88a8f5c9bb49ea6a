import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { outcomeUnknown } from '../transport';
import { asItemError } from './items';

/**
 * What the tries of one run of the node did, for n8n's Retry On Fail: n8n runs the whole node again, in the same
 * execution and the same process, with a new context but the same execute data (the entry of its execution stack).
 * Kept on that object, so it lasts exactly as long as the run may be tried again, whatever other executions the
 * process runs meanwhile and however long the run takes; nothing is kept where n8n gives no execute data.
 */
const memoryByExecuteData = new WeakMap<object, Map<string, unknown>>();
/** The key of a run within its execute data: an AI agent's tools share the agent's, each call its own run index. */
const runKeys = new WeakMap<object, string>();

function memoryOf(context: IExecuteFunctions): { memory: Map<string, unknown>; runKey: string } | undefined {
	const executeData = typeof context.getExecuteData === 'function' ? (context.getExecuteData() as object | undefined) : undefined;
	if (!executeData) return undefined;
	let memory = memoryByExecuteData.get(executeData);
	if (!memory) {
		memory = new Map();
		memoryByExecuteData.set(executeData, memory);
	}
	let runKey = runKeys.get(context);
	if (runKey === undefined) {
		// The run index stays the same over the tries of one run: n8n's retry loop runs it again in place.
		runKey = JSON.stringify([context.getNode().name, context.getWorkflowDataProxy(0).$runIndex]);
		runKeys.set(context, runKey);
	}
	return { memory, runKey };
}

/** A value the tries of this run share under `slot`, made by `initial` on the first try. */
function sharedByTries<T>(context: IExecuteFunctions, slot: string | number, initial: () => T): T | undefined {
	const run = memoryOf(context);
	if (!run) return undefined;
	const key = `${run.runKey}#${slot}`;
	if (!run.memory.has(key)) run.memory.set(key, initial());
	return run.memory.get(key) as T;
}

/** What an item's create came to. */
interface Outcome {
	made?: IDataObject;
	/** Its answer was lost and what it did could not be told: a retry fails it again, unsent. */
	mayExist?: { message: string; description?: string; httpCode?: string };
}

/**
 * Runs an item's create once per execution. On a retry of the same run, an item whose create went through returns
 * what it made without a request, and an item whose create may exist fails again with the same error, unsent.
 * Items whose create did not happen (refused, or not found after a lost answer) are sent again.
 */
export async function createOnce(
	context: IExecuteFunctions,
	itemIndex: number,
	create: () => Promise<IDataObject>,
): Promise<IDataObject> {
	const outcome = sharedByTries<Outcome>(context, itemIndex, () => ({}));
	if (outcome?.made) return structuredClone(outcome.made);
	if (outcome?.mayExist) {
		const { message, description, httpCode } = outcome.mayExist;
		const error = new NodeApiError(context.getNode(), { message }, { message, description, httpCode, itemIndex });
		error.context.outcomeUnknown = true;
		throw error;
	}
	try {
		const made = await create();
		if (outcome) outcome.made = structuredClone(made);
		return made;
	} catch (error) {
		if (outcome && outcomeUnknown(error)) {
			const { message, description, httpCode } = error as NodeApiError;
			outcome.mayExist = { message, description: description ?? undefined, httpCode: httpCode ?? undefined };
		}
		throw asItemError(context, error, itemIndex);
	}
}

/**
 * The IDs that Delete Many's earlier tries of this run sent to be deleted, each listed then: one the retry's list
 * no longer shows was deleted by them, not "not found". Empty where n8n gives no execute data.
 */
export function idsSentByEarlierTries(context: IExecuteFunctions): Set<number> {
	return sharedByTries(context, 'deleted', () => new Set<number>()) ?? new Set<number>();
}
