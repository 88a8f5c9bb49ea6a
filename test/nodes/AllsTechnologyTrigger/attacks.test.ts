/**
 * Issue 12, second round: the trigger attacked as a hostile API, a hostile n8n setting or a hostile user would,
 * through n8n's engine against the sandbox. Each test states what must hold; the ones that broke are fixed.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { DRAFT_UTR, LIVE_UTR } from '../AllsTechnology/fixture';
import type { RecordedRequest } from '../../../sandbox/server';
import {
	ALL_EVENTS,
	COLUMNS,
	DRAFT_SNAPSHOT,
	NODE_STATE_KEY,
	SEED_ROWS,
	SNAPSHOT_3,
	SNAPSHOT_8,
	UTR_45,
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

/** A stored record open to fields of any type or none, as a faulty API might list it. */
const loosely = (utr: string) => context.automation(utr) as unknown as IDataObject;

const requestLines = (requests: RecordedRequest[]) =>
	requests.map((request) => [request.method, request.path, request.status]);
const LIST = ['GET', '/api/automations', 200];
const NOT_FOUND = ['GET', '/api/automations', 404];

async function baseline() {
	expect((await context.poll(everything)).events).toBeNull();
	context.sandbox.clearRequests();
}

/** Polls until nothing is left to report, and every poll's events in order. */
async function pollUntilQuiet(parameters: INodeParameters = everything): Promise<IDataObject[]> {
	const events: IDataObject[] = [];
	for (;;) {
		const polled = (await context.poll(parameters)).events;
		if (polled === null) return events;
		events.push(...polled);
	}
}

