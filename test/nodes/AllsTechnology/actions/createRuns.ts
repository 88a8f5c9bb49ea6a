/** Shared by the tests of the creating operations (not a test file): parameters, matchers and records. */
import { randomUUID } from 'crypto';
import type { INodeParameters } from 'n8n-workflow';
import type {
	AutomationRecord,
	Fault,
	RecordedRequest,
	Sandbox,
	ScheduleRecord,
} from '../../../../sandbox/server';

/** "METHOD endpoint?query" of each request: a short list to compare whole. */
export function lines(requests: Array<{ method: string; path: string; query: string }>): string[] {
	return requests.map(
		({ method, path, query }) =>
			`${method} ${path.replace(/^\/api\//, '')}${query ? `?${query}` : ''}`,
	);
}

/** Create Automation, its name from the input item's `name`; the seed has unsubscribe group 3. */
export const CREATE_FROM_INPUT: INodeParameters = {
	resource: 'automation',
	operation: 'create',
	type: '={{ $json.type ?? "custom" }}',
	automationName: '={{ $json.name }}',
	unsubscribeGroupId: 3,
	simplify: false,
};

export const ONE_AT_A_TIME = { batching: { batch: { batchSize: 1 } } };

export function isCreateOf(name: string): (request: RecordedRequest) => boolean {
	return (request) =>
		request.path === '/api/automations/create' && request.fields.automation_name === name;
}

/**
 * Holds the answer to the create of `held` until the creates of `others` have arrived, so that they are in flight
 * before its answer comes, however busy the machine: a wait in milliseconds promises no order.
 */
export function holdCreateUntilOthersArrive(held: string, others: string[]): Fault[] {
	const waitingFor = new Set(others);
	let arrived: () => void = () => undefined;
	const until = new Promise<void>((resolve) => (arrived = resolve));
	const noteArrival = (request: RecordedRequest): boolean => {
		const name = others.find((other) => isCreateOf(other)(request));
		if (name !== undefined && waitingFor.delete(name) && waitingFor.size === 0) arrived();
		return false;
	};
	return [
		{ kind: 'latency', ms: 0, match: noteArrival },
		{ kind: 'latency', ms: 0, until, match: isCreateOf(held) },
	];
}

/**
 * Holds the answer to the create of `name`, and so the making of its automation, until a list of the account's
 * automations sent after it has been answered: the node gives up on the create at its Timeout and looks while the
 * API is still making it, however busy the machine (a latency longer than Timeout promises no order). Give
 * `noteAnswer` to the sandbox's hook after each request.
 */
export function holdCreateUntilListedAfter(name: string): {
	faults: Fault[];
	noteAnswer: (request: RecordedRequest) => void;
} {
	let createArrived = false;
	let listed: () => void = () => undefined;
	const until = new Promise<void>((resolve) => (listed = resolve));
	return {
		faults: [
			{
				kind: 'latency',
				ms: 0,
				until,
				match: (request) => isCreateOf(name)(request) && (createArrived = true),
			},
		],
		noteAnswer: (request) => {
			if (createArrived && request.method === 'GET' && request.path === '/api/automations')
				listed();
		},
	};
}

export function automationsNamed(sandbox: Sandbox, name: string): AutomationRecord[] {
	return sandbox.state.automations.filter(
		(automation) => automation.automation_name === name && automation.deleted_at === null,
	);
}

/** As another workflow would, at the same moment: a second automation like `record`, with its own id and UTR. */
export function addAutomationLike(sandbox: Sandbox, record: AutomationRecord): AutomationRecord {
	const copy = {
		...record,
		id: Math.max(...sandbox.state.automations.map(({ id }) => id)) + 1,
		utr: randomUUID(),
	};
	sandbox.state.automations.push(copy);
	return copy;
}

/** As another workflow would, at the same moment: a second email like `record`, with its own id and UTR. */
export function addEmailLike(sandbox: Sandbox, record: ScheduleRecord): ScheduleRecord {
	const copy = {
		...record,
		id: Math.max(...sandbox.state.schedules.map(({ id }) => id)) + 1,
		utr: randomUUID(),
	};
	sandbox.state.schedules.push(copy);
	return copy;
}

/** The record as an output item of `itemIndex`. */
export function itemOf(record: object, itemIndex: number) {
	return { json: { ...record }, pairedItem: { item: itemIndex } };
}

/** A stored automation as outputs show it with Simplify off: the status in words, the API's number as status_code. */
export function automationOutputOf(record: AutomationRecord) {
	return { ...record, status: record.status === 1 ? 'live' : 'draft', status_code: record.status };
}

/** A stored email as an output item of `itemIndex`, with Simplify off: with its automation's UTR. */
export function emailItemOf(record: ScheduleRecord, automationUtr: string, itemIndex: number) {
	return itemOf({ ...record, automation_utr: automationUtr }, itemIndex);
}

/** A stored automation as an output item of `itemIndex`, with Simplify off. */
export function automationItemOf(record: AutomationRecord, itemIndex: number) {
	return itemOf(automationOutputOf(record), itemIndex);
}
