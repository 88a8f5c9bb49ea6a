/**
 * The n8n editor in headless Chromium, used as a person would: sign in, add the AllsTechnology node from the
 * nodes panel, open it, read the Automation field's modes, open the Automation list, pick an automation and run
 * the step; then, in a workflow that adds an email to an automation, drag the email's `automation_utr` into Set
 * Live's Automation and run it; and open the AI agent's run (agent.ts) with its logs. Screenshots of the nodes
 * panel, the list, the step's output, the mapped Set Live and the agent's run go to docs/screenshots/ (the README
 * shows them).
 */
import { deepStrictEqual, strictEqual } from 'assert';
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium, selectors } from 'playwright-core';
import type { Checks } from './checks';
import type { Sandbox, SandboxState } from '../sandbox/server';
import type { E2eWorkflow } from './errorSettings';
import { EXAMPLE_CREDENTIAL, requestLines } from './examples';
import { OWNER } from './n8n';
import { manifest } from './package';

export const CHROMIUM = '/usr/bin/chromium';

/** Flags for a root user on a machine without internet: no sandbox, no GPU, no calls home. */
const CHROMIUM_FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-quic',
	'--no-first-run',
];

/**
 * The Node details panel of an unverified community package fetches its npm metadata (author, downloads) from
 * the browser; that is n8n's editor, not this package, and the requests are refused here like all others.
 */
function npmMetadataPattern(packageName: string): RegExp {
	return new RegExp(
		`^https://(registry\\.npmjs\\.org/${packageName}$|api\\.npmjs\\.org/downloads/range/[^/]+/${packageName}$)`,
	);
}

export interface EditorExpectations {
	/** The npm package name, whose metadata the editor may look up. */
	packageName: string;
	/** The node's display name in the nodes panel. */
	nodeName: string;
	/** Every operation's action, as the nodes panel lists them. */
	actions: string[];
	/** The action to add the node with: its Resource and Operation as the parameters panel shows them. */
	action: { name: string; resource: string; operation: string };
	/** The credential the node must pick up by itself (the only one of its type). */
	credentialName: string;
	/** The Automation field's list, in order. */
	automationList: string[];
	/** The entry to pick and its UTR, which the step's output shows. */
	pick: { name: string; utr: string };
	/** The Automation field's modes, as its mode list reads. */
	automationModes: string[];
	/** The agent's saved run (agent.ts): the steps its logs list, in order, and the agent's answer. */
	agentRun?: { workflowId: string; executionId: string; steps: string[]; output: string };
}

/** Add Email (Automation Schedule → Create) → Set Live, whose Automation the editor check maps from Add Email's output. */
export const MAPPING_WORKFLOW_ID = 'allse2emapping01';
const MAPPING_TRIGGER = 'Start';
const ADD_EMAIL = 'Add Email';
const SET_LIVE = 'Set Live';
/** A draft automation with an unsubscribe group, so it can go live. */
const MAPPED_AUTOMATION = 'Webinar Reminders';
const MAPPED_SUBJECT = 'The webinar starts in an hour';

function mappedAutomation(seed: SandboxState) {
	const automation = seed.automations.find(
		(record) => record.automation_name === MAPPED_AUTOMATION,
	);
	if (!automation)
		throw new Error(`the sandbox's seed has no automation named ${MAPPED_AUTOMATION}`);
	return automation;
}

