import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';
import { idsSentByEarlierTries } from '../../helpers/retryMemory';
import { asItemError } from '../../../shared/errors';
import { errorItem } from '../../helpers/items';
import { listAutomations } from '../../../shared/records';
import { requireIdList } from '../../helpers/validation';
import { apiRequest, indexedUrlencodedBody, recordNotFound } from '../../../shared/transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Automation IDs',
		name: 'automationIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 8, 44',
		description:
			'The numeric IDs (the ID field of Get Many, not the UTR) of the automations to delete, separated by commas, or an array from an expression. The IDs of all input items go out together, up to 900 in one request. Each item gives the IDs it deleted and those that were not found.',
		builderHint: {
			propertyHint:
				"Numeric ids, e.g. '8, 44' or expr('{{ $json.id }}') after Get Many; never UTRs.",
		},
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['automation'], operation: ['deleteMany'] } },
	properties,
);

/**
 * PHP, behind the API, drops form fields past its max_input_vars (1,000 by default) without a word, and the API then
 * deletes only the IDs it read: 900 IDs a request stay 10% inside it (room for a server whose limit is a little
 * lower), and 10,000 IDs go out in 12 requests, 14 with the lists before and after.
 */
export const IDS_PER_REQUEST = 900;

type ItemError = ReturnType<typeof asItemError>;

/** What became of one ID: the two lists of the account, before and after, decide. */
type Outcome = 'deleted' | 'notFound' | 'notDeleted' | 'notTried' | 'unknown';

interface DeleteRun {
	existedBefore: Set<number>;
	/** IDs earlier tries of this run (n8n's Retry On Fail) sent, each listed then: gone now, they were deleted. */
	sentEarlier: Set<number>;
	/** IDs of the bulk deletes sent, whatever they were answered. */
	sent: Set<number>;
	/** The error answer of the bulk delete each ID went out in. */
	failureById: Map<number, ItemError>;
	/** IDs the list after the deletes still shows; empty when no delete was sent. */
	stillListed: Set<number>;
	afterListFailure?: ItemError;
}

function outcomeOf(run: DeleteRun, id: number): Outcome {
	if (!run.existedBefore.has(id)) return run.sentEarlier.has(id) ? 'deleted' : 'notFound';
	if (!run.sent.has(id)) return 'notTried';
	if (run.afterListFailure) return 'unknown';
	return run.stillListed.has(id) ? 'notDeleted' : 'deleted';
}

function byOutcome(run: DeleteRun, ids: number[]): Record<Outcome, number[]> {
	const groups: Record<Outcome, number[]> = {
		deleted: [],
		notFound: [],
		notDeleted: [],
		notTried: [],
		unknown: [],
	};
	for (const id of ids) groups[outcomeOf(run, id)].push(id);
	return groups;
}

/** IDs in ascending order, runs of three or more written as ranges: "5, 8, 1000–1499". */
function formatIds(ids: number[]): string {
	const sorted = [...ids].sort((a, b) => a - b);
	const parts: string[] = [];
	for (let start = 0; start < sorted.length; ) {
		let end = start;
		while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) end++;
		parts.push(
			end - start >= 2
				? `${sorted[start]}–${sorted[end]}`
				: sorted.slice(start, end + 1).join(', '),
		);
		start = end + 1;
	}
	return parts.join(', ');
}

function automations(count: number): string {
	return `${count} automation${count === 1 ? '' : 's'}`;
}

function httpCodeOf(error: ItemError | undefined): string | undefined {
	return error instanceof NodeApiError ? (error.httpCode ?? undefined) : undefined;
}

/** Why the IDs (an item's, or the whole run's) are not all deleted, and what became of each. */
function incompleteDeleteError(
	this: IExecuteFunctions,
	run: DeleteRun,
	ids: number[],
	itemIndex: number,
): NodeApiError {
	const groups = byOutcome(run, ids);
	const bulkFailure = [...groups.notDeleted, ...groups.unknown]
		.map((id) => run.failureById.get(id))
		.find((failure) => failure !== undefined);
	const cause = run.afterListFailure ?? bulkFailure;
	const reason =
		cause?.message ?? 'AllsTechnology answered the bulk delete but still lists the automations';
	const message = run.afterListFailure
		? `Sent ${automations(groups.unknown.length)} to be deleted, but listing them afterwards failed, so which were deleted is unknown: ${reason}`
		: `Deleted ${groups.deleted.length} of ${automations(ids.length - groups.notFound.length)}: ${reason}`;
	const listed = (label: string, group: number[]) =>
		group.length ? [`${label} (${group.length}): ${formatIds(group)}.`] : [];
	const description = [
		...listed('Deleted', groups.deleted),
		...listed('Not deleted', groups.notDeleted),
		...listed('Not tried, as the node stopped at the failure', groups.notTried),
		...listed('Outcome unknown', groups.unknown),
		...listed('Not found before deleting', groups.notFound),
		...(run.afterListFailure && bulkFailure
			? [`A bulk delete failed too: ${bulkFailure.message}`]
			: []),
		'Run the node again with the same IDs to finish: it deletes what is left and reports the IDs already deleted as not found.',
	].join(' ');
	const httpCode = httpCodeOf(cause);
	return new NodeApiError(
		this.getNode(),
		{ message: reason, httpCode: httpCode ?? null } as JsonObject,
		{
			message,
			description,
			httpCode,
			itemIndex,
		},
	);
}

