import { readFileSync } from 'fs';
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import { join } from 'path';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { AllsTechnologyApi } from '../../credentials/AllsTechnologyApi.credentials';
import { AllsTechnology } from '../../nodes/AllsTechnology/AllsTechnology.node';
import { credentialTestWithin } from '../../nodes/shared/credentialTest';
import type { EngineOptions } from '../engine';
import { testCredential } from '../engine';
import { NODE_TYPE, engineFor } from '../nodes/AllsTechnology/fixture';
import type { RecordingServer } from '../../sandbox/recorder';
import { startRecordingServer } from '../../sandbox/recorder';
import type { FailureStatusMode, Sandbox } from '../../sandbox/server';
import { SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY, startSandbox } from '../../sandbox/server';

const REPO_ROOT = join(__dirname, '../..');
const readJson = (path: string) => JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8'));

let sandbox: Sandbox;
let elsewhere: RecordingServer;
beforeAll(async () => {
	sandbox = await startSandbox();
	elsewhere = await startRecordingServer();
});
beforeEach(() => {
	sandbox.reset();
	elsewhere.requests.length = 0;
});
afterAll(async () => {
	await sandbox.close();
	await elsewhere.close();
});

const OK = { status: 'OK', message: 'Connection successful!' };
const BASE_URL_HINT =
	"the Base URL is the API's own address, ending in /api (e.g. https://mail.allstechnology.com/api)";
const CHECK_BASE_URL = `Check that ${BASE_URL_HINT}.`;
const SET_IT =
	'Set Base URL in the AllsTechnology API credential to https://mail.allstechnology.com/api, or to the address of your installation ending in /api.';
const refused = (detail: string) => ({
	status: 'Error',
	message: `AllsTechnology refused the public key or secret key (HTTP ${detail}). Copy both again from your AllsTechnology account page.`,
});
const notTheApi = (status: number, what: string, after = '') => ({
	status: 'Error',
	message: `The Base URL answered HTTP ${status} with ${what}, not an answer of the AllsTechnology API. ${CHECK_BASE_URL}${after}`,
});

function credentials(data: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return {
		publicKey: SANDBOX_PUBLIC_KEY,
		secretKey: SANDBOX_SECRET_KEY,
		baseUrl: sandbox.baseUrl,
		...data,
	};
}

function test(
	data: ICredentialDataDecryptedObject = {},
	engine: EngineOptions = engineFor(sandbox),
) {
	return testCredential(engine, 'allsTechnologyApi', credentials(data));
}

/** What the sandbox received: method, path, query and the key headers. */
function received() {
	return sandbox.requests.map((request) => ({
		method: request.method,
		path: request.path,
		query: request.rawQuery,
		publicKey: request.headers.publickey,
		secretKey: request.headers.secretkey,
	}));
}

const ONE_TEST_REQUEST = [
	{
		method: 'GET',
		path: '/api/automations',
		query: '',
		publicKey: SANDBOX_PUBLIC_KEY,
		secretKey: SANDBOX_SECRET_KEY,
	},
];

/** A port nothing listens on (a server's, once closed). */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

