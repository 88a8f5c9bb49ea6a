import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';

export const CREDENTIAL_TYPE = 'allsTechnologyApi';

export type Context = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

/** The largest answer read: 10,000 automations list in about 12 MB. */
export const MAX_ANSWER_BYTES = 50 * 1024 * 1024;

/** One HTTP exchange as it came back: the body as text, not yet read as JSON. */
export interface Exchange {
	statusCode: number;
	headers: IDataObject;
	text: string;
}

/** Why an exchange gave no answer. */
export type ExchangeFailure =
	| { kind: 'timeout' }
	| { kind: 'stopped' }
	| { kind: 'tooLarge' }
	/** `neverSent`: the connection failed before the request could reach the server. */
	| { kind: 'connection'; code: string; neverSent: boolean };

/** An exchange either came back whole or gives the reason it did not. */
export type ExchangeResult = { answer: Exchange } | { failure: ExchangeFailure };

/** Connection failures that happen before a request reaches the server: repeating it cannot duplicate anything. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
export const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

interface Limits {
	timeoutMs: number;
	stop: AbortSignal | undefined;
	/** The credential as the run read it once: n8n would otherwise read and decrypt it for every request. */
	credentials: ICredentialsDecrypted;
}

type BodyStream = AsyncIterable<Uint8Array | string> & { destroy(): void };

function isStream(body: unknown): body is BodyStream {
	return (
		typeof body === 'object' &&
		body !== null &&
		Symbol.asyncIterator in body &&
		typeof (body as { destroy?: unknown }).destroy === 'function'
	);
}

function errorCode(error: unknown): string {
	const { cause, code } = error as JsonObject;
	return String((cause as JsonObject | undefined)?.code ?? code ?? '');
}

/** Settles with 'aborted' when `signal` aborts first; an answer that arrives after that has its body thrown away. */
async function beforeAbort<T>(request: Promise<T>, signal: AbortSignal): Promise<T | 'aborted'> {
	if (signal.aborted) return 'aborted';
	return await new Promise<T | 'aborted'>((resolve, reject) => {
		const onAbort = () => resolve('aborted');
		signal.addEventListener('abort', onAbort, { once: true });
		request.then(
			(response) => {
				signal.removeEventListener('abort', onAbort);
				if (signal.aborted) {
					const { body } = response as { body?: unknown };
					if (isStream(body)) body.destroy();
				}
				resolve(response);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}

async function readText(
	body: unknown,
	headers: IDataObject,
	deadline: AbortSignal,
): Promise<{ text: string } | { failure: ExchangeFailure }> {
	if (!isStream(body)) {
		return {
			text:
				typeof body === 'string'
					? body
					: body === undefined || body === null
						? ''
						: JSON.stringify(body),
		};
	}
	if (Number(headers['content-length']) > MAX_ANSWER_BYTES) {
		body.destroy();
		return { failure: { kind: 'tooLarge' } };
	}
	const onAbort = () => body.destroy();
	deadline.addEventListener('abort', onAbort, { once: true });
	const decoder = new TextDecoder();
	let text = '';
	let bytes = 0;
	try {
		for await (const chunk of body) {
			bytes += typeof chunk === 'string' ? chunk.length : chunk.byteLength;
			if (bytes > MAX_ANSWER_BYTES) {
				body.destroy();
				return { failure: { kind: 'tooLarge' } };
			}
			text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
		}
	} catch (error) {
		if (deadline.aborted) return { failure: { kind: 'timeout' } };
		return {
			failure: { kind: 'connection', code: errorCode(error) || 'ECONNRESET', neverSent: false },
		};
	} finally {
		deadline.removeEventListener('abort', onAbort);
	}
	if (deadline.aborted) return { failure: { kind: 'timeout' } };
	return { text: text + decoder.decode() };
}

/**
 * Sends one request with the credential's keys and reads its whole answer within the Timeout, first byte to last.
 * Redirects are not followed: n8n would send the keys (and a 307's body) to wherever the Location points.
 */
export async function exchange(
	this: Context,
	options: IHttpRequestOptions,
	limits: Limits,
): Promise<ExchangeResult> {
	// n8n sets the request's abort signal to the execution's own (Stop), so the deadline is kept here.
	const deadline = AbortSignal.timeout(limits.timeoutMs);
	const request: IHttpRequestOptions = {
		...options,
		headers: { Accept: 'application/json', ...options.headers },
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: limits.timeoutMs,
	};
	let response: { statusCode: number; headers: IDataObject; body: unknown } | 'aborted';
	try {
		response = await beforeAbort(
			this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, request, {
				credentialsDecrypted: limits.credentials,
			}),
			deadline,
		);
	} catch (error) {
		if (limits.stop?.aborted) return { failure: { kind: 'stopped' } };
		const code = errorCode(error);
		if (TIMEOUT_CODES.has(code)) return { failure: { kind: 'timeout' } };
		return { failure: { kind: 'connection', code, neverSent: NOT_SENT_CODES.has(code) } };
	}
	if (response === 'aborted') return { failure: { kind: 'timeout' } };
	const headers = response.headers ?? {};
	const read = await readText(response.body, headers, deadline);
	if (limits.stop?.aborted) return { failure: { kind: 'stopped' } };
	return 'failure' in read
		? read
		: { answer: { statusCode: response.statusCode, headers, text: read.text } };
}
