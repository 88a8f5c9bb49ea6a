/**
 * The credential's Test button in a real n8n: POST /rest/credentials/test, as the credential dialog sends it, against
 * the sandbox as an empty account, with wrong keys, behind a redirect to another host and as a web page.
 */
import { deepStrictEqual } from 'assert';
import type { Sandbox } from '../sandbox/server';
import { SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY, startRecordingServer } from '../sandbox/server';
import type { Checks, Cleanups } from './checks';
import { EXAMPLE_CREDENTIAL as CREDENTIAL, requestLines } from './examples';
import type { Rest } from './n8n';

type TestResult = { status: string; message: string };

const SUCCESS: TestResult = { status: 'OK', message: 'Connection successful!' };
const CHECK_BASE_URL =
	"Check that the Base URL is the API's own address, ending in /api (e.g. https://mail.allstechnology.com/api).";

/**
 * Tests the stored credential as the dialog does: its data as the editor receives it (the secret key redacted, which
 * n8n replaces with the stored one), with `changes` typed over it.
 */
async function testCredential(
	rest: Rest,
	changes: Record<string, string> = {},
): Promise<TestResult> {
	const { data: stored } = await rest.get<{ data: { data: Record<string, unknown> } }>(
		`/rest/credentials/${CREDENTIAL.id}?includeData=true`,
	);
	const { data: result } = await rest.post<{ data: TestResult }>('/rest/credentials/test', {
		credentials: { ...CREDENTIAL, data: { ...stored.data, ...changes } },
	});
	return result;
}

export async function checkCredentialTest(
	checks: Checks,
	rest: Rest,
	sandbox: Sandbox,
	cleanups: Cleanups,
): Promise<void> {
	sandbox.reset();
	await checks.check(
		'the credential test (Test in the credential dialog) passes against the sandbox',
		async () => {
			deepStrictEqual(await testCredential(rest), SUCCESS);
			deepStrictEqual(requestLines(sandbox.requests), ['200 GET /api/automations']);
			deepStrictEqual(
				[sandbox.requests[0].headers.publickey, sandbox.requests[0].headers.secretkey],
				[SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY],
			);
		},
	);

	sandbox.reset();
	await checks.check(
		'the credential test passes on an account with no automation ("Record Not Found", as HTTP 404 and as HTTP 200)',
		async () => {
			for (const automation of sandbox.state.automations)
				automation.deleted_at ??= '2024-01-01T00:00:00.000000Z';
			const results = [await testCredential(rest)];
			sandbox.failureStatusMode = 'http200';
			results.push(await testCredential(rest));
			deepStrictEqual(results, [SUCCESS, SUCCESS]);
			deepStrictEqual(
				sandbox.requests.map((request) => [
					request.status,
					request.method,
					request.path,
					request.response,
				]),
				[
					[404, 'GET', '/api/automations', { status: 'failed', errors: 'Record Not Found' }],
					[200, 'GET', '/api/automations', { status: 'failed', errors: 'Record Not Found' }],
				],
			);
		},
	);

	sandbox.reset();
	await checks.check(
		'the credential test with a wrong secret key fails and says to check the keys',
		async () => {
			deepStrictEqual(await testCredential(rest, { secretKey: 'wrong-secret-key' }), {
				status: 'Error',
				message:
					'AllsTechnology refused the public key or secret key (HTTP 401: Invalid public key or secret key). Copy both again from your AllsTechnology account page.',
			});
			deepStrictEqual(requestLines(sandbox.requests), ['401 GET /api/automations']);
		},
	);

	sandbox.reset();
	const otherHost = await startRecordingServer();
	cleanups.push(() => otherHost.close());
	await checks.check(
		'the credential test against a Base URL that redirects to another host fails naming the redirect, and nothing reaches that host',
		async () => {
			sandbox.faults.push({
				kind: 'redirect',
				status: 307,
				location: `${otherHost.url}/api/automations?from=redirect`,
			});
			deepStrictEqual(await testCredential(rest), {
				status: 'Error',
				message: `The Base URL answered HTTP 307, a redirect to ${otherHost.url}. The test does not follow redirects, so that the keys go to no other address. ${CHECK_BASE_URL}`,
			});
			deepStrictEqual(requestLines(sandbox.requests), ['307 GET /api/automations']);
			deepStrictEqual(otherHost.requests, []);
		},
	);

	sandbox.reset();
	await checks.check(
		'the credential test against a Base URL that answers a web page fails with the hint that the Base URL ends in /api',
		async () => {
			sandbox.faults.push({
				kind: 'fixedBody',
				body: '<!DOCTYPE html><html><head><title>AllsTechnology</title></head><body><h1>Email marketing</h1></body></html>',
				headers: { 'Content-Type': 'text/html; charset=UTF-8' },
			});
			deepStrictEqual(await testCredential(rest), {
				status: 'Error',
				message: `The Base URL answered HTTP 200 with a web page, not an answer of the AllsTechnology API. ${CHECK_BASE_URL}`,
			});
			deepStrictEqual(requestLines(sandbox.requests), ['200 GET /api/automations']);
		},
	);
}
