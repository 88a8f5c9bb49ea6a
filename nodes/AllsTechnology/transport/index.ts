import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

export const CREDENTIAL_TYPE = 'allsTechnologyApi';

type Context = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, without a leading slash, e.g. 'automations/details'. */
	endpoint: string;
	/** Sent as the query parameter `utr`, percent-encoded. */
	utr?: string;
	body?: FormData | UrlencodedBody;
}

/** A urlencoded body written by hand, so that arrays keep the indexes the API expects (`strIds[0]=8`). */
export interface UrlencodedBody {
	urlencoded: string;
}

/** The `message` of a `"status": "success"` answer: an object for reads and creates, a string for actions. */
export type ApiMessage = IDataObject | string;

export function multipartBody(fields: Record<string, string | number | undefined>): FormData {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) {
		if (value !== undefined) form.append(name, String(value));
	}
	return form;
}

export function indexedUrlencodedBody(name: string, values: Array<string | number>): UrlencodedBody {
	const pairs = values.map(
		(value, index) =>
			`${encodeURIComponent(`${name}[${index}]`)}=${encodeURIComponent(String(value))}`,
	);
	return { urlencoded: pairs.join('&') };
}

async function resolveBaseUrl(this: Context, itemIndex: number | undefined): Promise<string> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE, itemIndex ?? 0);
	const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
	if (!/^https?:\/\/[^/]/i.test(baseUrl)) {
		throw new NodeOperationError(this.getNode(), `The credential's Base URL "${baseUrl}" is not an http(s) address`, {
			description: 'Set Base URL in the AllsTechnology API credential to https://mail.allstechnology.com/api, or to the address of your installation.',
			itemIndex,
		});
	}
	return baseUrl;
}

/** Turns the `errors` of a failed answer into the API's own words: a string, or every field's messages in order. */
export function describeApiErrors(errors: unknown): string | undefined {
	if (typeof errors === 'string') return errors.trim() || undefined;
	if (Array.isArray(errors)) {
		const words = errors.map(describeApiErrors).filter((text): text is string => !!text);
		return words.length ? words.join(' ') : undefined;
	}
	if (errors && typeof errors === 'object') {
		const words = Object.values(errors as IDataObject)
			.map(describeApiErrors)
			.filter((text): text is string => !!text);
		return words.length ? words.join(' ') : undefined;
	}
	return undefined;
}

function failure(
	this: Context,
	itemIndex: number | undefined,
	message: string,
	details: { httpCode?: number; description?: string; response?: unknown },
): NodeApiError {
	const { httpCode, response } = details;
	let description = details.description;
	// Keys refused may come as 401/403 or, with HTTP 200, as words about the keys.
	if (httpCode === 401 || httpCode === 403 || /\b(public|secret)\s*key\b/i.test(message)) {
		description =
			'Check the public key and secret key in the AllsTechnology API credential: copy both again from your AllsTechnology account page.';
	}
	// Built from the answer alone, never from the request, so the keys in its headers cannot reach the error.
	const errorResponse: JsonObject = { message, httpCode: httpCode ?? null };
	if (response !== undefined) errorResponse.response = response as JsonObject;
	return new NodeApiError(this.getNode(), errorResponse, {
		message,
		description,
		httpCode: httpCode === undefined ? undefined : String(httpCode),
		itemIndex,
	});
}

/** The only function that talks HTTP: sends one request with the credential's keys and returns the success `message`. */
export async function apiRequest(this: Context, request: ApiRequest, itemIndex?: number): Promise<ApiMessage> {
	const baseUrl = await resolveBaseUrl.call(this, itemIndex);
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}/${request.endpoint}`,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	if (request.utr !== undefined) options.qs = { utr: request.utr };
	if (request.body instanceof FormData) {
		options.body = request.body;
	} else if (request.body) {
		options.body = request.body.urlencoded;
		options.headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
	}

	let response: { statusCode: number; body: unknown };
	try {
		response = await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options);
	} catch (error) {
		const reason = (error as JsonObject).cause as JsonObject | undefined;
		const code = (reason?.code ?? (error as JsonObject).code) as string | undefined;
		// The code stays out of the message: n8n would replace a message naming it with a generic sentence.
		throw failure.call(this, itemIndex, `Could not reach AllsTechnology at ${baseUrl}`, {
			description: `The connection failed${code ? ` (${code})` : ''}. Check that the Base URL in the credential is right and that the server answers.`,
		});
	}

	const { statusCode, body } = response;
	const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
	if (!isObject) {
		throw failure.call(this, itemIndex, `AllsTechnology answered HTTP ${statusCode} with a body that is not JSON`, {
			httpCode: statusCode,
			description: 'The API or a proxy in front of it sent a page instead of data. Try again later; if it persists, check the Base URL.',
		});
	}
	const envelope = body as IDataObject;
	if (envelope.status === 'failed' || statusCode < 200 || statusCode > 299) {
		const words =
			describeApiErrors(envelope.errors) ??
			describeApiErrors(envelope.message) ??
			`AllsTechnology answered HTTP ${statusCode}`;
		throw failure.call(this, itemIndex, words, { httpCode: statusCode, response: envelope });
	}
	return envelope.message as ApiMessage;
}
