import { existsSync } from 'fs';
import { join } from 'path';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INodeProperties } from 'n8n-workflow';
import { AllsTechnologyTrigger } from '../../../nodes/AllsTechnologyTrigger/AllsTechnologyTrigger.node';
import packageJson from '../../../package.json';
import { SANDBOX_SECRET_KEY, startSandbox } from '../../../sandbox/server';
import { DRAFT_UTR, LIVE_UTR } from '../AllsTechnology/fixture';
import {
	ALL_EVENTS,
	COLUMNS,
	DRAFT_SNAPSHOT,
	NODE_STATE_KEY,
	SNAPSHOT_3,
	SNAPSHOT_8,
	UTR_1,
	UTR_44,
	UTR_45,
	UTR_6,
	UTR_8,
	automationRecord,
	expectOneListRequest,
	remove,
	seedState,
	setLive,
	useTriggerSandbox,
} from './fixture';

const context = useTriggerSandbox();

const everything = { triggerOn: ALL_EVENTS };

/** Polls once to record the baseline, as the first poll of an active workflow does. */
async function baseline(parameters = everything) {
	const { events } = await context.poll(parameters);
	expect(events).toBeNull();
}

describe('AllsTechnology Trigger: the public contract saved workflows rely on', () => {
	const { description } = new AllsTechnologyTrigger();

	it('is a polling trigger with the type, version, credential and icons of the package', () => {
		expect([
			description.name,
			description.displayName,
			description.version,
			description.polling,
		]).toEqual(['allsTechnologyTrigger', 'AllsTechnology Trigger', 1, true]);
		expect([description.group, description.inputs, description.outputs]).toEqual([
			['trigger'],
			[],
			['main'],
		]);
		expect(description.credentials).toEqual([
			{ name: 'allsTechnologyApi', required: true, testedBy: 'allsTechnologyApiTest' },
		]);
		expect(packageJson.n8n.nodes).toContain(
			'dist/nodes/AllsTechnologyTrigger/AllsTechnologyTrigger.node.js',
		);
		const icon = description.icon as { light: string; dark: string };
		for (const path of [icon.light, icon.dark]) {
			expect(
				existsSync(
					join(__dirname, '../../../nodes/AllsTechnologyTrigger', path.replace('file:', '')),
				),
			).toBe(true);
		}
	});

	it('offers the events and options by their stored values', () => {
		const property = (name: string) =>
			description.properties.find((candidate) => candidate.name === name) as INodeProperties;
		const values = (parameter: INodeProperties) =>
			(parameter.options ?? []).map((option) => ('value' in option ? option.value : option.name));
		expect(values(property('triggerOn'))).toEqual([
			'automationCreated',
			'automationDeleted',
			'automationPaused',
			'automationWentLive',
			'statsChanged',
		]);
		const options = property('options').options as INodeProperties[];
		expect(options.map((option) => [option.name, option.type])).toEqual([
			['automations', 'multiOptions'],
			['counters', 'multiOptions'],
		]);
		expect(options[0].typeOptions).toEqual({ loadOptionsMethod: 'getAutomations' });
		expect(values(options[1])).toEqual([
			'total_bounces',
			'total_delivered',
			'total_opens',
			'total_triggered',
			'total_unique_opens',
			'total_unsubscribe',
		]);
		expect(Object.keys(new AllsTechnologyTrigger().methods.loadOptions)).toEqual([
			'getAutomations',
		]);
		expect(Object.keys(new AllsTechnologyTrigger().methods.credentialTest)).toEqual([
			'allsTechnologyApiTest',
		]);
	});
});

