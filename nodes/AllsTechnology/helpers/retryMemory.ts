import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { mayHaveApplied, outcomeUnknown } from '../../shared/transport';
import { asItemError } from '../../shared/errors';

/**
 * What the tries of one run of the node did, for n8n's Retry On Fail: n8n runs the whole node again, in the same
 * execution and the same process, with a new context but the same execute data (the entry of its execution stack).
 * Kept on that object, so it lasts exactly as long as the run may be tried again, whatever other executions the
 * process runs meanwhile and however long the run takes; nothing is kept where n8n gives no execute data.
 */
const memoryByExecuteData = new WeakMap<object, Map<string, unknown>>();
/** The key of a run within its execute data: an AI agent's tools share the agent's, each call its own run index. */
const runKeys = new WeakMap<object, string>();

function memoryOf(
	context: IExecuteFunctions,
): { memory: Map<string, unknown>; runKey: string } | undefined {
	const executeData =
		typeof context.getExecuteData === 'function'
			? (context.getExecuteData() as object | undefined)
			: undefined;
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
function sharedByTries<T>(
	context: IExecuteFunctions,
	slot: string | number,
	initial: () => T,
): T | undefined {
	const run = memoryOf(context);
	if (!run) return undefined;
	const key = `${run.runKey}#${slot}`;
	if (!run.memory.has(key)) run.memory.set(key, initial());
	return run.memory.get(key) as T;
}

/** What an item's tries came to. */
interface Outcome {
	made?: IDataObject;
	/** A create's answer was lost and what it did could not be told: a retry fails it again, unsent. */
	mayExist?: { message: string; description?: string; httpCode?: string };
	/** A repeatable request (a delete, a pause) may have gone through although its answer was lost. */
	mayHaveApplied?: boolean;
}

/**
 * Runs an item's operation once per execution, across n8n's Retry On Fail: Create, Duplicate and Schedule Create,
 * and Pause, Set Live and the Deletes, which would be refused if sent again once done. On a retry of the same run,
 * an item that succeeded returns its output without a request, and an item whose create may exist fails again with
 * the same error, unsent. Other items are sent again; `run` is told whether an earlier try of the item may have
 * gone through unanswered, so that it counts the record found gone, or the status found set, as that try's doing.
 */
export async function onceAcrossRetries(
	context: IExecuteFunctions,
	itemIndex: number,
	run: (earlierTryUncertain: boolean) => Promise<IDataObject>,
): Promise<IDataObject> {
	const outcome = sharedByTries<Outcome>(context, itemIndex, () => ({}));
	if (outcome?.made) return structuredClone(outcome.made);
	if (outcome?.mayExist) {
		const { message, description, httpCode } = outcome.mayExist;
		const error = new NodeApiError(
			context.getNode(),
			{ message },
			{ message, description, httpCode, itemIndex },
		);
		error.context.outcomeUnknown = true;
		throw error;
	}
	try {
		const made = await run(outcome?.mayHaveApplied === true);
		if (outcome) outcome.made = structuredClone(made);
		return made;
	} catch (error) {
		if (outcome && outcomeUnknown(error)) {
			const { message, description, httpCode } = error as NodeApiError;
			outcome.mayExist = {
				message,
				description: description ?? undefined,
				httpCode: httpCode ?? undefined,
			};
		}
		if (outcome && mayHaveApplied(error)) outcome.mayHaveApplied = true;
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
