import type { IDataObject } from 'n8n-workflow';
import { automationOutput, isRecord } from '../shared/records';
import { utrKey } from '../shared/identifiers';
import type { AutomationRecord } from '../shared/interfaces';

/** The events of Trigger On, in the order a poll reports them for one automation. */
export const TRIGGER_EVENTS = [
	'automationCreated',
	'automationWentLive',
	'automationPaused',
	'automationDeleted',
	'statsChanged',
] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

/** The statistics of an automation record that Stats Changed watches. */
export const COUNTERS = [
	'total_triggered',
	'total_delivered',
	'total_unique_opens',
	'total_opens',
	'total_bounces',
	'total_unsubscribe',
] as const satisfies ReadonlyArray<keyof AutomationRecord>;
export type Counter = (typeof COUNTERS)[number];

/**
 * What the trigger remembers of an automation between polls, under the API's field names. null: never read yet,
 * because every list since the automation appeared left the field out or sent something that is not a number.
 */
export type Snapshot = Record<'status' | Counter, number | null>;

/** The fields of a snapshot, in the order the stored state keeps them. */
export const SNAPSHOT_FIELDS: ReadonlyArray<keyof Snapshot> = ['status', ...COUNTERS];

/** `status` of a live automation; a draft, paused or never set live, has 0. */
export const LIVE_STATUS = 1;
const DRAFT_STATUS = 0;

/** What the user chose to be told about. */
export interface Watch {
	/** At least one, in TRIGGER_EVENTS order. */
	events: readonly TriggerEvent[];
	/** The counters whose growth is a Stats Changed event; never empty. */
	counters: readonly Counter[];
	/** Lower-case UTRs of the automations to report; undefined reports every automation. */
	automations?: ReadonlySet<string>;
}

/** A snapshot as events show it: the status in words, as the automation's; null where never read. */
export type PreviousOutput = Omit<Snapshot, 'status'> & { status: 'draft' | 'live' | null };

/** One output item of the trigger. */
export type AutomationEvent = {
	event: TriggerEvent;
	/**
	 * The record as GET automations lists it now, its status in words as the action node's outputs show it; only
	 * `{ utr }` for a deleted automation.
	 */
	automation: IDataObject;
	/** The snapshot of the previous poll; null for an automation that is new since then. */
	previous: PreviousOutput | null;
	/** For Stats Changed, how much each watched counter that grew has grown; empty for the other events. */
	changes: Partial<Record<Counter, number>>;
};

/** An automation of the current list with its snapshot. */
export interface ListedAutomation {
	record: IDataObject;
	snapshot: Snapshot;
}

/**
 * A status or counter as the trigger records it: a status is any number, a counter a whole number from 0 (a count
 * of emails or contacts can be nothing else). Undefined for a value that is neither.
 */
export function fieldValue(field: keyof Snapshot, value: number): number | undefined {
	if (!Number.isFinite(value)) return undefined;
	return field === 'status' || (Number.isSafeInteger(value) && value >= 0) ? value : undefined;
}

/** A status or counter sent as a number or as a numeric string; undefined for anything else, or when left out. */
function readField(field: keyof Snapshot, value: unknown): number | undefined {
	if (typeof value === 'string' && value.trim() !== '') value = Number(value);
	return typeof value === 'number' ? fieldValue(field, value) : undefined;
}

/**
 * The key of a listed entry's UTR; undefined when it has none that can be read (left out, empty, not text), or is
 * no record at all (null or other junk in a record's place).
 */
function utrOf(entry: unknown): string | undefined {
	const utr = isRecord(entry) && typeof entry.utr === 'string' ? utrKey(entry.utr) : '';
	return utr === '' ? undefined : utr;
}

/**
 * The record's status and counters; a field it does not give readably keeps its value of the previous poll (null
 * for an automation new since then), so that a field missing from one list is not a change. A counter lower than
 * before keeps its higher value too: counters only grow, so a lower one is a passing fault of the list, and
 * recording it would report the same growth a second time when the counter is right again.
 */
function snapshotOf(record: IDataObject, before: Snapshot | undefined): Snapshot {
	const snapshot = {} as Snapshot;
	for (const field of SNAPSHOT_FIELDS) {
		const now = readField(field, record[field]);
		const last = before?.[field] ?? null;
		snapshot[field] =
			now === undefined ? last : field !== 'status' && last !== null ? Math.max(now, last) : now;
	}
	return snapshot;
}

/**
 * The listed automations by lower-case UTR, in list order, each with its snapshot against the previous poll's.
 * An entry that is not a record with a UTR cannot be followed and is left out; of a UTR listed twice, the first
 * record counts.
 */
export function byUtr(
	entries: readonly unknown[],
	previous?: ReadonlyMap<string, Snapshot>,
): Map<string, ListedAutomation> {
	const listed = new Map<string, ListedAutomation>();
	for (const record of entries) {
		if (!isRecord(record)) continue;
		const utr = utrOf(record);
		if (utr !== undefined && !listed.has(utr))
			listed.set(utr, { record, snapshot: snapshotOf(record, previous?.get(utr)) });
	}
	return listed;
}

/**
 * The automations a poll follows from now on: those listed, and, when an entry of the list is not a record with a
 * UTR (a record without one, or null or other junk in a record's place), also the previous poll's automations the
 * list does not name, as they were. Such an entry may be any of them, so none of them is known to be gone; the
 * first list that names every entry reports those that are.
 */