describe('AllsTechnology Trigger: the first poll', () => {
	it('records every automation of the account as the baseline and emits nothing', async () => {
		const { events, staticDataChanged } = await context.poll(everything);

		expect(events).toBeNull();
		expect(staticDataChanged).toBe(true);
		expect(context.nodeState).toEqual(seedState());
		expectOneListRequest(context.sandbox.requests);
	});

	it('returns null, and leaves n8n nothing to save, when nothing changed since the previous poll', async () => {
		await baseline();
		const recorded = context.nodeState;

		const { events, staticDataChanged } = await context.poll(everything);

		expect(events).toBeNull();
		expect(staticDataChanged).toBe(false);
		expect(context.nodeState).toEqual(recorded);
		expectOneListRequest(context.sandbox.requests);
	});

	it('records an account without automations, which the API answers "Record Not Found", as an empty baseline', async () => {
		context.sandbox.state.automations.forEach(remove);

		const { events } = await context.poll(everything);

		expect(events).toBeNull();
		expect(context.nodeState).toEqual({
			columns: COLUMNS,
			automations: [],
			savedAt: expect.any(Number),
		});
		expect(context.sandbox.requests.map((request) => request.status)).toEqual([404]);

		const first = automationRecord(46);
		context.sandbox.state.automations.push(first);
		expect((await context.poll(everything)).events).toEqual([
			{
				event: 'automationCreated',
				automation: context.inEvent(first.utr),
				previous: null,
				changes: {},
			},
		]);
	});
});

describe('AllsTechnology Trigger: each event', () => {
	beforeEach(async () => await baseline());

	it('Automation Created: an automation that was not listed before, without a previous snapshot', async () => {
		const created = automationRecord(46);
		context.sandbox.state.automations.push(created);

		const { events, staticDataChanged } = await context.poll(everything);

		expect(events).toEqual([
			{
				event: 'automationCreated',
				automation: context.inEvent(created.utr),
				previous: null,
				changes: {},
			},
		]);
		expect(staticDataChanged).toBe(true);
		expect(context.nodeState.automations).toEqual([
			[created.utr, 0, 0, 0, 0, 0, 0, 0],
			...seedState().automations,
		]);
		expectOneListRequest(context.sandbox.requests);
		expect((await context.poll(everything)).events).toBeNull();
	});

	it("Automation Went Live: status from 0 to 1, shown in words as the action node shows it, the API's number as status_code", async () => {
		setLive(context.automation(DRAFT_UTR));

		const { events } = await context.poll(everything);

		expect(events).toEqual([
			{
				event: 'automationWentLive',
				automation: context.inEvent(DRAFT_UTR),
				previous: DRAFT_SNAPSHOT,
				changes: {},
			},
		]);
		expect(events?.[0].automation).toMatchObject({
			status: 'live',
			status_code: 1,
			live_at: '2024-03-01 10:00:00',
		});
		expect(events?.[0].previous).toMatchObject({ status: 'draft' });
		expect(context.listed(DRAFT_UTR)).toMatchObject({
			status: 1,
			live_at: '2024-03-01 10:00:00',
			automation_schedule_count: 3,
		});
		expect((await context.poll(everything)).events).toBeNull();
	});

	it('Automation Paused: status from 1 to 0', async () => {
		context.automation(LIVE_UTR).status = 0;

		const { events } = await context.poll(everything);

		expect(events).toEqual([
			{
				event: 'automationPaused',
				automation: context.inEvent(LIVE_UTR),
				previous: SNAPSHOT_3,
				changes: {},
			},
		]);
		expect((await context.poll(everything)).events).toBeNull();
	});

	it('Automation Deleted: an automation no longer listed, known by its UTR and last snapshot, and dropped from the state', async () => {
		remove(context.automation(UTR_8));

		const { events } = await context.poll(everything);

		expect(events).toEqual([
			{ event: 'automationDeleted', automation: { utr: UTR_8 }, previous: SNAPSHOT_8, changes: {} },
		]);
		expect((context.nodeState.automations as string[][]).map(([utr]) => utr)).toEqual([
			UTR_45,
			UTR_44,
			UTR_6,
			DRAFT_UTR,
			LIVE_UTR,
			UTR_1,
		]);
		expect((await context.poll(everything)).events).toBeNull();
	});

	it('Stats Changed: the counters that grew, each with its growth', async () => {
		const record = context.automation(UTR_8);
		record.total_delivered += 10;
		record.total_unique_opens += 4;
		record.total_opens += 7;

		const { events } = await context.poll(everything);

		expect(events).toEqual([
			{
				event: 'statsChanged',
				automation: context.inEvent(UTR_8),
				previous: SNAPSHOT_8,
				changes: { total_delivered: 10, total_unique_opens: 4, total_opens: 7 },
			},
		]);
		expect((await context.poll(everything)).events).toBeNull();
	});

	it('Stats Changed: a counter that shrinks is no event and is not recorded; growth is measured from its highest value', async () => {
		const record = context.automation(UTR_8);
		record.total_bounces = 1;

		const shrunk = await context.poll(everything);

		expect(shrunk.events).toBeNull();
		expect(shrunk.staticDataChanged).toBe(false);
		expect(context.nodeState).toEqual(seedState());

		record.total_bounces = 3;
		expect((await context.poll(everything)).events).toBeNull();

		record.total_bounces = 4;
		const { events } = await context.poll(everything);

		expect(events).toEqual([
			{
				event: 'statsChanged',
				automation: context.inEvent(UTR_8),
				previous: SNAPSHOT_8,
				changes: { total_bounces: 1 },
			},
		]);
	});
});

