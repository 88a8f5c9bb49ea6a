import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { outcomeUnknown } from '../transport';
import { asItemError } from './items';

/**
 * What each create of an execution came to, for n8n's Retry On Fail: n8n runs the whole node again, in the same
 * execution and the same process, and a create that went through in an earlier try must not be sent again.
 * Kept per execution, node, run of the node and item; nothing is kept without an execution ID.
 */
type Outcome =
	| { made: IDataObject }
	/** Its answer was lost and what it did could not be told: a retry fails it again, unsent. */
	| { mayExist: { message: string; description?: string } };

/** n8n retries within seconds (Wait Between Tries is at most 5 s); an hour leaves room for long runs. */
export const CREATE_MEMORY_MS = 60 * 60 * 1000;
/** Enough for the largest runs the README measures; the oldest outcomes go first beyond it. */
export const CREATE_MEMORY_SIZE = 20_000;

/** In order of remembering, so the oldest (and first to expire) come first. */
const outcomes = new Map<string, { outcome: Outcome; expiresAt: number }>();

function forgetExpired(now: number): void {
	for (const [key, entry] of outcomes) {
		if (entry.expiresAt > now) return;
		outcomes.delete(key);
	}
}

function remember(key: string, outcome: Outcome): void {
	const now = Date.now();
	forgetExpired(now);
	outcomes.delete(key);
	outcomes.set(key, { outcome, expiresAt: now + CREATE_MEMORY_MS });
	for (const oldest of outcomes.keys()) {
		if (outcomes.size <= CREATE_MEMORY_SIZE) break;
		outcomes.delete(oldest);
	}
}

function recall(key: string): Outcome | undefined {
	forgetExpired(Date.now());
	return outcomes.get(key)?.outcome;
}

/** The part of the key all items of one run share; undefined when n8n gives no execution ID. */
const runKeys = new WeakMap<object, string | undefined>();

function keyOf(context: IExecuteFunctions, itemIndex: number): string | undefined {
	if (!runKeys.has(context)) {
		const executionId = context.getExecutionId();
		// The run index stays the same over the tries of one run: n8n's retry loop runs it again in place.
		const runIndex = context.getWorkflowDataProxy(0).$runIndex as number;
		runKeys.set(context, executionId ? JSON.stringify([executionId, context.getNode().name, runIndex]) : undefined);
	}
	const runKey = runKeys.get(context);
	return runKey === undefined ? undefined : `${runKey}#${itemIndex}`;
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
	const key = keyOf(context, itemIndex);
	const remembered = key === undefined ? undefined : recall(key);
	if (remembered && 'made' in remembered) return structuredClone(remembered.made);
	if (remembered) {
		const { message, description } = remembered.mayExist;
		const error = new NodeApiError(context.getNode(), { message }, { message, description, itemIndex });
		error.context.outcomeUnknown = true;
		throw error;
	}
	try {
		const made = await create();
		if (key !== undefined) remember(key, { made: structuredClone(made) });
		return made;
	} catch (error) {
		if (key !== undefined && outcomeUnknown(error)) {
			const { message, description } = error as NodeApiError;
			remember(key, { mayExist: { message, description: description ?? undefined } });
		}
		throw asItemError(context, error, itemIndex);
	}
}