export function followed(
	entries: readonly unknown[],
	previous: ReadonlyMap<string, Snapshot>,
): Map<string, ListedAutomation> {
	const listed = byUtr(entries, previous);
	// Every entry named a UTR of its own: a UTR listed twice counts once.
	if (listed.size === entries.length) return listed;
	if (entries.every((entry) => utrOf(entry) !== undefined)) return listed;
	for (const [utr, snapshot] of previous) {
		if (!listed.has(utr)) listed.set(utr, { record: { utr }, snapshot });
	}
	return listed;
}

export function sameSnapshots(
	previous: Map<string, Snapshot>,
	listed: Map<string, ListedAutomation>,
): boolean {
	if (previous.size !== listed.size) return false;
	for (const [utr, { snapshot }] of listed) {
		const before = previous.get(utr);
		if (!before || SNAPSHOT_FIELDS.some((field) => before[field] !== snapshot[field])) return false;
	}
	return true;
}

function isWatched(watch: Watch, utr: string): boolean {
	return watch.automations === undefined || watch.automations.has(utr);
}

/**
 * The watched counters that grew, by how much; a new automation's counters grew from zero. A counter never read
 * before has no known start, so its first reading is no growth.
 */
function growth(
	before: Snapshot | undefined,
	now: Snapshot,
	counters: readonly Counter[],
): AutomationEvent['changes'] {
	const changes: AutomationEvent['changes'] = {};
	for (const counter of counters) {
		const from = before === undefined ? 0 : before[counter];
		const to = now[counter];
		if (from !== null && to !== null && to > from) changes[counter] = to - from;
	}
	return changes;
}

function previousOutput(snapshot: Snapshot): PreviousOutput {
	const { status } = snapshot;
	return {
		...snapshot,
		status: status === null ? null : status === LIVE_STATUS ? 'live' : 'draft',
	};
}

/** An event as its output item shows it, with objects of its own, so that a node changing one item cannot change another. */
function eventOutput(
	event: TriggerEvent,
	automation: IDataObject,
	previous: Snapshot | undefined,
	changes: AutomationEvent['changes'] = {},
): AutomationEvent {
	return {
		event,
		automation: automationOutput(automation, false),
		previous: previous ? previousOutput(previous) : null,
		changes,
	};
}

/** Whether a status is live; undefined when it was never read. */
function liveness(status: number | null): boolean | undefined {
	return status === null ? undefined : status === LIVE_STATUS;
}

/**
 * The events between the previous poll's snapshots and the current list, in list order (for each automation:
 * created, went live or paused, stats changed), then the deleted automations in the previous poll's order.
 */
export function detectEvents(
	previous: Map<string, Snapshot>,
	listed: Map<string, ListedAutomation>,
	watch: Watch,
): AutomationEvent[] {
	const events: AutomationEvent[] = [];
	const report = (
		event: TriggerEvent,
		automation: IDataObject,
		before: Snapshot | undefined,
		changes: AutomationEvent['changes'] = {},
	) => {
		if (watch.events.includes(event)) events.push(eventOutput(event, automation, before, changes));
	};
	for (const [utr, { record, snapshot }] of listed) {
		if (!isWatched(watch, utr)) continue;
		const before = previous.get(utr);
		// A new automation was not live before it existed; a status never read before has no known start.
		const wasLive = before === undefined ? false : liveness(before.status);
		const isLive = liveness(snapshot.status);
		if (!before) report('automationCreated', record, before);
		if (wasLive === false && isLive === true) report('automationWentLive', record, before);
		if (wasLive === true && isLive === false) report('automationPaused', record, before);
		const changes = growth(before, snapshot, watch.counters);
		if (Object.keys(changes).length > 0) report('statsChanged', record, before, changes);
	}
	for (const [utr, before] of previous) {
		if (!listed.has(utr) && isWatched(watch, utr)) report('automationDeleted', { utr }, before);
	}
	return events;
}

/** The automation that shows an event best: live for Went Live, not live for Paused, with counters for Stats Changed. */
function fitsSample(
	event: TriggerEvent,
	snapshot: Snapshot,
	counters: readonly Counter[],
): boolean {
	if (event === 'automationWentLive') return snapshot.status === LIVE_STATUS;
	if (event === 'automationPaused') return snapshot.status !== LIVE_STATUS;
	if (event === 'statsChanged') return counters.some((counter) => (snapshot[counter] ?? 0) > 0);
	return true;
}

/**
 * One event of the first watched kind, built from the current list alone, for a manual run: a status change is
 * shown as if from the other status, Stats Changed as if the watched counters grew from zero. Undefined when no
 * watched automation exists.
 */
export function sampleEvent(
	listed: Map<string, ListedAutomation>,
	watch: Watch,
): AutomationEvent | undefined {
	const event = watch.events[0];
	const watched = [...listed].filter(([utr]) => isWatched(watch, utr));
	const chosen =
		watched.find(([, { snapshot }]) => fitsSample(event, snapshot, watch.counters)) ?? watched[0];
	if (!chosen) return undefined;
	const [utr, { record, snapshot }] = chosen;
	switch (event) {
		case 'automationCreated':
			return eventOutput(event, record, undefined);
		case 'automationWentLive':
			return eventOutput(event, record, { ...snapshot, status: DRAFT_STATUS });
		case 'automationPaused':
			return eventOutput(event, record, { ...snapshot, status: LIVE_STATUS });
		case 'automationDeleted':
			return eventOutput(event, { utr }, snapshot);
		case 'statsChanged': {
			const previous = { ...snapshot };
			for (const counter of watch.counters) previous[counter] = 0;
			return eventOutput(event, record, previous, growth(previous, snapshot, watch.counters));
		}
	}
}
