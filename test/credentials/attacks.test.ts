/**
 * Hostile keys, answers and Base URLs against the credential, the credential test and redaction: each case went
 * through n8n's engine against the sandbox, and each `it` here failed before its fix (the `it.skip` ones still do:
 * their fix is in a file this area does not own).
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { AllsTechnologyApi } from '../../credentials/AllsTechnologyApi.credentials';
import { AllsTechnology } from '../../nodes/AllsTechnology/AllsTechnology.node';
import type { EngineOptions } from '../engine';
import { runNode, testCredential } from '../engine';
import { DRAFT_UTR, NODE_TYPE, locator } from '../nodes/AllsTechnology/fixture';
import type { Fault, Sandbox } from '../../sandbox/server';
import { SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY, startSandbox } from '../../sandbox/server';

const getDraft = { resource: 'automation', operation: 'get', automation: locator(DRAFT_UTR) };
const getMany = { resource: 'automation', operation: 'getAll', returnAll: true };
const REFUSED_HINT =
	'Check the public key and secret key in the AllsTechnology API credential: copy both again from your AllsTechnology account page.';

interface Keys {
	publicKey?: string;
	secretKey?: string;
}

/** A sandbox that accepts the keys as a server reads them from the headers: without the spaces around them. */
async function sandboxFor(keys: Keys): Promise<Sandbox> {
	return await startSandbox({
		publicKey: (keys.publicKey ?? SANDBOX_PUBLIC_KEY).trim(),
		secretKey: (keys.secretKey ?? SANDBOX_SECRET_KEY).trim(),
	});
}

function credentialsFor(
	sandbox: Sandbox,
	keys: Keys,
	baseUrl = sandbox.baseUrl,
): ICredentialDataDecryptedObject {
	return {
		publicKey: keys.publicKey ?? SANDBOX_PUBLIC_KEY,
		secretKey: keys.secretKey ?? SANDBOX_SECRET_KEY,
		baseUrl,
	};
}

function engineOf(credentials: ICredentialDataDecryptedObject): EngineOptions {
	return {
		nodeTypes: { [NODE_TYPE]: new AllsTechnology() },
		credentialTypes: { allsTechnologyApi: new AllsTechnologyApi() },
		credentials: { allsTechnologyApi: credentials },
	};
}

/** Runs the node once and the credential test once, each against a sandbox answering with `faults`. */
async function attack(keys: Keys, faults: Fault[], parameters: Record<string, unknown> = getDraft) {
	const sandbox = await sandboxFor(keys);
	try {
		const credentials = credentialsFor(sandbox, keys);
		sandbox.faults.push(...structuredClone(faults));
		const node = await runNode(engineOf(credentials), {
			type: NODE_TYPE,
			parameters: parameters as never,
		});
		sandbox.reset();
		sandbox.faults.push(...structuredClone(faults));
		const test = await testCredential(engineOf(credentials), 'allsTechnologyApi', credentials);
		return { node, test, sandbox };
	} finally {
		await sandbox.close();
	}
}

/** The secret as it may be spelt, none of which may be in anything n8n keeps. */
function expectNowhere(stored: unknown, ...spellings: string[]) {
	const text = JSON.stringify(stored);
	for (const spelling of spellings) expect(text).not.toContain(spelling);
}

describe('keys as the server reads them', () => {
	it.each([
		['a trailing space', 'sandbox-secret-key '],
		['spaces around it', '  sandbox-secret-key\t'],
		['a trailing line break', 'sandbox-secret-key\n'],
	])(
		'a secret key pasted with %s is redacted where the answer echoes it trimmed',
		async (_name, secretKey) => {
			const { node, test, sandbox } = await attack({ secretKey }, [
				{ kind: 'echoKeys', echoHeaders: true },
			]);

			expect(node.error).toMatchObject({
				message: 'Invalid secret key [redacted]',
				description: REFUSED_HINT,
			});
			expectNowhere(node.run, 'sandbox-secret-key', SANDBOX_PUBLIC_KEY);
			expect(test).toEqual({
				status: 'Error',
				message:
					'AllsTechnology refused the public key or secret key (HTTP 401: Invalid secret key [redacted]). Copy both again from your AllsTechnology account page.',
			});
			expect(sandbox.requests[0].headers.secretkey).toBe('sandbox-secret-key');
		},
	);

	it('a public key inside the secret key leaves nothing of the secret behind', async () => {
		const keys = { publicKey: 'acct-4821', secretKey: 'acct-4821-9f8e7d6c5b4a' };
		const { node, test } = await attack(keys, [{ kind: 'echoKeys', echoHeaders: true }]);

		expect(node.error?.message).toBe('Invalid secret key [redacted]');
		expectNowhere(node.run, '9f8e7d6c5b4a');
		expect(test.message).toContain('(HTTP 401: Invalid secret key [redacted])');
	});

	it('a public key given by an expression as a number is sent by the credential test as the node sends it', async () => {
		const sandbox = await startSandbox({ publicKey: '12345678' });
		try {
			const credentials = { ...credentialsFor(sandbox, {}), publicKey: 12345678 };
			await expect(
				testCredential(engineOf(credentials), 'allsTechnologyApi', credentials),
			).resolves.toEqual({
				status: 'OK',
				message: 'Connection successful!',
			});
			expect(sandbox.requests.map((request) => request.headers.publickey)).toEqual(['12345678']);
		} finally {
			await sandbox.close();
		}
	});
});

