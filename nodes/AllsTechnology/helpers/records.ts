import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, deepCopy } from 'n8n-workflow';
import { listAutomations, listUnder } from '../../shared/records';
import {
	apiRequest,
	followedUncertainTry,
	notSent,
	recordNotFound,
	wasNotSent,
} from '../../shared/transport';
import { shortened } from '../../shared/transport/baseUrl';
import { perRun } from '../../shared/transport/perRun';
import { utrKey, utrKeyOf } from '../../shared/identifiers';
import { asItemError } from '../../shared/errors';
import { forItem } from './items';
import type { RecordRef } from './parameters';

type Context = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

/** The kind of record a UTR names: an automation, or one of its emails (a schedule), whose UTR is its own. */
export type UtrKind = 'automation' | 'schedule';

const TAKES: Record<UtrKind, string> = {
	automation:
		'The Automation field takes an automation\'s UTR: the "utr" of Get, Get Many or Create of automations, or the "automation_utr" of an email. An email\'s own "utr" (from Automation Schedule) names the email, not its automation. Pick the automation From List, or map "automation_utr" instead.',
	schedule:
		'The Schedule field takes an email\'s own UTR: the "utr" of Automation Schedule → Get Many or Create, not its "automation_utr" nor an automation\'s "utr". Pick the email From List, or map the email\'s "utr".',
};

/**
 * "Record not found" told with the UTR sent and the kind of UTR the field takes: mapping the other kind's `utr` is
 * the usual slip. Any other error is the item's as it is.
 */
export function explainNotFound(
	context: Pick<IExecuteFunctions, 'getNode'>,
	error: unknown,
	kind: UtrKind,
	utr: string,
	itemIndex: number | undefined,
): NodeApiError | NodeOperationError {
	const itemError = asItemError(context, error, itemIndex);
	if (!recordNotFound(itemError)) return itemError;
	const answer = itemError.message;
	itemError.message = `No ${kind === 'automation' ? 'automation' : 'email (schedule)'} has the UTR ${shortened(utr)}: AllsTechnology answered "${answer}"`;
	itemError.description = TAKES[kind];
	return itemError;
}

/**
 * The account's automations, listed once per run of the node: the items that name an automation By ID all look it
 * up in this list, and the creates take it as the list before their first create.
 */
const automationListsByRun = new WeakMap<object, Promise<IDataObject[]>>();

