/** Keys, failure status modes, routing and the request log of the sandbox. */
import { apiUrl, call, formData, KEYS, rawRequest, send } from './helpers';
import { SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY, Sandbox, startSandbox } from '../server';

const DETAILS_5 = 'automations/details?utr=e9c7ff00-8d1c-11ee-91c4-b42e9970e591';
const WRONG_KEYS_BODY = { status: 'failed', errors: 'Invalid public key or secret key' };

describe('keys', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	beforeEach(() => sandbox.reset());
	afterAll(async () => {
		await sandbox.close();
	});

	it('exports the documented default keys', () => {
		expect(SANDBOX_PUBLIC_KEY).toBe('sandbox-public-key');
		expect(SANDBOX_SECRET_KEY).toBe('sandbox-secret-key');
	});

	it('lists both keys when both are missing', async () => {
		const answer = await call(sandbox, 'GET', DETAILS_5, { keys: false });
		expect(answer.status).toBe(401);
		expect(answer.body).toEqual({
			status: 'failed',
			errors: {
				PublicKey: ['The public key field is required.'],
				SecretKey: ['The secret key field is required.'],
			},
		});
	});

	it('lists only the public key when only it is missing', async () => {
		const answer = await call(sandbox, 'GET', DETAILS_5, {
			keys: false,
			headers: { SecretKey: KEYS.SecretKey },
		});
		expect(answer.status).toBe(401);
		expect(answer.body).toEqual({
			status: 'failed',
			errors: { PublicKey: ['The public key field is required.'] },
		});
	});

	it('lists only the secret key when only it is missing, even if the public key is wrong', async () => {
		const answer = await call(sandbox, 'GET', DETAILS_5, {
			keys: false,
			headers: { PublicKey: 'wrong' },
		});
		expect(answer.status).toBe(401);
		expect(answer.body).toEqual({
			status: 'failed',
			errors: { SecretKey: ['The secret key field is required.'] },
		});
	});

	it('counts an empty or blank key as missing', async () => {
		const answer = await call(sandbox, 'GET', DETAILS_5, {
			headers: { PublicKey: '', SecretKey: '   ' },
		});
		expect(answer.status).toBe(401);
		expect(answer.body).toEqual({
			status: 'failed',
			errors: {
				PublicKey: ['The public key field is required.'],
				SecretKey: ['The secret key field is required.'],
			},
		});
	});

	it('refuses a wrong public key or a wrong secret key with a string error', async () => {
		const wrongPublic = await call(sandbox, 'GET', DETAILS_5, { headers: { PublicKey: 'nope' } });
		expect(wrongPublic.status).toBe(401);
		expect(wrongPublic.body).toEqual(WRONG_KEYS_BODY);
		const wrongSecret = await call(sandbox, 'GET', DETAILS_5, {
			headers: { SecretKey: `${KEYS.SecretKey}x` },
		});
		expect(wrongSecret.status).toBe(401);
		expect(wrongSecret.body).toEqual(WRONG_KEYS_BODY);
		const swapped = await call(sandbox, 'GET', DETAILS_5, {
			keys: false,
			headers: { PublicKey: KEYS.SecretKey, SecretKey: KEYS.PublicKey },
		});
		expect(swapped.body).toEqual(WRONG_KEYS_BODY);
	});

	it('reads the key headers case-insensitively', async () => {
		for (const [publicName, secretName] of [
			['publickey', 'secretkey'],
			['PUBLICKEY', 'SECRETKEY'],
			['Publickey', 'sEcReTkEy'],
		]) {
			const answer = await rawRequest(sandbox, {
				method: 'GET',
				path: `/api/${DETAILS_5}`,
				headers: { [publicName]: KEYS.PublicKey, [secretName]: KEYS.SecretKey },
			});
			expect(answer.status).toBe(200);
			expect((answer.body as { status: string }).status).toBe('success');
		}
		expect(sandbox.requests.map((request) => request.headers.publickey)).toEqual([
			KEYS.PublicKey,
			KEYS.PublicKey,
			KEYS.PublicKey,
		]);
	});

	it('refuses a key sent twice (the values are joined)', async () => {
		const answer = await rawRequest(sandbox, {
			method: 'GET',
			path: `/api/${DETAILS_5}`,
			headers: { PublicKey: [KEYS.PublicKey, KEYS.PublicKey], SecretKey: KEYS.SecretKey },
		});
		expect(answer.status).toBe(401);
		expect(answer.body).toEqual(WRONG_KEYS_BODY);
		expect(sandbox.requests[0].headers.publickey).toBe(`${KEYS.PublicKey}, ${KEYS.PublicKey}`);
	});

	it('checks the keys on every endpoint, lookups included, and changes nothing when refused', async () => {
		const endpoints: Array<[string, string]> = [
			['GET', 'automations'],
			['POST', 'automations/create'],
			['GET', 'automations/duplicate?utr=e9c7ff00-8d1c-11ee-91c4-b42e9970e591'],
			['GET', DETAILS_5],
			['GET', 'automations/pause?utr=4dce63f6-8825-11ee-a739-b42e9970e591'],
			['GET', 'automations/set-live?utr=e9c7ff00-8d1c-11ee-91c4-b42e9970e591'],
			['DELETE', 'automations/delete?utr=4dce63f6-8825-11ee-a739-b42e9970e591'],
			['POST', 'automations/bulk-delete'],
			['GET', 'automations/schedule?utr=e9c7ff00-8d1c-11ee-91c4-b42e9970e591'],
			['POST', 'automations/schedule/create'],
			['DELETE', 'automations/schedule/delete?utr=5a24b56e-89de-11ee-ae43-b42e9970e591'],
			['GET', 'contacts-type'],
			['GET', 'segment/list'],
			['GET', 'get-design/template'],
			['GET', 'unsubscribes-groups'],
			['GET', 'contacts/list'],
			['GET', 'reserve-fields'],
		];
		const before = JSON.stringify(sandbox.state);
		for (const [method, path] of endpoints) {
			const answer = await call(sandbox, method, path, { headers: { SecretKey: 'wrong' } });
			expect({ path, status: answer.status, body: answer.body }).toEqual({
				path,
				status: 401,
				body: WRONG_KEYS_BODY,
			});
		}
		expect(JSON.stringify(sandbox.state)).toBe(before);
		expect(sandbox.requests).toHaveLength(endpoints.length);
	});

	it('uses the keys given as options', async () => {
		const custom = await startSandbox({ publicKey: 'pk-1', secretKey: 'sk-1' });
		try {
			const refused = await call(custom, 'GET', DETAILS_5);
			expect(refused.body).toEqual(WRONG_KEYS_BODY);
			const accepted = await call(custom, 'GET', DETAILS_5, {
				keys: false,
				headers: { PublicKey: 'pk-1', SecretKey: 'sk-1' },
			});
			expect(accepted.status).toBe(200);
			expect((accepted.body as { status: string }).status).toBe('success');
		} finally {
			await custom.close();
		}
	});
});

