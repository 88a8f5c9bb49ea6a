import type { IDataObject } from 'n8n-workflow';
import type { ListedAutomation, Snapshot } from './events';
import { utrKey } from '../shared/identifiers';
import { SNAPSHOT_FIELDS, fieldValue } from './events';

/**
 * The node's static data is `{ columns, automations, savedAt }`. `automations` holds one row per automation the
 * account listed at the last saved poll, `[utr, status, …six counters]` in `columns` order: the lower-case UTR,
 * then numbers, or null for a field never read. Rows rather than an object keyed by UTR, so that any string
 * is safe as a UTR (`__proto__` as a key would vanish, or replace the object's prototype). A deleted automation's
 * row goes at the poll that reports it, so the state holds one fixed-size row per existing automation and nothing
 * else. `columns` is stored so that a state written with other columns is never misread. `savedAt` is when the
 * state was saved, on the clock of pollClock.
 */
const COLUMNS: readonly string[] = ['utr', ...SNAPSHOT_FIELDS];

/** The columns of the earlier versions' state, whose `automations` was an object: UTR → row of the seven numbers. */
const OBJECT_COLUMNS: readonly string[] = SNAPSHOT_FIELDS;

/** Whether a stored value is one the trigger would have recorded in that column: null, or a number fit for it. */
function isStoredValue(value: unknown, index: number): value is number | null {
	return (
		value === null ||
		(typeof value === 'number' && fieldValue(SNAPSHOT_FIELDS[index], value) === value)
	);
}

function snapshotOf(values: unknown[]): Snapshot | undefined {
	if (values.length !== SNAPSHOT_FIELDS.length || !values.every(isStoredValue)) return undefined;
	const snapshot = {} as Snapshot;
	SNAPSHOT_FIELDS.forEach((field, index) => (snapshot[field] = values[index] as number | null));
	return snapshot;
}

/** The rows as [UTR, values] pairs, from either layout; undefined when `automations` fits neither. */
function storedRows(columns: string, automations: unknown): Array<[unknown, unknown]> | undefined {
	if (columns === COLUMNS.join() && Array.isArray(automations)) {
		return automations.map((row) =>
			Array.isArray(row) ? [row[0], row.slice(1)] : [undefined, undefined],
		);
	}
	if (
		columns === OBJECT_COLUMNS.join() &&
		typeof automations === 'object' &&
		automations !== null &&
		!Array.isArray(automations)
	) {
		return Object.entries(automations);
	}
	return undefined;
}

/**
 * The previous poll's snapshots by lower-case UTR; undefined before the first poll or when the stored state is not
 * one this node wrote. The state of earlier versions (an object keyed by UTR) is read too, so that an upgrade
 * raises no event.
 */
export function readSnapshots(staticData: IDataObject): Map<string, Snapshot> | undefined {
	const { columns, automations } = staticData;
	if (!Array.isArray(columns)) return undefined;
	const rows = storedRows(columns.join(), automations);
	if (rows === undefined) return undefined;
	const snapshots = new Map<string, Snapshot>();
	for (const [utr, values] of rows) {
		const snapshot = Array.isArray(values) ? snapshotOf(values) : undefined;
		if (typeof utr !== 'string' || utrKey(utr) === '' || snapshot === undefined) return undefined;
		if (!snapshots.has(utrKey(utr))) snapshots.set(utrKey(utr), snapshot);
	}
	return snapshots;
}

export function writeSnapshots(
	staticData: IDataObject,
	listed: Map<string, ListedAutomation>,
	savedAt: number,
): void {
	staticData.columns = [...COLUMNS];
	staticData.automations = [...listed].map(([utr, { snapshot }]) => [
		utr,
		...SNAPSHOT_FIELDS.map((field) => snapshot[field]),
	]);
	staticData.savedAt = savedAt;
}

let lastClockReading = 0;

/**
 * Milliseconds since 1970 by the local clock, but never the same twice nor less than before in this process, so
 * that two readings always tell which came first, even within one millisecond or when the clock is set back.
 */
export function pollClock(): number {
	lastClockReading = Math.max(Date.now(), lastClockReading + 1);
	return lastClockReading;
}

/**
 * Whether a poll that started at `startedAt` (a pollClock reading) must give way because the state was saved
 * after it started. n8n starts each poll on time without waiting for the previous one, and a poll can take
 * 90 s (three tries of 30 s); such a poll's list may be older than the saved one, and compared with it would
 * report changes that did not happen. A poll that started after the save got its list after the saved poll got
 * its own, so its list is the newer. A `savedAt` ahead of the clock comes from another process (n8n restarted
 * with its clock set back, or a workflow imported), whose polls can no longer be running: it is not waited for.
 */
export function isSuperseded(staticData: IDataObject, startedAt: number): boolean {
	const { savedAt } = staticData;
	return typeof savedAt === 'number' && startedAt < savedAt && savedAt < pollClock();
}
