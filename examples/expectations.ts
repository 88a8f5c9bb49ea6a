/**
 * What each workflow in this folder must do, the one source read by the jest test (test/examples/examples.test.ts,
 * through n8n's engine) and the e2e run (e2e/examples.ts, in a real n8n): the items its nodes output and the
 * requests the sandbox receives, exactly. Every example needs an entry here; both runs fail for one without.
 *
 * Each is started as a user would start it: a Manual Trigger workflow run, a Webhook workflow called with
 * `webhook.body`, a polling trigger's workflow run from the editor ("Execute workflow": one sample event).
 */
import { deepStrictEqual, match, ok } from 'assert';
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import type { RecordedRequest, Sandbox, SandboxState } from '../sandbox/server';

export interface ExampleWorkflow {
	name: string;
	nodes: Array<{ name: string; type: string; parameters: Record<string, unknown> }>;
}

/** The workflows in `folder` (examples/ unless said), by file name, in file-name order. */
export function readExamples<Workflow = ExampleWorkflow>(
	folder = __dirname,
): Array<{ file: string; workflow: Workflow }> {
	return readdirSync(folder)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({
			file,
			workflow: JSON.parse(readFileSync(join(folder, file), 'utf8')) as Workflow,
		}));
}

export interface ExampleRun {
	/** Each node's first output, as JSON items. */
	outputs: Record<string, Array<Record<string, unknown>>>;
	sandbox: Sandbox;
	/** The sandbox's records before the run. */
	seed: SandboxState;
}

export interface ExampleExpectation {
	/** For a webhook example: the JSON body the caller posts, and what n8n's Webhook node answers it. */
	webhook?: { body: (seed: SandboxState) => object; response: { status: number; body: unknown } };
	/** Throws (assert) when the run is not what the example promises. */
	verify(run: ExampleRun): void;
}

/** '200 GET /api/automations/details?utr=…': the sandbox's answer and the request, in the order received. */
export function requestLines(requests: RecordedRequest[]): string[] {
	return requests.map(
		(request) =>
			`${request.status} ${request.method} ${request.path}${request.rawQuery ? `?${request.rawQuery}` : ''}`,
	);
}

/** Get Many's fields with Simplify on (README, Operations). */
const SIMPLIFIED_FIELDS = [
	'id',
	'utr',
	'automation_name',
	'status',
	'live_at',
	'automation_schedule_count',
	'total_delivered',
	'total_unique_opens',
	'total_bounces',
	'total_unsubscribe',
];

/** Schedule Create's fields with Simplify on (its default). */
const SIMPLIFIED_SCHEDULE_FIELDS = [
	'id',
	'utr',
	'automation_utr',
	'automation_id',
	'subject',
	'waiting_type',
	'waiting_period',
	'sender_id',
	'template_id',
	'preview_img',
	'design_url',
];