describe('failure status modes', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	beforeEach(() => sandbox.reset());
	afterAll(async () => {
		await sandbox.close();
	});

	/** One failure of each kind, with its 'httpError' status and its body. */
	const FAILURES: Array<{
		kind: string;
		send: (s: Sandbox) => ReturnType<typeof call>;
		httpError: number;
		body: unknown;
	}> = [
		{
			kind: 'validation',
			send: (s) =>
				call(s, 'POST', 'automations/create', {
					body: formData({ type: 'other', unsubscribe_group_id: 'x' }),
				}),
			httpError: 422,
			body: {
				status: 'failed',
				errors: {
					type: ['The selected type is invalid.'],
					automation_name: ['The automation name field is required.'],
					unsubscribe_group_id: ['The unsubscribe group id must be an integer.'],
				},
			},
		},
		{
			kind: 'not found (title case)',
			send: (s) => call(s, 'GET', 'automations/details?utr=nope'),
			httpError: 404,
			body: { status: 'failed', errors: 'Record Not Found' },
		},
		{
			kind: 'not found',
			send: (s) => call(s, 'GET', 'automations/pause?utr=nope'),
			httpError: 404,
			body: { status: 'failed', errors: 'Record not found' },
		},
		{
			kind: 'missing keys',
			send: (s) => call(s, 'GET', 'automations', { keys: false }),
			httpError: 401,
			body: {
				status: 'failed',
				errors: {
					PublicKey: ['The public key field is required.'],
					SecretKey: ['The secret key field is required.'],
				},
			},
		},
		{
			kind: 'wrong keys',
			send: (s) => call(s, 'GET', 'automations', { headers: { PublicKey: 'x' } }),
			httpError: 401,
			body: WRONG_KEYS_BODY,
		},
		{
			kind: 'business rule: set live without unsubscribe group',
			send: (s) => call(s, 'GET', 'automations/set-live?utr=405420d2-9407-11ee-8a8b-b42e9970e591'),
			httpError: 400,
			body: { status: 'failed', errors: 'Unsubscribe group require to live automation' },
		},
		{
			kind: 'business rule: pause a draft',
			send: (s) => call(s, 'GET', 'automations/pause?utr=e9c7ff00-8d1c-11ee-91c4-b42e9970e591'),
			httpError: 400,
			body: { status: 'failed', errors: 'We allow pause only live automation' },
		},
	];

	it("defaults to 'httpError'", () => {
		expect(sandbox.failureStatusMode).toBe('httpError');
	});

	for (const failure of FAILURES) {
		it(`${failure.kind}: ${failure.httpError} in 'httpError' mode, 200 in 'http200' mode, same body`, async () => {
			const asError = await failure.send(sandbox);
			expect({ status: asError.status, body: asError.body }).toEqual({
				status: failure.httpError,
				body: failure.body,
			});
			sandbox.failureStatusMode = 'http200';
			const as200 = await failure.send(sandbox);
			expect({ status: as200.status, body: as200.body }).toEqual({
				status: 200,
				body: failure.body,
			});
			expect(sandbox.requests.map((request) => request.status)).toEqual([failure.httpError, 200]);
			expect(sandbox.requests[1].response).toEqual(failure.body);
		});
	}

	it('switches at any time, and reset() goes back to the option', async () => {
		sandbox.failureStatusMode = 'http200';
		expect((await call(sandbox, 'GET', 'automations/details?utr=nope')).status).toBe(200);
		sandbox.failureStatusMode = 'httpError';
		expect((await call(sandbox, 'GET', 'automations/details?utr=nope')).status).toBe(404);
		sandbox.failureStatusMode = 'http200';
		sandbox.reset();
		expect(sandbox.failureStatusMode).toBe('httpError');
	});

	it("starts in 'http200' mode when asked, and reset() returns to it", async () => {
		const other = await startSandbox({ failureStatusMode: 'http200' });
		try {
			expect(other.failureStatusMode).toBe('http200');
			const answer = await call(other, 'GET', 'automations', { keys: false });
			expect(answer.status).toBe(200);
			expect((answer.body as { status: string }).status).toBe('failed');
			other.failureStatusMode = 'httpError';
			other.reset();
			expect(other.failureStatusMode).toBe('http200');
		} finally {
			await other.close();
		}
	});

	it('keeps success at 200 in both modes', async () => {
		expect((await call(sandbox, 'GET', DETAILS_5)).status).toBe(200);
		sandbox.failureStatusMode = 'http200';
		expect((await call(sandbox, 'GET', DETAILS_5)).status).toBe(200);
	});

	it('keeps transport-level refusals (unknown path, wrong method, malformed body) at their codes in both modes', async () => {
		for (const mode of ['httpError', 'http200'] as const) {
			sandbox.failureStatusMode = mode;
			expect((await call(sandbox, 'GET', 'nothing-here')).status).toBe(404);
			expect((await call(sandbox, 'POST', 'automations')).status).toBe(405);
			const malformed = await call(sandbox, 'POST', 'automations/create', {
				headers: { 'Content-Type': 'application/json' },
				body: '{"type":',
			});
			expect(malformed.status).toBe(400);
		}
	});
});