/** The Add Email node picks its automation from the list; Set Live's Automation is left for the check to map. */
export function mappingWorkflow(seed: SandboxState): E2eWorkflow {
	const automation = mappedAutomation(seed);
	const type = `${manifest().name}.allsTechnology`;
	const credentials = {
		allsTechnologyApi: { id: EXAMPLE_CREDENTIAL.id, name: EXAMPLE_CREDENTIAL.name },
	};
	return {
		id: MAPPING_WORKFLOW_ID,
		name: 'e2e: add an email to an automation, then set the automation live',
		nodes: [
			{
				id: 'mapping-1',
				name: MAPPING_TRIGGER,
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'mapping-2',
				name: ADD_EMAIL,
				type,
				typeVersion: 1,
				position: [240, 0],
				parameters: {
					resource: 'automationSchedule',
					operation: 'create',
					automation: {
						__rl: true,
						mode: 'list',
						value: automation.utr,
						cachedResultName: automation.automation_name,
					},
					senderId: 2,
					subject: MAPPED_SUBJECT,
					waitingType: 'hours',
					waitingPeriod: 1,
					templateId: 2,
					previewImg: 'verify_email.png',
					additionalFields: {},
				},
				credentials,
			},
			{
				id: 'mapping-3',
				name: SET_LIVE,
				type,
				typeVersion: 1,
				position: [480, 0],
				parameters: {
					resource: 'automation',
					operation: 'setLive',
					automation: { __rl: true, mode: 'list', value: '' },
				},
				credentials,
			},
		],
		connections: {
			[MAPPING_TRIGGER]: { main: [[{ node: ADD_EMAIL, type: 'main', index: 0 }]] },
			[ADD_EMAIL]: { main: [[{ node: SET_LIVE, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

export async function checkEditor(
	checks: Checks,
	options: {
		baseUrl: string;
		sandbox: Sandbox;
		screenshotsDir: string;
		expected: EditorExpectations;
	},
): Promise<void> {
	const { baseUrl, sandbox, screenshotsDir, expected } = options;
	mkdirSync(screenshotsDir, { recursive: true });
	const profile = mkdtempSync(join(tmpdir(), 'allstechnology-chromium-'));
	const outside: string[] = [];
	let context: BrowserContext | undefined;
	try {
		selectors.setTestIdAttribute('data-test-id');
		context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_FLAGS,
			// Chromium's scratch folders go with its profile.
			env: { ...process.env, TMPDIR: profile },
			viewport: { width: 1440, height: 900 },
		});
		context.setDefaultTimeout(30_000);
		// The editor must need nothing but n8n itself: requests elsewhere are refused and reported.
		await context.route('**/*', async (route) => {
			const { hostname } = new URL(route.request().url());
			if (hostname === '127.0.0.1' || hostname === 'localhost') return await route.continue();
			outside.push(route.request().url());
			return await route.abort();
		});
		const page = context.pages()[0] ?? (await context.newPage());
		const shot = async (file: string) =>
			await page.screenshot({ path: join(screenshotsDir, file) });

		const signedIn = await checks.check(
			'editor: the owner signs in on the sign-in page',
			async () => {
				await page.goto(`${baseUrl}/signin`);
				await page.getByLabel('Email').fill(OWNER.email);
				await page.getByLabel('Password').fill(OWNER.password);
				await page.getByRole('button', { name: 'Sign in' }).click();
				await page.waitForURL(/\/(home|workflows)/);
			},
		);
		if (!signedIn) return;

		const found = await checks.check(
			`editor: the nodes panel finds "${expected.nodeName}" with its icon`,
			async () => {
				await page.goto(`${baseUrl}/workflow/new`);
				await page.getByTestId('canvas-add-button').click();
				await page.getByTestId('node-creator-search-bar').fill(expected.nodeName);
				const item = page
					.getByTestId('node-creator-item-name')
					.filter({ hasText: new RegExp(`^${expected.nodeName}$`) });
				await item.waitFor();
				await waitForIconsLoaded(page, '[data-test-id="node-creator"] img');
				await item.click();
			},
		);
		if (!found) return;

		await checks.check(
			`editor: the node lists its ${expected.actions.length} actions`,
			async () => {
				const actionItem = page
					.getByTestId('node-creator-item-name')
					.filter({ hasText: new RegExp(`^${expected.action.name}$`) });
				// Starting from "What triggers this workflow?", the panel opens on the package's trigger events with
				// the actions folded; a user unfolds them.
				await page
					.getByTestId('node-creator')
					.getByText(/^Triggers \(\d+\)$|^Actions \(\d+\)$/)
					.first()
					.waitFor();
				if (!(await actionItem.isVisible()))
					await page
						.getByTestId('node-creator')
						.getByText(/^Actions \(\d+\)$/)
						.click();
				await actionItem.waitFor();
				const listed = await page.getByTestId('node-creator-item-name').allInnerTexts();
				deepStrictEqual(
					expected.actions.filter((action) => !listed.includes(action)),
					[],
					'actions missing from the panel',
				);
				await shot('node-actions.png');
			},
		);

		const opened = await checks.check(
			`editor: "${expected.action.name}" opens the node with Resource, Operation and the credential filled`,
			async () => {
				await page
					.getByTestId('node-creator-item-name')
					.filter({ hasText: new RegExp(`^${expected.action.name}$`) })
					.click();
				await page.getByTestId('ndv').waitFor();
				strictEqual(
					await selectedValue(page, 'parameter-input-resource'),
					expected.action.resource,
				);
				strictEqual(
					await selectedValue(page, 'parameter-input-operation'),
					expected.action.operation,
				);
				strictEqual(await selectedValue(page, 'node-credentials-select'), expected.credentialName);
				await page.getByTestId('resource-locator-automation').waitFor();
			},
		);
		if (!opened) return;

		await checks.check(
			`editor: the Automation field's modes read ${expected.automationModes.join(' / ')}`,
			async () => {
				const locator = page.getByTestId('resource-locator-automation');
				await locator.getByTestId('rlc-mode-selector').click();
				const modes = page.getByRole('option').filter({ visible: true });
				await modes.first().waitFor();
				deepStrictEqual(await modes.allInnerTexts(), expected.automationModes);
				// Choosing the mode it is in closes the list as it was.
				await modes.first().click();
				strictEqual(
					await locator.getByTestId('rlc-mode-selector').locator('input').inputValue(),
					expected.automationModes[0],
				);
			},
		);

		sandbox.clearRequests();
		const listFilled = await checks.check(
			'editor: the Automation list fills from the sandbox',
			async () => {
				await page.getByTestId('resource-locator-automation').getByTestId('rlc-input').click();
				await page.getByTestId('rlc-item').first().waitFor();
				deepStrictEqual(
					await page.getByTestId('rlc-item').allInnerTexts(),
					expected.automationList,
				);
				deepStrictEqual(requestLines(sandbox.requests), ['200 GET /api/automations']);
				await shot('automation-list.png');
			},
		);
		if (!listFilled) return;

		sandbox.clearRequests();
		await checks.check(
			`editor: picking "${expected.pick.name}" and Execute step shows it in the output`,
			async () => {
				await page.getByTestId('rlc-item').filter({ hasText: expected.pick.name }).click();
				await page.getByTestId('node-execute-button').click();
				const output = page.getByTestId('output-panel');
				await output.getByTestId('radio-button-json').click();
				await output.getByText(`"utr": "${expected.pick.utr}"`).waitFor();
				deepStrictEqual(requestLines(sandbox.requests), [
					`200 GET /api/automations/details?utr=${expected.pick.utr}`,
				]);
				await shot('step-executed.png');
			},
		);

		sandbox.reset();
		await checks.check(
			`editor: dragging ${ADD_EMAIL}'s automation_utr into ${SET_LIVE}'s Automation and Execute step sets the automation live`,
			async () => {
				const automation = mappedAutomation(sandbox.state);
				await page.goto(`${baseUrl}/workflow/${MAPPING_WORKFLOW_ID}`);
				await page.getByTestId('canvas-node').filter({ hasText: SET_LIVE }).dblclick();
				await page.getByTestId('ndv').waitFor();
				// Before anything ran, the input panel shows Add Email's fields from the node's output schema.
				const field = page
					.getByTestId('ndv-input-panel')
					.getByTestId('run-data-schema-item')
					.locator('span')
					.filter({ hasText: /^automation_utr$/ })
					.first();
				const target = page.getByTestId('resource-locator-automation');
				await field.dragTo(target.getByTestId('rlc-input-container'));
				strictEqual(
					await target.getByTestId('inline-expression-editor-input').innerText(),
					'{{ $json.automation_utr }}',
				);
				await page.getByTestId('node-execute-button').click();
				const output = page.getByTestId('output-panel');
				await output.getByTestId('radio-button-json').click();
				await output.getByText(`"utr": "${automation.utr}"`).waitFor();
				deepStrictEqual(requestLines(sandbox.requests), [
					`200 GET /api/automations/schedule?utr=${automation.utr}`,
					'200 POST /api/automations/schedule/create',
					`200 GET /api/automations/schedule?utr=${automation.utr}`,
					`200 GET /api/automations/set-live?utr=${automation.utr}`,
				]);
				deepStrictEqual(
					[sandbox.requests[1].fields.utr, sandbox.requests[1].fields.subject],
					[automation.utr, MAPPED_SUBJECT],
				);
				strictEqual(
					sandbox.state.automations.find((record) => record.id === automation.id)?.status,
					1,
					`${MAPPED_AUTOMATION} is live`,
				);
				await shot('set-live-by-expression.png');
			},
		);

		const { agentRun } = expected;
		if (agentRun) {
			await checks.check(
				"editor: the AI agent's run shows its tool calls and its answer in the logs",
				async () => {
					// Tall enough for the logs to list every step.
					await page.setViewportSize({ width: 1440, height: 1000 });
					await page.goto(
						`${baseUrl}/workflow/${agentRun.workflowId}/executions/${agentRun.executionId}`,
					);
					await page.getByTestId('logs-overview-header').click();
					await page.getByTestId('log-details-output').getByText(agentRun.output).waitFor();
					deepStrictEqual(
						await page.getByTestId('logs-overview-body').getByRole('treeitem').allInnerTexts(),
						agentRun.steps,
					);
					await waitForIconsLoaded(page, '[data-test-id="canvas-node"] img');
					await shot('agent-run.png');
				},
			);
		}
	} catch (error) {
		checks.fail('editor: the browser session', error);
	} finally {
		await context?.close();
		rmSync(profile, { recursive: true, force: true });
		await checks.check(
			"editor: the page requested nothing outside n8n but npm's data on this package",
			() =>
				deepStrictEqual(
					outside.filter((url) => !npmMetadataPattern(expected.packageName).test(url)),
					[],
				),
		);
	}
}

/** The text an n8n select (options parameter, credential) shows as chosen. */
async function selectedValue(page: Page, testId: string): Promise<string> {
	const container = page.getByTestId(testId);
	const input = container.locator('input').first();
	const value = (await input.count()) ? await input.inputValue() : '';
	return value || (await container.innerText()).trim();
}

/** Waits until every image matched by `selector` has loaded with a size (a missing icon file fails this). */
async function waitForIconsLoaded(page: Page, selector: string): Promise<void> {
	await page.waitForFunction((css) => {
		const images = Array.from(document.querySelectorAll<HTMLImageElement>(css));
		return images.length > 0 && images.every((image) => image.complete && image.naturalWidth > 0);
	}, selector);
}
