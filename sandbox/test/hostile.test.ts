/**
 * The sandbox's hostile fault kinds (redirect, echoKeys, trickle, fixedBody, hugeBody, tokenBucket), rateLimit's
 * Date options, the `route` shortcut, and the recording server. Plain Node http requests throughout.
 */
import * as http from 'http';

import { FaultCounters } from '../faults';
import { DOCS_AUTOMATION_5, KEYS, rawRequest } from './helpers';
import {
	Fault,
	FaultKind,
	RecordedRequest,
	RecordingServer,
	Sandbox,
	startRecordingServer,
	startSandbox,
} from '../server';

const UTR_5 = DOCS_AUTOMATION_5.utr;
const UNKNOWN_UTR = '00000000-0000-1000-8000-000000000000';
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const createForm = (name: string): string =>
	new URLSearchParams({
		type: 'custom',
		automation_name: name,
		unsubscribe_group_id: '3',
	}).toString();
const TOO_MANY = { status: 'failed', errors: 'Too Many Attempts.' };

/** The headers Node adds to every answer on a keep-alive connection. */
const NODE_HEADERS = {
	date: expect.any(String),
	connection: 'keep-alive',
	'keep-alive': 'timeout=5',
};

interface Chunked {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
	/** The size of each body chunk as the client received it. */
	chunkSizes: number[];
}

/** A request with Node's http module (no agent), keeping the body's chunks apart. */
function chunkedRequest(
	port: number,
	path: string,
	headers: Record<string, string> = KEYS,
): Promise<Chunked> {
	return new Promise((resolve, reject) => {
		const request = http.request(
			{ host: '127.0.0.1', port, path, headers, agent: false },
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () =>
					resolve({
						status: response.statusCode ?? 0,
						headers: response.headers,
						text: Buffer.concat(chunks).toString('utf8'),
						chunkSizes: chunks.map((chunk) => chunk.length),
					}),
				);
				response.on('error', reject);
			},
		);
		request.on('error', reject);
		request.end();
	});
}

/** Reads the first body chunk of a GET, then destroys the connection; resolves with that chunk's size. */
function readFirstChunkAndLeave(port: number, path: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const request = http.request(
			{ host: '127.0.0.1', port, path, headers: KEYS, agent: false },
			(response) => {
				response.once('data', (chunk: Buffer) => {
					request.destroy();
					resolve(chunk.length);
				});
			},
		);
		request.on('error', (error: NodeJS.ErrnoException) =>
			error.code === 'ECONNRESET' ? undefined : reject(error),
		);
		request.end();
	});
}

