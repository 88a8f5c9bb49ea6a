import { createServer } from 'http';
import type { AddressInfo } from 'net';
import type { INodeParameters, NodeApiError } from 'n8n-workflow';
import { SANDBOX_SECRET_KEY } from '../../../../sandbox/server';
import { DRAFT_UTR, jsonOf, locator, useSandbox } from '../../AllsTechnology/fixture';

const context = useSandbox();
const getDraft = { resource: 'automation', operation: 'get', automation: locator(DRAFT_UTR) };
const UNKNOWN_UTR = '00000000-0000-11ee-0000-000000000000';

function expectNoSecret(value: unknown) {
	expect(JSON.stringify(value ?? null)).not.toContain(SANDBOX_SECRET_KEY);
}

describe('transport', () => {
	it.each([
		['with HTTP 200', 'http200', '200'],
		['with a 4xx code', 'httpError', '404'],
	] as const)(
		'treats "status": "failed" answered %s as a failure in the API\'s words',
		async (_case, mode, httpCode) => {
			context.sandbox.failureStatusMode = mode;
			const { error } = await context.run({ ...getDraft, automation: locator(UNKNOWN_UTR) });

			expect(context.sandbox.requests[0].status).toBe(Number(httpCode));
			expect(error).toMatchObject({ name: 'NodeApiError' });
			expect(error?.message).toBe(
				`No automation has the UTR ${UNKNOWN_UTR}: AllsTechnology answered "Record Not Found"`,
			);
			expect((error as NodeApiError).httpCode).toBe(httpCode);
		},
	);

	const NO_GROUP_UTR = '405420d2-9407-11ee-8a8b-b42e9970e591';
	const LIVE_UTR = '4dce63f6-8825-11ee-a739-b42e9970e591';
	describe.each(['http200', 'httpError'] as const)(
		"every operation fails in the API's words when failures come %s",
		(mode) => {
			it.each([
				[
					'automation Get',
					{ resource: 'automation', operation: 'get', automation: locator(UNKNOWN_UTR) },
					`No automation has the UTR ${UNKNOWN_UTR}: AllsTechnology answered "Record Not Found"`,
					'404',
					false,
				],
				[
					'automation Duplicate',
					{ resource: 'automation', operation: 'duplicate', automation: locator(UNKNOWN_UTR) },
					`No automation has the UTR ${UNKNOWN_UTR}: AllsTechnology answered "Record not found"`,
					'404',
					false,
				],
				[
					'automation Pause of a draft',
					{ resource: 'automation', operation: 'pause', automation: locator(DRAFT_UTR) },
					'We allow pause only live automation',
					'400',
					false,
				],
				[
					'automation Set Live without a group',
					{ resource: 'automation', operation: 'setLive', automation: locator(NO_GROUP_UTR) },
					'Unsubscribe group require to live automation',
					'400',
					false,
				],
				[
					'automation Delete',
					{ resource: 'automation', operation: 'delete', automation: locator(UNKNOWN_UTR) },
					`No automation has the UTR ${UNKNOWN_UTR}: AllsTechnology answered "Record not found"`,
					'404',
					false,
				],
				[
					'automation Create with wrong keys',
					{
						resource: 'automation',
						operation: 'create',
						type: 'custom',
						automationName: 'A',
						unsubscribeGroupId: 3,
					},
					'Invalid public key or secret key',
					'401',
					true,
				],
				[
					'automation Get Many with wrong keys',
					{ resource: 'automation', operation: 'getAll' },
					'Invalid public key or secret key',
					'401',
					true,
				],
				[
					'schedule Get Many',
					{ resource: 'automationSchedule', operation: 'getAll', automation: locator(UNKNOWN_UTR) },
					`No automation has the UTR ${UNKNOWN_UTR}: AllsTechnology answered "Record Not Found"`,
					'404',
					false,
				],
				[
					'schedule Delete',
					{ resource: 'automationSchedule', operation: 'delete', schedule: locator(LIVE_UTR) },
					`No email (schedule) has the UTR ${LIVE_UTR}: AllsTechnology answered "Record not found"`,
					'404',
					false,
				],
			] as Array<[string, INodeParameters, string, string, boolean]>)(
				'%s',
				async (_case, parameters, message, httpErrorCode, wrongKeys) => {
					context.sandbox.failureStatusMode = mode;
					const { items, error } = await context.run(parameters, {
						continueOnFail: true,
						credentials: wrongKeys ? { secretKey: 'wrong-secret-key' } : {},
					});

					expect(error).toBeUndefined();
					expect(items).toHaveLength(1);
					expect(items[0]).toMatchObject({
						json: { error: message, httpCode: mode === 'http200' ? '200' : httpErrorCode },
						pairedItem: { item: 0 },
					});
					expectNoSecret(items);
				},
			);
		},
	);

	it('joins every field message of a validation answer, as for missing keys', async () => {
		const { error } = await context.run(getDraft, {
			credentials: { publicKey: '', secretKey: '' },
		});

		expect(error).toMatchObject({ name: 'NodeApiError' });
		expect(error?.message).toBe(
			'The public key field is required. The secret key field is required.',
		);
		expect(error?.description).toMatch(
			/^Check the public key and secret key in the AllsTechnology API credential/,
		);
	});

	it.each(['http200', 'httpError'] as const)(
		'refuses wrong keys (%s) with a hint to check them, never showing the secret',
		async (mode) => {
			context.sandbox.failureStatusMode = mode;
			const { error } = await context.run(getDraft, {
				credentials: { secretKey: `${SANDBOX_SECRET_KEY}-wrong` },
			});

			expect(error).toMatchObject({ name: 'NodeApiError' });
			expect(error?.description).toMatch(/^Check the public key and secret key/);
			expectNoSecret({ message: error?.message, description: error?.description });
		},
	);

	it('accepts a base URL with a trailing slash and sends no double slash', async () => {
		const { error, requests } = await context.run(getDraft, {
			credentials: { baseUrl: `${context.sandbox.baseUrl}/` },
		});

		expect(error).toBeUndefined();
		expect(requests[0].path).toBe('/api/automations/details');
	});

	it('refuses a base URL that is not http(s) before any request', async () => {
		const { error, requests } = await context.run(getDraft, {
			credentials: { baseUrl: 'ftp://mail.allstechnology.com/api' },
		});

		expect(requests).toEqual([]);
		expect(error).toMatchObject({ name: 'NodeOperationError' });
		expect(error?.message).toBe(
			'The credential\'s Base URL "ftp://mail.allstechnology.com/api" is not an http(s) address',
		);
	});

	it('says the server could not be reached when nothing listens at the base URL', async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const { port } = closed.address() as AddressInfo;
		await new Promise((resolve) => closed.close(resolve));

		const { error } = await context.run(getDraft, {
			credentials: { baseUrl: `http://127.0.0.1:${port}/api` },
		});

		expect(error).toMatchObject({ name: 'NodeApiError' });
		expect(error?.message).toBe(`Could not reach AllsTechnology at http://127.0.0.1:${port}/api`);
		expect(error?.description).toMatch(/^The connection failed \(ECONNREFUSED\)/);
		expectNoSecret(error);
	});

	it('gives a clear error with the HTTP status when the answer is an HTML page', async () => {
		let hits = 0;
		const gateway = createServer((_request, response) => {
			hits++;
			response.writeHead(502, { 'Content-Type': 'text/html' });
			response.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
		});
		await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
		const { port } = gateway.address() as AddressInfo;
		try {
			const { items, error } = await context.run(getDraft, {
				credentials: { baseUrl: `http://127.0.0.1:${port}/api` },
				continueOnFail: true,
			});

			expect(error).toBeUndefined();
			expect(jsonOf(items)).toEqual([
				{
					json: {
						error:
							'AllsTechnology answered GET automations/details with HTTP 502 and a body that is not JSON: <html><body><h1>502 Bad Gateway</h1></body></html>',
						description:
							'Tried 3 times. The API or a proxy in front of it is having trouble: try again later; if it persists, check that the Base URL in the credential ends in /api.',
						httpCode: '502',
					},
					pairedItem: { item: 0 },
				},
			]);
			expect(hits).toBe(3);
		} finally {
			await new Promise((resolve) => gateway.close(resolve));
		}
	});
});
