/**
 * The workflows of examples/ in a real n8n. What each must do, its outputs and the sandbox's requests, is
 * examples/expectations.ts, which the jest test reads too; this file adds how n8n is made to start each one, as a
 * user would:
 *   Manual Trigger  → `n8n execute --id …` (the CLI)
 *   Webhook         → published, then the webhook's production URL is called
 *   polling trigger → "Execute workflow" in the editor (POST /rest/workflows/:id/run), one sample event
 */
import { deepStrictEqual } from 'assert';
import { join } from 'path';
import type {
	ExampleExpectation as SharedExpectation,
	ExampleRun as SharedRun,
	ExampleWorkflow,
} from '../examples/expectations';
import { EXAMPLE_EXPECTATIONS, readExamples } from '../examples/expectations';
import type { SandboxState } from '../sandbox/server';

export type { ExampleWorkflow } from '../examples/expectations';
export { requestLines } from '../examples/expectations';

export type StartedBy = 'cli' | 'webhook' | 'editor';

/** The credential every example refers to; imported with the sandbox's address and keys. */
export const EXAMPLE_CREDENTIAL = {
	id: '1',
	name: 'AllsTechnology account',
	type: 'allsTechnologyApi',
};

export interface ExampleRun extends SharedRun {
	/** What the webhook call answered, for webhook examples. */
	webhookResponse?: { status: number; body: unknown };
}

export interface ExampleExpectation {
	/** For a webhook example: the JSON body the caller posts. */
	webhookBody?: (seed: SandboxState) => object;
	/** Throws (assert) when the run is not what the example promises. */
	verify(run: ExampleRun): void;
}

export interface Example {
	file: string;
	/** The id it is imported under (the files carry none). */
	id: string;
	workflow: ExampleWorkflow;
}

export function loadExamples(repoRoot: string): Example[] {
	return readExamples(join(repoRoot, 'examples')).map(({ file, workflow }, index) => ({
		file,
		id: `allsexample${String(index + 1).padStart(5, '0')}`,
		workflow,
	}));
}

/** The trigger node of a workflow decides how it is started; undefined for a trigger the e2e run cannot start. */
export function startedBy(workflow: ExampleWorkflow): StartedBy | undefined {
	const types = workflow.nodes.map((node) => node.type);
	if (types.includes('n8n-nodes-base.manualTrigger')) return 'cli';
	if (types.includes('n8n-nodes-base.webhook')) return 'webhook';
	if (types.some((type) => type.endsWith('Trigger'))) return 'editor';
	return undefined;
}

/** The shared expectation, and for a webhook example the answer n8n's real Webhook node gives the caller. */
function inRealN8n({ webhook, verify }: SharedExpectation): ExampleExpectation {
	return {
		webhookBody: webhook?.body,
		verify(run) {
			if (webhook) deepStrictEqual(run.webhookResponse, webhook.response);
			verify(run);
		},
	};
}

export const EXAMPLES: Record<string, ExampleExpectation> = Object.fromEntries(
	Object.entries(EXAMPLE_EXPECTATIONS).map(([file, expectation]) => [file, inRealN8n(expectation)]),
);