describe('routing', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	beforeEach(() => sandbox.reset());
	afterAll(async () => {
		await sandbox.close();
	});

	it('serves the same endpoint with a trailing slash, a double slash after /api, or both', async () => {
		const origin = sandbox.baseUrl.replace(/\/api$/, '');
		for (const path of [
			'/api/automations/details',
			'/api//automations/details',
			'/api/automations/details/',
			'/api//automations//details/',
			'//api/automations/details',
		]) {
			const answer = await send(`${origin}${path}?utr=e9c7ff00-8d1c-11ee-91c4-b42e9970e591`, {
				headers: KEYS,
			});
			expect({ path, status: answer.status }).toEqual({ path, status: 200 });
		}
		expect(sandbox.requests.map((request) => request.path)).toEqual([
			'/api/automations/details',
			'/api//automations/details',
			'/api/automations/details/',
			'/api//automations//details/',
			'//api/automations/details',
		]);
	});

	it('answers 404 with a failed body for an unknown path, even without keys', async () => {
		const answer = await call(sandbox, 'GET', 'automation', { keys: false });
		expect(answer.status).toBe(404);
		expect(answer.body).toEqual({
			status: 'failed',
			errors: 'The route api/automation could not be found.',
		});
		const origin = sandbox.baseUrl.replace(/\/api$/, '');
		const outside = await send(`${origin}/automations`, { headers: KEYS });
		expect(outside.status).toBe(404);
		expect(outside.body).toEqual({
			status: 'failed',
			errors: 'The route automations could not be found.',
		});
		const bare = await send(`${origin}/api`, { headers: KEYS });
		expect(bare.status).toBe(404);
		expect(bare.body).toEqual({ status: 'failed', errors: 'The route api could not be found.' });
		const caseDiffers = await call(sandbox, 'GET', 'Automations');
		expect(caseDiffers.status).toBe(404);
	});

	it('answers 405 with a failed body and an Allow header for a wrong method', async () => {
		const cases: Array<[string, string, string]> = [
			['POST', 'automations', 'GET, HEAD'],
			['GET', 'automations/create', 'POST'],
			['GET', 'automations/delete?utr=4dce63f6-8825-11ee-a739-b42e9970e591', 'DELETE'],
			['DELETE', 'automations/pause?utr=4dce63f6-8825-11ee-a739-b42e9970e591', 'GET, HEAD'],
			['GET', 'automations/bulk-delete', 'POST'],
			['POST', 'automations/schedule', 'GET, HEAD'],
			['PUT', 'automations/schedule/create', 'POST'],
			['POST', 'automations/schedule/delete', 'DELETE'],
			['PATCH', 'contacts-type', 'GET, HEAD'],
		];
		for (const [method, path, allow] of cases) {
			const answer = await call(sandbox, method, path);
			expect({
				method,
				path,
				status: answer.status,
				allow: answer.headers.get('allow'),
				body: answer.body,
			}).toEqual({
				method,
				path,
				status: 405,
				allow,
				body: {
					status: 'failed',
					errors: `The ${method} method is not supported for this route. Supported methods: ${allow}.`,
				},
			});
		}
		// Nothing was deleted or paused by the refused requests.
		expect(sandbox.state.automations.find((record) => record.id === 3)).toMatchObject({
			status: 1,
			deleted_at: null,
		});
	});

	it('answers HEAD like GET, without a body', async () => {
		const response = await fetch(apiUrl(sandbox, DETAILS_5), { method: 'HEAD', headers: KEYS });
		expect(response.status).toBe(200);
		expect(await response.text()).toBe('');
		expect(sandbox.requests[0]).toMatchObject({ method: 'HEAD', status: 200 });
	});

	it('serves every lookup endpoint', async () => {
		const expectations: Array<[string, string, number]> = [
			['contacts-type', 'contactTypes', 3],
			['segment/list', 'segments', 2],
			['get-design/template', 'templates', 3],
			['unsubscribes-groups', 'unsubscribeGroups', 2],
			['contacts/list', 'contacts', 3],
			['reserve-fields', 'reservedFields', 4],
		];
		for (const [path, key, length] of expectations) {
			const answer = await call(sandbox, 'GET', path);
			const body = answer.body as { status: string; message: Record<string, unknown[]> };
			expect({
				path,
				status: answer.status,
				ok: body.status,
				keys: Object.keys(body.message),
				length: body.message[key].length,
			}).toEqual({
				path,
				status: 200,
				ok: 'success',
				keys: [key],
				length,
			});
		}
	});

	it('answers the lookup records the seed holds', async () => {
		const templates = await call(sandbox, 'GET', 'get-design/template');
		expect(templates.body).toEqual({
			status: 'success',
			message: {
				templates: [
					{ id: 1, template_name: 'Welcome Email', preview_img: 'welcome_email.png' },
					{ id: 2, template_name: 'Verify Email', preview_img: 'verify_email.png' },
					{ id: 3, template_name: 'Monthly Newsletter', preview_img: 'newsletter.png' },
				],
			},
		});
		const groups = await call(sandbox, 'GET', 'unsubscribes-groups');
		expect(groups.body).toEqual({
			status: 'success',
			message: {
				unsubscribeGroups: [
					{ id: 3, user_id: 6790, name: 'All Marketing Emails' },
					{ id: 4, user_id: 6790, name: 'Event Announcements' },
				],
			},
		});
		const contactTypes = await call(sandbox, 'GET', 'contacts-type');
		expect(
			(
				contactTypes.body as { message: { contactTypes: Array<{ id: number }> } }
			).message.contactTypes.map((r) => r.id),
		).toEqual([3, 10, 11]);
		const segments = await call(sandbox, 'GET', 'segment/list');
		expect(
			(segments.body as { message: { segments: Array<{ id: number; user_id: number }> } }).message
				.segments,
		).toEqual([
			expect.objectContaining({ id: 25, user_id: 6790, name: 'Opened in the last 30 days' }),
			expect.objectContaining({ id: 26, user_id: 6790, name: 'Registered for a webinar' }),
		]);
		const reserved = await call(sandbox, 'GET', 'reserve-fields');
		expect(
			(reserved.body as { message: { reservedFields: unknown[] } }).message.reservedFields[0],
		).toEqual({
			id: 1,
			field_name: 'First Name',
			field_key: 'first_name',
		});
	});

	it('serves lookups from the live state', async () => {
		sandbox.state.templates.push({
			id: 9,
			template_name: 'Added by a test',
			preview_img: 'added.png',
		});
		const answer = await call(sandbox, 'GET', 'get-design/template');
		expect(
			(answer.body as { message: { templates: Array<{ id: number }> } }).message.templates.map(
				(r) => r.id,
			),
		).toEqual([1, 2, 3, 9]);
	});
});

