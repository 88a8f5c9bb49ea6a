import { readFileSync } from 'fs';
import { join } from 'path';
import type { EngineWorkflow } from '../engine';
import { runWorkflow } from '../engine';
import { DRAFT_UTR, UUID, engineFor } from '../nodes/AllsTechnology/fixture';
import type { Sandbox } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';

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
			`GET /api/automations/duplicate?utr=${DRAFT_UTR}`,
			`GET /api/automations/details?utr=${copy}`,
			`GET /api/automations/set-live?utr=${copy}`,
		]);
		expect(outputs['Set Copy Live'].map((item) => item.json)).toEqual([
			{ success: true, utr: copy, message: 'Automation has been set live' },
		]);
	});
});
