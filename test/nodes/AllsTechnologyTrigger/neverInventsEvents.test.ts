/**
 * The trigger reports only changes that happened: polls that overlap, a "Record Not Found" given by mistake, fields
 * the list leaves out, and UTRs in other cases, twice, or named like the keys of a plain object.
 */
import type { IDataObject } from 'n8n-workflow';
import type { RecordedRequest } from '../../../sandbox/server';
import { DRAFT_UTR, LIVE_UTR } from '../AllsTechnology/fixture';
import {
	ALL_EVENTS,
	COLUMNS,
	DRAFT_SNAPSHOT,
	SEED_ROWS,
	SNAPSHOT_3,
	SNAPSHOT_8,
	UTR_8,
	automationRecord,
	remove,
	seedState,
	setLive,
	useTriggerSandbox,
} from './fixture';
import type { Gate } from './gate';
import { startGate } from './gate';

const context = useTriggerSandbox();
const everything = { triggerOn: ALL_EVENTS };

const requestLines = (requests: RecordedRequest[]) =>
	requests.map((request) => [request.method, request.path, request.rawQuery, request.status]);
const LIST_ANSWERED = ['GET', '/api/automations', '', 200];
const LIST_NOT_FOUND = ['GET', '/api/automations', '', 404];

/** A record as the sandbox stores it, open to fields of any type or none, as a faulty API might list it. */
const loosely = (utr: string) => context.automation(utr) as unknown as IDataObject;

async function baseline() {
	const { events } = await context.poll(everything);
	expect(events).toBeNull();
	context.sandbox.clearRequests();
}

describe('AllsTechnology Trigger: polls that overlap', () => {
	const gates: Gate[] = [];
	const gate = async (hold: 'request' | 'answer') => {
		const opened = await startGate(context.sandbox, hold);
		gates.push(opened);
		return opened;
	};
	afterEach(async () => {
		await Promise.all(gates.splice(0).map((opened) => opened.close()));
	});
	/** A poll through the gate, as n8n starts one without waiting for the previous one. */
	const pollThrough = (opened: Gate) =>
		context.poll(everything, { keys: { baseUrl: opened.baseUrl }, keepRequests: true });

	it('a poll whose list arrives after a later poll saved the state emits nothing and writes nothing', async () => {
		await baseline();
		const slow = await gate('answer');
		const older = pollThrough(slow);
		await slow.holding;
		const created = automationRecord(46);
		context.sandbox.state.automations.push(created);
		context.automation(LIVE_UTR).status = 0;

		const later = await context.poll(everything, { keepRequests: true });
		const saved = context.nodeState;
		slow.open();
		const discarded = await older;

		expect(later.events).toEqual([
			{
				event: 'automationCreated',
				automation: context.inEvent(created.utr),
				previous: null,
				changes: {},
			},
			{
				event: 'automationPaused',
				automation: context.inEvent(LIVE_UTR),
				previous: SNAPSHOT_3,
				changes: {},
			},
		]);
		expect(discarded.events).toBeNull();
		expect(context.nodeState).toEqual(saved);
		expect(context.nodeState.automations).toEqual([
			[created.utr, 0, 0, 0, 0, 0, 0, 0],
			...seedState({ [LIVE_UTR]: [0, 3, 3, 2, 16, 0, 1] }).automations,
		]);
		expect(requestLines(context.sandbox.requests)).toEqual([LIST_ANSWERED, LIST_ANSWERED]);
		expect((await context.poll(everything)).events).toBeNull();
	});

	it('a poll that started before the state was saved gives way, even to a poll that started before it and got its list later', async () => {
		await baseline();
		const retried = await gate('request');
		const first = pollThrough(retried);
		await retried.holding;
		const slow = await gate('answer');
		const second = pollThrough(slow);
		await slow.holding;
		const created = automationRecord(46);
		context.sandbox.state.automations.push(created);

		retried.open();
		const saving = await first;
		const saved = context.nodeState;
		slow.open();
		const discarded = await second;

		expect(saving.events).toEqual([
			{
				event: 'automationCreated',
				automation: context.inEvent(created.utr),
				previous: null,
				changes: {},
			},
		]);
		expect(discarded.events).toBeNull();
		expect(context.nodeState).toEqual(saved);
		expect((context.nodeState.automations as string[][]).map(([utr]) => utr)).toEqual([
			created.utr,
			...SEED_ROWS.map(([utr]) => utr),
		]);
		expect(requestLines(context.sandbox.requests)).toEqual([LIST_ANSWERED, LIST_ANSWERED]);
		expect((await context.poll(everything)).events).toBeNull();
	});
});

