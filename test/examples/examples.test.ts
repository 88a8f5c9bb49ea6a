import type { IDataObject, INode } from 'n8n-workflow';
import type { EngineWorkflow } from '../engine';
import { runPoll, runWorkflow } from '../engine';
import { DRAFT_UTR, LIVE_UTR } from '../nodes/AllsTechnology/fixture';
import { TRIGGER_TYPE, triggerEngine } from '../nodes/AllsTechnologyTrigger/fixture';
import { EXAMPLE_EXPECTATIONS, readExamples } from '../../examples/expectations';
import type { AutomationRecord, Sandbox } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/server';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
beforeEach(() => sandbox.reset());
afterAll(async () => await sandbox.close());

const examples = readExamples<EngineWorkflow>();

function load(file: string): EngineWorkflow {
	return examples.find((example) => example.file === file)?.workflow as EngineWorkflow;
}

function seen() {
	return sandbox.requests.map(
		(request) =>
			`${request.method} ${request.path}${request.rawQuery ? `?${request.rawQuery}` : ''}`,
	);
}

describe('examples/', () => {
	it('has an expectation in examples/expectations.ts for every workflow, and a workflow for every expectation', () => {
		expect(examples.map(({ file }) => file)).toEqual(Object.keys(EXAMPLE_EXPECTATIONS).sort());
	});

	// Started as the e2e run starts them in a real n8n: a webhook with the body the CRM posts, a polling trigger's
	// workflow as "Execute workflow" runs it (the trigger fetches one sample event).
	it.each(examples.map(({ file }) => file))(
		'%s outputs and sends what examples/expectations.ts says',
		async (file) => {
			const expectation = EXAMPLE_EXPECTATIONS[file];
			const seed = structuredClone(sandbox.state);
			const triggerItems = expectation.webhook
				? [{ body: expectation.webhook.body(seed) }]
				: undefined;
			const { outputs, error } = await runWorkflow(triggerEngine(sandbox), load(file), {
				triggerItems,
			});

			expect(error).toBeUndefined();
			const json = Object.fromEntries(
				Object.entries(outputs).map(([node, items]) => [node, items.map((item) => item.json)]),
			);
			expectation.verify({ outputs: json, sandbox, seed });
		},
	);
});

// Only here, not in a real n8n: the trigger's workflows as an active workflow runs them, from a poll that found a change.
describe('examples/ started by the AllsTechnology Trigger, polling', () => {
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
		const { outputs, error } = await runWorkflow(triggerEngine(sandbox), {
			...workflow,
			pinData: { [trigger.name]: items ?? [] },
		});
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

		expect(events.map((event) => [event.event, (event.automation as IDataObject).utr])).toEqual([
			['automationWentLive', DRAFT_UTR],
		]);
		expect(outputs['Notify the Team'].map((item) => item.json)).toEqual(events);
		expect(seen()).toEqual(['GET /api/automations', 'GET /api/automations']);
	});

	it('nightly-stats-sync.json hands the automations whose watched counters grew to Update the CRM, with the growth', async () => {
		const { events, outputs } = await runOnChange('nightly-stats-sync.json', () => {
			automation(LIVE_UTR).total_unsubscribe += 2;
			automation(LIVE_UTR).total_opens += 9;
			automation(DRAFT_UTR).total_opens += 1;
		});

		expect(events.map((event) => [(event.automation as IDataObject).utr, event.changes])).toEqual([
			[LIVE_UTR, { total_unsubscribe: 2 }],
		]);
		expect(outputs['Update the CRM'].map((item) => item.json)).toEqual(events);
	});
});