describe('AllsTechnology API credential', () => {
	it('declares the public contract: name, fields and default base URL', () => {
		const credential = new AllsTechnologyApi();
		expect(credential.name).toBe('allsTechnologyApi');
		expect(credential.displayName).toBe('AllsTechnology API');
		expect(
			credential.properties.map((property) => [property.name, property.type, property.default]),
		).toEqual([
			['publicKey', 'string', ''],
			['secretKey', 'string', ''],
			['baseUrl', 'string', 'https://mail.allstechnology.com/api'],
		]);
		expect(credential.properties[1].typeOptions).toEqual({ password: true });
	});

	it("links its documentation to a page of the repository, docs/credentials.md, not to an anchor n8n's added parameters would break", () => {
		const link = new URL(new AllsTechnologyApi().documentationUrl);
		const repository = new URL(
			readJson('package.json')
				.repository.url.replace(/^git\+/, '')
				.replace(/\.git$/, ''),
		);

		expect(link.hash).toBe('');
		expect(link.search).toBe('');
		expect(link.origin).toBe(repository.origin);
		expect(link.pathname).toBe(`${repository.pathname}/blob/HEAD/docs/credentials.md`);
		expect(readFileSync(join(REPO_ROOT, 'docs/credentials.md'), 'utf8')).toMatch(
			/^# The AllsTechnology API credential\n/,
		);
	});

	it("is tested by the node's credentialTest method: the credential has no request test of its own, which n8n would run instead", () => {
		const node = new AllsTechnology();
		expect('test' in new AllsTechnologyApi()).toBe(false);
		expect(node.description.credentials).toEqual([
			{ name: 'allsTechnologyApi', required: true, testedBy: 'allsTechnologyApiTest' },
		]);
		expect(typeof node.methods.credentialTest.allsTechnologyApiTest).toBe('function');
	});

	it("would not reach the method with a request test on the credential: n8n's CredentialsTester runs the credential's own test first", async () => {
		const withRequestTest = Object.assign(new AllsTechnologyApi(), {
			test: {
				request: {
					baseURL: '={{$credentials.baseUrl}}',
					url: '/automations',
					method: 'GET' as const,
				},
			},
		});
		sandbox.state.automations.length = 0;
		const engine: EngineOptions = {
			...engineFor(sandbox),
			credentialTypes: { allsTechnologyApi: withRequestTest },
		};
		await expect(test({}, engine)).resolves.toEqual({ status: 'Error', message: 'Not Found' });
		await expect(test()).resolves.toEqual(OK);
	});
});

describe.each<FailureStatusMode>(['httpError', 'http200'])(
	'the credential test, failures answered as %s',
	(mode) => {
		beforeEach(() => {
			sandbox.failureStatusMode = mode;
		});
		const failureStatus = (status: number) => (mode === 'http200' ? 200 : status);

		it('passes with the right keys, sending them as the PublicKey and SecretKey headers to GET automations, once', async () => {
			await expect(test()).resolves.toEqual(OK);
			expect(received()).toEqual(ONE_TEST_REQUEST);
			expect(sandbox.requests[0].headers.accept).toBe('application/json');
		});

		it('passes with the right keys on an account with no automation, whose list answers "Record Not Found"', async () => {
			sandbox.state.automations.length = 0;
			await expect(test()).resolves.toEqual(OK);
			expect(received()).toEqual(ONE_TEST_REQUEST);
			expect(sandbox.requests[0].status).toBe(failureStatus(404));
			expect(sandbox.requests[0].response).toEqual({
				status: 'failed',
				errors: 'Record Not Found',
			});
		});

		it("fails for a wrong secret key, in the API's words, saying to copy the keys again", async () => {
			await expect(test({ secretKey: 'wrong-secret-key' })).resolves.toEqual(
				refused(`${failureStatus(401)}: Invalid public key or secret key`),
			);
			expect(received()).toEqual([{ ...ONE_TEST_REQUEST[0], secretKey: 'wrong-secret-key' }]);
		});

		it('fails for a wrong public key', async () => {
			await expect(test({ publicKey: 'wrong-public-key' })).resolves.toEqual(
				refused(`${failureStatus(401)}: Invalid public key or secret key`),
			);
		});

		it("fails for an empty public key, in the API's words", async () => {
			await expect(test({ publicKey: '' })).resolves.toEqual(
				refused(`${failureStatus(401)}: The public key field is required.`),
			);
		});

		it('keeps the keys out of the message when the refusal echoes them', async () => {
			sandbox.faults.push({ kind: 'echoKeys', echoHeaders: true });
			const result = await test();
			expect(result).toEqual(refused(`${failureStatus(401)}: Invalid secret key [redacted]`));
			expect(sandbox.requests[0].response).toMatchObject({
				errors: `Invalid secret key ${SANDBOX_SECRET_KEY}`,
			});
		});

		it('fails saying the Base URL ends in /api when it lacks /api (the sandbox answers its unknown route)', async () => {
			const result = await test({ baseUrl: sandbox.baseUrl.replace(/\/api$/, '') });
			expect(result).toEqual({
				status: 'Error',
				message: `AllsTechnology answered GET automations with HTTP 404 (The route automations could not be found.). If it does so again, check that ${BASE_URL_HINT}.`,
			});
			expect(received()).toEqual([{ ...ONE_TEST_REQUEST[0], path: '/automations' }]);
		});
	},
);