describe('keys spelt otherwise in an answer', () => {
	const json = (text: string): Fault => ({
		kind: 'fixedBody',
		body: text,
		headers: { 'Content-Type': 'application/json' },
	});

	it("a secret key with a / echoed as PHP's json_encode writes it (\\/), in an answer quoted whole", async () => {
		const secretKey = 'Zm9v/YmFy+cXV4=';
		const { node } = await attack({ secretKey }, [
			json('{"status":"success","message":{"key":"Zm9v\\/YmFy+cXV4="}}'),
		]);

		expect(node.error?.message).toBe(
			'AllsTechnology answered GET automations/details with something the node does not know: {"status":"success","message":{"key":"[redacted]"}}',
		);
		expectNowhere(node.run, secretKey, 'Zm9v\\/YmFy', 'Zm9v\\\\/YmFy');
	});

	it('a secret key with accents echoed as \\u escapes', async () => {
		const secretKey = 'clé-secrète-4821';
		const { node } = await attack({ secretKey }, [
			json('{"status":"success","message":{"key":"cl\\u00e9-secr\\u00E8te-4821"}}'),
		]);

		expect(node.error?.message).toContain('{"key":"[redacted]"}');
		expectNowhere(node.run, 'secr\\\\u00E8te');
	});

	it("a secret key percent-encoded in a proxy's HTML page", async () => {
		const secretKey = 'Zm9v/YmFy+cXV4=';
		const page = '<html><body>Bad request: /api?key=Zm9v%2FYmFy%2BcXV4%3D</body></html>';
		const { node, test } = await attack({ secretKey }, [
			{ kind: 'fixedBody', status: 502, body: page, headers: { 'Content-Type': 'text/html' } },
		]);

		expect(node.error?.message).toBe(
			'AllsTechnology answered GET automations/details with HTTP 502 and a body that is not JSON: <html><body>Bad request: /api?key=[redacted]</body></html>',
		);
		expectNowhere(node.run, 'Zm9v%2FYmFy');
		expect(test.message).toMatch(/^The Base URL answered HTTP 502 with a web page/);
	});
});

describe('short and common keys', () => {
	it("a public key that is a common word does not garble the credential test's success", async () => {
		const { test, node } = await attack({ publicKey: 'success' }, [], getMany);

		expect(test).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(node.error).toBeUndefined();
	});

	// Fix in transport/index.ts or helpers/records.ts (not this area's): recognise "Record not found" before
	// redacting. Today isRecordNotFound reads the redacted message, "[redacted] Not Found".
	it('a public key that is a word of "Record Not Found" still reads an empty account as empty', async () => {
		const sandbox = await sandboxFor({ publicKey: 'Record' });
		try {
			sandbox.state.automations.length = 0;
			const { items, error } = await runNode(
				engineOf(credentialsFor(sandbox, { publicKey: 'Record' })),
				{
					type: NODE_TYPE,
					parameters: getMany,
				},
			);
			expect(error).toBeUndefined();
			expect(items).toEqual([]);
		} finally {
			await sandbox.close();
		}
	});
});

describe('answers too large', () => {
	it('the credential test refuses an answer larger than the node reads, as every run would fail on it', async () => {
		const { node, test } = await attack(
			{},
			[{ kind: 'hugeBody', bytes: 51 * 1024 * 1024 }],
			getMany,
		);

		expect(node.error?.message).toBe(
			"AllsTechnology's answer to GET automations is larger than 50 MiB, more than the node reads",
		);
		expect(test).toEqual({
			status: 'Error',
			message:
				"The Base URL answered 51 MiB, more than the node reads (50 MiB): every run would fail on it. Check that the Base URL is the API's own address, ending in /api (e.g. https://mail.allstechnology.com/api).",
		});
	});
});

describe('Base URLs of odd forms', () => {
	it('a very long unreachable Base URL is shown cut short in the credential test', async () => {
		const baseUrl = `http://127.0.0.1:1/${'a'.repeat(3000)}`;
		const sandbox = await sandboxFor({});
		try {
			const credentials = credentialsFor(sandbox, {}, baseUrl);
			const result = await testCredential(engineOf(credentials), 'allsTechnologyApi', credentials);
			expect(result).toEqual({
				status: 'Error',
				message: `Could not reach ${baseUrl.slice(0, 100)}… (ECONNREFUSED). Check that the Base URL is right and that the server answers, then test again.`,
			});
		} finally {
			await sandbox.close();
		}
	});
});
