import { readFileSync } from 'fs';
import { join } from 'path';
import type { IDataObject, INode } from 'n8n-workflow';
import type { EngineWorkflow } from '../engine';
import { runPoll, runWorkflow } from '../engine';
import { DRAFT_UTR, LIVE_UTR, UUID, engineFor } from '../nodes/AllsTechnology/fixture';
import { TRIGGER_TYPE, triggerEngine } from '../nodes/AllsTechnologyTrigger/fixture';
import type { AutomationRecord, Sandbox } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/server';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
beforeEach(() => sandbox.reset());
afterAll(async () => await sandbox.close());

function load(file: string): EngineWorkflow {
	return JSON.parse(readFileSync(join(__dirname, '../../examples', file), 'utf8')) as EngineWorkflow;
}

function seen() {
	return sandbox.requests.map((request) => `${request.method} ${request.path}${request.rawQuery ? `?${request.rawQuery}` : ''}`);
}

describe('examples/', () => {
	it('list-automations.json lists every automation, simplified', async () => {
		const { outputs, error } = await runWorkflow(engineFor(sandbox), load('list-automations.json'));

		expect(error).toBeUndefined();
		expect(seen()).toEqual(['GET /api/automations']);
		expect(outputs['Get Many Automations'].map((item) => [item.json.id, item.json.status])).toEqual([
			[45, 'draft'],
			[44, 'draft'],
			[8, 'live'],
			[6, 'draft'],
			[5, 'draft'],
			[3, 'live'],
			[1, 'draft'],
		]);
	});

	it('create-automation-add-email-set-live.json creates a live automation with one email', async () => {
		const { outputs, error } = await runWorkflow(engineFor(sandbox), load('create-automation-add-email-set-live.json'));

		expect(error).toBeUndefined();
		const utr = outputs['Create Automation'][0].json.utr as string;
		expect(utr).toMatch(UUID);
		expect(seen()).toEqual([
			// The automations are listed before a run's first create, to find a create whose answer gets lost.
			'GET /api/automations',
			'POST /api/automations/create',
			`GET /api/automations/details?utr=${utr}`,
			`GET /api/automations/schedule?utr=${utr}`,
			`GET /api/automations/details?utr=${utr}`,
			'POST /api/automations/schedule/create',
			`GET /api/automations/schedule?utr=${utr}`,
			`GET /api/automations/set-live?utr=${utr}`,
		]);
		expect(outputs['Add Welcome Email'][0].json).toMatchObject({ subject: 'Welcome aboard', waiting_type: 'instantly' });
		expect(outputs['Set Live'].map((item) => item.json)).toEqual([
			{ success: true, utr, message: 'Automation has been set live' },
		]);
		const stored = sandbox.state.automations.find((automation) => automation.utr === utr);
		expect([stored?.automation_name, stored?.status]).toEqual(['Onboarding from n8n', 1]);
	});

	it('crm-event-duplicate-and-set-live.json copies the template named by the webhook and sets the copy live', async () => {
		const { outputs, error } = await runWorkflow(engineFor(sandbox), load('crm-event-duplicate-and-set-live.json'), {
			triggerItems: [{ body: { templateAutomationUtr: DRAFT_UTR } }],
		});

		expect(error).toBeUndefined();
		const copy = outputs['Duplicate Template Automation'][0].json.utr as string;
		expect(seen()).toEqual([
			'GET /api/automations',
			`GET /api/automations/duplicate?utr=${DRAFT_UTR}`,
			`GET /api/automations/details?utr=${copy}`,
			`GET /api/automations/set-live?utr=${copy}`,
		]);
		expect(outputs['Set Copy Live'].map((item) => item.json)).toEqual([
			{ success: true, utr: copy, message: 'Automation has been set live' },
		]);
	});
});

describe('examples/ started by the AllsTechnology Trigger', () => {
	/** The example's trigger polled as an active workflow's is: with its parameters and the static data kept. */
	async function pollTrigger(workflow: EngineWorkflow, staticData: IDataObject) {
		const trigger = workflow.nodes.find((node) => node.type === TRIGGER_TYPE) as INode;
		const { response } = await runPoll(triggerEngine(sandbox), {
			type: TRIGGER_TYPE,
			parameters: trigger.parameters,
			mode: 'trigger',
			staticData,
			name: trigger.name,
		});
		return { trigger, items: response?.[0] ?? null };
	}

	/** Polls to record the baseline, changes the account, polls again, then runs the workflow with that poll's items, as n8n does. */
	async function runOnChange(file: string, change: () => void) {
		const workflow = load(file);
		const staticData: IDataObject = {};
		expect((await pollTrigger(workflow, staticData)).items).toBeNull();
		change();
		const { trigger, items } = await pollTrigger(workflow, staticData);
		const { outputs, error } = await runWorkflow(triggerEngine(sandbox), { ...workflow, pinData: { [trigger.name]: items ?? [] } });
		expect(error).toBeUndefined();
		return { events: (items ?? []).map((item) => item.json), outputs };
	}

	function automation(utr: string) {
		return sandbox.state.automations.find((record) => record.utr === utr) as AutomationRecord;
	}

	it('automation-went-live-notify-team.json hands each automation that went live to Notify the Team', async () => {
		const { events, outputs } = await runOnChange('automation-went-live-notify-team.json', () => {
			Object.assign(automation(DRAFT_UTR), { status: 1, live_at: '2024-03-01 10:00:00' });
			automation(LIVE_UTR).total_opens += 3;
		});

		expect(events.map((event) => [event.event, (event.automation as IDataObject).utr])).toEqual([['automationWentLive', DRAFT_UTR]]);
		expect(outputs['Notify the Team'].map((item) => item.json)).toEqual(events);
		expect(seen()).toEqual(['GET /api/automations', 'GET /api/automations']);
	});

	it('nightly-stats-sync.json hands the automations whose watched counters grew to Update the CRM, with the growth', async () => {
		const { events, outputs } = await runOnChange('nightly-stats-sync.json', () => {
			automation(LIVE_UTR).total_unsubscribe += 2;
			automation(LIVE_UTR).total_opens += 9;
			automation(DRAFT_UTR).total_opens += 1;
		});

		expect(events.map((event) => [(event.automation as IDataObject).utr, event.changes])).toEqual([[LIVE_UTR, { total_unsubscribe: 2 }]]);
		expect(outputs['Update the CRM'].map((item) => item.json)).toEqual(events);
	});

	it.each([
		['automation-went-live-notify-team.json', 'Notify the Team', 'automationWentLive'],
		['nightly-stats-sync.json', 'Update the CRM', 'statsChanged'],
	])('%s runs from the editor ("Execute workflow") with one sample event', async (file, lastNode, event) => {
		const { outputs, error } = await runWorkflow(triggerEngine(sandbox), load(file));

		expect(error).toBeUndefined();
		expect(outputs[lastNode].map((item) => item.json.event)).toEqual([event]);
		expect(seen()).toEqual(['GET /api/automations']);
	});
});
