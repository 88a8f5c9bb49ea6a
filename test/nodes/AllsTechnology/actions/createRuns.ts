/** Shared by the tests of the creating operations (not a test file): runs with n8n's error settings. */
import { randomUUID } from 'crypto';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import type { RunNodeSpec } from '../../../engine';
import { runNode } from '../../../engine';
import type { AutomationRecord, RecordedRequest, Sandbox, ScheduleRecord } from '../../../sandbox/server';
import { SANDBOX_SECRET_KEY } from '../../../sandbox/server';
import { NODE_TYPE, describeRequest, engineFor, expectNoSecretIn } from '../fixture';

export interface CreateRunOptions {
	inputItems?: IDataObject[];
	onError?: RunNodeSpec['onError'];
	retryOnFail?: RunNodeSpec['retryOnFail'];
}

/** Runs the node once through n8n's engine, as `useSandbox().run` does, with On Error and Retry On Fail too. */
export async function runCreates(sandbox: Sandbox, parameters: INodeParameters, options: CreateRunOptions = {}) {
	sandbox.clearRequests();
	const result = await runNode(engineFor(sandbox), { type: NODE_TYPE, parameters, ...options });
	expectNoSecretIn(result.run, SANDBOX_SECRET_KEY);
	return { ...result, requests: sandbox.requests.map(describeRequest) };
}

/** "METHOD endpoint?query" of each request: a short list to compare whole. */
export function lines(requests: Array<{ method: string; path: string; query: string }>): string[] {
	return requests.map(({ method, path, query }) => `${method} ${path.replace(/^\/api\//, '')}${query ? `?${query}` : ''}`);
}

/** Create Automation, its name from the input item's `name`; the seed has unsubscribe group 3. */
export const CREATE_FROM_INPUT: INodeParameters = {
	resource: 'automation',
	operation: 'create',
	type: '={{ $json.type ?? "custom" }}',
	automationName: '={{ $json.name }}',
	unsubscribeGroupId: 3,
};

export const ONE_AT_A_TIME = { batching: { batch: { batchSize: 1 } } };

export function isCreateOf(name: string): (request: RecordedRequest) => boolean {
	return (request) => request.path === '/api/automations/create' && request.fields.automation_name === name;
}

export function automationsNamed(sandbox: Sandbox, name: string): AutomationRecord[] {
	return sandbox.state.automations.filter((automation) => automation.automation_name === name && automation.deleted_at === null);
}

/** As another workflow would, at the same moment: a second automation like `record`, with its own id and UTR. */
export function addAutomationLike(sandbox: Sandbox, record: AutomationRecord): AutomationRecord {
	const copy = { ...record, id: Math.max(...sandbox.state.automations.map(({ id }) => id)) + 1, utr: randomUUID() };
	sandbox.state.automations.push(copy);
	return copy;
}

/** As another workflow would, at the same moment: a second email like `record`, with its own id and UTR. */
export function addEmailLike(sandbox: Sandbox, record: ScheduleRecord): ScheduleRecord {
	const copy = { ...record, id: Math.max(...sandbox.state.schedules.map(({ id }) => id)) + 1, utr: randomUUID() };
	sandbox.state.schedules.push(copy);
	return copy;
}

/** The record as an output item of `itemIndex`. */
export function itemOf(record: object, itemIndex: number) {
	return { json: { ...record }, pairedItem: { item: itemIndex } };
}
