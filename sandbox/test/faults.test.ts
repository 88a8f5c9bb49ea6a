/** Fault injection of the sandbox (`sandbox.faults`, choice 19 in sandbox/README.md). */
import * as http from 'http';

import { call, KEYS, rawRequest } from './helpers';
import { Fault, FAULT_ANSWERS, FaultKind, RecordedRequest, Sandbox, startSandbox } from '../server';

const UTR_5 = 'e9c7ff00-8d1c-11ee-91c4-b42e9970e591'; // draft, 3 schedules

const NGINX_502 =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
	'<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const TOO_MANY = '{"status":"failed","errors":"Too Many Attempts."}';
const SERVER_ERROR = '{"message":"Server Error"}';
const TRUNCATED = '{"status":"success","message":{"au';

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const createForm = (name: string): string =>
	new URLSearchParams({
		type: 'custom',
		automation_name: name,
		unsubscribe_group_id: '3',
	}).toString();

/** Every header of an answer, as a plain object. */
const headersOf = (headers: Headers): Record<string, string> => {
	const all: Record<string, string> = {};
	headers.forEach((value, name) => {
		all[name] = value;
	});
	return all;
};

/** The headers Node adds to every answer on a keep-alive connection. */
const NODE_HEADERS = {
	date: expect.any(String),
	connection: 'keep-alive',
	'keep-alive': 'timeout=5',
};

const jsonHeaders = (
	text: string,
	extra: Record<string, string> = {},
): Record<string, unknown> => ({
	'content-type': 'application/json',
	'content-length': String(Buffer.byteLength(text)),
	'cache-control': 'no-cache, private',
	...NODE_HEADERS,
	...extra,
});

interface Timed {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
	/** performance.now() when the request was sent, the headers arrived, each chunk arrived, the body ended. */
	sentAt: number;
	headersAt: number;
	chunkTimes: number[];
	endAt: number;
}

/** A request with Node's http module, timing the answer's headers and each body chunk. */
function timedRequest(
	sandbox: Sandbox,
	method: string,
	path: string,
	body?: string,
): Promise<Timed> {
	return new Promise((resolve, reject) => {
		const sentAt = performance.now();
		const request = http.request(
			{
				host: '127.0.0.1',
				port: sandbox.port,
				method,
				path,
				agent: false,
				headers: {
					...KEYS,
					...(body === undefined
						? {}
						: { ...FORM, 'Content-Length': String(Buffer.byteLength(body)) }),
				},
			},
			(response) => {
				const headersAt = performance.now();
				const chunks: Buffer[] = [];
				const chunkTimes: number[] = [];
				response.on('data', (chunk: Buffer) => {
					chunks.push(chunk);
					chunkTimes.push(performance.now());
				});
				response.on('end', () =>
					resolve({
						status: response.statusCode ?? 0,
						headers: response.headers,
						text: Buffer.concat(chunks).toString('utf8'),
						sentAt,
						headersAt,
						chunkTimes,
						endAt: performance.now(),
					}),
				);
				response.on('error', reject);
			},
		);
		request.on('error', reject);
		request.end(body);
	});
}

