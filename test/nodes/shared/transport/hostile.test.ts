import type { INodeParameters } from 'n8n-workflow';
import { runListSearch, runLoadOptions } from '../../../engine/load-options';
import type { RecordingServer } from '../../../../sandbox/recorder';
import { startRecordingServer } from '../../../../sandbox/recorder';
import { SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY } from '../../../../sandbox/server';
import {
	DRAFT_UTR,
	LIVE_UTR,
	NODE_TYPE,
	engineFor,
	jsonOf,
	locator,
	useSandbox,
} from '../../AllsTechnology/fixture';

const context = useSandbox();
const getDraft = { resource: 'automation', operation: 'get', automation: locator(DRAFT_UTR) };
const create = {
	resource: 'automation',
	operation: 'create',
	type: 'custom',
	automationName: 'Hostile',
	unsubscribeGroupId: 3,
};

let elsewhere: RecordingServer;
beforeAll(async () => {
	elsewhere = await startRecordingServer();
});
beforeEach(() => {
	elsewhere.requests.length = 0;
});
afterAll(async () => {
	await elsewhere.close();
});

function expectNoKeyIn(value: unknown) {
	const text = JSON.stringify(value ?? null);
	expect(text).not.toContain(SANDBOX_SECRET_KEY);
	expect(text).not.toContain(SANDBOX_PUBLIC_KEY);
}

describe('redirects are not followed', () => {
	it.each([301, 302, 303, 307, 308])(
		'a %i to another host is an error naming it, and nothing reaches that host',
		async (status) => {
			context.sandbox.faults.push({
				kind: 'redirect',
				status,
				location: `${elsewhere.url}/api/steal?token=abc`,
			});

			const { items, error, requests } = await context.run(getDraft);

			expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([
				'GET /api/automations/details',
			]);
			expect(elsewhere.requests).toEqual([]);
			expect(items).toEqual([]);
			expect(error).toMatchObject({
				name: 'NodeApiError',
				message: `AllsTechnology answered GET automations/details with HTTP ${status}, a redirect to ${elsewhere.url}, which the node does not follow`,
				httpCode: String(status),
			});
			expect(error?.message).not.toContain('token=abc');
			expect(error?.description).toMatch(
				/^Check the Base URL in the AllsTechnology API credential/,
			);
		},
	);

	it("a 307 does not re-send a create's form to the other host", async () => {
		context.sandbox.faults.push({
			kind: 'redirect',
			status: 307,
			location: `${elsewhere.url}/api/automations/create`,
			route: 'POST automations/create',
		});

		const { error } = await context.run(create);

		expect(elsewhere.requests).toEqual([]);
		expect(error?.message).toMatch(
			/with HTTP 307, a redirect to http:\/\/127\.0\.0\.1:\d+, which the node does not follow$/,
		);
	});

	it('the searchable list and the dropdowns do not follow one either', async () => {
		context.sandbox.faults.push({ kind: 'redirect', location: `${elsewhere.url}/api/automations` });
		const engine = engineFor(context.sandbox);

		await expect(
			runListSearch(engine, {
				type: NODE_TYPE,
				method: 'searchAutomations',
				currentNodeParameters: getDraft,
			}),
		).rejects.toThrow(
			/HTTP 302, a redirect to http:\/\/127\.0\.0\.1:\d+, which the node does not follow/,
		);
		await expect(
			runLoadOptions(engine, {
				type: NODE_TYPE,
				method: 'getUnsubscribeGroups',
				currentNodeParameters: create,
			}),
		).rejects.toThrow(/which the node does not follow/);
		expect(elsewhere.requests).toEqual([]);
	});
});

