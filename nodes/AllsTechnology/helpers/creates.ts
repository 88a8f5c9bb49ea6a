import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import type { Effect } from '../actions/operation';
import type { ApiMessage } from '../../shared/transport';
import { notSent, outcomeUnknown, timedOut, wasNotSent } from '../../shared/transport';
import { asItemError } from '../../shared/errors';
import { perRun } from '../../shared/transport/perRun';
import { refuseAfterStop, stoppingOnFailure } from './runStop';
import { automationsOfRun, readAutomation } from './records';
import { listAutomations } from '../../shared/records';
import { utrKeyOf } from '../../shared/identifiers';

type Noun = Effect['noun'];

function asText(value: unknown): string {
	return value === undefined || value === null ? '' : String(value).trim();
}

/** Whether a listed value is what was sent: the API trims text and stores an empty or absent field as null. */
export function listedAs(listed: unknown, sent: unknown): boolean {
	return asText(listed) === asText(sent);
}

/** What the lists before and after a lost answer hold. */
export interface ListedAround {
	/** How many records there were before the create: listed before it, or made by the run's creates since. */
	knownBefore: number;
	/** How many records the list after holds. */
	listedAfter: number;
	/** The records that were not there before and that no other item of the run made. */
	fresh: IDataObject[];
	/** Those of them that match what was sent. */
	matching: IDataObject[];
}

/**
 * What the list read after a lost answer tells. One match is the item's record; no fresh record at all means the
 * create did not go through, unless the API had not answered yet, or the list came back empty where records were
 * known: the API answers an empty list "Record not found", and a glitch saying so must not pass for "not created",
 * which Retry On Fail would send again. Anything else cannot be told.
 */
export function judgeLostCreate(
	context: IExecuteFunctions,
	itemIndex: number,
	lost: NodeApiError,
	noun: Noun,
	where: string,
	{ knownBefore, listedAfter, fresh, matching }: ListedAround,
): IDataObject {
	if (matching.length === 1) return matching[0];
	if (listedAfter === 0 && knownBefore > 0) {
		throw mayExist(
			context,
			itemIndex,
			lost,
			noun,
			`${where}, listed after this failure, came back empty, though they held ${knownBefore} ${knownBefore === 1 ? noun : `${noun}s`} before this create, so that list cannot be trusted.`,
		);
	}
	if (fresh.length === 0 && timedOut(lost)) {
		throw mayExist(
			context,
			itemIndex,
			lost,
			noun,
			`${where} hold no new ${noun} yet, but the API had not answered when the node gave up, and may still be creating it.`,
		);
	}
	if (fresh.length === 0) {
		throw notCreated(
			context,
			itemIndex,
			lost,
			`${where}, listed after this failure, hold no new ${noun}: it was not created, and this item can be run again.`,
		);
	}
	throw mayExist(
		context,
		itemIndex,
		lost,
		noun,
		matching.length > 1
			? `${where} now hold ${matching.length} new ${noun}s that match what was sent, so which one is this item's cannot be told.`
			: `${where} now hold ${fresh.length} new ${fresh.length === 1 ? noun : `${noun}s`}, none of which matches what was sent.`,
	);
}

function notCreated(
	context: IExecuteFunctions,
	itemIndex: number,
	lost: NodeApiError,
	description: string,
): NodeApiError {
	return new NodeApiError(
		context.getNode(),
		{ message: lost.message },
		{
			message: lost.message,
			description,
			httpCode: lost.httpCode ?? undefined,
			itemIndex,
		},
	);
}

/** The error of a create that may have gone through: the item fails, and a retry does not send it again. */
export function mayExist(
	context: IExecuteFunctions,
	itemIndex: number,
	lost: NodeApiError,
	noun: Noun,
	finding: string,
): NodeApiError {
	const error = new NodeApiError(
		context.getNode(),
		{ message: lost.message },
		{
			message: `The ${noun} may exist: the answer to its create was lost (${lost.message})`,
			description: `${finding} Look for it with Get Many before running this item again: running it again may create a second ${noun}.`,
			httpCode: lost.httpCode ?? undefined,
			itemIndex,
		},
	);
	error.context.outcomeUnknown = true;
	return error;
}

/**
 * The error of a create whose answer was lost (a 5xx, a page that is not JSON, a dropped connection, a timeout): it
 * may have gone through, so it is looked for. Any other error, the API's refusal, is thrown as the item's.
 */