describe('AllsTechnology Trigger: several events in one poll', () => {
	beforeEach(async () => await baseline());

	it('reports every change once, in list order with each automation’s events together, the deleted ones last, each item with objects of its own', async () => {
		const created = automationRecord(46, {
			status: 1,
			live_at: '2024-03-01 10:00:00',
			total_triggered: 2,
			total_delivered: 2,
		});
		context.sandbox.state.automations.push(created);
		setLive(context.automation(DRAFT_UTR));
		const paused = context.automation(LIVE_UTR);
		paused.status = 0;
		paused.total_opens = 20;
		remove(context.automation(UTR_44));
		remove(context.automation(UTR_1));

		const { events } = await context.poll(everything);

		const createdListed = context.inEvent(created.utr);
		expect(events).toEqual([
			{ event: 'automationCreated', automation: createdListed, previous: null, changes: {} },
			{ event: 'automationWentLive', automation: createdListed, previous: null, changes: {} },
			{
				event: 'statsChanged',
				automation: createdListed,
				previous: null,
				changes: { total_triggered: 2, total_delivered: 2 },
			},
			{
				event: 'automationWentLive',
				automation: context.inEvent(DRAFT_UTR),
				previous: DRAFT_SNAPSHOT,
				changes: {},
			},
			{
				event: 'automationPaused',
				automation: context.inEvent(LIVE_UTR),
				previous: SNAPSHOT_3,
				changes: {},
			},
			{
				event: 'statsChanged',
				automation: context.inEvent(LIVE_UTR),
				previous: SNAPSHOT_3,
				changes: { total_opens: 4 },
			},
			{
				event: 'automationDeleted',
				automation: { utr: UTR_44 },
				previous: DRAFT_SNAPSHOT,
				changes: {},
			},
			{
				event: 'automationDeleted',
				automation: { utr: UTR_1 },
				previous: DRAFT_SNAPSHOT,
				changes: {},
			},
		]);
		const distinct = (field: string) =>
			new Set(events?.map((event) => event[field]).filter((value) => value !== null)).size;
		expect([distinct('automation'), distinct('previous'), distinct('changes')]).toEqual([8, 5, 8]);
		expectOneListRequest(context.sandbox.requests);
		expect((await context.poll(everything)).events).toBeNull();
	});
});