describe('Attack: a known automation listed without a usable UTR for one poll', () => {
	it.each<[string, unknown]>([
		['null', null],
		['left out', undefined],
		['a number', 42],
		['an object', { value: UTR_8 }],
		['empty', ''],
		['only whitespace', '   '],
	])('(%s) is neither deleted nor created: no event, and its row is kept', async (_, utr) => {
		await baseline();
		const record = loosely(UTR_8);
		if (utr === undefined) delete record.utr;
		else record.utr = utr;

		const glitch = await context.poll(everything);

		expect(glitch.events).toBeNull();
		expect(context.nodeState).toEqual(seedState());
		record.utr = UTR_8;
		expect((await context.poll(everything)).events).toBeNull();
		expect(context.nodeState).toEqual(seedState());
	});

	it('does not hide a deletion for ever: the first list naming every record reports it', async () => {
		await baseline();
		const record = loosely(UTR_8);
		record.utr = null;
		remove(context.automation(LIVE_UTR));

		expect((await context.poll(everything)).events).toBeNull();

		record.utr = UTR_8;
		expect((await context.poll(everything)).events).toEqual([
			{
				event: 'automationDeleted',
				automation: { utr: LIVE_UTR },
				previous: SNAPSHOT_3,
				changes: {},
			},
		]);
		expect((await context.poll(everything)).events).toBeNull();
	});

	it('still reports the other automations’ changes in that poll, and a new automation once', async () => {
		await baseline();
		loosely(UTR_8).utr = null;
		const created = automationRecord(46);
		context.sandbox.state.automations.push(created);
		context.automation(LIVE_UTR).status = 0;

		expect((await context.poll(everything)).events).toEqual([
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
	});
});

describe('Attack: UTRs written differently', () => {
	it('with whitespace around them are the same automation', async () => {
		await baseline();
		context.automation(UTR_8).utr = ` ${UTR_8.toUpperCase()}\t`;
		context.automation(` ${UTR_8.toUpperCase()}\t`).total_opens += 1;

		expect((await context.poll(everything)).events).toEqual([
			{
				event: 'statsChanged',
				automation: context.inEvent(` ${UTR_8.toUpperCase()}\t`),
				previous: SNAPSHOT_8,
				changes: { total_opens: 1 },
			},
		]);
		expect(context.nodeState).toEqual(seedState({ [UTR_8]: [1, 120, 117, 64, 99, 3, 2] }));
	});

	it('in non-ASCII letters of another case are the same automation', async () => {
		context.sandbox.state.automations.push(automationRecord(46, { utr: 'Ärger-Ω' }));
		await baseline();
		context.automation('Ärger-Ω').utr = 'äRGER-ω';

		expect((await context.poll(everything)).events).toBeNull();
	});
});

describe('Attack: counters and statuses of odd values', () => {
	it('counters sent as numeric strings are read as numbers: growth from the last value, no event for the same value', async () => {
		await baseline();
		loosely(UTR_8).total_opens = '98';
		loosely(UTR_8).total_bounces = ' 4 ';

		expect((await context.poll(everything)).events).toEqual([
			{
				event: 'statsChanged',
				automation: context.inEvent(UTR_8),
				previous: SNAPSHOT_8,
				changes: { total_bounces: 1 },
			},
		]);
	});

	it.each<[string, IDataObject[string]]>([
		['negative', -1],
		['a fraction', 64.5],
		['NaN as text', 'NaN'],
		['too large for JSON (text)', '1e400'],
		['a boolean', true],
		['an array', [70]],
	])(
		'a counter that is %s counts as unchanged, and gives no event when it is right again',
		async (_, value) => {
			await baseline();
			loosely(UTR_8).total_unique_opens = value;

			expect((await context.poll(everything)).events).toBeNull();
			expect(context.nodeState).toEqual(seedState());

			context.automation(UTR_8).total_unique_opens = 64;
			expect((await context.poll(everything)).events).toBeNull();
		},
	);

	it('a counter that drops to 0 for one poll and comes back gives no Stats Changed for growth already reported', async () => {
		await baseline();
		context.automation(UTR_8).total_delivered = 0;
		expect((await context.poll(everything)).events).toBeNull();

		context.automation(UTR_8).total_delivered = 117;
		expect((await context.poll(everything)).events).toBeNull();

		context.automation(UTR_8).total_delivered = 118;
		expect((await context.poll(everything)).events).toEqual([
			{
				event: 'statsChanged',
				automation: context.inEvent(UTR_8),
				previous: SNAPSHOT_8,
				changes: { total_delivered: 1 },
			},
		]);
	});

	it('a huge counter is read and its growth reported exactly', async () => {
		await baseline();
		context.automation(UTR_8).total_triggered = 2 ** 52;

		expect((await context.poll(everything)).events).toEqual([
			{
				event: 'statsChanged',
				automation: context.inEvent(UTR_8),
				previous: SNAPSHOT_8,
				changes: { total_triggered: 2 ** 52 - 120 },
			},
		]);
	});

	it('status "1" is live, status 2 is not live, status true or "live" counts as unchanged', async () => {
		await baseline();
		loosely(DRAFT_UTR).status = '1';
		loosely(UTR_8).status = 2;
		loosely(LIVE_UTR).status = 'live';

		expect((await context.poll(everything)).events).toEqual([
			{
				event: 'automationPaused',
				automation: context.inEvent(UTR_8),
				previous: SNAPSHOT_8,
				changes: {},
			},
			{
				event: 'automationWentLive',
				automation: context.inEvent(DRAFT_UTR),
				previous: DRAFT_SNAPSHOT,
				changes: {},
			},
		]);
		loosely(LIVE_UTR).status = true;
		expect((await context.poll(everything)).events).toBeNull();
	});
});

describe('Attack: "Record Not Found" in patterns', () => {
	const notFound = (times: number) => ({
		kind: 'fixedBody' as const,
		status: 404,
		body: { status: 'failed', errors: 'Record Not Found' },
		times,
		route: 'GET automations',
	});

	it('alternating with lists, one per poll, never reports an automation deleted or created', async () => {
		await baseline();
		for (let round = 0; round < 3; round += 1) {
			context.sandbox.faults = [notFound(1)];
			expect((await context.poll(everything)).events).toBeNull();
			expect(requestLines(context.sandbox.requests)).toEqual([NOT_FOUND, LIST]);
			expect((await context.poll(everything)).events).toBeNull();
		}
		expect(context.nodeState).toEqual(seedState());
	});

	it('then a failing second list: the poll fails, the state is kept, the next poll reports nothing invented', async () => {
		await baseline();
		context.sandbox.faults = [
			notFound(1),
			{ kind: 'serverError', times: 3, route: 'GET automations' },
		];

		await expect(context.poll(everything)).rejects.toThrow('HTTP 500');
		expect(requestLines(context.sandbox.requests)).toEqual([
			NOT_FOUND,
			['GET', '/api/automations', 500],
			['GET', '/api/automations', 500],
			['GET', '/api/automations', 500],
		]);
		expect(context.nodeState).toEqual(seedState());
		expect((await context.poll(everything)).events).toBeNull();
	});

	it('twice, then the list again: Deleted once for each, then Created once for each, and quiet after', async () => {
		await baseline();
		context.sandbox.faults = [notFound(2)];
		const deleted = (await context.poll(everything)).events;
		const events = await pollUntilQuiet();

		expect(deleted?.map((event) => event.event)).toEqual(SEED_ROWS.map(() => 'automationDeleted'));
		expect(events.filter((event) => event.event === 'automationCreated')).toHaveLength(
			SEED_ROWS.length,
		);
		expect(context.nodeState).toEqual(seedState());
	});
});

describe('Attack: polls that overlap in every order', () => {
	const gates: Gate[] = [];
	afterEach(async () => {
		await Promise.all(gates.splice(0).map((opened) => opened.close()));
	});

	/** Starts a poll whose answer is held at its own gate until released. */
	async function heldPoll() {
		const gate = await startGate(context.sandbox, 'answer');
		gates.push(gate);
		const result = context.poll(everything, {
			keys: { baseUrl: gate.baseUrl },
			keepRequests: true,
		});
		await gate.holding;
		return { gate, result };
	}

	const orders = [
		[0, 1, 2],
		[0, 2, 1],
		[1, 0, 2],
		[1, 2, 0],
		[2, 0, 1],
		[2, 1, 0],
	];

	it.each(orders)(
		'three polls answered in order %i %i %i: each change reported once in all, none undone',
		async (...order) => {
			await baseline();
			const created = automationRecord(46);
			const changes = [
				() => context.sandbox.state.automations.push(created),
				() => (context.automation(LIVE_UTR).status = 0),
				() => (context.automation(UTR_8).total_opens += 1),
			];
			const polls = [];
			for (const change of changes) {
				change();
				polls.push(await heldPoll());
			}
			const events: IDataObject[] = [];
			for (const index of order) {
				polls[index].gate.open();
				events.push(...((await polls[index].result).events ?? []));
			}
			events.push(...(await pollUntilQuiet()));

			expect(
				events.map((event) => [event.event, (event.automation as IDataObject).utr]).sort(),
			).toEqual(
				[
					['automationCreated', created.utr],
					['automationPaused', LIVE_UTR],
					['statsChanged', UTR_8],
				].sort(),
			);
			expect(context.nodeState).toEqual({
				...seedState({ [LIVE_UTR]: [0, 3, 3, 2, 16, 0, 1], [UTR_8]: [1, 120, 117, 64, 99, 3, 2] }),
				automations: [
					[created.utr, 0, 0, 0, 0, 0, 0, 0],
					...seedState({ [LIVE_UTR]: [0, 3, 3, 2, 16, 0, 1], [UTR_8]: [1, 120, 117, 64, 99, 3, 2] })
						.automations,
				],
			});
		},
	);

	it('a poll whose first try fails and whose retry is answered after a later poll saved: gives way, no duplicate', async () => {
		await baseline();
		context.sandbox.faults = [{ kind: 'serverError', times: 1, route: 'GET automations' }];
		const slow = await heldPoll();
		setLive(context.automation(DRAFT_UTR));
		const later = await context.poll(everything, { keepRequests: true });
		slow.gate.open();
		const retried = await slow.result;

		expect(later.events).toEqual([
			{
				event: 'automationWentLive',
				automation: context.inEvent(DRAFT_UTR),
				previous: DRAFT_SNAPSHOT,
				changes: {},
			},
		]);
		expect(retried.events).toBeNull();
		expect(await pollUntilQuiet()).toEqual([]);
	});
});

describe('Attack: the stored state corrupted, old or partly written', () => {
	it.each<[string, IDataObject]>([
		['automations a string', { columns: COLUMNS, automations: 'oops', savedAt: 1 }],
		[
			'a row with a text number',
			{ columns: COLUMNS, automations: [[UTR_8, '1', 0, 0, 0, 0, 0, 0]] },
		],
		['a row cut short', { columns: COLUMNS, automations: [[UTR_8, 1, 120]] }],
		['a row that is an object', { columns: COLUMNS, automations: [{ utr: UTR_8 }] }],
		['columns missing', { automations: [] }],
		['columns not an array', { columns: 'utr,status', automations: [] }],
		['savedAt as text far ahead', { columns: ['x'], automations: [], savedAt: '9999999999999' }],
		[
			'an old state with a negative counter',
			{ columns: COLUMNS.slice(1), automations: { [UTR_8]: [1, -1, 0, 0, 0, 0, 0] } },
		],
	])('%s: recorded as a new baseline, no event and no error', async (_, state) => {
		context.replaceNodeState(state);
		context.reloadStaticData();

		expect((await context.poll(everything)).events).toBeNull();
		expect(context.nodeState).toEqual(seedState());
		expect((await context.poll(everything)).events).toBeNull();
	});

	it('savedAt ahead of the clock (another process) does not make every poll give way', async () => {
		await baseline();
		context.replaceNodeState({ ...context.nodeState, savedAt: Date.now() + 86_400_000 });
		setLive(context.automation(DRAFT_UTR));

		expect((await context.poll(everything)).events).toEqual([
			{
				event: 'automationWentLive',
				automation: context.inEvent(DRAFT_UTR),
				previous: DRAFT_SNAPSHOT,
				changes: {},
			},
		]);
		expect((await context.poll(everything)).events).toBeNull();
	});

	it.each<[string, unknown]>([
		['null', null],
		['a number', 5],
		['a string', 'corrupt'],
	])(
		'the node’s static data as %s: the poll fails saying what to do, and never with a TypeError',
		async (_, state) => {
			context.replaceNodeState(state as IDataObject);

			const failed = context.poll(everything);

			await expect(failed).rejects.toBeInstanceOf(NodeOperationError);
			await expect(failed).rejects.toThrow('saved state');
		},
	);
});

describe('Attack: the options with odd values', () => {
	it.each<[string, unknown]>([
		['a number', 12],
		['an object', { utr: UTR_8 }],
		['a boolean', true],
	])(
		'Automation Names or IDs given as %s by an expression is refused, not read as "every automation"',
		async (_, value) => {
			await baseline();
			const parameters = {
				triggerOn: ALL_EVENTS,
				options: { automations: `={{ ${JSON.stringify(value)} }}` },
			};

			await expect(context.poll(parameters)).rejects.toThrow('Automation Names or IDs');
			await expect(context.poll(parameters, { mode: 'manual' })).rejects.toThrow(
				'Automation Names or IDs',
			);
		},
	);

	it.each([
		['an empty text', '={{ "" }}'],
		['nothing', '={{ undefined }}'],
		['an empty list', '={{ [] }}'],
	])(
		'Automation Names or IDs whose expression gives %s is refused, not read as "every automation"',
		async (_, expression) => {
			await expect(
				context.poll({ triggerOn: ALL_EVENTS, options: { automations: expression } }),
			).rejects.toThrow('The expression of Automation Names or IDs gives nothing');
			expect(context.sandbox.requests).toEqual([]);
		},
	);

	it('Counters given as a number by an expression is refused, not read as "all six"', async () => {
		await baseline();
		await expect(
			context.poll({ triggerOn: ['statsChanged'], options: { counters: '={{ 5 }}' } }),
		).rejects.toThrow('Counters');
	});

	it('Automation Names or IDs in upper case, with spaces and twice, as an expression’s comma-separated text, watches those', async () => {
		await baseline();
		context.automation(UTR_8).total_opens += 1;
		context.automation(LIVE_UTR).total_opens += 1;
		context.automation(UTR_45).total_opens += 1;
		const parameters = {
			triggerOn: ['statsChanged'],
			options: { automations: `= ${UTR_8.toUpperCase()} ,${UTR_8},, ${LIVE_UTR}` },
		};

		expect(
			(await context.poll(parameters)).events?.map(
				(event) => (event.automation as IDataObject).utr,
			),
		).toEqual([UTR_8, LIVE_UTR]);
	});

	it('Automation Names or IDs holding a text that is not a UTR is refused by name', async () => {
		await expect(
			context.poll({ triggerOn: ALL_EVENTS, options: { automations: ['not-a-utr'] } }),
		).rejects.toThrow('The Automation Names or IDs option holds "not-a-utr"');
	});

	it('Counters in another case is refused by name', async () => {
		await expect(
			context.poll({ triggerOn: ['statsChanged'], options: { counters: ['TOTAL_OPENS'] } }),
		).rejects.toThrow('The Counters parameter holds "TOTAL_OPENS"');
	});
});

describe('Attack: an automation deleted and created again with the same UTR', () => {
	it('across two polls: Deleted, then Created, each once', async () => {
		await baseline();
		const record = context.automation(LIVE_UTR);
		remove(record);
		expect((await context.poll(everything)).events?.map((event) => event.event)).toEqual([
			'automationDeleted',
		]);

		record.deleted_at = null;
		expect((await context.poll(everything)).events?.map((event) => event.event)).toEqual([
			'automationCreated',
			'automationWentLive',
			'statsChanged',
		]);
		expect((await context.poll(everything)).events).toBeNull();
	});
});

describe('Attack: 6,000 automations', () => {
	it('a baseline of every one, then one change is one event; the state is one row each', async () => {
		const many = Array.from({ length: 6000 }, (_, index) => automationRecord(100 + index));
		context.sandbox.state.automations.push(...many);
		await baseline();
		const state = context.nodeState;
		expect((state.automations as unknown[]).length).toBe(6000 + SEED_ROWS.length);
		expect(JSON.stringify({ [NODE_STATE_KEY]: state }).length).toBeLessThan(
			75 * (6000 + SEED_ROWS.length),
		);

		context.automation(many[2999].utr).total_opens = 3;
		remove(context.automation(many[10].utr));

		expect((await context.poll(everything)).events).toEqual([
			{
				event: 'statsChanged',
				automation: context.inEvent(many[2999].utr),
				previous: DRAFT_SNAPSHOT,
				changes: { total_opens: 3 },
			},
			{
				event: 'automationDeleted',
				automation: { utr: many[10].utr },
				previous: DRAFT_SNAPSHOT,
				changes: {},
			},
		]);
		expect((await context.poll(everything)).events).toBeNull();
	});
});

describe('Attack: Fetch Test Event against every state', () => {
	it.each<[string, () => void]>([
		['no state', () => undefined],
		['a corrupted state', () => context.replaceNodeState({ columns: 'x' })],
		[
			'the earlier version’s state',
			() => context.replaceNodeState({ columns: COLUMNS.slice(1), automations: {} }),
		],
	])('with %s: one sample, the state untouched', async (_, arrange) => {
		arrange();
		const before = context.staticDataJson;

		const { events, staticDataChanged } = await context.poll(
			{ triggerOn: ['automationWentLive'] },
			{ mode: 'manual' },
		);

		expect(events).toEqual([
			{
				event: 'automationWentLive',
				automation: context.inEvent(UTR_8),
				previous: { ...SNAPSHOT_8, status: 'draft' },
				changes: {},
			},
		]);
		expect(staticDataChanged).toBe(false);
		expect(context.staticDataJson).toBe(before);
	});

	it('with a list whose records have no UTR: says there is no automation, sends one request', async () => {
		for (const record of context.sandbox.state.automations)
			(record as unknown as IDataObject).utr = null;

		await expect(context.poll(everything, { mode: 'manual' })).rejects.toThrow(
			'There is no automation to build a sample event from',
		);
		expect(requestLines(context.sandbox.requests)).toEqual([LIST]);
	});

	it('with the node’s static data as null: still samples', async () => {
		context.replaceNodeState(null as unknown as IDataObject);
		const { events } = await context.poll({ triggerOn: ['automationCreated'] }, { mode: 'manual' });
		expect(events?.map((event) => event.event)).toEqual(['automationCreated']);
	});
});

describe('Attack: more lists that name their records badly', () => {
	it('a record that lost its UTR while its counters grew: the growth is reported once, when its UTR is back', async () => {
		await baseline();
		const record = loosely(UTR_8);
		record.utr = null;
		record.total_opens = 100;
		expect((await context.poll(everything)).events).toBeNull();

		record.utr = UTR_8;
		expect((await context.poll(everything)).events).toEqual([
			{
				event: 'statsChanged',
				automation: context.inEvent(UTR_8),
				previous: SNAPSHOT_8,
				changes: { total_opens: 2 },
			},
		]);
		expect((await context.poll(everything)).events).toBeNull();
	});

	it('"Record Not Found" in an HTTP 200 answer, twice: the account is empty, each automation reported deleted once', async () => {
		await baseline();
		context.sandbox.failureStatusMode = 'http200';
		context.sandbox.state.automations.forEach(remove);

		expect((await context.poll(everything)).events).toHaveLength(SEED_ROWS.length);
		expect(requestLines(context.sandbox.requests)).toEqual([LIST, LIST]);
		expect((await context.poll(everything)).events).toBeNull();
	});

	// listAutomations drops an entry that is not an object: read through it, the trigger could not tell that one
	// automation went unnamed, and reported it deleted.
	it.each<[string, (record: IDataObject) => unknown]>([
		['a null', () => null],
		['a number', () => 42],
		['text', () => UTR_8],
		['an array holding the record', (record) => [record]],
	])('%s in place of a known automation’s record is not a deletion', async (_, junk) => {
		await baseline();
		const listed = SEED_ROWS.map(([utr]) => context.listed(utr));
		const list = (records: unknown[]) => ({
			kind: 'fixedBody' as const,
			body: { status: 'success', message: { automations: records } },
			times: 1,
			route: 'GET automations',
		});
		context.sandbox.faults = [
			list(listed.map((record) => (record.utr === UTR_8 ? junk(record) : record))),
		];

		expect((await context.poll(everything)).events).toBeNull();
		expect((await context.poll(everything)).events).toBeNull();
	});
});
