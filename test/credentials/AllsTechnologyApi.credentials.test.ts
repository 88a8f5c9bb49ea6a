import { AllsTechnologyApi } from '../../credentials/AllsTechnologyApi.credentials';
import { testCredential } from '../engine';
import type { Sandbox } from '../sandbox/server';
import { SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY, startSandbox } from '../sandbox/server';
import { engineFor } from '../nodes/AllsTechnology/fixture';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
beforeEach(() => sandbox.reset());
afterAll(async () => await sandbox.close());

function test(keys: { publicKey?: string; secretKey?: string; baseUrl?: string }) {
	const data = { publicKey: SANDBOX_PUBLIC_KEY, secretKey: SANDBOX_SECRET_KEY, baseUrl: sandbox.baseUrl, ...keys };
	return testCredential(engineFor(sandbox), 'allsTechnologyApi', data);
}

const REFUSED =
	'AllsTechnology refused the public key or secret key. Copy both again from your AllsTechnology account page.';

describe('AllsTechnology API credential', () => {
	it('declares the public contract: name, fields and default base URL', () => {
		const credential = new AllsTechnologyApi();
		expect(credential.name).toBe('allsTechnologyApi');
		expect(credential.displayName).toBe('AllsTechnology API');
		expect(credential.properties.map((property) => [property.name, property.type, property.default])).toEqual([
			['publicKey', 'string', ''],
			['secretKey', 'string', ''],
			['baseUrl', 'string', 'https://mail.allstechnology.com/api'],
		]);
		expect(credential.properties[1].typeOptions).toEqual({ password: true });
	});

	it('passes with good keys, sending them as the PublicKey and SecretKey headers to GET automations', async () => {
		await expect(test({})).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sandbox.requests.map((request) => [request.method, request.path, request.headers.publickey, request.headers.secretkey])).toEqual([
			['GET', '/api/automations', SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY],
		]);
	});

	it('passes with a base URL that ends in a slash', async () => {
		await expect(test({ baseUrl: `${sandbox.baseUrl}/` })).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sandbox.requests[0].path).toBe('/api/automations');
	});

	it('fails for wrong keys when the API answers HTTP 200 with "status": "failed"', async () => {
		sandbox.failureStatusMode = 'http200';
		await expect(test({ secretKey: 'wrong' })).resolves.toEqual({ status: 'Error', message: REFUSED });
		expect(sandbox.requests[0].status).toBe(200);
	});

	it('fails for wrong keys when the API answers 401', async () => {
		sandbox.failureStatusMode = 'httpError';
		const result = await test({ publicKey: 'wrong' });
		expect(result.status).toBe('Error');
		expect(sandbox.requests[0].status).toBe(401);
	});
});
