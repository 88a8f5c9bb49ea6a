import type { IDataObject } from 'n8n-workflow';

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
] as const;
export type Counter = (typeof COUNTERS)[number];

/** What the trigger remembers of an automation between polls, under the API's field names. */
export type Snapshot = Record<'status' | Counter, number>;

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

/** One output item of the trigger. */
export type AutomationEvent = {
	event: TriggerEvent;
	/** The record as GET automations lists it now; only `{ utr }` for a deleted automation. */
	automation: IDataObject;
	/** The snapshot of the previous poll; null for an automation that is new since then. */
	previous: Snapshot | null;
	/** For Stats Changed, how much each watched counter that grew has grown; empty for the other events. */
	changes: Partial<Record<Counter, number>>;
};

/** An automation of the current list with its snapshot. */
export interface ListedAutomation {
	record: IDataObject;
	snapshot: Snapshot;
}

/** A status or counter as a number; one the API left out or sent unreadable counts as 0. */
function asNumber(value: unknown): number {
	const number = Number(value);
	return Number.isFinite(number) ? number : 0;
}

export function snapshotOf(record: IDataObject): Snapshot {
	const snapshot = { status: asNumber(record.status) } as Snapshot;
	for (const counter of COUNTERS) snapshot[counter] = asNumber(record[counter]);
	return snapshot;
}

/** The listed automations by UTR, in list order; a record without a UTR cannot be followed and is left out. */
export function byUtr(records: IDataObject[]): Map<string, ListedAutomation> {
	const listed = new Map<string, ListedAutomation>();
	for (const record of records) {
		if (typeof record.utr !== 'string' || record.utr === '' || listed.has(record.utr)) continue;
		listed.set(record.utr, { record, snapshot: snapshotOf(record) });
	}
	return listed;
}

export function sameSnapshots(previous: Map<string, Snapshot>, listed: Map<string, ListedAutomation>): boolean {
	if (previous.size !== listed.size) return false;
	for (const [utr, { snapshot }] of listed) {
		const before = previous.get(utr);
		if (!before || before.status !== snapshot.status) return false;
		if (COUNTERS.some((counter) => before[counter] !== snapshot[counter])) return false;
	}
	return true;
}

function isWatched(watch: Watch, utr: string): boolean {
	return watch.automations === undefined || watch.automations.has(utr.toLowerCase());
}

/** The watched counters that grew, by how much; a new automation's counters grew from zero. */
function growth(before: Snapshot | undefined, now: Snapshot, counters: readonly Counter[]): AutomationEvent['changes'] {
	const changes: AutomationEvent['changes'] = {};
	for (const counter of counters) {
		const grown = now[counter] - (before?.[counter] ?? 0);
		if (grown > 0) changes[counter] = grown;
	}
	return changes;
}

/**
 * The events between the previous poll's snapshots and the current list, in list order (for each automation:
 * created, went live or paused, stats changed), then the deleted automations in the previous poll's order.
 * Every event gets objects of its own, so that a node changing one item cannot change another.
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
		if (!watch.events.includes(event)) return;
		events.push({ event, automation: { ...automation }, previous: before ? { ...before } : null, changes });
	};
	for (const [utr, { record, snapshot }] of listed) {
		if (!isWatched(watch, utr)) continue;
		const before = previous.get(utr);
		const wasLive = before?.status === LIVE_STATUS;
		const isLive = snapshot.status === LIVE_STATUS;
		if (!before) report('automationCreated', record, before);
		if (!wasLive && isLive) report('automationWentLive', record, before);
		if (wasLive && !isLive) report('automationPaused', record, before);
		const changes = growth(before, snapshot, watch.counters);
		if (Object.keys(changes).length > 0) report('statsChanged', record, before, changes);
	}
	for (const [utr, before] of previous) {
		if (!listed.has(utr) && isWatched(watch, utr)) report('automationDeleted', { utr }, before);
	}
	return events;
}

/** The automation that shows an event best: live for Went Live, not live for Paused, with counters for Stats Changed. */
function fitsSample(event: TriggerEvent, snapshot: Snapshot, counters: readonly Counter[]): boolean {
	if (event === 'automationWentLive') return snapshot.status === LIVE_STATUS;
	if (event === 'automationPaused') return snapshot.status !== LIVE_STATUS;
	if (event === 'statsChanged') return counters.some((counter) => snapshot[counter] > 0);
	return true;
}

/**
 * One event of the first watched kind, built from the current list alone, for a manual run: a status change is
 * shown as if from the other status, Stats Changed as if the watched counters grew from zero. Undefined when no
 * watched automation exists.
 */
export function sampleEvent(listed: Map<string, ListedAutomation>, watch: Watch): AutomationEvent | undefined {
	const event = watch.events[0];
	const watched = [...listed].filter(([utr]) => isWatched(watch, utr)).map(([, automation]) => automation);
	const chosen = watched.find(({ snapshot }) => fitsSample(event, snapshot, watch.counters)) ?? watched[0];
	if (!chosen) return undefined;
	const { record, snapshot } = chosen;
	switch (event) {
		case 'automationCreated':
			return { event, automation: record, previous: null, changes: {} };
		case 'automationWentLive':
			return { event, automation: record, previous: { ...snapshot, status: DRAFT_STATUS }, changes: {} };
		case 'automationPaused':
			return { event, automation: record, previous: { ...snapshot, status: LIVE_STATUS }, changes: {} };
		case 'automationDeleted':
			return { event, automation: { utr: record.utr }, previous: snapshot, changes: {} };
		case 'statsChanged': {
			const previous = { ...snapshot };
			for (const counter of watch.counters) previous[counter] = 0;
			return { event, automation: record, previous, changes: growth(previous, snapshot, watch.counters) };
		}
	}
}