describe('sandbox fault injection', () => {
	let sandbox: Sandbox;
	const reported: Array<{ status: number; fault: FaultKind | undefined; response: unknown }> = [];

	beforeAll(async () => {
		sandbox = await startSandbox({
			onRequest: (request) =>
				reported.push({ status: request.status, fault: request.fault, response: request.response }),
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
		call(sandbox, 'POST', 'automations/create', { headers: FORM, body: createForm(name) });
	const details = () => call(sandbox, 'GET', `automations/details?utr=${UTR_5}`);
	const statuses = async (
		count: number,
		send: () => Promise<{ status: number }> = details,
	): Promise<number[]> => {
		const result: number[] = [];
		for (let i = 0; i < count; i++) result.push((await send()).status);
		return result;
	};

	describe('with no fault', () => {
		it('starts with an empty array and records no fault key', async () => {
			expect(sandbox.faults).toEqual([]);
			const answer = await details();
			expect(answer.status).toBe(200);
			expect(sandbox.requests).toHaveLength(1);
			expect('fault' in sandbox.requests[0]).toBe(false);
			expect(reported).toEqual([{ status: 200, fault: undefined, response: answer.body }]);
		});
	});

	describe('each kind', () => {
		it('latency: waits `ms` before answering the ordinary answer', async () => {
			const normal = await details();
			sandbox.faults = [{ kind: 'latency', ms: 150 }];
			const start = performance.now();
			const answer = await details();
			expect(performance.now() - start).toBeGreaterThanOrEqual(150);
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual(normal.body);
			expect({ ...headersOf(answer.headers), date: '' }).toEqual({
				...headersOf(normal.headers),
				date: '',
			});
			expect(sandbox.requests[1]).toMatchObject({
				status: 200,
				fault: 'latency',
				response: normal.body,
			});
			expect(reported.map((r) => r.fault)).toEqual([undefined, 'latency']);
		});

		it('latency: 40 ms by default', async () => {
			sandbox.faults = [{ kind: 'latency' }];
			expect(FAULT_ANSWERS.defaultLatencyMs).toBe(40);
			const start = performance.now();
			expect((await details()).status).toBe(200);
			expect(performance.now() - start).toBeGreaterThanOrEqual(40);
		});

		it('latency: the endpoint runs after the wait, even when the client gave up', async () => {
			sandbox.faults = [{ kind: 'latency', ms: 300 }];
			const controller = new AbortController();
			const sent = fetch(`${sandbox.baseUrl}/automations/create`, {
				method: 'POST',
				headers: { ...KEYS, ...FORM },
				body: createForm('Late'),
				signal: controller.signal,
			});
			await new Promise((resolve) => setTimeout(resolve, 100));
			controller.abort();
			await expect(sent).rejects.toThrow('This operation was aborted');
			expect(named('Late')).toHaveLength(0);
			await new Promise((resolve) => setTimeout(resolve, 300));
			expect(named('Late')).toHaveLength(1);
			expect(sandbox.requests[0]).toMatchObject({ status: 200, fault: 'latency' });
			expect(reported).toHaveLength(1);
		});

		it('latency with `until`: the answer waits until the promise settles, however long that is', async () => {
			let release: () => void = () => undefined;
			const until = new Promise<void>((resolve) => (release = resolve));
			sandbox.faults = [
				{ kind: 'latency', ms: 0, until, match: (request) => request.path.endsWith('details') },
			];
			let answered = false;
			const held = details().then((answer) => ((answered = true), answer));
			// Another request is answered meanwhile: only the matching one is held.
			expect((await create('Meanwhile')).status).toBe(200);
			await new Promise((resolve) => setTimeout(resolve, 100));
			expect(answered).toBe(false);
			expect(named('Meanwhile')).toHaveLength(1);
			release();
			expect((await held).status).toBe(200);
			expect(sandbox.requests.map((r) => [r.path, r.fault])).toEqual([
				['/api/automations/details', 'latency'],
				['/api/automations/create', undefined],
			]);
		});

		it('latency with `until`: a request still held is dropped by reset()', async () => {
			sandbox.faults = [{ kind: 'latency', ms: 0, until: new Promise(() => undefined) }];
			const held = details();
			await new Promise((resolve) => setTimeout(resolve, 50));
			sandbox.reset();
			await expect(held).rejects.toThrow();
		});

		it('rateLimit: 429, Retry-After exactly as given, Laravel throttle wording; the endpoint does not run', async () => {
			sandbox.faults = [{ kind: 'rateLimit', retryAfter: '1' }];
			const before = sandbox.state.automations.length;
			const answer = await create('Throttled');
			expect(answer.status).toBe(429);
			expect(answer.body).toEqual({ status: 'failed', errors: 'Too Many Attempts.' });
			expect(headersOf(answer.headers)).toEqual(jsonHeaders(TOO_MANY, { 'retry-after': '1' }));
			expect(sandbox.state.automations).toHaveLength(before);
			expect(sandbox.requests[0]).toMatchObject({
				method: 'POST',
				status: 429,
				fault: 'rateLimit',
				response: { status: 'failed', errors: 'Too Many Attempts.' },
				fields: { type: 'custom', automation_name: 'Throttled', unsubscribe_group_id: '3' },
			});
		});

		it('rateLimit: an HTTP date as Retry-After, byte for byte, and exact whole body', async () => {
			const date = 'Wed, 21 Oct 2015 07:28:00 GMT';
			sandbox.faults = [{ kind: 'rateLimit', retryAfter: date }];
			const answer = await rawRequest(sandbox, {
				method: 'GET',
				path: '/api/automations',
				headers: KEYS,
			});
			expect(answer.status).toBe(429);
			expect(answer.text).toBe(TOO_MANY);
			expect(answer.headers['retry-after']).toBe(date);
		});

		it('rateLimit: no Retry-After header when retryAfter is undefined; afterApplying does not make it run', async () => {
			sandbox.faults = [{ kind: 'rateLimit', afterApplying: true }];
			const answer = await create('Throttled');
			expect(answer.status).toBe(429);
			expect(headersOf(answer.headers)).toEqual(jsonHeaders(TOO_MANY));
			expect(answer.headers.get('retry-after')).toBeNull();
			expect(named('Throttled')).toHaveLength(0);
		});

		it("serverError: 500 with Laravel's body", async () => {
			sandbox.faults = [{ kind: 'serverError' }];
			const answer = await details();
			expect(answer.status).toBe(500);
			expect(answer.body).toEqual({ message: 'Server Error' });
			expect(headersOf(answer.headers)).toEqual(jsonHeaders(SERVER_ERROR));
			expect(sandbox.requests[0]).toMatchObject({
				status: 500,
				fault: 'serverError',
				response: { message: 'Server Error' },
			});
			expect(reported).toEqual([
				{ status: 500, fault: 'serverError', response: { message: 'Server Error' } },
			]);
		});

		it('badGatewayHtml: 502, text/html, an nginx page', async () => {
			sandbox.faults = [{ kind: 'badGatewayHtml' }];
			const answer = await details();
			expect(answer.status).toBe(502);
			expect(answer.body).toBe(NGINX_502);
			expect(headersOf(answer.headers)).toEqual({
				server: 'nginx',
				'content-type': 'text/html',
				'content-length': String(NGINX_502.length),
				...NODE_HEADERS,
			});
			expect(sandbox.requests[0]).toMatchObject({
				status: 502,
				fault: 'badGatewayHtml',
				response: NGINX_502,
			});
		});

		it('dropConnection: the socket closes with no answer (http: socket hang up, fetch: fetch failed)', async () => {
			sandbox.faults = [{ kind: 'dropConnection' }];
			await expect(
				rawRequest(sandbox, {
					method: 'GET',
					path: `/api/automations/details?utr=${UTR_5}`,
					headers: KEYS,
				}),
			).rejects.toMatchObject({
				code: 'ECONNRESET',
				message: 'socket hang up',
			});
			await expect(details()).rejects.toThrow('fetch failed');
			expect(sandbox.requests).toHaveLength(2);
			for (const request of sandbox.requests) {
				expect(request).toMatchObject({ status: 0, fault: 'dropConnection', response: undefined });
			}
			expect(reported).toEqual([
				{ status: 0, fault: 'dropConnection', response: undefined },
				{ status: 0, fault: 'dropConnection', response: undefined },
			]);
		});

		it('malformedJson: 200, application/json, a truncated success envelope', async () => {
			sandbox.faults = [{ kind: 'malformedJson' }];
			const answer = await rawRequest(sandbox, {
				method: 'GET',
				path: '/api/automations',
				headers: KEYS,
			});
			expect(answer.status).toBe(200);
			expect(answer.text).toBe(TRUNCATED);
			expect(() => JSON.parse(answer.text)).toThrow(SyntaxError);
			expect(answer.headers).toEqual(jsonHeaders(TRUNCATED));
			expect(sandbox.requests[0]).toMatchObject({
				status: 200,
				fault: 'malformedJson',
				response: TRUNCATED,
			});
		});

		it('slowBody: headers at once, the ordinary body in chunks over `ms`', async () => {
			const normal = await timedRequest(sandbox, 'GET', '/api/automations');
			sandbox.faults = [{ kind: 'slowBody', ms: 300 }];
			const slow = await timedRequest(sandbox, 'GET', '/api/automations');
			expect(slow.status).toBe(200);
			expect(slow.text).toBe(normal.text);
			expect({ ...slow.headers, date: '' }).toEqual({ ...normal.headers, date: '' });
			expect(slow.headersAt - slow.sentAt).toBeLessThan(150);
			expect(slow.endAt - slow.headersAt).toBeGreaterThanOrEqual(280);
			expect(slow.chunkTimes.length).toBeGreaterThanOrEqual(5);
			expect(slow.chunkTimes[0] - slow.headersAt).toBeLessThan(200);
			expect(sandbox.requests[1]).toMatchObject({
				status: 200,
				fault: 'slowBody',
				response: JSON.parse(normal.text),
			});
			expect(reported.map((r) => [r.status, r.fault])).toEqual([
				[200, undefined],
				[200, 'slowBody'],
			]);
		});

		it('slowBody: 200 ms by default, and the endpoint always runs', async () => {
			sandbox.faults = [{ kind: 'slowBody' }];
			const answer = await timedRequest(
				sandbox,
				'POST',
				'/api/automations/create',
				createForm('Slow'),
			);
			expect(answer.status).toBe(200);
			expect(answer.endAt - answer.headersAt).toBeGreaterThanOrEqual(180);
			expect(JSON.parse(answer.text)).toEqual({
				status: 'success',
				message: { utr: named('Slow')[0].utr },
			});
		});

		it('slowBody: a client going away mid-body stops the trickle; onRequest still called once', async () => {
			sandbox.faults = [{ kind: 'slowBody', ms: 2_000 }];
			await new Promise<void>((resolve, reject) => {
				const request = http.request(
					{
						host: '127.0.0.1',
						port: sandbox.port,
						path: '/api/automations',
						headers: KEYS,
						agent: false,
					},
					(response) => {
						response.once('data', () => {
							request.destroy();
							resolve();
						});
					},
				);
				request.on('error', (error: NodeJS.ErrnoException) =>
					error.code === 'ECONNRESET' ? undefined : reject(error),
				);
				request.end();
			});
			for (let i = 0; i < 50 && reported.length === 0; i++)
				await new Promise((resolve) => setTimeout(resolve, 10));
			expect(reported).toEqual([
				{
					status: 200,
					fault: 'slowBody',
					response: expect.objectContaining({ status: 'success' }),
				},
			]);
		});
	});

	describe('afterApplying', () => {
		const replacing: FaultKind[] = [
			'serverError',
			'badGatewayHtml',
			'dropConnection',
			'malformedJson',
		];

		it.each(replacing)(
			'%s, afterApplying false (default): the automation is not created',
			async (kind) => {
				sandbox.faults = [{ kind }];
				const before = sandbox.state.automations.length;
				await create('Maybe').catch(() => undefined);
				expect(sandbox.state.automations).toHaveLength(before);
				expect(sandbox.requests[0].fault).toBe(kind);
			},
		);

		it.each(replacing)(
			'%s, afterApplying true: the automation IS created, the answer replaced or lost',
			async (kind) => {
				sandbox.faults = [{ kind, afterApplying: true }];
				const before = sandbox.state.automations.length;
				const answer = await create('Maybe').catch(() => undefined);
				expect(sandbox.state.automations).toHaveLength(before + 1);
				expect(named('Maybe')).toHaveLength(1);
				const expected: Record<string, [number, unknown]> = {
					serverError: [500, { message: 'Server Error' }],
					badGatewayHtml: [502, NGINX_502],
					dropConnection: [0, undefined],
					malformedJson: [200, TRUNCATED],
				};
				expect(answer === undefined ? [0, undefined] : [answer.status, answer.body]).toEqual(
					expected[kind],
				);
				expect(sandbox.requests[0]).toMatchObject({
					status: expected[kind][0],
					fault: kind,
					response: expected[kind][1],
				});
			},
		);

		it('serverError after applying a validation failure: the state is unchanged, the answer still 500', async () => {
			sandbox.faults = [{ kind: 'serverError', afterApplying: true }];
			const before = sandbox.state.automations.length;
			const answer = await call(sandbox, 'POST', 'automations/create', {
				headers: FORM,
				body: 'type=custom',
			});
			expect([answer.status, answer.body]).toEqual([500, { message: 'Server Error' }]);
			expect(sandbox.state.automations).toHaveLength(before);
		});
	});

	describe('every, times, match', () => {
		it('every 2: the 2nd, 4th, 6th matching requests', async () => {
			sandbox.faults = [{ kind: 'serverError', every: 2 }];
			expect(await statuses(6)).toEqual([200, 500, 200, 500, 200, 500]);
			expect(sandbox.requests.map((r) => r.fault)).toEqual([
				undefined,
				'serverError',
				undefined,
				'serverError',
				undefined,
				'serverError',
			]);
		});

		it('times 2: the first two, then never again', async () => {
			sandbox.faults = [{ kind: 'rateLimit', times: 2, retryAfter: '0' }];
			expect(await statuses(4)).toEqual([429, 429, 200, 200]);
		});

		it('every 3 and times 1: only the 3rd', async () => {
			sandbox.faults = [{ kind: 'serverError', every: 3, times: 1 }];
			expect(await statuses(7)).toEqual([200, 200, 500, 200, 200, 200, 200]);
		});

		it('times 0: never', async () => {
			sandbox.faults = [{ kind: 'serverError', times: 0 }];
			expect(await statuses(2)).toEqual([200, 200]);
		});

		it('match: only matching requests are faulted, and only they are counted', async () => {
			sandbox.faults = [
				{
					kind: 'serverError',
					every: 2,
					match: (request) => request.path.endsWith('/automations/details'),
				},
			];
			const list = () => call(sandbox, 'GET', 'automations');
			const sequence = [details, list, list, details, list, details, details];
			const result: number[] = [];
			for (const send of sequence) result.push((await send()).status);
			expect(result).toEqual([200, 200, 200, 500, 200, 200, 500]);
		});

		it('match sees method, query, headers and the parsed body fields', async () => {
			const seen: RecordedRequest[] = [];
			sandbox.faults = [
				{
					kind: 'serverError',
					match: (request) => {
						seen.push({ ...request });
						return request.method === 'POST' && request.fields.automation_name === 'Boom';
					},
				},
			];
			expect((await create('Fine')).status).toBe(200);
			expect((await create('Boom')).status).toBe(500);
			expect(named('Fine')).toHaveLength(1);
			expect(named('Boom')).toHaveLength(0);
			expect(seen[1]).toMatchObject({
				method: 'POST',
				path: '/api/automations/create',
				rawQuery: '',
				query: {},
				headers: { publickey: KEYS.PublicKey, 'content-type': 'application/x-www-form-urlencoded' },
				bodyEncoding: 'urlencoded',
				rawBody: createForm('Boom'),
				fields: { type: 'custom', automation_name: 'Boom', unsubscribe_group_id: '3' },
				status: 0,
				response: undefined,
			});
			expect(seen[1].fault).toBeUndefined();
		});

		it('counts from when the fault was added; removing it forgets its counter', async () => {
			const fault: Fault = { kind: 'serverError', every: 2 };
			expect(await statuses(2)).toEqual([200, 200]);
			sandbox.faults = [fault];
			expect(await statuses(3)).toEqual([200, 500, 200]);
			sandbox.faults = [];
			expect(await statuses(1)).toEqual([200]);
			sandbox.faults = [fault];
			expect(await statuses(2)).toEqual([200, 500]);
		});

		it('faults pushed onto the array apply too', async () => {
			sandbox.faults.push({ kind: 'serverError', times: 1 });
			expect(await statuses(2)).toEqual([500, 200]);
		});

		it('faults apply to every recorded request: unknown paths and missing keys too', async () => {
			sandbox.faults = [{ kind: 'badGatewayHtml' }];
			expect((await call(sandbox, 'GET', 'nowhere')).status).toBe(502);
			expect((await call(sandbox, 'GET', 'automations', { keys: false })).status).toBe(502);
		});
	});

	describe('several faults at once', () => {
		it('the first due answer-changing fault wins; a due fault that loses keeps its `times`', async () => {
			sandbox.faults = [
				{ kind: 'serverError', times: 1 },
				{ kind: 'rateLimit', times: 1, retryAfter: '1' },
			];
			expect(await statuses(3)).toEqual([500, 429, 200]);
			expect(sandbox.requests.map((r) => r.fault)).toEqual(['serverError', 'rateLimit', undefined]);
		});

		it('a fault that loses still counts the request for `every`', async () => {
			sandbox.faults = [
				{ kind: 'serverError', every: 2 },
				{ kind: 'malformedJson', every: 3 },
			];
			// serverError on 2, 4, 6; malformedJson due on 3 and 6, loses on 6.
			expect(await statuses(6)).toEqual([200, 500, 200, 500, 200, 500]);
			expect(sandbox.requests.map((r) => r.fault)).toEqual([
				undefined,
				'serverError',
				'malformedJson',
				'serverError',
				undefined,
				'serverError',
			]);
		});

		it('latency adds to an answer-changing fault, which is the one recorded', async () => {
			sandbox.faults = [{ kind: 'latency', ms: 120 }, { kind: 'serverError' }];
			const start = performance.now();
			const answer = await details();
			expect(performance.now() - start).toBeGreaterThanOrEqual(120);
			expect(answer.status).toBe(500);
			expect(sandbox.requests[0].fault).toBe('serverError');
		});

		it('latency before a dropped connection: the drop comes after the wait', async () => {
			sandbox.faults = [{ kind: 'dropConnection' }, { kind: 'latency', ms: 100 }];
			const start = performance.now();
			await expect(details()).rejects.toThrow('fetch failed');
			expect(performance.now() - start).toBeGreaterThanOrEqual(100);
			expect(sandbox.requests[0]).toMatchObject({ status: 0, fault: 'dropConnection' });
		});

		it('two latency faults add up', async () => {
			sandbox.faults = [
				{ kind: 'latency', ms: 80 },
				{ kind: 'latency', ms: 80 },
			];
			const start = performance.now();
			expect((await details()).status).toBe(200);
			expect(performance.now() - start).toBeGreaterThanOrEqual(160);
			expect(sandbox.requests[0].fault).toBe('latency');
		});
	});

	describe('invalid faults', () => {
		it.each<[string, Fault, string]>([
			[
				'every 0',
				{ kind: 'serverError', every: 0 },
				'fault #0 (serverError): every must be a positive integer, not 0',
			],
			[
				'every 1.5',
				{ kind: 'serverError', every: 1.5 },
				'fault #0 (serverError): every must be a positive integer, not 1.5',
			],
			[
				'times -1',
				{ kind: 'serverError', times: -1 },
				'fault #0 (serverError): times must be an integer from 0, not -1',
			],
			[
				'ms NaN',
				{ kind: 'latency', ms: NaN },
				'fault #0 (latency): ms must be a finite number from 0, not NaN',
			],
			[
				'until not a promise',
				{ kind: 'latency', until: 1500 as unknown as Promise<unknown> },
				'fault #0 (latency): until must be a promise',
			],
			[
				'an unknown kind',
				{ kind: 'teapot' as FaultKind },
				'fault #0 (teapot): kind must be one of latency, rateLimit, serverError, badGatewayHtml, dropConnection, malformedJson, slowBody, ' +
					'redirect, echoKeys, trickle, fixedBody, hugeBody, tokenBucket',
			],
			[
				'a Retry-After with a line break',
				{ kind: 'rateLimit', retryAfter: '1\r\nX-Evil: 1' },
				'fault #0 (rateLimit): retryAfter must be a string that is a valid header value, not "1\\r\\nX-Evil: 1"',
			],
		])('%s: every request answers the sandbox error', async (_name, fault, message) => {
			sandbox.faults = [fault];
			const answer = await details();
			expect([answer.status, answer.body]).toEqual([
				500,
				{ status: 'failed', errors: `Sandbox error: ${message}` },
			]);
			expect('fault' in sandbox.requests[0]).toBe(false);
		});

		it('a match that throws answers the sandbox error', async () => {
			sandbox.faults = [
				{
					kind: 'serverError',
					match: () => {
						throw new Error('bad matcher');
					},
				},
			];
			const answer = await details();
			expect([answer.status, answer.body]).toEqual([
				500,
				{ status: 'failed', errors: 'Sandbox error: bad matcher' },
			]);
		});
	});

	describe('reset()', () => {
		it('empties the faults with a new array and forgets the counters', async () => {
			const faults: Fault[] = [{ kind: 'serverError', every: 2 }];
			sandbox.faults = faults;
			expect(await statuses(1)).toEqual([200]);
			sandbox.reset();
			expect(sandbox.faults).toEqual([]);
			expect(sandbox.faults).not.toBe(faults);
			expect(faults).toHaveLength(1);
			expect(await statuses(3)).toEqual([200, 200, 200]);
			sandbox.faults = faults;
			expect(await statuses(2)).toEqual([200, 500]);
		});

		it('abandons a request still waiting: its connection drops and its endpoint never runs', async () => {
			sandbox.faults = [{ kind: 'latency', ms: 10_000 }];
			const before = sandbox.state.automations.length;
			const sent = create('Abandoned').then(
				() => 'answered',
				() => 'dropped',
			);
			while (sandbox.requests.length === 0 || sandbox.requests[0].rawBody === '') {
				await new Promise((resolve) => setTimeout(resolve, 5));
			}
			await new Promise((resolve) => setTimeout(resolve, 20));
			sandbox.reset();
			expect(await sent).toBe('dropped');
			expect(sandbox.state.automations).toHaveLength(before);
			expect(reported).toEqual([{ status: 0, fault: 'latency', response: undefined }]);
		});
	});
});

describe('sandbox fault injection and close()', () => {
	it('closes promptly with a request waiting and one trickling; onRequest is called for both', async () => {
		const reported: Array<[number, FaultKind | undefined]> = [];
		const sandbox = await startSandbox({
			onRequest: (request) => reported.push([request.status, request.fault]),
		});
		sandbox.faults = [
			{ kind: 'latency', ms: 30_000, match: (request) => request.path.endsWith('/details') },
			{ kind: 'slowBody', ms: 30_000, match: (request) => request.path.endsWith('/automations') },
		];
		const waiting = details(sandbox).then(
			() => 'answered',
			() => 'dropped',
		);
		const trickling = new Promise<string>((resolve) => {
			const request = http.request(
				{
					host: '127.0.0.1',
					port: sandbox.port,
					path: '/api/automations',
					headers: KEYS,
					agent: false,
				},
				(response) => {
					response.on('data', () => undefined);
					response.on('error', () => resolve('cut'));
					response.on('aborted', () => resolve('cut'));
					response.on('end', () => resolve('ended'));
				},
			);
			request.on('error', () => resolve('cut'));
			request.end();
		});
		while (
			sandbox.requests.length < 2 ||
			sandbox.requests.some((request) => request.fault === undefined)
		) {
			await new Promise((resolve) => setTimeout(resolve, 5));
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
		const start = performance.now();
		await sandbox.close();
		expect(performance.now() - start).toBeLessThan(1_000);
		expect(await waiting).toBe('dropped');
		expect(await trickling).toBe('cut');
		expect(reported.sort()).toEqual([
			[0, 'latency'],
			[200, 'slowBody'],
		]);
	});

	function details(sandbox: Sandbox): Promise<unknown> {
		return call(sandbox, 'GET', `automations/details?utr=${UTR_5}`);
	}
});