describe('sandbox hostile fault kinds', () => {
	let sandbox: Sandbox;
	const reported: Array<{ status: number; fault: FaultKind | undefined }> = [];

	beforeAll(async () => {
		sandbox = await startSandbox({
			onRequest: (request) => reported.push({ status: request.status, fault: request.fault }),
		});
	});
	beforeEach(() => {
		sandbox.reset();
		reported.length = 0;
	});
	afterAll(async () => {
		await sandbox.close();
	});

	const named = (name: string) =>
		sandbox.state.automations.filter(
			(record) => record.automation_name === name && record.deleted_at === null,
		);
	const create = (name: string) =>
		rawRequest(sandbox, {
			method: 'POST',
			path: '/api/automations/create',
			headers: { ...KEYS, ...FORM },
			body: createForm(name),
		});
	const details = (utr = UTR_5) =>
		rawRequest(sandbox, {
			method: 'GET',
			path: `/api/automations/details?utr=${utr}`,
			headers: KEYS,
		});
	const list = () =>
		rawRequest(sandbox, { method: 'GET', path: '/api/automations', headers: KEYS });
	const waitForReports = async (count: number): Promise<void> => {
		for (let i = 0; i < 200 && reported.length < count; i++)
			await new Promise((resolve) => setTimeout(resolve, 10));
	};

	describe('redirect', () => {
		it('302 by default: Location exactly as given, an empty body, and the endpoint does not run', async () => {
			sandbox.faults = [
				{ kind: 'redirect', location: 'http://127.0.0.1:9/api/automations/create' },
			];
			const before = sandbox.state.automations.length;
			const answer = await create('Redirected');
			expect(answer.status).toBe(302);
			expect(answer.text).toBe('');
			expect(answer.headers).toEqual({
				location: 'http://127.0.0.1:9/api/automations/create',
				'content-length': '0',
				...NODE_HEADERS,
			});
			expect(sandbox.state.automations).toHaveLength(before);
			expect(sandbox.requests[0]).toMatchObject({ status: 302, fault: 'redirect', response: '' });
		});

		it.each([301, 302, 303, 307, 308])('%i as asked', async (status) => {
			sandbox.faults = [{ kind: 'redirect', status, location: 'https://elsewhere.example/x?y=1' }];
			const answer = await details();
			expect([answer.status, answer.headers.location]).toEqual([
				status,
				'https://elsewhere.example/x?y=1',
			]);
		});

		it('afterApplying: the automation is created, and the answer is the redirect', async () => {
			sandbox.faults = [
				{ kind: 'redirect', status: 307, location: 'http://127.0.0.1:9/', afterApplying: true },
			];
			const answer = await create('Applied then redirected');
			expect(answer.status).toBe(307);
			expect(named('Applied then redirected')).toHaveLength(1);
		});

		it.each<[string, Fault, string]>([
			[
				'without location',
				{ kind: 'redirect' },
				'location must be a full http(s) URL, not undefined',
			],
			[
				'a relative location',
				{ kind: 'redirect', location: '/api/x' },
				'location must be a full http(s) URL, not "/api/x"',
			],
			[
				'status 300',
				{ kind: 'redirect', status: 300, location: 'http://a.example/' },
				'status must be one of 301, 302, 303, 307, 308, not 300',
			],
		])('%s: the sandbox error', async (_name, fault, message) => {
			sandbox.faults = [fault];
			const answer = await details();
			expect([answer.status, answer.body]).toEqual([
				500,
				{ status: 'failed', errors: `Sandbox error: fault #0 (redirect): ${message}` },
			]);
		});
	});

	describe('redirect to the recording server', () => {
		let recorder: RecordingServer;
		beforeEach(async () => {
			recorder = await startRecordingServer();
		});
		afterEach(async () => {
			await recorder.close();
		});

		it('a client that follows a 307 (fetch) hands the keys and the body to the other origin', async () => {
			sandbox.faults = [
				{ kind: 'redirect', status: 307, location: `${recorder.url}/steal?from=sandbox` },
			];
			const response = await fetch(`${sandbox.baseUrl}/automations/create`, {
				method: 'POST',
				headers: { ...KEYS, ...FORM },
				body: createForm('Leaked'),
			});
			expect(response.status).toBe(200);
			expect(await response.json()).toEqual({ status: 'success', message: { automations: [] } });
			expect(recorder.requests).toHaveLength(1);
			expect(recorder.requests[0]).toMatchObject({
				method: 'POST',
				path: '/steal?from=sandbox',
				headers: {
					publickey: KEYS.PublicKey,
					secretkey: KEYS.SecretKey,
					'content-type': FORM['Content-Type'],
				},
				rawBody: createForm('Leaked'),
			});
			expect(named('Leaked')).toHaveLength(0);
		});

		it('a client that does not follow it sends the recording server nothing', async () => {
			sandbox.faults = [{ kind: 'redirect', location: `${recorder.url}/steal` }];
			expect((await create('Kept')).status).toBe(302);
			expect(recorder.requests).toEqual([]);
		});
	});

	describe('echoKeys', () => {
		it('401 by default, quoting the SecretKey header as sent; the endpoint does not run', async () => {
			sandbox.faults = [{ kind: 'echoKeys' }];
			const answer = await create('Echoed');
			expect(answer.status).toBe(401);
			expect(answer.text).toBe(
				`{"status":"failed","errors":"Invalid secret key ${KEYS.SecretKey}"}`,
			);
			expect(answer.headers['content-type']).toBe('application/json');
			expect(named('Echoed')).toHaveLength(0);
			expect(sandbox.requests[0]).toMatchObject({
				status: 401,
				fault: 'echoKeys',
				response: JSON.parse(answer.text),
			});
		});

		it("200 in 'http200' mode; `status` wins over both modes", async () => {
			sandbox.failureStatusMode = 'http200';
			sandbox.faults = [{ kind: 'echoKeys' }];
			expect((await details()).status).toBe(200);
			sandbox.faults = [{ kind: 'echoKeys', status: 403 }];
			expect((await details()).status).toBe(403);
		});

		it('without a SecretKey header: the prefix alone', async () => {
			sandbox.faults = [{ kind: 'echoKeys' }];
			const answer = await rawRequest(sandbox, {
				method: 'GET',
				path: '/api/automations',
				headers: { PublicKey: KEYS.PublicKey },
			});
			expect(answer.body).toEqual({ status: 'failed', errors: 'Invalid secret key ' });
		});

		it('echoHeaders: the public key in `message` and every request header in `headers`', async () => {
			sandbox.faults = [{ kind: 'echoKeys', echoHeaders: true }];
			const answer = await rawRequest(sandbox, {
				method: 'GET',
				path: '/api/automations',
				headers: { ...KEYS, 'X-Trace': 'abc' },
			});
			expect(answer.body).toEqual({
				status: 'failed',
				errors: `Invalid secret key ${KEYS.SecretKey}`,
				message: KEYS.PublicKey,
				headers: {
					publickey: KEYS.PublicKey,
					secretkey: KEYS.SecretKey,
					'x-trace': 'abc',
					host: `127.0.0.1:${sandbox.port}`,
					connection: 'keep-alive',
				},
			});
		});
	});

	describe('trickle', () => {
		it("the endpoint's own answer, one byte per write: the client gets the body in many small chunks", async () => {
			const path = `/api/automations/details?utr=${UNKNOWN_UTR}`;
			const normal = await chunkedRequest(sandbox.port, path);
			expect(normal.text).toBe('{"status":"failed","errors":"Record Not Found"}');
			sandbox.faults = [{ kind: 'trickle', ms: 20 }];
			const trickled = await chunkedRequest(sandbox.port, path);
			expect(trickled.status).toBe(404);
			expect(trickled.text).toBe(normal.text);
			expect({ ...trickled.headers, date: '' }).toEqual({ ...normal.headers, date: '' });
			// One byte per write; a busy client may read two writes as one chunk, never many.
			expect(trickled.chunkSizes.length).toBeGreaterThanOrEqual(normal.text.length / 2);
			expect(Math.max(...trickled.chunkSizes)).toBeLessThanOrEqual(4);
			expect(sandbox.requests[1]).toMatchObject({
				status: 404,
				fault: 'trickle',
				response: JSON.parse(normal.text),
			});
		});

		it('the endpoint always runs', async () => {
			sandbox.faults = [{ kind: 'trickle', ms: 1 }];
			const answer = await create('Trickled');
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({
				status: 'success',
				message: { utr: named('Trickled')[0].utr },
			});
		});

		it('a client going away stops it; onRequest is called once', async () => {
			sandbox.faults = [{ kind: 'trickle' }];
			expect(await readFirstChunkAndLeave(sandbox.port, '/api/automations')).toBe(1);
			await waitForReports(1);
			expect(reported).toEqual([{ status: 200, fault: 'trickle' }]);
		});
	});

	describe('fixedBody', () => {
		it('a string body sent as is, with Content-Length and the given headers only', async () => {
			sandbox.faults = [
				{
					kind: 'fixedBody',
					status: 503,
					headers: { 'Content-Type': 'text/plain', 'X-Custom': '1' },
					body: 'down for maintenance',
				},
			];
			const answer = await details();
			expect(answer.status).toBe(503);
			expect(answer.text).toBe('down for maintenance');
			expect(answer.headers).toEqual({
				'content-length': '20',
				'content-type': 'text/plain',
				'x-custom': '1',
				...NODE_HEADERS,
			});
			expect(sandbox.requests[0]).toMatchObject({
				status: 503,
				fault: 'fixedBody',
				response: 'down for maintenance',
			});
		});

		it('a value sent as JSON with status 200 by default; a given header replaces the default of that name', async () => {
			const body = { status: 'success', message: { utr: 'not-a-uuid' } };
			sandbox.faults = [{ kind: 'fixedBody', body, headers: { 'content-type': 'text/html' } }];
			const answer = await details();
			expect(answer.status).toBe(200);
			expect(answer.text).toBe(JSON.stringify(body));
			expect(answer.headers).toEqual({
				'content-type': 'text/html',
				'content-length': String(JSON.stringify(body).length),
				'cache-control': 'no-cache, private',
				...NODE_HEADERS,
			});
		});

		it('afterApplying false (default): the endpoint does not run; true: it runs and its answer is replaced', async () => {
			sandbox.faults = [{ kind: 'fixedBody', body: { status: 'success', message: 'nothing' } }];
			expect((await create('Fixed')).body).toEqual({ status: 'success', message: 'nothing' });
			expect(named('Fixed')).toHaveLength(0);
			sandbox.faults = [
				{ kind: 'fixedBody', body: { status: 'success', message: 'nothing' }, afterApplying: true },
			];
			expect((await create('Fixed')).body).toEqual({ status: 'success', message: 'nothing' });
			expect(named('Fixed')).toHaveLength(1);
		});

		it.each<[string, Fault, string]>([
			[
				'without body',
				{ kind: 'fixedBody' },
				'body is required (a string sent as is, or a value sent as JSON)',
			],
			[
				'status 100',
				{ kind: 'fixedBody', body: '', status: 100 },
				'status must be an integer from 200 to 599, not 100',
			],
			[
				'a header with a line break',
				{ kind: 'fixedBody', body: '', headers: { 'X-A': '1\r\nX-B: 2' } },
				'headers must map header names to strings that are valid header values',
			],
		])('%s: the sandbox error', async (_name, fault, message) => {
			sandbox.faults = [fault];
			expect((await details()).body).toEqual({
				status: 'failed',
				errors: `Sandbox error: fault #0 (fixedBody): ${message}`,
			});
		});
	});

	describe('hugeBody', () => {
		it('a valid success envelope of copies of the docs record, at least `bytes` long and at most one record more', async () => {
			sandbox.faults = [{ kind: 'hugeBody', bytes: 300_000 }];
			const answer = await chunkedRequest(sandbox.port, '/api/automations');
			const listed = { ...DOCS_AUTOMATION_5, automation_schedule_count: 3 };
			const recordBytes = JSON.stringify(listed).length + 1;
			expect(answer.status).toBe(200);
			expect(answer.headers['content-type']).toBe('application/json');
			expect(answer.headers['content-length']).toBe(String(answer.text.length));
			expect(answer.text.length).toBeGreaterThanOrEqual(300_000);
			expect(answer.text.length).toBeLessThan(300_000 + recordBytes);
			const body = JSON.parse(answer.text) as {
				status: string;
				message: { automations: unknown[] };
			};
			expect(body.status).toBe('success');
			expect(body.message.automations.length).toBeGreaterThan(100);
			expect(new Set(body.message.automations.map((record) => JSON.stringify(record)))).toEqual(
				new Set([JSON.stringify(listed)]),
			);
			expect(sandbox.requests[0]).toMatchObject({ status: 200, fault: 'hugeBody', response: body });
		});

		it('afterApplying: the endpoint runs first', async () => {
			sandbox.faults = [{ kind: 'hugeBody', bytes: 1, afterApplying: true }];
			const answer = await create('Huge');
			expect(answer.body).toEqual({
				status: 'success',
				message: { automations: [{ ...DOCS_AUTOMATION_5, automation_schedule_count: 3 }] },
			});
			expect(named('Huge')).toHaveLength(1);
		});

		it('a client going away (default size, 8 MiB) stops it; onRequest is called once', async () => {
			sandbox.faults = [{ kind: 'hugeBody' }];
			expect(await readFirstChunkAndLeave(sandbox.port, '/api/automations')).toBeGreaterThan(0);
			await waitForReports(1);
			expect(reported).toEqual([{ status: 200, fault: 'hugeBody' }]);
		});

		it('reset() stops one a client reads slowly', async () => {
			sandbox.faults = [{ kind: 'hugeBody', bytes: 50_000_000 }];
			const outcome = new Promise<string>((resolve) => {
				const request = http.request(
					{
						host: '127.0.0.1',
						port: sandbox.port,
						path: '/api/automations',
						headers: KEYS,
						agent: false,
					},
					(response) => {
						response.pause();
						response.on('error', () => resolve('cut'));
						response.on('aborted', () => resolve('cut'));
						response.on('end', () => resolve('ended'));
						sandbox.reset();
						response.resume();
					},
				);
				request.on('error', () => resolve('cut'));
				request.end();
			});
			expect(await outcome).toBe('cut');
			expect(reported).toEqual([{ status: 200, fault: 'hugeBody' }]);
		});
	});

	describe('tokenBucket', () => {
		it('a burst of 8 concurrent requests with burst 3: exactly 3 answered, 5 get 429 with Retry-After ≥ 1', async () => {
			const fault: Fault = { kind: 'tokenBucket', burst: 3, ratePerSecond: 0.01 };
			sandbox.faults = [fault];
			const answers = await Promise.all(Array.from({ length: 8 }, () => list()));
			const ok = answers.filter((answer) => answer.status === 200);
			const limited = answers.filter((answer) => answer.status !== 200);
			expect(ok).toHaveLength(3);
			expect(limited).toHaveLength(5);
			for (const answer of limited) {
				expect(answer.status).toBe(429);
				expect(answer.body).toEqual(TOO_MANY);
				expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
				expect(answer.headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
			}
			expect(sandbox.faultCount(fault)).toEqual({ seen: 8, injected: 5 });
			expect(sandbox.requests.filter((request) => request.fault === 'tokenBucket')).toHaveLength(5);
		});

		it('only matching requests take tokens; `times` caps the 429s', async () => {
			const fault: Fault = {
				kind: 'tokenBucket',
				burst: 1,
				ratePerSecond: 0.01,
				route: 'GET automations',
				times: 2,
			};
			sandbox.faults = [fault];
			const sequence = [list, details, list, details, list, list];
			const result: number[] = [];
			for (const send of sequence) result.push((await send()).status);
			expect(result).toEqual([200, 200, 429, 200, 429, 200]);
			expect(sandbox.faultCount(fault)).toEqual({ seen: 4, injected: 2 });
		});

		it('an earlier fault that fires pre-empts it: no token taken', async () => {
			sandbox.faults = [
				{ kind: 'serverError', times: 2 },
				{ kind: 'tokenBucket', burst: 1, ratePerSecond: 0.01 },
			];
			const result: number[] = [];
			for (let i = 0; i < 4; i++) result.push((await list()).status);
			expect(result).toEqual([500, 500, 200, 429]);
		});

		it.each<[string, Fault, string]>([
			['burst 0', { kind: 'tokenBucket', burst: 0 }, 'burst must be a positive integer, not 0'],
			[
				'ratePerSecond 0',
				{ kind: 'tokenBucket', ratePerSecond: 0 },
				'ratePerSecond must be a finite number above 0, not 0',
			],
		])('%s: the sandbox error', async (_name, fault, message) => {
			sandbox.faults = [fault];
			expect((await list()).body).toEqual({
				status: 'failed',
				errors: `Sandbox error: fault #0 (tokenBucket): ${message}`,
			});
		});
	});

	describe('rateLimit with Date', () => {
		it('retryAfterDateSeconds: Retry-After is an HTTP date exactly that many seconds after the Date header', async () => {
			sandbox.faults = [{ kind: 'rateLimit', retryAfterDateSeconds: 7 }];
			const answer = await list();
			expect(answer.status).toBe(429);
			expect(answer.body).toEqual(TOO_MANY);
			const date = answer.headers.date as string;
			const retryAfter = answer.headers['retry-after'] as string;
			expect(retryAfter).toBe(new Date(Date.parse(date) + 7_000).toUTCString());
			expect(Math.abs(Date.parse(date) - Date.now())).toBeLessThan(60_000);
		});

		it('clockSkewSeconds: the Date header is that far off the real clock; Retry-After follows it', async () => {
			sandbox.faults = [{ kind: 'rateLimit', clockSkewSeconds: -7200, retryAfterDateSeconds: 2 }];
			const answer = await list();
			const date = Date.parse(answer.headers.date as string);
			expect(Math.abs(date - (Date.now() - 7_200_000))).toBeLessThan(60_000);
			expect(Date.parse(answer.headers['retry-after'] as string) - date).toBe(2_000);
		});

		it('clockSkewSeconds with retryAfter: Retry-After exactly as given, Date shifted', async () => {
			sandbox.faults = [{ kind: 'rateLimit', clockSkewSeconds: 3600, retryAfter: '5' }];
			const answer = await list();
			expect(answer.headers['retry-after']).toBe('5');
			expect(
				Math.abs(Date.parse(answer.headers.date as string) - (Date.now() + 3_600_000)),
			).toBeLessThan(60_000);
		});

		it.each<[string, Fault, string]>([
			[
				'both retryAfter and retryAfterDateSeconds',
				{ kind: 'rateLimit', retryAfter: '1', retryAfterDateSeconds: 1 },
				'give retryAfter or retryAfterDateSeconds, not both',
			],
			[
				'retryAfterDateSeconds 1.5',
				{ kind: 'rateLimit', retryAfterDateSeconds: 1.5 },
				'retryAfterDateSeconds must be an integer from 0, not 1.5',
			],
			[
				'clockSkewSeconds NaN',
				{ kind: 'rateLimit', clockSkewSeconds: NaN },
				'clockSkewSeconds must be an integer, not NaN',
			],
		])('%s: the sandbox error', async (_name, fault, message) => {
			sandbox.faults = [fault];
			expect((await list()).body).toEqual({
				status: 'failed',
				errors: `Sandbox error: fault #0 (rateLimit): ${message}`,
			});
		});
	});

	describe('route', () => {
		it("every 3, times 1 with route 'POST automations/create': exactly the 3rd create fails, other routes are not counted", async () => {
			sandbox.faults = [
				{ kind: 'serverError', route: 'POST automations/create', every: 3, times: 1 },
			];
			const result: number[] = [];
			for (const name of ['A', 'B', 'C', 'D', 'E', 'F', 'G']) {
				result.push((await create(name)).status, (await list()).status);
			}
			expect(result).toEqual([
				200, 200, 200, 200, 500, 200, 200, 200, 200, 200, 200, 200, 200, 200,
			]);
			expect(named('C')).toHaveLength(0);
			expect(named('F')).toHaveLength(1);
		});

		it('matches the route key routeKeyOf gives (repeated and trailing slashes), and the exact method', async () => {
			sandbox.faults = [{ kind: 'serverError', route: 'GET automations' }];
			const doubled = await rawRequest(sandbox, {
				method: 'GET',
				path: '/api//automations/',
				headers: KEYS,
			});
			const head = await rawRequest(sandbox, {
				method: 'HEAD',
				path: '/api/automations',
				headers: KEYS,
			});
			const post = await rawRequest(sandbox, {
				method: 'POST',
				path: '/api/automations',
				headers: KEYS,
			});
			expect([doubled.status, head.status, post.status]).toEqual([500, 200, 405]);
		});

		it('without a method: any method; with match: both must pass', async () => {
			sandbox.faults = [
				{
					kind: 'serverError',
					route: 'automations',
					match: (request: RecordedRequest) => request.method !== 'POST',
				},
			];
			const head = await rawRequest(sandbox, {
				method: 'HEAD',
				path: '/api/automations',
				headers: KEYS,
			});
			const post = await rawRequest(sandbox, {
				method: 'POST',
				path: '/api/automations',
				headers: KEYS,
			});
			expect([head.status, post.status, (await details()).status]).toEqual([500, 405, 200]);
		});

		it('an invalid route: the sandbox error', async () => {
			sandbox.faults = [{ kind: 'serverError', route: 'post  /api/automations?x' }];
			expect((await details()).body).toEqual({
				status: 'failed',
				errors:
					"Sandbox error: fault #0 (serverError): route must be 'METHOD route/key' or 'route/key' (e.g. 'POST automations/create'), not \"post  /api/automations?x\"",
			});
		});
	});
});

describe('FaultCounters tokenBucket refill (clock mocked)', () => {
	let now = 0;
	beforeEach(() => {
		now = 0;
		jest.spyOn(performance, 'now').mockImplementation(() => now);
	});
	afterEach(() => {
		jest.restoreAllMocks();
	});

	const request = { method: 'GET', path: '/api/automations' } as RecordedRequest;

	it('burst tokens at once, then one per 1/ratePerSecond; Retry-After is the whole seconds until the next token', () => {
		const counters = new FaultCounters();
		const faults: Fault[] = [{ kind: 'tokenBucket', burst: 2, ratePerSecond: 0.25 }];
		const retryAfter = () => counters.plan(faults, request).retryAfterSeconds;
		expect([retryAfter(), retryAfter(), retryAfter()]).toEqual([undefined, undefined, 4]);
		now = 1_000; // a quarter token: 3 s to go
		expect(retryAfter()).toBe(3);
		now = 3_500; // 0.875 token: 0.5 s to go, answered as 1
		expect(retryAfter()).toBe(1);
		now = 4_000;
		expect([retryAfter(), retryAfter()]).toEqual([undefined, 4]);
		now = 1_000_000; // never more than burst
		expect([retryAfter(), retryAfter(), retryAfter()]).toEqual([undefined, undefined, 4]);
		expect(counters.count(faults[0])).toEqual({ seen: 10, injected: 5 });
	});

	it('defaults: 20 per second, burst 5', () => {
		const counters = new FaultCounters();
		const faults: Fault[] = [{ kind: 'tokenBucket' }];
		const fired = () => counters.plan(faults, request).fault !== undefined;
		expect(Array.from({ length: 6 }, fired)).toEqual([false, false, false, false, false, true]);
		now = 40; // 0.8 token
		expect(fired()).toBe(true);
		now = 60; // 1.2 tokens
		expect(fired()).toBe(false);
	});
});

describe('recording server', () => {
	it('records method, path with query, headers and the raw body, and answers 200 with the default envelope', async () => {
		const recorder = await startRecordingServer();
		try {
			expect(recorder.url).toBe(`http://127.0.0.1:${recorder.port}`);
			const answer = await fetch(`${recorder.url}/api/x?a=1&b=2`, {
				method: 'PUT',
				headers: { 'X-One': '1' },
				body: 'raw body',
			});
			expect(answer.status).toBe(200);
			expect(answer.headers.get('content-type')).toBe('application/json');
			expect(await answer.text()).toBe('{"status":"success","message":{"automations":[]}}');
			expect(recorder.requests).toEqual([
				{
					method: 'PUT',
					path: '/api/x?a=1&b=2',
					headers: expect.objectContaining({ 'x-one': '1', 'content-length': '8' }),
					rawHeaders: expect.arrayContaining(['X-One', '1']),
					rawBody: 'raw body',
				},
			]);
		} finally {
			await recorder.close();
		}
	});

	it('answers the configured body', async () => {
		const recorder = await startRecordingServer({
			body: { status: 'success', message: { utr: 'x' } },
		});
		try {
			const answer = await fetch(recorder.url);
			expect(await answer.json()).toEqual({ status: 'success', message: { utr: 'x' } });
			expect(recorder.requests).toMatchObject([{ method: 'GET', path: '/', rawBody: '' }]);
		} finally {
			await recorder.close();
		}
	});
});