/** What the trigger compares between polls, as its events' `previous` shows it. */
const SNAPSHOT_FIELDS = [
	'status',
	'total_triggered',
	'total_delivered',
	'total_unique_opens',
	'total_opens',
	'total_bounces',
	'total_unsubscribe',
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function pick(record: Record<string, unknown>, fields: string[]): Record<string, unknown> {
	return Object.fromEntries(
		fields.filter((field) => field in record).map((field) => [field, record[field]]),
	);
}

const statusWord = (status: unknown) => (Number(status) === 1 ? 'live' : 'draft');

/** An automation as the node outputs it with Simplify off (and the trigger always): the status in words, the API's number as status_code. */
function inWords(record: Record<string, unknown>): Record<string, unknown> {
	return { ...record, status: statusWord(record.status), status_code: record.status };
}

/** An automation as Get, Create, Duplicate and Get Many output it with Simplify on, their default. */
function simplified(record: Record<string, unknown>): Record<string, unknown> {
	return { ...pick(record, SIMPLIFIED_FIELDS), status: statusWord(record.status) };
}

/** The automations as the sandbox answered the run's first `GET automations`. */
function listedAutomations(sandbox: Sandbox): Array<Record<string, unknown>> {
	const listing = sandbox.requests.find(
		(request) => request.method === 'GET' && request.path === '/api/automations',
	);
	return (listing?.response as { message: { automations: Array<Record<string, unknown>> } }).message
		.automations;
}

/** The `message` of the sandbox's answer to the run's `index`th request. */
function answer(sandbox: Sandbox, index: number): Record<string, unknown> {
	return (sandbox.requests[index]?.response as { message: Record<string, unknown> }).message;
}

/** The template the CRM example duplicates: the docs' draft automation 5. */
function template(seed: SandboxState) {
	const automation = seed.automations.find((record) => record.id === 5);
	if (!automation) throw new Error("the sandbox's seed has no automation 5");
	return automation;
}

export const EXAMPLE_EXPECTATIONS: Record<string, ExampleExpectation> = {
	'list-automations.json': {
		verify({ outputs, sandbox }) {
			deepStrictEqual(requestLines(sandbox.requests), ['200 GET /api/automations']);
			deepStrictEqual(outputs['Get Many Automations'], listedAutomations(sandbox).map(simplified));
		},
	},

	'create-automation-add-email-set-live.json': {
		verify({ outputs, sandbox }) {
			const utr = outputs['Create Automation'][0]?.utr as string;
			match(utr, UUID);
			// The automations are listed before the first create, to find a create whose answer gets lost. The new
			// automation has no email yet: the API answers its list with 404 "Record not found".
			deepStrictEqual(requestLines(sandbox.requests), [
				'200 GET /api/automations',
				'200 POST /api/automations/create',
				`200 GET /api/automations/details?utr=${utr}`,
				`404 GET /api/automations/schedule?utr=${utr}`,
				`200 GET /api/automations/details?utr=${utr}`,
				'200 POST /api/automations/schedule/create',
				`200 GET /api/automations/schedule?utr=${utr}`,
				`200 GET /api/automations/set-live?utr=${utr}`,
			]);
			deepStrictEqual(
				[sandbox.requests[1].bodyEncoding, sandbox.requests[1].fields],
				[
					'multipart',
					{
						type: 'custom',
						automation_name: 'Onboarding from n8n',
						unsubscribe_group_id: '3',
						automation_for: 'contacts_3',
					},
				],
			);
			deepStrictEqual(
				[sandbox.requests[5].bodyEncoding, sandbox.requests[5].fields],
				[
					'multipart',
					{
						utr,
						sender_id: '2',
						subject: 'Welcome aboard',
						waiting_period: '1',
						waiting_type: 'instantly',
						template_id: '2',
						preview_img: 'verify_email.png',
						template_html: '<h1>Welcome aboard</h1>',
					},
				],
			);
			deepStrictEqual(outputs['Create Automation'], [
				simplified(answer(sandbox, 2).automation as Record<string, unknown>),
			]);
			deepStrictEqual(
				outputs['Add Welcome Email'],
				(answer(sandbox, 6).automation_schedules as Array<Record<string, unknown>>).map((email) =>
					pick({ ...email, automation_utr: utr }, SIMPLIFIED_SCHEDULE_FIELDS),
				),
			);
			deepStrictEqual(outputs['Set Live'], [
				{ success: true, utr, message: 'Automation has been set live' },
			]);
			const stored = sandbox.state.automations.find((automation) => automation.utr === utr);
			deepStrictEqual([stored?.automation_name, stored?.status], ['Onboarding from n8n', 1]);
		},
	},

	'crm-event-duplicate-and-set-live.json': {
		webhook: {
			body: (seed) => ({
				event: 'deal.won',
				contactEmail: 'ada@example.com',
				templateAutomationUtr: template(seed).utr,
			}),
			response: { status: 200, body: { message: 'Workflow was started' } },
		},
		verify({ outputs, sandbox, seed }) {
			const templateUtr = template(seed).utr;
			const copyUtr = outputs['Duplicate Template Automation'][0]?.utr as string;
			// A duplicate is a create: the automations are listed before it, as for Create.
			deepStrictEqual(requestLines(sandbox.requests), [
				'200 GET /api/automations',
				`200 GET /api/automations/duplicate?utr=${templateUtr}`,
				`200 GET /api/automations/details?utr=${copyUtr}`,
				`200 GET /api/automations/set-live?utr=${copyUtr}`,
			]);
			const copy = answer(sandbox, 2).automation as Record<string, unknown>;
			deepStrictEqual([copy.automation_name, copy.status], [template(seed).automation_name, 0]);
			deepStrictEqual(outputs['Duplicate Template Automation'], [simplified(copy)]);
			deepStrictEqual(outputs['Set Copy Live'], [
				{ success: true, utr: copyUtr, message: 'Automation has been set live' },
			]);
		},
	},

	// A manual run of the trigger gives one sample event, built from the current list: the first automation that
	// fits, shown as if it had just changed.
	'automation-went-live-notify-team.json': {
		verify({ outputs, sandbox }) {
			deepStrictEqual(requestLines(sandbox.requests), ['200 GET /api/automations']);
			const automation = listedAutomations(sandbox).find((record) => record.status === 1);
			ok(automation, 'the sandbox lists a live automation');
			deepStrictEqual(outputs['Notify the Team'], [
				{
					event: 'automationWentLive',
					automation: inWords(automation),
					previous: { ...pick(automation, SNAPSHOT_FIELDS), status: 'draft' },
					changes: {},
				},
			]);
		},
	},

	'nightly-stats-sync.json': {
		verify({ outputs, sandbox }) {
			deepStrictEqual(requestLines(sandbox.requests), ['200 GET /api/automations']);
			// The counters the example watches.
			const counters = [
				'total_bounces',
				'total_delivered',
				'total_unique_opens',
				'total_unsubscribe',
			];
			const automation = listedAutomations(sandbox).find((record) =>
				counters.some((counter) => Number(record[counter]) > 0),
			);
			ok(automation, 'the sandbox lists an automation with statistics');
			const grown = counters.filter((counter) => Number(automation[counter]) > 0);
			deepStrictEqual(outputs['Update the CRM'], [
				{
					event: 'statsChanged',
					automation: inWords(automation),
					previous: {
						...pick(automation, SNAPSHOT_FIELDS),
						status: statusWord(automation.status),
						...Object.fromEntries(counters.map((counter) => [counter, 0])),
					},
					changes: pick(automation, grown),
				},
			]);
		},
	},
};