describe('AllsTechnology Trigger: "Record Not Found" after an account with automations', () => {
	const recordNotFoundOnce = () => {
		context.sandbox.faults = [
			{
				kind: 'fixedBody',
				status: 404,
				body: { status: 'failed', errors: 'Record Not Found' },
				times: 1,
				match: (request) => request.method === 'GET' && request.path === '/api/automations',
			},
		];
	};

	it('once: the list is asked for again, and the second answer counts; no automation is reported deleted', async () => {
		await baseline();
		setLive(context.automation(DRAFT_UTR));
		recordNotFoundOnce();

		const { events } = await context.poll(everything);

		expect(events).toEqual([
			{
				event: 'automationWentLive',
				automation: context.inEvent(DRAFT_UTR),
				previous: DRAFT_SNAPSHOT,
				changes: {},
			},
		]);
		expect(requestLines(context.sandbox.requests)).toEqual([LIST_NOT_FOUND, LIST_ANSWERED]);
		expect(context.nodeState).toEqual(seedState({ [DRAFT_UTR]: [1, 0, 0, 0, 0, 0, 0] }));
		expect((await context.poll(everything)).events).toBeNull();
	});

	it('twice in a row: the account is empty, and every automation is reported deleted once', async () => {
		await baseline();
		context.sandbox.state.automations.forEach(remove);

		const { events } = await context.poll(everything);

		expect(events).toEqual(
			SEED_ROWS.map(([utr, ...values]) => ({
				event: 'automationDeleted',
				automation: { utr },
				previous: {
					...Object.fromEntries(COLUMNS.slice(1).map((column, index) => [column, values[index]])),
					status: values[0] === 1 ? 'live' : 'draft',
				},
				changes: {},
			})),
		);
		expect(requestLines(context.sandbox.requests)).toEqual([LIST_NOT_FOUND, LIST_NOT_FOUND]);
		expect(context.nodeState).toEqual({
			columns: COLUMNS,
			automations: [],
			savedAt: expect.any(Number),
		});

		const stillEmpty = await context.poll(everything);

		expect(stillEmpty.events).toBeNull();
		expect(requestLines(context.sandbox.requests)).toEqual([LIST_NOT_FOUND]);
	});
});

describe('AllsTechnology Trigger: a status or counter the list leaves out or sends unreadable', () => {
	it('is unchanged: no event when it goes missing, none when it comes back, growth measured from its last value', async () => {
		await baseline();
		const recorded = context.nodeState;
		delete loosely(UTR_8).total_opens;
		loosely(UTR_8).total_bounces = null;
		loosely(UTR_8).total_delivered = 'n/a';
		delete loosely(LIVE_UTR).status;

		const missing = await context.poll(everything);

		expect(missing.events).toBeNull();
		expect(missing.staticDataChanged).toBe(false);
		expect(context.nodeState).toEqual(recorded);

		Object.assign(context.automation(UTR_8), {
			total_opens: 103,
			total_bounces: 3,
			total_delivered: 117,
		});
		context.automation(LIVE_UTR).status = 1;
		const back = await context.poll(everything);

		expect(back.events).toEqual([
			{
				event: 'statsChanged',
				automation: context.inEvent(UTR_8),
				previous: SNAPSHOT_8,
				changes: { total_opens: 5 },
			},
		]);
	});

	it('of a new automation is unknown (null) until read; its first reading raises no event, a change after it does', async () => {
		await baseline();
		const created = automationRecord(46, { total_delivered: 4 });
		context.sandbox.state.automations.push(created);
		delete loosely(created.utr).status;
		delete loosely(created.utr).total_triggered;

		const appeared = await context.poll(everything);

		expect(appeared.events).toEqual([
			{
				event: 'automationCreated',
				automation: context.inEvent(created.utr),
				previous: null,
				changes: {},
			},
			{
				event: 'statsChanged',
				automation: context.inEvent(created.utr),
				previous: null,
				changes: { total_delivered: 4 },
			},
		]);
		expect((context.nodeState.automations as unknown[][])[0]).toEqual([
			created.utr,
			null,
			null,
			4,
			0,
			0,
			0,
			0,
		]);

		Object.assign(context.automation(created.utr), { status: 1, total_triggered: 10 });
		const read = await context.poll(everything);

		expect(read.events).toBeNull();
		expect((context.nodeState.automations as unknown[][])[0]).toEqual([
			created.utr,
			1,
			10,
			4,
			0,
			0,
			0,
			0,
		]);

		context.automation(created.utr).status = 0;
		expect((await context.poll(everything)).events).toEqual([
			{
				event: 'automationPaused',
				automation: context.inEvent(created.utr),
				previous: { ...DRAFT_SNAPSHOT, status: 'live', total_triggered: 10, total_delivered: 4 },
				changes: {},
			},
		]);
	});
});

