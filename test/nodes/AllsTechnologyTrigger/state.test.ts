import type { IDataObject } from 'n8n-workflow';
import { byUtr } from '../../../nodes/AllsTechnologyTrigger/events';
import { readSnapshots, writeSnapshots } from '../../../nodes/AllsTechnologyTrigger/state';

const COLUMNS = ['status', 'total_triggered', 'total_delivered', 'total_unique_opens', 'total_opens', 'total_bounces', 'total_unsubscribe'];
const UTR = '4dce63f6-8825-11ee-a739-b42e9970e591';

describe('AllsTechnology Trigger: the stored state', () => {
	it('is one row of seven numbers per automation, read back as snapshots under the API’s field names', () => {
		const staticData: IDataObject = {};
		writeSnapshots(
			staticData,
			byUtr([
				{ utr: UTR, status: 1, total_triggered: 3, total_delivered: '3', total_unique_opens: 2, total_opens: 16, total_bounces: null, total_unsubscribe: 1 },
				{ id: 7, automation_name: 'A record without a UTR is left out' },
			]),
		);

		expect(staticData).toEqual({ columns: COLUMNS, automations: { [UTR]: [1, 3, 3, 2, 16, 0, 1] } });
		expect(readSnapshots(JSON.parse(JSON.stringify(staticData)) as IDataObject)).toEqual(
			new Map([[UTR, { status: 1, total_triggered: 3, total_delivered: 3, total_unique_opens: 2, total_opens: 16, total_bounces: 0, total_unsubscribe: 1 }]]),
		);
	});

	it.each([
		['nothing yet', {}],
		['other columns', { columns: [...COLUMNS].reverse(), automations: {} }],
		['automations that is not an object', { columns: COLUMNS, automations: [] }],
		['a row of the wrong length', { columns: COLUMNS, automations: { [UTR]: [1, 3, 3] } }],
		['a row that is not numbers', { columns: COLUMNS, automations: { [UTR]: [1, 3, 3, 2, '16', 0, 1] } }],
		['a row that is not an array', { columns: COLUMNS, automations: { [UTR]: { status: 1 } } }],
	])('is not read from %s, so the poll records a new baseline', (_, staticData) => {
		expect(readSnapshots(staticData as IDataObject)).toBeUndefined();
	});
});
