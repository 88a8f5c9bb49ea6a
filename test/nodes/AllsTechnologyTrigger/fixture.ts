import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { AllsTechnologyTrigger } from '../../../nodes/AllsTechnologyTrigger/AllsTechnologyTrigger.node';
import type { EngineOptions } from '../../engine';
import { runPoll } from '../../engine';
import { DRAFT_UTR, LIVE_UTR, engineFor } from '../AllsTechnology/fixture';
import type {
	AutomationRecord,
	FailureStatusMode,
	RecordedRequest,
	Sandbox,
} from '../../../sandbox/server';
import { SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY, startSandbox } from '../../../sandbox/server';
import { formatTimeUuid, ticksOf } from '../../../sandbox/utr';

export const TRIGGER_TYPE = 'n8n-nodes-allstechnology.allsTechnologyTrigger';
/** Where n8n keeps the node's static data inside the workflow's. */
export const NODE_STATE_KEY = 'node:AllsTechnology Trigger';

export const ALL_EVENTS = [
	'automationCreated',
	'automationWentLive',
	'automationPaused',
	'automationDeleted',
	'statsChanged',
];

/** The seeded automations besides the docs' two (DRAFT_UTR is automation 5, LIVE_UTR automation 3). */
export const UTR_45 = '405420d2-9407-11ee-8a8b-b42e9970e591';
export const UTR_44 = '5dcbb0d2-935b-11ee-a9a4-b42e9970e591';
export const UTR_8 = 'e84968d2-8dcd-11ee-9b77-b42e9970e591';
export const UTR_6 = 'e9c7ff00-8d1c-11ee-91c4-b42e9970e592';
export const UTR_1 = '381da846-8780-11ee-835d-b42e9970e591';

export const COLUMNS = [
	'utr',
	'status',
	'total_triggered',
	'total_delivered',
	'total_unique_opens',
	'total_opens',
	'total_bounces',
	'total_unsubscribe',
];

/** The seeded account's rows in the state: UTR, status and counters, in list order. */
export const SEED_ROWS: Array<[string, ...number[]]> = [
	[UTR_45, 0, 0, 0, 0, 0, 0, 0],
	[UTR_44, 0, 0, 0, 0, 0, 0, 0],
	[UTR_8, 1, 120, 117, 64, 98, 3, 2],
	[UTR_6, 0, 0, 0, 0, 0, 0, 0],
	[DRAFT_UTR, 0, 0, 0, 0, 0, 0, 0],
	[LIVE_UTR, 1, 3, 3, 2, 16, 0, 1],
	[UTR_1, 0, 0, 0, 0, 0, 0, 0],
];

/** The node's static data after a poll of the seeded account, with the rows of `changed` holding other numbers. */
export function seedState(changed: Record<string, number[]> = {}) {
	return {
		columns: COLUMNS,
		automations: SEED_ROWS.map(([utr, ...values]) => [utr, ...(changed[utr] ?? values)]),
		savedAt: expect.any(Number),
	};
}

/**
 * The snapshots of the seeded automations as events show them, the status in words: a draft with no counters,
 * automations 3 and 8.
 */
export const DRAFT_SNAPSHOT = {
	status: 'draft',
	total_triggered: 0,
	total_delivered: 0,
	total_unique_opens: 0,
	total_opens: 0,
	total_bounces: 0,
	total_unsubscribe: 0,
};
export const SNAPSHOT_3 = {
	status: 'live',
	total_triggered: 3,
	total_delivered: 3,
	total_unique_opens: 2,
	total_opens: 16,
	total_bounces: 0,
	total_unsubscribe: 1,
};
export const SNAPSHOT_8 = {
	status: 'live',
	total_triggered: 120,
	total_delivered: 117,
	total_unique_opens: 64,
	total_opens: 98,
	total_bounces: 3,
	total_unsubscribe: 2,
};

export function setLive(record: AutomationRecord) {
	record.status = 1;
	record.live_at = '2024-03-01 10:00:00';
}

export function remove(record: AutomationRecord) {
	record.deleted_at = '2024-03-01T04:00:00.000000Z';
}

type Keys = { publicKey?: string; secretKey?: string; baseUrl?: string };

/** Both nodes of the package against the sandbox. */
export function triggerEngine(sandbox: Sandbox, keys: Keys = {}): EngineOptions {
	const engine = engineFor(sandbox, keys);
	return {
		...engine,
		nodeTypes: { ...engine.nodeTypes, [TRIGGER_TYPE]: new AllsTechnologyTrigger() },
	};
}