describe('AllsTechnology Trigger: UTRs', () => {
	it('in another case are the same automation: stored lower-case, no Created or Deleted when the case changes', async () => {
		context.automation(UTR_8).utr = UTR_8.toUpperCase();
		await baseline();

		expect(context.nodeState).toEqual(seedState());

		context.automation(UTR_8.toUpperCase()).utr = UTR_8;
		context.automation(LIVE_UTR).utr = LIVE_UTR.toUpperCase();
		context.automation(LIVE_UTR.toUpperCase()).status = 0;
		const { events } = await context.poll(everything);

		expect(events).toEqual([
			{
				event: 'automationPaused',
				automation: context.inEvent(LIVE_UTR.toUpperCase()),
				previous: SNAPSHOT_3,
				changes: {},
			},
		]);
		expect(context.nodeState).toEqual(seedState({ [LIVE_UTR]: [0, 3, 3, 2, 16, 0, 1] }));
	});

	it('listed twice, in any case, give one record and one event: the first listed', async () => {
		await baseline();
		const created = automationRecord(46, { total_opens: 1 });
		const again = { ...created, id: 47, utr: created.utr.toUpperCase(), total_opens: 2 };
		context.sandbox.state.automations.push(created, again, { ...context.automation(UTR_8), id: 2 });

		const { events } = await context.poll(everything);

		expect(events).toEqual([
			{
				event: 'automationCreated',
				automation: context.inEvent(again.utr),
				previous: null,
				changes: {},
			},
			{
				event: 'statsChanged',
				automation: context.inEvent(again.utr),
				previous: null,
				changes: { total_opens: 2 },
			},
		]);
		expect(context.nodeState.automations).toEqual([
			[created.utr, 0, 0, 0, 0, 2, 0, 0],
			...seedState().automations,
		]);
		expect((await context.poll(everything)).events).toBeNull();
	});

	it('__proto__, CONSTRUCTOR and other names of object keys are UTRs like any other, through JSON and back', async () => {
		const names = ['__proto__', 'CONSTRUCTOR', 'toString', 'hasOwnProperty'];
		context.sandbox.state.automations.push(
			...names.map((utr, index) => automationRecord(46 + index, { utr })),
		);
		await baseline();
		context.reloadStaticData();

		expect((context.nodeState.automations as string[][]).map(([utr]) => utr)).toEqual([
			'hasownproperty',
			'tostring',
			'constructor',
			'__proto__',
			...SEED_ROWS.map(([utr]) => utr),
		]);
		expect((await context.poll(everything)).events).toBeNull();

		context.automation('CONSTRUCTOR').total_opens += 2;
		remove(context.automation('__proto__'));
		context.reloadStaticData();
		const { events } = await context.poll(everything);

		expect(events).toEqual([
			{
				event: 'statsChanged',
				automation: context.inEvent('CONSTRUCTOR'),
				previous: DRAFT_SNAPSHOT,
				changes: { total_opens: 2 },
			},
			{
				event: 'automationDeleted',
				automation: { utr: '__proto__' },
				previous: DRAFT_SNAPSHOT,
				changes: {},
			},
		]);
		context.reloadStaticData();
		expect((await context.poll(everything)).events).toBeNull();
	});
});

describe('AllsTechnology Trigger: the state of the earlier version', () => {
	it('is read, so that upgrading raises no event and misses none, and is saved in the current layout', async () => {
		await baseline();
		const fields = COLUMNS.slice(1);
		context.replaceNodeState({
			columns: fields,
			automations: Object.fromEntries(SEED_ROWS.map(([utr, ...values]) => [utr, values])),
		});
		context.reloadStaticData();
		context.automation(UTR_8).total_opens += 1;

		const { events } = await context.poll(everything);

		expect(events).toEqual([
			{
				event: 'statsChanged',
				automation: context.inEvent(UTR_8),
				previous: SNAPSHOT_8,
				changes: { total_opens: 1 },
			},
		]);
		expect(context.nodeState).toEqual(seedState({ [UTR_8]: [1, 120, 117, 64, 99, 3, 2] }));
	});
});