export function lostAnswerOf(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError {
	if (!outcomeUnknown(error)) throw asItemError(context, error, itemIndex);
	return error as NodeApiError;
}

/** The output of a create that went through but whose record could not be read: a success, with what to do. */
export function createdWithNotice(
	identity: IDataObject,
	why: string,
	readWith: string,
): IDataObject {
	return { ...identity, notice: `Created, but ${why}. ${readWith}` };
}

/**
 * Create and Duplicate answer only the new automation's UTR; its record is read back. Should that read fail, the
 * create still went through: the item succeeds with the UTR and a notice, so nobody runs the create again.
 */
export async function readCreatedAutomation(
	context: IExecuteFunctions,
	itemIndex: number,
	utr: string,
): Promise<IDataObject> {
	try {
		return await readAutomation.call(context, utr, itemIndex);
	} catch (error) {
		return createdWithNotice(
			{ utr },
			`reading it back failed: ${asItemError(context, error, itemIndex).message}`,
			'Read it with Get.',
		);
	}
}

/**
 * Sends share the gate; a look-up for a lost answer has it alone: it starts once every send in flight has its
 * answer (so the records those sends made are known to be theirs), and no send starts until it ends.
 */
class LookUpGate {
	private sending = 0;
	private lookingUp = 0;
	private lookUps: Promise<unknown> = Promise.resolve();
	private waiting: Array<() => void> = [];

	private wake(): void {
		const waiting = this.waiting;
		this.waiting = [];
		for (const resume of waiting) resume();
	}

	private async until(condition: () => boolean): Promise<void> {
		while (!condition()) await new Promise<void>((resume) => this.waiting.push(resume));
	}

	async send<T>(context: IExecuteFunctions, itemIndex: number, send: () => Promise<T>): Promise<T> {
		await this.until(() => this.lookingUp === 0);
		refuseAfterStop(context, itemIndex);
		this.sending++;
		try {
			return await stoppingOnFailure(context, itemIndex, send, { lostAnswerIsNoFailure: true });
		} finally {
			this.sending--;
			this.wake();
		}
	}

	async lookUp<T>(lookUp: () => Promise<T>): Promise<T> {
		this.lookingUp++;
		const turn = this.lookUps.then(async () => {
			await this.until(() => this.sending === 0);
			return await lookUp();
		});
		this.lookUps = turn.catch(() => undefined);
		try {
			return await turn;
		} finally {
			this.lookingUp--;
			this.wake();
		}
	}
}

/** The list record of an automation as Get reads it: Get Automation Details has no `automation_schedule_count`. */
function asDetails(listed: IDataObject): IDataObject {
	const automation = { ...listed };
	delete automation.automation_schedule_count;
	return automation;
}

/**
 * The creates of automations (Create, Duplicate) in one run of the node; n8n's Retry On Fail runs the node again
 * with a new context, so each try has its own. The account's automations are listed once, before the run's first
 * create, so that a create whose answer is lost can be found as a new automation afterwards.
 */
export class AutomationCreates {
	private before: Promise<IDataObject[]> | undefined;
	/** UTRs the run's creates were answered with or were found to have made: never another item's "new" record. */
	private readonly made = new Set<string>();
	private readonly gate = new LookUpGate();

	constructor(private readonly context: IExecuteFunctions) {}

	/** The automations listed before the run's first create. */
	async listedBefore(itemIndex: number): Promise<IDataObject[]> {
		this.before ??= automationsOfRun(this.context, itemIndex);
		try {
			return await this.before;
		} catch (error) {
			// Held back by a failure that stopped the run: the item did nothing, and that failure is the run's.
			if (wasNotSent(error)) throw notSent(this.context.getNode(), itemIndex);
			// Every item of the run gets the list's one failure: each its own copy, with its own index.
			const reason = asItemError(this.context, error, itemIndex);
			const why =
				"Nothing was created: the node lists the account's automations before a run's first create, to find a create whose answer gets lost, and that list failed.";
			throw new NodeApiError(
				this.context.getNode(),
				{ message: reason.message },
				{
					message: reason.message,
					description: reason.description ? `${reason.description} ${why}` : why,
					httpCode: reason instanceof NodeApiError ? (reason.httpCode ?? undefined) : undefined,
					itemIndex,
				},
			);
		}
	}

	/** Sends one create and returns the UTR it was answered with. */
	async send(itemIndex: number, create: () => Promise<ApiMessage>): Promise<string> {
		return await this.gate.send(this.context, itemIndex, async () => {
			const utr = String(((await create()) as IDataObject).utr);
			this.made.add(utr.toLowerCase());
			return utr;
		});
	}

	/** After a lost answer: the automation the create made, found in the account's list, as Get reads it. */
	async lookFor(
		itemIndex: number,
		lost: NodeApiError,
		matches: (automation: IDataObject) => boolean,
	): Promise<IDataObject> {
		const before = new Set((await this.listedBefore(itemIndex)).map(utrKeyOf));
		return await this.gate.lookUp(
			async () =>
				await stoppingOnFailure(this.context, itemIndex, async () => {
					let after: IDataObject[];
					try {
						after = await listAutomations.call(this.context, itemIndex);
					} catch (listError) {
						throw mayExist(
							this.context,
							itemIndex,
							lost,
							'automation',
							`Listing the account's automations to find it failed too: ${asItemError(this.context, listError, itemIndex).message}.`,
						);
					}
					const fresh = after.filter(
						(automation) =>
							!before.has(utrKeyOf(automation)) && !this.made.has(utrKeyOf(automation)),
					);
					const found = judgeLostCreate(
						this.context,
						itemIndex,
						lost,
						'automation',
						"The account's automations",
						{
							knownBefore: before.size + this.made.size,
							listedAfter: after.length,
							fresh,
							matching: fresh.filter(matches),
						},
					);
					this.made.add(utrKeyOf(found));
					return asDetails(found);
				}),
		);
	}
}

const automationCreatesByRun = new WeakMap<object, AutomationCreates>();

export function automationCreatesOf(context: IExecuteFunctions): AutomationCreates {
	return perRun(automationCreatesByRun, context, () => new AutomationCreates(context));
}

/**
 * Schedule Creates on one automation go one at a time within a run: the API answers without the new email's UTR,
 * so each create lists the automation's emails before and after, and two creates at once would see each other's.
 */
const scheduleQueuesByRun = new WeakMap<object, Map<string, Promise<unknown>>>();

export async function oneAtATimeOn<T>(
	context: IExecuteFunctions,
	itemIndex: number,
	automationUtr: string,
	task: () => Promise<T>,
): Promise<T> {
	const queues = perRun(scheduleQueuesByRun, context, () => new Map<string, Promise<unknown>>());
	const key = automationUtr.toLowerCase();
	const turn = (queues.get(key) ?? Promise.resolve()).then(async () => {
		refuseAfterStop(context, itemIndex);
		return await stoppingOnFailure(context, itemIndex, task);
	});
	queues.set(
		key,
		turn.catch(() => undefined),
	);
	return await turn;
}
