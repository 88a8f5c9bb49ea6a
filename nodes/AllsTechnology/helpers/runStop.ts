import type { IExecuteFunctions } from 'n8n-workflow';
import { asItemError } from '../../shared/errors';
import { notSent, outcomeUnknown } from '../../shared/transport';
import { windowOf } from '../../shared/transport/window';

/** Runs stopped by a failure without Continue On Fail: what is still waiting to be sent is not sent. */
const stoppedRuns = new WeakSet<object>();

/** Stops the run: work queued behind others starts nothing, and the window lets no item send its first request. */
export function stopRun(run: IExecuteFunctions): void {
	stoppedRuns.add(run);
	windowOf(run)?.close();
}

/** For work that waited its turn (a create queued behind another): it does not start once the run has stopped. */
export function refuseAfterStop(run: IExecuteFunctions, itemIndex: number): void {
	if (stoppedRuns.has(run)) throw notSent(run.getNode(), itemIndex);
}

/**
 * Runs an item's turn of work that others wait behind: its failure without Continue On Fail stops the run at once,
 * before the next in line starts. With `lostAnswerIsNoFailure`, a create whose answer was lost does not stop it:
 * the item has not failed yet, its look-up decides, and stops the run should the item fail.
 */
export async function stoppingOnFailure<T>(
	run: IExecuteFunctions,
	itemIndex: number,
	work: () => Promise<T>,
	{ lostAnswerIsNoFailure = false } = {},
): Promise<T> {
	try {
		return await work();
	} catch (error) {
		if (!run.continueOnFail() && !(lostAnswerIsNoFailure && outcomeUnknown(error))) stopRun(run);
		throw asItemError(run, error, itemIndex);
	}
}
