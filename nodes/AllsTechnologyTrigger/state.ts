import type { IDataObject } from 'n8n-workflow';
import type { ListedAutomation, Snapshot } from './events';
import { COUNTERS } from './events';

/**
 * The node's static data is `{ columns, automations }`: `automations` maps the UTR of every automation the
 * account listed at the last poll to its snapshot, a row of seven whole numbers in `columns` order. A deleted
 * automation's row goes at the poll that reports it, so the state holds one fixed-size row per existing
 * automation and nothing else. `columns` is stored so that a state written with other columns is never misread.
 */
const SNAPSHOT_COLUMNS: ReadonlyArray<keyof Snapshot> = ['status', ...COUNTERS];

/** The previous poll's snapshots by UTR; undefined before the first poll or when the stored state is not one this node wrote. */
export function readSnapshots(staticData: IDataObject): Map<string, Snapshot> | undefined {
	const { columns, automations } = staticData;
	if (!Array.isArray(columns) || columns.join() !== SNAPSHOT_COLUMNS.join()) return undefined;
	if (typeof automations !== 'object' || automations === null || Array.isArray(automations)) return undefined;
	const snapshots = new Map<string, Snapshot>();
	for (const [utr, row] of Object.entries(automations)) {
		if (!Array.isArray(row) || row.length !== SNAPSHOT_COLUMNS.length || !row.every(Number.isFinite)) return undefined;
		const snapshot = {} as Snapshot;
		SNAPSHOT_COLUMNS.forEach((column, index) => (snapshot[column] = row[index] as number));
		snapshots.set(utr, snapshot);
	}
	return snapshots;
}

export function writeSnapshots(staticData: IDataObject, listed: Map<string, ListedAutomation>): void {
	const automations: IDataObject = {};
	for (const [utr, { snapshot }] of listed) automations[utr] = SNAPSHOT_COLUMNS.map((column) => snapshot[column]);
	staticData.columns = [...SNAPSHOT_COLUMNS];
	staticData.automations = automations;
}