describe('AllsTechnology Trigger: Trigger On and the options', () => {
	it('reports only the chosen events, yet records every change so that later events stay right', async () => {
		const wentLive = { triggerOn: ['automationWentLive'] };
		await baseline(wentLive);
		context.automation(LIVE_UTR).status = 0;
		context.sandbox.state.automations.push(automationRecord(46));

		const quiet = await context.poll(wentLive);

		expect(quiet.events).toBeNull();
		expect(quiet.staticDataChanged).toBe(true);

		setLive(context.automation(LIVE_UTR));
		expect((await context.poll(wentLive)).events).toEqual([
			{
				event: 'automationWentLive',
				automation: context.inEvent(LIVE_UTR),
				previous: { ...SNAPSHOT_3, status: 'draft' },
				changes: {},
			},
		]);
	});

	it('Counters: Stats Changed only when a chosen counter grew, with only the chosen counters in changes', async () => {
		const bounces = {
			triggerOn: ['statsChanged'],
			options: { counters: ['total_bounces', 'total_unsubscribe'] },
		};
		await baseline(bounces);
		const record = context.automation(UTR_8);
		record.total_opens += 5;

		expect((await context.poll(bounces)).events).toBeNull();

		record.total_opens += 1;
		record.total_bounces += 2;
		expect((await context.poll(bounces)).events).toEqual([
			{
				event: 'statsChanged',
				automation: context.inEvent(UTR_8),
				previous: { ...SNAPSHOT_8, total_opens: 103 },
				changes: { total_bounces: 2 },
			},
		]);
	});

	it.each([
		['a list of UTRs', [LIVE_UTR, DRAFT_UTR.toUpperCase()]],
		['comma-separated UTRs from an expression', `${LIVE_UTR}, ${DRAFT_UTR.toUpperCase()}`],
	])(
		'Automations: only the chosen automations, given as %s in any case',
		async (_, automations) => {
			const chosen = { triggerOn: ALL_EVENTS, options: { automations } };
			await baseline(chosen);
			context.automation(LIVE_UTR).total_unsubscribe += 1;
			setLive(context.automation(DRAFT_UTR));
			context.automation(UTR_8).total_opens += 1;
			remove(context.automation(UTR_44));
			context.sandbox.state.automations.push(automationRecord(46));

			const { events } = await context.poll(chosen);

			expect(events).toEqual([
				{
					event: 'automationWentLive',
					automation: context.inEvent(DRAFT_UTR),
					previous: DRAFT_SNAPSHOT,
					changes: {},
				},
				{
					event: 'statsChanged',
					automation: context.inEvent(LIVE_UTR),
					previous: SNAPSHOT_3,
					changes: { total_unsubscribe: 1 },
				},
			]);
		},
	);

	it.each([
		[{ triggerOn: [] }, 'Trigger On is empty: choose at least one event to start the workflow on'],
		[
			{ triggerOn: ['automationUpdated'] },
			'The Trigger On parameter holds "automationUpdated": it must be one of automationCreated, automationWentLive, automationPaused, automationDeleted, statsChanged',
		],
		[
			{ triggerOn: ['statsChanged'], options: { counters: ['total_clicks'] } },
			'The Counters parameter holds "total_clicks": it must be one of total_triggered, total_delivered, total_unique_opens, total_opens, total_bounces, total_unsubscribe',
		],
		[
			{ triggerOn: ['statsChanged'], options: { automations: ['Welcome Series'] } },
			'The Automation Names or IDs option holds "Welcome Series": it must hold UTRs, UUIDs such as e9c7ff00-8d1c-11ee-91c4-b42e9970e591',
		],
	])('refuses %j before sending any request', async (parameters, message) => {
		const refused = context.poll(parameters);

		await expect(refused).rejects.toThrow(message);
		await expect(refused).rejects.toBeInstanceOf(NodeOperationError);
		expect(context.sandbox.requests).toEqual([]);
		expect(context.nodeState).toEqual({});
	});
});