describe('the credential test, answers that are not the API', () => {
	it.each([
		['{}', {}, 'JSON without the API\'s "status": "success" or "failed"'],
		[
			'JSON without status',
			{ automations: [] },
			'JSON without the API\'s "status": "success" or "failed"',
		],
		[
			'another status',
			{ status: 'error', message: 'Unauthenticated.' },
			'JSON without the API\'s "status": "success" or "failed"',
		],
		[
			'a JSON list',
			[{ status: 'success' }],
			'JSON without the API\'s "status": "success" or "failed"',
		],
		[
			'an HTML page',
			'<!DOCTYPE html><html><body>Welcome to AllsTechnology</body></html>',
			'a web page',
		],
		['plain text', 'OK', 'text that is not JSON'],
		['an empty body', '', 'an empty answer'],
	])(
		'fails for %s answered with HTTP 200, with the hint that the Base URL ends in /api',
		async (_name, body, what) => {
			sandbox.faults.push({
				kind: 'fixedBody',
				body,
				headers: typeof body === 'string' ? { 'Content-Type': 'text/html' } : {},
			});
			await expect(test()).resolves.toEqual(notTheApi(200, what));
			expect(received()).toEqual(ONE_TEST_REQUEST);
		},
	);

	it('fails for a success envelope without the automations list', async () => {
		sandbox.faults.push({ kind: 'fixedBody', body: { status: 'success', message: 'Welcome' } });
		await expect(test()).resolves.toEqual({
			status: 'Error',
			message: `The Base URL answered HTTP 200 with "status": "success" but without the list of automations, not the answer of the AllsTechnology API to GET automations. ${CHECK_BASE_URL}`,
		});
	});

	it("fails for nginx's HTML 502, saying the server may be having trouble", async () => {
		sandbox.faults.push({ kind: 'badGatewayHtml' });
		await expect(test()).resolves.toEqual(
			notTheApi(502, 'a web page', ' If it is, the server is having trouble: test again later.'),
		);
		expect(received()).toEqual(ONE_TEST_REQUEST);
	});

	it("fails for Laravel's 500", async () => {
		sandbox.faults.push({ kind: 'serverError' });
		await expect(test()).resolves.toEqual(
			notTheApi(
				500,
				'JSON without the API\'s "status": "success" or "failed"',
				' If it is, the server is having trouble: test again later.',
			),
		);
	});

	it('fails for a 403 that is not the API, saying to check the keys', async () => {
		sandbox.faults.push({
			kind: 'fixedBody',
			status: 403,
			body: '<html>Forbidden</html>',
			headers: { 'Content-Type': 'text/html' },
		});
		await expect(test()).resolves.toEqual(refused('403'));
	});

	it("fails for a rate limit, in the API's words", async () => {
		sandbox.faults.push({ kind: 'rateLimit', retryAfter: '1' });
		await expect(test()).resolves.toEqual({
			status: 'Error',
			message: `AllsTechnology answered GET automations with HTTP 429 (Too Many Attempts.). If it does so again, check that ${BASE_URL_HINT}.`,
		});
		expect(received()).toEqual(ONE_TEST_REQUEST);
	});
});

describe('the credential test, redirects', () => {
	it.each([301, 302, 303, 307, 308])(
		'does not follow a %i: it names the status and the origin it pointed to, and nothing reaches that host',
		async (status) => {
			sandbox.faults.push({
				kind: 'redirect',
				status,
				location: `${elsewhere.url}/api/automations?token=abc`,
			});
			await expect(test()).resolves.toEqual({
				status: 'Error',
				message: `The Base URL answered HTTP ${status}, a redirect to ${elsewhere.url}. The test does not follow redirects, so that the keys go to no other address. ${CHECK_BASE_URL}`,
			});
			expect(received()).toEqual(ONE_TEST_REQUEST);
			expect(elsewhere.requests).toEqual([]);
		},
	);

	it('names only the origin of a Location with user info, a path and a query', async () => {
		const port = new URL(elsewhere.url).port;
		sandbox.faults.push({
			kind: 'redirect',
			location: `http://someone:hunter22@127.0.0.1:${port}/steal?key=1#x`,
		});
		const result = await test();
		expect(result.message).toBe(
			`The Base URL answered HTTP 302, a redirect to http://127.0.0.1:${port}. The test does not follow redirects, so that the keys go to no other address. ${CHECK_BASE_URL}`,
		);
		expect(elsewhere.requests).toEqual([]);
	});

	it.each([
		['a relative Location', { Location: '/login?next=/api' }, 'ORIGIN'],
		['no Location', {}, 'no address (it has no Location)'],
		[
			'a Location that is not http(s)',
			{ Location: 'javascript:alert(1)' },
			'an address that is not http(s)',
		],
	])('names what it can of %s', async (_name, headers, target) => {
		sandbox.faults.push({ kind: 'fixedBody', status: 302, body: '', headers });
		const result = await test();
		expect(result).toEqual({
			status: 'Error',
			message: `The Base URL answered HTTP 302, a redirect to ${target.replace('ORIGIN', new URL(sandbox.baseUrl).origin)}. The test does not follow redirects, so that the keys go to no other address. ${CHECK_BASE_URL}`,
		});
		expect(received()).toEqual(ONE_TEST_REQUEST);
	});
});

