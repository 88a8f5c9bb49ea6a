import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { AllsTechnologyTrigger } from '../../../nodes/AllsTechnologyTrigger/AllsTechnologyTrigger.node';
import type { EngineOptions } from '../../engine';
import { runPoll } from '../../engine';
import { engineFor } from '../AllsTechnology/fixture';
import type { AutomationRecord, FailureStatusMode, RecordedRequest, Sandbox } from '../../sandbox/server';
import { SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY, startSandbox } from '../../sandbox/server';
import { formatTimeUuid, ticksOf } from '../../sandbox/utr';

export const TRIGGER_TYPE = 'n8n-nodes-allstechnology.allsTechnologyTrigger';
/** Where n8n keeps the node's static data inside the workflow's. */
export const NODE_STATE_KEY = 'node:AllsTechnology Trigger';

export const ALL_EVENTS = ['automationCreated', 'automationWentLive', 'automationPaused', 'automationDeleted', 'statsChanged'];

type Keys = { publicKey?: string; secretKey?: string; baseUrl?: string };

/** Both nodes of the package against the sandbox. */
export function triggerEngine(sandbox: Sandbox, keys: Keys = {}): EngineOptions {
	const engine = engineFor(sandbox, keys);
	return { ...engine, nodeTypes: { ...engine.nodeTypes, [TRIGGER_TYPE]: new AllsTechnologyTrigger() } };
}

/** An automation as the sandbox stores one the API created: a draft with zero counters unless `fields` says otherwise. */
export function automationRecord(id: number, fields: Partial<AutomationRecord> = {}): AutomationRecord {
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
		/** The node's own static data: `{ columns, automations }` once a poll has recorded the account. */
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
		/** The record as GET automations lists it, which is what events carry. */
		listed(utr: string): IDataObject {
			const record = this.automation(utr);
			const emails = sandbox.state.schedules.filter((schedule) => schedule.automation_id === record.id).length;
			return { ...record, automation_schedule_count: emails };
		},
		/** Runs one poll; `events` are its items' JSON, or null when the poll returned null. */
		async poll(parameters: INodeParameters, options: { mode?: 'trigger' | 'manual'; keys?: Keys } = {}) {
			sandbox.clearRequests();
			const { response, staticDataChanged } = await runPoll(triggerEngine(sandbox, options.keys), {
				type: TRIGGER_TYPE,
				parameters,
				mode: options.mode ?? 'trigger',
				staticData,
			});
			return { events: response === null ? null : response[0].map((item) => item.json), response, staticDataChanged };
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
		{ method: 'GET', path: '/api/automations', rawQuery: '', publickey: SANDBOX_PUBLIC_KEY, secretkey: SANDBOX_SECRET_KEY },
	]);
}