export async function automationsOfRun(
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<IDataObject[]> {
	const list = perRun(
		automationListsByRun,
		context,
		async () => await listAutomations.call(context, itemIndex),
	);
	try {
		return await list;
	} catch (error) {
		// Every item waiting for the list gets its one failure, each a copy with its own index.
		throw forItem(context, error, itemIndex);
	}
}

/**
 * The UTR of the automation an item names: By ID, found in the account's list, which a run reads once. After an
 * earlier try whose answer was lost (n8n's Retry On Fail), that try may have deleted it.
 */
export async function automationUtrOf(
	this: IExecuteFunctions,
	itemIndex: number,
	ref: RecordRef,
	earlierTryUncertain = false,
): Promise<string> {
	if ('utr' in ref) return ref.utr;
	const [automation, ...others] = (await automationsOfRun(this, itemIndex)).filter(
		(record) => Number(record.id) === ref.id && utrKeyOf(record) !== '',
	);
	// IDs are unique in a sound account: taking one of two would act on a guess, and Delete cannot be undone.
	if (others.length) {
		throw new NodeOperationError(
			this.getNode(),
			`The ID ${ref.id} is shared by ${others.length + 1} automations in this account, so it names none of them`,
			{
				itemIndex,
				description: `Their UTRs: ${[automation, ...others].map((record) => String(record.utr).trim()).join(', ')}. Pick the automation From List or By UTR.`,
			},
		);
	}
	if (!automation) {
		throw new NodeOperationError(
			this.getNode(),
			`No automation has the ID ${ref.id} in this account`,
			{
				itemIndex,
				description: [
					earlierTryUncertain &&
						'An earlier try of this item may have deleted it: its answer was lost. Check with Get Many.',
					'The ID is the whole number in the "id" field of Get Many. Check it, or pick the automation From List.',
				]
					.filter(Boolean)
					.join(' '),
			},
		);
	}
	return String(automation.utr).trim();
}

/** The run's listed automations by UTR, exactly as listed; `null` for a UTR the list holds more than once. */
const listedByUtrByRun = new WeakMap<object, Promise<Map<string, IDataObject | null>>>();

/**
 * The automation a UTR names, from the run's list of automations (read once, shared with By ID), as Get
 * Automation Details answers it: the docs give both the same fields but for the list's count of emails. Undefined
 * when the list could not be read or does not hold the UTR exactly once as it is written, or holds it as deleted:
 * the item then asks for the automation's details, so the answer is the one the API gives for that UTR alone.
 */
export async function listedAutomation(
	this: IExecuteFunctions,
	utr: string,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	let byUtr: Map<string, IDataObject | null>;
	try {
		byUtr = await perRun(listedByUtrByRun, this, async () => {
			const index = new Map<string, IDataObject | null>();
			for (const record of await automationsOfRun(this, itemIndex)) {
				if (typeof record.utr !== 'string') continue;
				index.set(record.utr, index.has(record.utr) ? null : record);
			}
			return index;
		});
	} catch (error) {
		// Held back by a failure that stopped the run; any other failure of the list leaves the item to its details.
		if (wasNotSent(error)) throw notSent(this.getNode(), itemIndex);
		return undefined;
	}
	const listed = byUtr.get(utr);
	if (!listed || (listed.deleted_at !== null && listed.deleted_at !== undefined)) return undefined;
	// A copy of its own for each item, as a details answer would be: items of one UTR share no object.
	const details = deepCopy(listed);
	delete details.automation_schedule_count;
	return details;
}

/** The emails an item names among its automation's emails: one, none, or (By ID, from a faulty answer) several. */
export function findSchedules(schedules: IDataObject[], ref: RecordRef): IDataObject[] {
	return schedules.filter((schedule) =>
		'utr' in ref
			? utrKeyOf(schedule) === utrKey(ref.utr)
			: Number(schedule.id) === ref.id && utrKeyOf(schedule) !== '',
	);
}

/** The automation's details; refused when the answer is another automation's record. */
export async function readAutomation(
	this: Context,
	utr: string,
	itemIndex?: number,
): Promise<IDataObject> {
	let message: unknown;
	try {
		message = await apiRequest.call(
			this,
			{ method: 'GET', endpoint: 'automations/details', utr },
			itemIndex,
		);
	} catch (error) {
		throw explainNotFound(this, error, 'automation', utr, itemIndex);
	}
	// The transport has checked that the answer holds an "automation" object.
	const automation = (message as IDataObject).automation as IDataObject;
	if (typeof automation.utr === 'string' && utrKey(automation.utr) !== utrKey(utr)) {
		throw new NodeApiError(
			this.getNode(),
			{ message: "Another automation's record in the answer" },
			{
				message: `AllsTechnology answered Get for automation ${utr} with automation ${shortened(automation.utr)}'s record`,
				description:
					'A cache or proxy in front of the API may be ignoring the query string: check the Base URL in the credential.',
				itemIndex,
			},
		);
	}
	return automation;
}

/** The emails (schedules) of an automation, oldest first. */
export async function listSchedules(
	this: Context,
	automationUtr: string,
	itemIndex?: number,
): Promise<IDataObject[]> {
	try {
		const message = await apiRequest.call(
			this,
			{ method: 'GET', endpoint: 'automations/schedule', utr: automationUtr },
			itemIndex,
		);
		return listUnder(message, 'automation_schedules');
	} catch (error) {
		if (!recordNotFound(error)) throw asItemError(this, error, itemIndex);
		// "Record not found" may mean an unknown automation or one without emails: its details tell which.
		await readAutomation.call(this, automationUtr, itemIndex);
		return [];
	}
}

/**
 * Deletes by UTR. A repeated try that finds nothing left means an earlier, unanswered try deleted it: a try of this
 * request, or (`earlierTryUncertain`) one of an earlier run of the item under n8n's Retry On Fail.
 */
export async function deleteByUtr(
	this: IExecuteFunctions,
	endpoint: 'automations/delete' | 'automations/schedule/delete',
	utr: string,
	itemIndex: number,
	earlierTryUncertain = false,
): Promise<void> {
	try {
		await apiRequest.call(this, { method: 'DELETE', endpoint, utr }, itemIndex);
	} catch (error) {
		const deletedByEarlierTry =
			recordNotFound(error) && (followedUncertainTry(error) || earlierTryUncertain);
		if (!deletedByEarlierTry) {
			throw explainNotFound(
				this,
				error,
				endpoint === 'automations/delete' ? 'automation' : 'schedule',
				utr,
				itemIndex,
			);
		}
	}
}