describe('AllsTechnology Trigger: manual mode ("Fetch test event")', () => {
	it.each([
		[
			'automationCreated',
			() => ({ automation: context.inEvent(UTR_45), previous: null, changes: {} }),
		],
		[
			'automationWentLive',
			() => ({
				automation: context.inEvent(UTR_8),
				previous: { ...SNAPSHOT_8, status: 'draft' },
				changes: {},
			}),
		],
		[
			'automationPaused',
			() => ({
				automation: context.inEvent(UTR_45),
				previous: { ...DRAFT_SNAPSHOT, status: 'live' },
				changes: {},
			}),
		],
		[
			'automationDeleted',
			() => ({ automation: { utr: UTR_45 }, previous: DRAFT_SNAPSHOT, changes: {} }),
		],
		[
			'statsChanged',
			() => ({
				automation: context.inEvent(UTR_8),
				previous: { ...DRAFT_SNAPSHOT, status: 'live' },
				changes: {
					total_triggered: 120,
					total_delivered: 117,
					total_unique_opens: 64,
					total_opens: 98,
					total_bounces: 3,
					total_unsubscribe: 2,
				},
			}),
		],
	])(
		'returns one sample %s event built from the current list, and no state',
		async (event, expected) => {
			const { events, staticDataChanged } = await context.poll(
				{ triggerOn: [event] },
				{ mode: 'manual' },
			);

			expect(events).toEqual([{ event, ...expected() }]);
			expect(staticDataChanged).toBe(false);
			expect(context.nodeState).toEqual({});
			expectOneListRequest(context.sandbox.requests);
		},
	);

	it('samples the first chosen event in Trigger On order, within the chosen counters and automations', async () => {
		expect(
			(await context.poll({ triggerOn: ['statsChanged', 'automationPaused'] }, { mode: 'manual' }))
				.events?.[0].event,
		).toBe('automationPaused');

		const { events } = await context.poll(
			{
				triggerOn: ['statsChanged'],
				options: { counters: ['total_unsubscribe'], automations: [UTR_45, LIVE_UTR] },
			},
			{ mode: 'manual' },
		);

		expect(events).toEqual([
			{
				event: 'statsChanged',
				automation: context.inEvent(LIVE_UTR),
				previous: { ...SNAPSHOT_3, total_unsubscribe: 0 },
				changes: { total_unsubscribe: 1 },
			},
		]);
	});

	it('leaves an active workflow’s state alone: the change it shows is still reported by the next poll', async () => {
		await baseline();
		const recorded = context.nodeState;
		setLive(context.automation(DRAFT_UTR));

		const manual = await context.poll({ triggerOn: ['automationWentLive'] }, { mode: 'manual' });

		expect(manual.staticDataChanged).toBe(false);
		expect(context.nodeState).toEqual(recorded);
		expect((await context.poll(everything)).events).toEqual([
			{
				event: 'automationWentLive',
				automation: context.inEvent(DRAFT_UTR),
				previous: DRAFT_SNAPSHOT,
				changes: {},
			},
		]);
	});

	it('says why when there is no automation to build a sample from', async () => {
		context.sandbox.state.automations.forEach(remove);

		await expect(context.poll(everything, { mode: 'manual' })).rejects.toThrow(
			'There is no automation to build a sample event from',
		);
		await expect(
			context.poll(
				{ triggerOn: ALL_EVENTS, options: { automations: [LIVE_UTR] } },
				{ mode: 'manual' },
			),
		).rejects.toMatchObject({
			description: expect.stringContaining('None of the automations chosen'),
		});
	});
});