describe('the request log', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	beforeEach(() => sandbox.reset());
	afterAll(async () => {
		await sandbox.close();
	});

	it('records every request in order, refused ones included, with status and response', async () => {
		await call(sandbox, 'GET', 'nowhere');
		await call(sandbox, 'POST', 'automations');
		await call(sandbox, 'GET', 'automations', { keys: false });
		await call(sandbox, 'GET', DETAILS_5);
		expect(
			sandbox.requests.map((request) => [request.method, request.path, request.status]),
		).toEqual([
			['GET', '/api/nowhere', 404],
			['POST', '/api/automations', 405],
			['GET', '/api/automations', 401],
			['GET', '/api/automations/details', 200],
		]);
		expect(sandbox.requests[0].response).toEqual({
			status: 'failed',
			errors: 'The route api/nowhere could not be found.',
		});
		expect(
			(sandbox.requests[3].response as { message: { automation: { id: number } } }).message
				.automation.id,
		).toBe(5);
	});

	it('records the query raw and decoded, repeated keys as arrays', async () => {
		await call(
			sandbox,
			'GET',
			'automations/details?utr=e9c7ff00-8d1c-11ee-91c4-b42e9970e591&x=a%20b&x=c+d&y=%5B1%5D&empty=',
		);
		const request = sandbox.requests[0];
		expect(request.rawQuery).toBe(
			'utr=e9c7ff00-8d1c-11ee-91c4-b42e9970e591&x=a%20b&x=c+d&y=%5B1%5D&empty=',
		);
		expect(request.query).toEqual({
			utr: 'e9c7ff00-8d1c-11ee-91c4-b42e9970e591',
			x: ['a b', 'c d'],
			y: '[1]',
			empty: '',
		});
		expect(request.status).toBe(200);
	});

	it('records header names in lower case with their values as sent', async () => {
		await rawRequest(sandbox, {
			method: 'GET',
			path: '/api/automations',
			headers: {
				PublicKey: KEYS.PublicKey,
				SecretKey: KEYS.SecretKey,
				'X-Custom-Thing': 'Value With Case',
				Accept: 'application/json',
			},
		});
		const headers = sandbox.requests[0].headers;
		expect(headers.publickey).toBe(KEYS.PublicKey);
		expect(headers.secretkey).toBe(KEYS.SecretKey);
		expect(headers['x-custom-thing']).toBe('Value With Case');
		expect(headers.accept).toBe('application/json');
		expect(Object.keys(headers).every((name) => name === name.toLowerCase())).toBe(true);
	});

	it('clearRequests() empties the log in place', async () => {
		const log = sandbox.requests;
		await call(sandbox, 'GET', 'automations');
		expect(log).toHaveLength(1);
		sandbox.clearRequests();
		expect(log).toHaveLength(0);
		expect(sandbox.requests).toBe(log);
		await call(sandbox, 'GET', 'automations');
		expect(log).toHaveLength(1);
	});

	it('calls onRequest with each completed record', async () => {
		const seen: Array<[string, number]> = [];
		const other = await startSandbox({
			onRequest: (request) => seen.push([request.path, request.status]),
		});
		try {
			await call(other, 'GET', 'automations');
			await call(other, 'GET', 'nope');
			expect(seen).toEqual([
				['/api/automations', 200],
				['/api/nope', 404],
			]);
		} finally {
			await other.close();
		}
	});
});