describe('the credential test, Base URL', () => {
	it('sends to the Base URL trimmed, without its trailing slashes', async () => {
		await expect(test({ baseUrl: `  ${sandbox.baseUrl}//  ` })).resolves.toEqual(OK);
		expect(received()).toEqual(ONE_TEST_REQUEST);
	});

	it.each([
		[
			'user info',
			(url: string) => url.replace('http://', 'http://someone:hunter22@'),
			"The credential's Base URL contains a user name or password (the part before @). Remove it: the API reads the keys from the Public Key and Secret Key fields, and anything in the address is stored and sent as it is. " +
				SET_IT,
		],
		[
			'a query',
			(url: string) => `${url}?token=abc`,
			`The credential's Base URL has a query (the part from ?). Remove it: the node adds each endpoint's path and query itself. ${SET_IT}`,
		],
		[
			'a fragment',
			(url: string) => `${url}#top`,
			`The credential's Base URL has a fragment (the part from #). Remove it: the node adds each endpoint's path and query itself. ${SET_IT}`,
		],
		['another scheme', (url: string) => url.replace('http://', 'ftp://'), 'FTP'],
		['nothing', () => '', `The credential's Base URL is empty. ${SET_IT}`],
	])(
		'refuses a Base URL with %s, with what to set, and sends nothing',
		async (_name, baseUrlOf, message) => {
			const baseUrl = baseUrlOf(sandbox.baseUrl);
			const expected =
				message === 'FTP'
					? `The credential's Base URL "${baseUrl}" is not an http(s) address. ${SET_IT}`
					: message;
			await expect(test({ baseUrl })).resolves.toEqual({ status: 'Error', message: expected });
			expect(sandbox.requests).toEqual([]);
		},
	);

	it('refuses http:// to a host other than this machine, saying to use https', async () => {
		await expect(test({ baseUrl: 'http://10.0.0.5/api/' })).resolves.toEqual({
			status: 'Error',
			message:
				'The credential\'s Base URL "http://10.0.0.5/api" uses http://, so the public key and secret key would travel unencrypted. Use https:// (https://10.0.0.5/api). http:// is accepted only for a server on this machine (localhost, 127.0.0.1, [::1]).',
		});
	});

	it('says when nothing answers at the Base URL, keeping the keys out of the message', async () => {
		const port = await closedPort();
		const result = await test({ baseUrl: `http://127.0.0.1:${port}/api/${SANDBOX_SECRET_KEY}` });
		expect(result).toEqual({
			status: 'Error',
			message: `Could not reach http://127.0.0.1:${port}/api/[redacted] (ECONNREFUSED). Check that the Base URL is right and that the server answers, then test again.`,
		});
	});

	it.each([
		[
			'an answer that trickles past its time, first byte to last',
			{ kind: 'slowBody', ms: 5_000 } as const,
		],
		['a server that does not answer', { kind: 'latency', ms: 5_000 } as const],
	])('gives up on %s', async (_name, fault) => {
		const node = new AllsTechnology();
		node.methods.credentialTest.allsTechnologyApiTest = credentialTestWithin(300);
		const engine: EngineOptions = { ...engineFor(sandbox), nodeTypes: { [NODE_TYPE]: node } };
		sandbox.faults.push(fault);
		await expect(test({}, engine)).resolves.toEqual({
			status: 'Error',
			message: `${sandbox.baseUrl} did not answer within 0.3 s. Check that the Base URL is right and that the server answers, then test again.`,
		});
		expect(received()).toEqual(ONE_TEST_REQUEST);
	});
});
