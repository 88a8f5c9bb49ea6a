import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunction,
	ICredentialTestFunctions,
	IDataObject,
	INodeCredentialTestResult,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { AllsTechnologyApi } from '../../credentials/AllsTechnologyApi.credentials';
import type { FailedEnvelope, SuccessEnvelope } from './interfaces';
import { checkBaseUrl, DEFAULT_BASE_URL, shortened } from './transport/baseUrl';
import { describeApiErrors, quote } from './transport/envelope';
import { redactSecrets } from './transport/redact';
import { MAX_ANSWER_BYTES, TIMEOUT_CODES } from './transport/request';

/** How long the test waits for the whole answer, first byte to last. */
export const CREDENTIAL_TEST_TIMEOUT_MS = 20_000;

const SUCCESS: INodeCredentialTestResult = { status: 'OK', message: 'Connection successful!' };

const BASE_URL_HINT = `the Base URL is the API's own address, ending in /api (e.g. ${DEFAULT_BASE_URL})`;
const CHECK_BASE_URL = `Check that ${BASE_URL_HINT}.`;
const COPY_KEYS = 'Copy both again from your AllsTechnology account page.';

/** The words of a failed answer that mean the keys were refused. */
const ABOUT_KEYS = /\b(public|secret)\s*key\b/i;
/** Get All Automation's failure on an account with no automation: it comes after the keys were accepted. */
const NO_AUTOMATION = /^record not found\.?$/i;

