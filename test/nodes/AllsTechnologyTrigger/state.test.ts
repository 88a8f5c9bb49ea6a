import type { IDataObject } from 'n8n-workflow';
import { byUtr } from '../../../nodes/AllsTechnologyTrigger/events';
import type { Snapshot } from '../../../nodes/AllsTechnologyTrigger/events';
import {
	isSuperseded,
	pollClock,
	readSnapshots,
	writeSnapshots,
} from '../../../nodes/AllsTechnologyTrigger/state';

const FIELDS = [
	'status',
	'total_triggered',
	'total_delivered',
	'total_unique_opens',
	'total_opens',
	'total_bounces',
	'total_unsubscribe',
];
const COLUMNS = ['utr', ...FIELDS];
const UTR = '4dce63f6-8825-11ee-a739-b42e9970e591';
const SNAPSHOT = {
	status: 1,
	total_triggered: 3,
	total_delivered: 3,
	total_unique_opens: 2,
	total_opens: 16,
	total_bounces: 0,
	total_unsubscribe: 1,
};

/** What n8n gives back after saving the static data to its database. */
const throughJson = (staticData: IDataObject) =>
	JSON.parse(JSON.stringify(staticData)) as IDataObject;

describe('AllsTechnology Trigger: the stored state', () => {
	it('is one row per automation, its lower-case UTR then seven numbers (null for a field never read), and when it was saved', () => {
		const staticData: IDataObject = {};
		writeSnapshots(
			staticData,
			byUtr([
				{
					utr: UTR.toUpperCase(),
					status: 1,
					total_triggered: 3,
					total_delivered: '3',
					total_unique_opens: 2,
					total_opens: 16,
					total_bounces: 0,
					total_unsubscribe: 1,
				},
				{
					utr: 'e9c7ff00-8d1c-11ee-91c4-b42e9970e591',
					status: 0,
					total_triggered: 5,
					total_bounces: 'n/a',
				},
				{ id: 7, automation_name: 'A record without a UTR is left out' },
			]),
			1234,
		);

		expect(staticData).toEqual({
			columns: COLUMNS,
			automations: [
				[UTR, 1, 3, 3, 2, 16, 0, 1],
				['e9c7ff00-8d1c-11ee-91c4-b42e9970e591', 0, 5, null, null, null, null, null],
			],
			savedAt: 1234,
		});
		expect(readSnapshots(throughJson(staticData))).toEqual(
			new Map<string, Snapshot>([
				[UTR, SNAPSHOT],
				[
					'e9c7ff00-8d1c-11ee-91c4-b42e9970e591',
					{
						status: 0,
						total_triggered: 5,
						total_delivered: null,
						total_unique_opens: null,
						total_opens: null,
						total_bounces: null,
						total_unsubscribe: null,
					},
				],
			]),
		);
	});

	it('keeps any string as a UTR through JSON: __proto__ and constructor stay rows, and change nothing else', () => {
		const staticData: IDataObject = {};
		const records = ['__proto__', 'constructor', 'hasOwnProperty', UTR].map((utr, index) => ({
			...SNAPSHOT,
			utr,
			total_opens: index,
		}));
		writeSnapshots(staticData, byUtr(records), 1);

		const read = readSnapshots(throughJson(staticData));

		expect([...(read ?? new Map()).keys()]).toEqual([
			'__proto__',
			'constructor',
			'hasownproperty',
			UTR,
		]);
		expect(read?.get('__proto__')).toEqual({ ...SNAPSHOT, total_opens: 0 });
		expect(read?.get('constructor')).toEqual({ ...SNAPSHOT, total_opens: 1 });
	});

	it('reads the state of earlier versions (UTR → row of seven numbers) under lower-case UTRs, so an upgrade raises no event', () => {
		const earlier = {
			columns: FIELDS,
			automations: { [UTR.toUpperCase()]: [1, 3, 3, 2, 16, 0, 1], [UTR]: [0, 0, 0, 0, 0, 0, 0] },
		};

		expect(readSnapshots(throughJson(earlier))).toEqual(new Map([[UTR, SNAPSHOT]]));
	});

	it.each([
		['nothing yet', {}],
		['other columns', { columns: [...COLUMNS].reverse(), automations: [] }],
		[
			'rows under the earlier columns',
			{ columns: FIELDS, automations: [[UTR, 1, 3, 3, 2, 16, 0, 1]] },
		],
		[
			'an object under the current columns',
			{ columns: COLUMNS, automations: { [UTR]: [1, 3, 3, 2, 16, 0, 1] } },
		],
		['a row of the wrong length', { columns: COLUMNS, automations: [[UTR, 1, 3, 3]] }],
		[
			'a row that is not numbers',
			{ columns: COLUMNS, automations: [[UTR, 1, 3, 3, 2, '16', 0, 1]] },
		],
		['a row without a UTR', { columns: COLUMNS, automations: [[7, 1, 3, 3, 2, 16, 0, 1]] }],
		['a row that is not an array', { columns: COLUMNS, automations: [{ utr: UTR, status: 1 }] }],
		[
			'an earlier row that is not an array',
			{ columns: FIELDS, automations: { [UTR]: { status: 1 } } },
		],
	])('is not read from %s, so the poll records a new baseline', (_, staticData) => {
		expect(readSnapshots(staticData as IDataObject)).toBeUndefined();
	});
});

describe('AllsTechnology Trigger: which poll gives way', () => {
	it('reads a clock that never gives the same reading twice', () => {
		const readings = Array.from({ length: 1000 }, () => pollClock());

		expect(readings.every((reading, index) => index === 0 || reading > readings[index - 1])).toBe(
			true,
		);
	});

	it('a poll that started before the state was saved, and only such a poll', () => {
		const started = pollClock();
		const staticData: IDataObject = { savedAt: pollClock() };
		const startedAfter = pollClock();

		expect(isSuperseded(staticData, started)).toBe(true);
		expect(isSuperseded(staticData, startedAfter)).toBe(false);
		expect(isSuperseded({}, started)).toBe(false);
	});

	it('not a poll facing a save stamped ahead of the clock, as another process left it, so that no poll waits for it', () => {
		const started = pollClock();

		expect(isSuperseded({ savedAt: started + 3_600_000 }, started)).toBe(false);
	});
});