describe('no key in anything n8n stores', () => {
	it.each(['http200', 'httpError'] as const)(
		'an answer quoting the keys (%s) is redacted in the error',
		async (mode) => {
			context.sandbox.failureStatusMode = mode;
			context.sandbox.faults.push({ kind: 'echoKeys', echoHeaders: true });

			const { error, run } = await context.run(getDraft);

			expect(error?.message).toBe('Invalid secret key [redacted]');
			expectNoKeyIn(run);
		},
	);

	it('and in the error item of Continue On Fail', async () => {
		context.sandbox.faults.push({ kind: 'echoKeys', echoHeaders: true });

		const { items, run } = await context.run(getDraft, { continueOnFail: true });

		expect(items[0].json.error).toBe('Invalid secret key [redacted]');
		expectNoKeyIn(run);
	});

	it("and in a dropdown's error", async () => {
		context.sandbox.faults.push({ kind: 'echoKeys' });

		const failure = runLoadOptions(engineFor(context.sandbox), {
			type: NODE_TYPE,
			method: 'getTemplates',
			currentNodeParameters: { resource: 'automationSchedule', operation: 'create' },
		}).catch((error: Error) => error);

		expect(await failure).toMatchObject({ message: 'Invalid secret key [redacted]' });
		expectNoKeyIn(await failure);
	});

	it('a page that is not JSON is quoted shortened and redacted', async () => {
		context.sandbox.faults.push({
			kind: 'fixedBody',
			status: 502,
			headers: { 'Content-Type': 'text/html' },
			body: `<html>proxy error for SecretKey: ${SANDBOX_SECRET_KEY} ${'x'.repeat(500)}</html>`,
		});

		const { error, run } = await context.run({ ...getDraft, options: { maxTries: 1 } });

		const redacted = `<html>proxy error for SecretKey: [redacted] ${'x'.repeat(500)}</html>`;
		expect(error?.message).toBe(
			`AllsTechnology answered GET automations/details with HTTP 502 and a body that is not JSON: ${redacted.slice(0, 200)}…`,
		);
		expectNoKeyIn(run);
	});
});

describe('every answer is checked, not assumed', () => {
	it.each([
		[
			'{} from Delete',
			{ resource: 'automation', operation: 'delete', automation: locator(DRAFT_UTR) },
			{},
			'an answer with "status": "success"',
		],
		[
			'a success without a message from Delete',
			{ resource: 'automation', operation: 'delete', automation: locator(DRAFT_UTR) },
			{ status: 'success' },
			'a sentence',
		],
		[
			'"status": "error" from Get',
			getDraft,
			{ status: 'error', message: 'Something' },
			'an answer with "status": "success"',
		],
		[
			'no status from Get',
			getDraft,
			{ message: { automation: { id: 5 } } },
			'an answer with "status": "success"',
		],
		[
			'an array message from Get',
			getDraft,
			{ status: 'success', message: [{ id: 1 }, { id: 2 }] },
			'an object with the "automation" record',
		],
		[
			'a string message from Get Many',
			{ resource: 'automation', operation: 'getAll' },
			{ status: 'success', message: 'ok' },
			'an object with the "automations" list',
		],
		[
			'an object message from Pause',
			{ resource: 'automation', operation: 'pause', automation: locator(LIVE_UTR) },
			{ status: 'success', message: { done: 1 } },
			'a sentence',
		],
	] as Array<[string, INodeParameters, unknown, string]>)(
		'%s fails, naming the endpoint and what came back',
		async (_case, parameters, body, documented) => {
			context.sandbox.faults.push({ kind: 'fixedBody', body });

			const { items, error } = await context.run({ ...parameters, options: { maxTries: 1 } });

			expect(items).toEqual([]);
			expect(error).toMatchObject({ name: 'NodeApiError' });
			expect(error?.message).toMatch(
				/^AllsTechnology answered (GET|DELETE) automations[a-z/-]* with something the node does not know: /,
			);
			expect(error?.message).toContain(JSON.stringify(body));
			expect(error?.description).toBe(
				`The API documents ${documented} here. Check that the Base URL in the credential is the API's address, ending in /api.`,
			);
		},
	);
});

describe('time and size are bounded', () => {
	it('Timeout bounds the whole request: a body trickled a byte at a time fails at Timeout', async () => {
		// 50 ms a byte: the record takes about 40 s to arrive whole, twice the test's own timeout.
		context.sandbox.faults.push({ kind: 'trickle', ms: 50 });

		const { items, error } = await context.run({
			...getDraft,
			options: { timeout: 1, maxTries: 1 },
		});

		expect(items).toEqual([]);
		expect(error?.message).toBe('AllsTechnology did not answer GET automations/details within 1 s');
	});

	it('an answer over 50 MiB fails clearly instead of filling memory', async () => {
		context.sandbox.faults.push({ kind: 'hugeBody', bytes: 51 * 1024 * 1024 });

		const { items, error } = await context.run({
			resource: 'automation',
			operation: 'getAll',
			returnAll: true,
		});

		expect(items).toEqual([]);
		expect(error?.message).toBe(
			"AllsTechnology's answer to GET automations is larger than 50 MiB, more than the node reads",
		);
	});

	it('a Timeout past the maximum is read as the maximum, not as "fail at once"', async () => {
		const { items, error } = await context.run({ ...getDraft, options: { timeout: 10_000_000 } });

		expect(error).toBeUndefined();
		expect(jsonOf(items)).toMatchObject([{ json: { utr: DRAFT_UTR }, pairedItem: { item: 0 } }]);
	});
});