describe('AllsTechnology Trigger: a failing poll', () => {
	interface Failure {
		/** Makes the next poll fail; returns the keys to poll with. */
		arrange: () => Promise<{ secretKey?: string; baseUrl?: string }>;
		message: string;
		/** The tries the sandbox receives, all of them GET automations: a wrong key is not tried again, an outage is. */
		tries: number;
		secretKey: string;
	}

	const failures: Array<[string, Failure]> = [
		[
			'wrong keys answered with HTTP 401',
			{
				arrange: async () => ({ secretKey: 'wrong-secret' }),
				message: 'Invalid public key or secret key',
				tries: 1,
				secretKey: 'wrong-secret',
			},
		],
		[
			'wrong keys answered with HTTP 200',
			{
				arrange: async () => {
					context.sandbox.failureStatusMode = 'http200';
					return { secretKey: 'wrong-secret' };
				},
				message: 'Invalid public key or secret key',
				tries: 1,
				secretKey: 'wrong-secret',
			},
		],
		[
			'an outage answering HTTP 500 to every try',
			{
				arrange: async () => {
					context.sandbox.faults = [{ kind: 'serverError' }];
					return {};
				},
				message: 'AllsTechnology answered GET automations with HTTP 500: Server Error',
				tries: 3,
				secretKey: SANDBOX_SECRET_KEY,
			},
		],
		[
			'a server that is down',
			{
				arrange: async () => {
					const stopped = await startSandbox();
					await stopped.close();
					return { baseUrl: stopped.baseUrl };
				},
				message: 'Could not reach AllsTechnology at',
				tries: 0,
				secretKey: SANDBOX_SECRET_KEY,
			},
		],
	];

	it.each(failures)(
		'leaves the state as it was after %s: the next good poll reports each change once',
		async (_, failure) => {
			await baseline();
			const recorded = context.nodeState;
			setLive(context.automation(DRAFT_UTR));
			context.automation(UTR_8).total_bounces += 1;

			const failed = context.poll(everything, { keys: await failure.arrange() });

			await expect(failed).rejects.toThrow(failure.message);
			await expect(failed).rejects.toBeInstanceOf(NodeApiError);
			expect(
				context.sandbox.requests.map((request) => [
					request.method,
					request.path,
					request.rawQuery,
					request.headers.secretkey,
				]),
			).toEqual(
				Array.from({ length: failure.tries }, () => [
					'GET',
					'/api/automations',
					'',
					failure.secretKey,
				]),
			);
			expect(context.nodeState).toEqual(recorded);

			context.sandbox.failureStatusMode = 'httpError';
			context.sandbox.faults = [];
			context.reloadStaticData();
			const { events } = await context.poll(everything);

			expect(events).toEqual([
				{
					event: 'statsChanged',
					automation: context.inEvent(UTR_8),
					previous: SNAPSHOT_8,
					changes: { total_bounces: 1 },
				},
				{
					event: 'automationWentLive',
					automation: context.inEvent(DRAFT_UTR),
					previous: DRAFT_SNAPSHOT,
					changes: {},
				},
			]);
			expectOneListRequest(context.sandbox.requests);
			expect((await context.poll(everything)).events).toBeNull();
		},
	);

	it('does not fail for one failed try: the request is sent again and the poll reports the changes', async () => {
		await baseline();
		setLive(context.automation(DRAFT_UTR));
		context.sandbox.faults = [{ kind: 'badGatewayHtml', times: 1 }];

		const { events } = await context.poll(everything);

		expect(events).toEqual([
			{
				event: 'automationWentLive',
				automation: context.inEvent(DRAFT_UTR),
				previous: DRAFT_SNAPSHOT,
				changes: {},
			},
		]);
		expect(
			context.sandbox.requests.map((request) => [request.method, request.path, request.status]),
		).toEqual([
			['GET', '/api/automations', 502],
			['GET', '/api/automations', 200],
		]);
	});
});

describe('AllsTechnology Trigger: the state as n8n stores it', () => {
	it('is plain JSON under the node’s key, and works the same once read back from it', async () => {
		await baseline();
		context.reloadStaticData();
		context.automation(LIVE_UTR).status = 0;

		const { events } = await context.poll(everything);
		context.reloadStaticData();

		expect(events).toEqual([
			{
				event: 'automationPaused',
				automation: context.inEvent(LIVE_UTR),
				previous: SNAPSHOT_3,
				changes: {},
			},
		]);
		const { columns, automations, savedAt } = seedState({ [LIVE_UTR]: [0, 3, 3, 2, 16, 0, 1] });
		expect(context.nodeState).toEqual({ columns, automations, savedAt });
		expect(context.staticDataJson).toBe(
			JSON.stringify({
				[NODE_STATE_KEY]: { columns, automations, savedAt: context.nodeState.savedAt },
			}),
		);
		expect((await context.poll(everything)).events).toBeNull();
	});

	it('records a state it did not write, such as one with other columns, as a new baseline without events', async () => {
		await baseline();
		context.reloadStaticData();
		context.automation(UTR_8).total_opens += 1;
		const state = context.nodeState;
		(state.columns as string[]).reverse();
		context.replaceNodeState(state);

		const { events, staticDataChanged } = await context.poll(everything);

		expect(events).toBeNull();
		expect(staticDataChanged).toBe(true);
		expect(context.nodeState).toEqual(seedState({ [UTR_8]: [1, 120, 117, 64, 99, 3, 2] }));
	});
});