interface Answer {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

type Envelope = IDataObject & Pick<SuccessEnvelope<unknown> | FailedEnvelope, 'status'>;

function isEnvelope(body: unknown): body is Envelope {
	return (
		typeof body === 'object' &&
		body !== null &&
		!Array.isArray(body) &&
		((body as IDataObject).status === 'success' || (body as IDataObject).status === 'failed')
	);
}

function failed(message: string): INodeCredentialTestResult {
	return { status: 'Error', message };
}

/** The origin a redirect points to (never its path or query, which may carry anything), or what stands for it. */
function redirectTarget(location: unknown, requestUrl: string): string {
	if (typeof location !== 'string' || location.trim() === '')
		return 'no address (it has no Location)';
	try {
		const target = new URL(location, requestUrl);
		if (target.protocol === 'http:' || target.protocol === 'https:') return target.origin;
	} catch {
		// An unreadable Location is reported like one that is not http(s).
	}
	return 'an address that is not http(s)';
}

/** What came back, when it is not the API's envelope. */
function describeOther(body: unknown): string {
	if (body === undefined || body === null || body === '') return 'an empty answer';
	if (typeof body === 'string') return /^\s*</.test(body) ? 'a web page' : 'text that is not JSON';
	return 'JSON without the API\'s "status": "success" or "failed"';
}

function judge(answer: Answer, requestUrl: string, secrets: string[]): INodeCredentialTestResult {
	const { statusCode, headers, body } = answer;
	if (statusCode >= 300 && statusCode < 400) {
		return failed(
			`The Base URL answered HTTP ${statusCode}, a redirect to ${redirectTarget(headers.location, requestUrl)}. The test does not follow redirects, so that the keys go to no other address. ${CHECK_BASE_URL}`,
		);
	}
	if (Number(headers['content-length']) > MAX_ANSWER_BYTES) {
		return failed(
			`The Base URL answered ${Math.round(Number(headers['content-length']) / 1024 / 1024)} MiB, more than the node reads (${MAX_ANSWER_BYTES / 1024 / 1024} MiB): every run would fail on it. ${CHECK_BASE_URL}`,
		);
	}
	const words = isEnvelope(body)
		? (describeApiErrors(body.errors) ?? describeApiErrors(body.message))
		: undefined;
	if (
		statusCode === 401 ||
		statusCode === 403 ||
		(isEnvelope(body) && body.status === 'failed' && words && ABOUT_KEYS.test(words))
	) {
		const reason = words === undefined ? '' : `: ${quote(words, secrets)}`;
		return failed(
			`AllsTechnology refused the public key or secret key (HTTP ${statusCode}${reason}). ${COPY_KEYS}`,
		);
	}
	if (!isEnvelope(body)) {
		const serverTrouble =
			statusCode >= 500 ? ' If it is, the server is having trouble: test again later.' : '';
		return failed(
			`The Base URL answered HTTP ${statusCode} with ${describeOther(body)}, not an answer of the AllsTechnology API. ${CHECK_BASE_URL}${serverTrouble}`,
		);
	}
	if (body.status === 'success') {
		const message = body.message as IDataObject | undefined;
		if (statusCode === 200 && Array.isArray(message?.automations)) return SUCCESS;
		return failed(
			`The Base URL answered HTTP ${statusCode} with "status": "success" but without the list of automations, not the answer of the AllsTechnology API to GET automations. ${CHECK_BASE_URL}`,
		);
	}
	if (words && NO_AUTOMATION.test(words) && (statusCode === 200 || statusCode === 404))
		return SUCCESS;
	return failed(
		`AllsTechnology answered GET automations with HTTP ${statusCode} (${words === undefined ? 'no reason given' : quote(words, secrets)}). If it does so again, check that ${BASE_URL_HINT}.`,
	);
}

function errorCode(error: unknown): string {
	const { code, cause } = error as { code?: unknown; cause?: { code?: unknown } };
	return String(cause?.code ?? code ?? '');
}

const TIMED_OUT = Symbol('timed out');

/** The request, or TIMED_OUT once `ms` have passed: a socket timeout alone would let a trickling answer run on. */
async function within<T>(request: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
	const timer = new AbortController();
	try {
		return await Promise.race([
			request,
			sleep(ms, timer.signal).then((): typeof TIMED_OUT => TIMED_OUT),
		]);
	} finally {
		timer.abort();
	}
}

async function testKeys(
	this: ICredentialTestFunctions,
	data: ICredentialDataDecryptedObject,
	keyHeaders: IDataObject,
	secrets: string[],
	timeoutMs: number,
): Promise<INodeCredentialTestResult> {
	const checked = checkBaseUrl(data.baseUrl);
	if ('problem' in checked) return failed(`${checked.problem}. ${checked.fix}`);
	const url = `${checked.baseUrl}/automations`;
	// ICredentialTestFunctions offers only the legacy request helper: there is no httpRequest to call instead.
	const { helpers } = this;
	let answer: Answer | typeof TIMED_OUT;
	try {
		answer = await within<Answer>(
			helpers.request({
				method: 'GET',
				uri: url,
				headers: keyHeaders,
				json: true,
				simple: false,
				resolveWithFullResponse: true,
				followRedirect: false,
				followAllRedirects: false,
				timeout: timeoutMs,
			}),
			timeoutMs,
		);
	} catch (error) {
		const code = errorCode(error);
		if (!TIMEOUT_CODES.has(code)) {
			return failed(
				`Could not reach ${shortened(checked.baseUrl)}${code ? ` (${code})` : ''}. Check that the Base URL is right and that the server answers, then test again.`,
			);
		}
		answer = TIMED_OUT;
	}
	if (answer === TIMED_OUT) {
		return failed(
			`${shortened(checked.baseUrl)} did not answer within ${timeoutMs / 1000} s. Check that the Base URL is right and that the server answers, then test again.`,
		);
	}
	return judge(answer, url, secrets);
}

/**
 * The credential test, waiting `timeoutMs` at most: GET automations with the keys, redirects not followed, and the
 * answer read as the API's envelope. "Record Not Found" passes: the API says it of an account with no automation,
 * after accepting the keys. No message holds the keys, even when the answer echoes them.
 */
export function credentialTestWithin(timeoutMs: number): ICredentialTestFunction {
	return async function (
		this: ICredentialTestFunctions,
		credential: ICredentialsDecrypted,
	): Promise<INodeCredentialTestResult> {
		const data = credential.data ?? {};
		// The keys go out as the node sends them, through the credential's own authenticate.
		const keyHeaders =
			(await new AllsTechnologyApi().authenticate(data, { url: '' })).headers ?? {};
		const secrets = [String(keyHeaders.PublicKey ?? ''), String(keyHeaders.SecretKey ?? '')];
		const result = await testKeys.call(this, data, keyHeaders, secrets, timeoutMs);
		// Success quotes nothing from outside: redacting it would only garble it for a key that is a common word.
		return result === SUCCESS
			? result
			: { ...result, message: redactSecrets(result.message, secrets) };
	};
}

export const allsTechnologyApiTest = credentialTestWithin(CREDENTIAL_TEST_TIMEOUT_MS);