function beforeListError(
	this: IExecuteFunctions,
	cause: ItemError,
	itemIndex: number,
): NodeApiError {
	const httpCode = httpCodeOf(cause);
	return new NodeApiError(
		this.getNode(),
		{ message: cause.message, httpCode: httpCode ?? null } as JsonObject,
		{
			message: `Could not list the automations before deleting, so none was deleted: ${cause.message}`,
			description: cause.description ?? undefined,
			httpCode,
			itemIndex,
		},
	);
}

async function idsListed(this: IExecuteFunctions, itemIndex: number): Promise<Set<number>> {
	return new Set(
		(await listAutomations.call(this, itemIndex)).map((automation) => Number(automation.id)),
	);
}

/**
 * All input items' IDs go out in as few bulk requests as possible; each item still gets its own output, paired with
 * it. A bulk delete gets one answer for all its IDs, which does not say which of them existed or went, so the
 * account's list before and after tells: only IDs the first list shows are sent, and "Record not found" (they went
 * meanwhile) does not stop the others. A re-run after a failure halfway so sends only what is left.
 */
export async function executeBatch(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = new Array(items.length);
	const idsByItem = new Map<number, number[]>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const value = this.getNodeParameter('automationIds', itemIndex);
			idsByItem.set(itemIndex, [
				...new Set(requireIdList(this, itemIndex, 'Automation IDs', value)),
			]);
		} catch (error) {
			const itemError = asItemError(this, error, itemIndex);
			if (!this.continueOnFail()) throw itemError;
			output[itemIndex] = errorItem(itemError, itemIndex);
		}
	}
	if (idsByItem.size === 0) return output;

	const firstItemById = new Map<number, number>();
	for (const [itemIndex, ids] of idsByItem) {
		for (const id of ids) if (!firstItemById.has(id)) firstItemById.set(id, itemIndex);
	}
	const [firstItem] = idsByItem.keys();
	const run: DeleteRun = {
		existedBefore: new Set(),
		sentEarlier: idsSentByEarlierTries(this),
		sent: new Set(),
		failureById: new Map(),
		stillListed: new Set(),
	};
	try {
		run.existedBefore = await idsListed.call(this, firstItem);
	} catch (error) {
		const cause = asItemError(this, error, firstItem);
		if (!this.continueOnFail()) throw beforeListError.call(this, cause, firstItem);
		for (const itemIndex of idsByItem.keys())
			output[itemIndex] = errorItem(beforeListError.call(this, cause, itemIndex), itemIndex);
		return output;
	}

	const idsToSend = [...firstItemById.keys()].filter((id) => run.existedBefore.has(id));
	for (let start = 0; start < idsToSend.length; start += IDS_PER_REQUEST) {
		const chunk = idsToSend.slice(start, start + IDS_PER_REQUEST);
		const chunkItem = firstItemById.get(chunk[0]) ?? firstItem;
		for (const id of chunk) {
			run.sent.add(id);
			run.sentEarlier.add(id);
		}
		try {
			await apiRequest.call(
				this,
				// Sending a delete twice deletes nothing more, and the list afterwards tells what an unanswered try did.
				{
					method: 'POST',
					endpoint: 'automations/bulk-delete',
					body: indexedUrlencodedBody('strIds', chunk),
					repeatable: true,
				},
				chunkItem,
			);
		} catch (error) {
			const failure = asItemError(this, error, chunkItem);
			for (const id of chunk) run.failureById.set(id, failure);
			if (!recordNotFound(error) && !this.continueOnFail()) break;
		}
	}
	if (run.sent.size > 0) {
		try {
			run.stillListed = await idsListed.call(this, firstItem);
		} catch (error) {
			run.afterListFailure = asItemError(this, error, firstItem);
		}
		// The API answers an empty list "Record not found": a glitch saying so would read as every ID deleted.
		const notSent = [...run.existedBefore].filter((id) => !run.sent.has(id)).length;
		if (!run.afterListFailure && run.stillListed.size === 0 && notSent > 0) {
			const message = `The list afterwards came back empty, though it should still hold the ${automations(notSent)} not sent to be deleted`;
			run.afterListFailure = new NodeApiError(
				this.getNode(),
				{ message },
				{ message, itemIndex: firstItem },
			);
		}
	}

	const isDone = (id: number) => ['deleted', 'notFound'].includes(outcomeOf(run, id));
	if (!this.continueOnFail()) {
		const firstUnfinished = [...idsByItem].find(([, ids]) => !ids.every(isDone));
		if (firstUnfinished)
			throw incompleteDeleteError.call(this, run, [...firstItemById.keys()], firstUnfinished[0]);
	}
	for (const [itemIndex, ids] of idsByItem) {
		const groups = byOutcome(run, ids);
		output[itemIndex] = ids.every(isDone)
			? {
					json: { deleted: groups.deleted, notFound: groups.notFound },
					pairedItem: { item: itemIndex },
				}
			: errorItem(incompleteDeleteError.call(this, run, ids, itemIndex), itemIndex);
	}
	return output;
}
