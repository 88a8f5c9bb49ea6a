import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { AllsTechnologyApi } from '../../../credentials/AllsTechnologyApi.credentials';
import { AllsTechnology } from '../../../nodes/AllsTechnology/AllsTechnology.node';
import type { EngineOptions, RunNodeSpec } from '../../engine';
import { runNode } from '../../engine';
import type { Fault, FailureStatusMode, RecordedRequest, Sandbox } from '../../../sandbox/server';
import { SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY, startSandbox } from '../../../sandbox/server';

export const NODE_TYPE = 'n8n-nodes-allstechnology.allsTechnology';

/** The docs' two automations, as the sandbox starts. */
export const DRAFT_UTR = 'e9c7ff00-8d1c-11ee-91c4-b42e9970e591';
export const LIVE_UTR = '4dce63f6-8825-11ee-a739-b42e9970e591';
/** The docs' automation 5, as Get Automation Details answers it (the list adds `automation_schedule_count`). */
export { DOCS_AUTOMATION_5 } from '../../../sandbox/test/helpers';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function engineFor(
	sandbox: Sandbox,
	keys: { publicKey?: string; secretKey?: string; baseUrl?: string } = {},
): EngineOptions {
	return {
		nodeTypes: { [NODE_TYPE]: new AllsTechnology() },
		credentialTypes: { allsTechnologyApi: new AllsTechnologyApi() },
		credentials: {
			allsTechnologyApi: {
				publicKey: keys.publicKey ?? SANDBOX_PUBLIC_KEY,
				secretKey: keys.secretKey ?? SANDBOX_SECRET_KEY,
				baseUrl: keys.baseUrl ?? sandbox.baseUrl,
			},
		},
	};
}

/**
 * One sandbox per test file, back to its seed before each test. `run` executes the node through n8n's engine;
 * `requests` gives what the sandbox received, without the key headers, which `expectKeysOnEveryRequest` checks.
 */
export function useSandbox(mode: FailureStatusMode = 'httpError') {
	let sandbox: Sandbox;
	let afterRequest: ((request: RecordedRequest) => void) | undefined;
	beforeAll(async () => {
		sandbox = await startSandbox({
			failureStatusMode: mode,
			onRequest: (request) => afterRequest?.(request),
		});
	});
	beforeEach(() => {
		sandbox.reset();
		sandbox.failureStatusMode = mode;
		afterRequest = undefined;
	});
	afterAll(async () => {
		await sandbox.close();
	});

	return {
		get sandbox() {
			return sandbox;
		},
		/** Runs after the sandbox has answered each request of this test, to change its state between two requests. */
		afterEachRequest(hook: (request: RecordedRequest) => void) {
			afterRequest = hook;
		},
		async run(
			parameters: INodeParameters,
			options: Pick<RunNodeSpec, 'inputItems' | 'continueOnFail' | 'onError' | 'retryOnFail'> & {
				credentials?: { publicKey?: string; secretKey?: string; baseUrl?: string };
			} = {},
		) {
			sandbox.clearRequests();
			const { credentials, ...settings } = options;
			const result = await runNode(engineFor(sandbox, credentials), {
				type: NODE_TYPE,
				parameters,
				...settings,
			});
			expectNoSecretIn(
				result.run,
				credentials?.secretKey ?? SANDBOX_SECRET_KEY,
				credentials?.publicKey ?? SANDBOX_PUBLIC_KEY,
			);
			return { ...result, requests: sandbox.requests.map(describeRequest) };
		},
		/**
		 * The error an item fails with when it is the run's only item (with `faults`): what a run that stops halfway
		 * must keep. The sandbox is back to its seed afterwards.
		 */
		async errorAlone(parameters: INodeParameters, inputItem: IDataObject, faults: Fault[] = []) {
			sandbox.faults.push(...faults);
			const { error } = await this.run(parameters, { inputItems: [inputItem] });
			sandbox.reset();
			return error;
		},
	};
}

/**
 * Every run of every node test passes here: the secret key must not be in anything n8n keeps of the run — output
 * items, error message and description, the error's serialised JSON.
 */
export function expectNoSecretIn(run: unknown, ...keys: string[]) {
	const stored = JSON.stringify(run);
	for (const key of keys.map((key) => key.trim()).filter((key) => key !== '')) {
		if (key.length < 8)
			throw new Error(
				'Tests use keys of 8 characters or more, so a leak cannot hide as a common word',
			);
		expect(stored).not.toContain(key);
	}
}

export interface SeenRequest {
	method: string;
	path: string;
	query: string;
	contentType: string | undefined;
	fields?: Record<string, string>;
	rawBody?: string;
}

/** What a test asserts of a request: method, path, raw query, body encoding and fields. */
export function describeRequest(request: RecordedRequest): SeenRequest {
	const seen: SeenRequest = {
		method: request.method,
		path: request.path,
		query: request.rawQuery,
		contentType: request.contentType,
	};
	if (request.bodyEncoding !== 'none') {
		seen.fields = request.fields;
		if (request.bodyEncoding === 'urlencoded') seen.rawBody = request.rawBody;
	}
	return seen;
}

export function expectKeysOnEveryRequest(sandbox: Sandbox) {
	expect(sandbox.requests.length).toBeGreaterThan(0);
	for (const request of sandbox.requests) {
		expect(request.headers.publickey).toBe(SANDBOX_PUBLIC_KEY);
		expect(request.headers.secretkey).toBe(SANDBOX_SECRET_KEY);
	}
}

export function jsonOf(items: INodeExecutionData[]) {
	return items.map((item) => ({ json: item.json, pairedItem: item.pairedItem }));
}

/** A locator By UTR. */
export function locator(value: string) {
	return { __rl: true, mode: 'utr', value };
}

/** A locator By ID: the numeric ID, or a UTR as workflows saved before By UTR had a mode of its own hold it. */
export function locatorById(value: string | number) {
	return { __rl: true, mode: 'id', value };
}