/** An automation as the sandbox stores one the API created: a draft with zero counters unless `fields` says otherwise. */
export function automationRecord(
	id: number,
	fields: Partial<AutomationRecord> = {},
): AutomationRecord {
	const created = '2024-01-02T03:04:05.000000Z';
	return {
		id,
		user_id: 6790,
		automation_for: 3,
		automation_for_table: 'contacts_',
		automation_name: `Automation ${id}`,
		exit_criteria: 1,
		unsubscribe_group_id: '3',
		automation_type: 0,
		utr: formatTimeUuid(ticksOf(Date.parse(created), id), id),
		status: 0,
		live_at: null,
		total_triggered: 0,
		total_delivered: 0,
		total_unique_opens: 0,
		total_opens: 0,
		total_bounces: 0,
		total_unsubscribe: 0,
		deleted_at: null,
		created_at: created,
		updated_at: created,
		...fields,
	};
}

/**
 * One sandbox per test file, back to its seed before each test, and the workflow's static data, empty before each
 * test and kept between the polls of a test as n8n keeps it for an active workflow.
 */
export function useTriggerSandbox(mode: FailureStatusMode = 'httpError') {
	let sandbox: Sandbox;
	let staticData: IDataObject;
	beforeAll(async () => {
		sandbox = await startSandbox({ failureStatusMode: mode });
	});
	beforeEach(() => {
		sandbox.reset();
		sandbox.failureStatusMode = mode;
		staticData = {};
	});
	afterAll(async () => {
		await sandbox.close();
	});

	return {
		get sandbox() {
			return sandbox;
		},
		/** The node's own static data: `{ columns, automations, savedAt }` once a poll has recorded the account. */
		get nodeState() {
			return JSON.parse(JSON.stringify(staticData[NODE_STATE_KEY] ?? {})) as IDataObject;
		},
		/** The workflow's static data as n8n writes it to its database. */
		get staticDataJson() {
			return JSON.stringify(staticData);
		},
		/** Puts another state in the node's place, as an older version or a hand-edited workflow might leave it. */
		replaceNodeState(state: IDataObject) {
			staticData[NODE_STATE_KEY] = state;
		},
		/** What n8n reads back from its database after a restart: the static data through JSON. */
		reloadStaticData() {
			staticData = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		},
		/** The stored record of an automation, to change between polls. */
		automation(utr: string): AutomationRecord {
			const record = sandbox.state.automations.find((candidate) => candidate.utr === utr);
			if (!record) throw new Error(`The sandbox has no automation ${utr}`);
			return record;
		},
		/** The record as GET automations lists it. */
		listed(utr: string): IDataObject {
			const record = this.automation(utr);
			const emails = sandbox.state.schedules.filter(
				(schedule) => schedule.automation_id === record.id,
			).length;
			return { ...record, automation_schedule_count: emails };
		},
		/** The listed record as events carry it: its status in words (1 is live), the API's value beside it as status_code. */
		inEvent(utr: string): IDataObject {
			const record = this.listed(utr);
			if (record.status === undefined || record.status === null) return record;
			return {
				...record,
				status: Number(record.status) === 1 ? 'live' : 'draft',
				status_code: record.status,
			};
		},
		/**
		 * Runs one poll; `events` are its items' JSON, or null when the poll returned null. The sandbox's requests are
		 * cleared first, unless `keepRequests` (for a poll that overlaps another).
		 */
		async poll(
			parameters: INodeParameters,
			options: { mode?: 'trigger' | 'manual'; keys?: Keys; keepRequests?: boolean } = {},
		) {
			if (!options.keepRequests) sandbox.clearRequests();
			const { response, staticDataChanged } = await runPoll(triggerEngine(sandbox, options.keys), {
				type: TRIGGER_TYPE,
				parameters,
				mode: options.mode ?? 'trigger',
				staticData,
			});
			return {
				events: response === null ? null : response[0].map((item) => item.json),
				response,
				staticDataChanged,
			};
		},
	};
}

/** Every poll sends one request: the automation list, with the credential's keys. */
export function expectOneListRequest(requests: RecordedRequest[]) {
	expect(
		requests.map((request) => ({
			method: request.method,
			path: request.path,
			rawQuery: request.rawQuery,
			publickey: request.headers.publickey,
			secretkey: request.headers.secretkey,
		})),
	).toEqual([
		{
			method: 'GET',
			path: '/api/automations',
			rawQuery: '',
			publickey: SANDBOX_PUBLIC_KEY,
			secretkey: SANDBOX_SECRET_KEY,
		},
	]);
}