describe('lifecycle', () => {
	it('close() frees the port, even with a kept-alive connection, and may be called twice', async () => {
		const sandbox = await startSandbox();
		await call(sandbox, 'GET', 'automations');
		await sandbox.close();
		await sandbox.close();
		await expect(fetch(`${sandbox.baseUrl}/automations`, { headers: KEYS })).rejects.toThrow();
	});

	it('starts on a requested port', async () => {
		const first = await startSandbox();
		const port = first.port;
		await first.close();
		const second = await startSandbox({ port });
		try {
			expect(second.port).toBe(port);
			expect(second.baseUrl).toBe(`http://127.0.0.1:${port}/api`);
			expect((await call(second, 'GET', 'automations')).status).toBe(200);
		} finally {
			await second.close();
		}
	});

	it('rejects when the port is taken', async () => {
		const first = await startSandbox();
		try {
			await expect(startSandbox({ port: first.port })).rejects.toThrow(/EADDRINUSE/);
		} finally {
			await first.close();
		}
	});

	it('runs several independent sandboxes at once', async () => {
		const [a, b] = await Promise.all([startSandbox(), startSandbox()]);
		try {
			await call(a, 'DELETE', 'automations/delete?utr=4dce63f6-8825-11ee-a739-b42e9970e591');
			expect(
				(await call(a, 'GET', 'automations/details?utr=4dce63f6-8825-11ee-a739-b42e9970e591'))
					.status,
			).toBe(404);
			expect(
				(await call(b, 'GET', 'automations/details?utr=4dce63f6-8825-11ee-a739-b42e9970e591'))
					.status,
			).toBe(200);
			expect(b.requests).toHaveLength(1);
		} finally {
			await Promise.all([a.close(), b.close()]);
		}
	});
});
