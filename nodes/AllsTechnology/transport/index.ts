import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

export const CREDENTIAL_TYPE = 'allsTechnologyApi';

type Context = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, without a leading slash, e.g. 'automations/details'. */
	endpoint: string;
	/** Sent as the query parameter `utr`, percent-encoded. */
	utr?: string;
	body?: FormData | UrlencodedBody;
	/** Whether sending it twice does no harm; by default GETs and DELETEs are, other methods not. */
	repeatable?: boolean;
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

/** Each run's Base URL, read once: n8n reads a credential from its database each time a node asks for it. */
const baseUrlByRun = new WeakMap<object, string>();

async function resolveBaseUrl(this: Context, itemIndex: number | undefined): Promise<string> {
	const known = baseUrlByRun.get(this);
	if (known !== undefined) return known;
	const credentials = await this.getCredentials(CREDENTIAL_TYPE, itemIndex ?? 0);
	const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
	if (!/^https?:\/\/[^/]/i.test(baseUrl)) {
		throw new NodeOperationError(this.getNode(), `The credential's Base URL "${baseUrl}" is not an http(s) address`, {
			description: 'Set Base URL in the AllsTechnology API credential to https://mail.allstechnology.com/api, or to the address of your installation.',
			itemIndex,
		});
	}
	baseUrlByRun.set(this, baseUrl);
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

/** How hard the transport tries; the node's Options set them. */
interface RetryPolicy {
	/** Tries in all, the first included: 1 sends once. */
	maxTries: number;
	/** How long one request may take, in milliseconds. */
	timeoutMs: number;
}

const DEFAULT_RETRY_POLICY: RetryPolicy = { maxTries: 3, timeoutMs: 30_000 };

/** The longest Retry-After the node honours; a longer one ends the tries at once. */
export const MAX_RETRY_AFTER_MS = 60_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 8_000;

/** Connection failures that happen before a request reaches the server: repeating it cannot duplicate anything. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

function retryPolicyOf(this: Context, itemIndex: number | undefined): RetryPolicy {
	const options = (
		'getInputData' in this
			? this.getNodeParameter('options', itemIndex ?? 0, {})
			: this.getNodeParameter('options', {})
	) as IDataObject;
	const maxTries = Number(options.maxTries ?? DEFAULT_RETRY_POLICY.maxTries);
	const timeoutSeconds = Number(options.timeout ?? DEFAULT_RETRY_POLICY.timeoutMs / 1000);
	return {
		maxTries: Number.isInteger(maxTries) && maxTries >= 1 ? Math.min(maxTries, 10) : DEFAULT_RETRY_POLICY.maxTries,
		timeoutMs: timeoutSeconds > 0 ? timeoutSeconds * 1000 : DEFAULT_RETRY_POLICY.timeoutMs,
	};
}

/** Exponential, with jitter so that requests slowed together do not come back together. */
function backoffMs(attempt: number): number {
	const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: unknown, now = Date.now()): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string' || !value.trim()) return undefined;
	if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * A 429 slows every request of the same node run, not only the one that saw it: the first to hear it sets when
 * the API may be asked again, and every request waits for that moment before it goes out.
 */
const resumeAtByRun = new WeakMap<object, number>();

async function waitUntilResumed(run: object): Promise<void> {
	for (let resumeAt = resumeAtByRun.get(run) ?? 0; resumeAt > Date.now(); resumeAt = resumeAtByRun.get(run) ?? 0) {
		await sleep(resumeAt - Date.now());
	}
}

function pauseRun(run: object, waitMs: number): void {
	resumeAtByRun.set(run, Math.max(resumeAtByRun.get(run) ?? 0, Date.now() + waitMs));
}

/**
 * Requests of one node run leave evenly spaced, not in bursts: with N items in flight (Batching → Items Per Batch),
 * each leaves no sooner than an N-th of the shortest round trip seen after the one before. N answers arriving
 * together would queue behind each other in n8n's one thread, and the N requests after them would leave together
 * again, every round. Runs the router does not pace (with a Batch Interval, whose batches go out whole; dropdowns;
 * the trigger) send at once.
 */
interface Pacing {
	inFlight: number;
	/** When the last request of the run left, or is due to leave. */
	lastTurnAt: number;
	shortestRoundTripMs?: number;
}

const pacingByRun = new WeakMap<object, Pacing>();

export function paceRequests(run: object, inFlight: number): void {
	pacingByRun.set(run, { inFlight, lastTurnAt: 0 });
}

async function waitForTurn(pacing: Pacing): Promise<void> {
	const now = Date.now();
	const spacing = (pacing.shortestRoundTripMs ?? 0) / pacing.inFlight;
	const turn = Math.max(now, pacing.lastTurnAt + spacing);
	pacing.lastTurnAt = turn;
	if (turn - now >= 1) await sleep(turn - now);
}

/** One try, in its turn and after any pause a 429 asked for. */
async function send(this: Context, options: IHttpRequestOptions): Promise<HttpResponse> {
	const pacing = pacingByRun.get(this);
	if (pacing) await waitForTurn(pacing);
	await waitUntilResumed(this);
	const sentAt = Date.now();
	const response: HttpResponse = await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options);
	if (pacing) pacing.shortestRoundTripMs = Math.min(pacing.shortestRoundTripMs ?? Infinity, Date.now() - sentAt);
	return response;
}

function seconds(ms: number): string {
	return `${Math.ceil(ms / 1000)} s`;
}

interface HttpResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

function isJsonObject(body: unknown): body is IDataObject {
	return typeof body === 'object' && body !== null && !Array.isArray(body);
}

/**
 * The only function that talks HTTP: sends one request with the credential's keys and returns the success
 * `message`. 429s are waited out and retried; 5xx, broken answers, resets and timeouts are retried only for
 * requests that are safe to repeat, since a create may have gone through before its answer was lost.
 */
export async function apiRequest(this: Context, request: ApiRequest, itemIndex?: number): Promise<ApiMessage> {
	const baseUrl = await resolveBaseUrl.call(this, itemIndex);
	const policy = retryPolicyOf.call(this, itemIndex);
	const repeatable = request.repeatable ?? (request.method === 'GET' || request.method === 'DELETE');
	const what = `${request.method} ${request.endpoint}`;
	const notRepeated = {
		description:
			'The node did not send it again: the request creates a record, and it may have been created before the answer was lost. Check in AllsTechnology (or with Get Many) before running this item again.',
	};

	// Set once a try may have reached the API although its answer was lost: a later "not found" may be its doing.
	let earlierTryUncertain = false;
	for (let attempt = 1; ; attempt++) {
		const triesLeft = attempt < policy.maxTries;
		const options: IHttpRequestOptions = {
			method: request.method,
			url: `${baseUrl}/${request.endpoint}`,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: policy.timeoutMs,
		};
		if (request.utr !== undefined) options.qs = { utr: request.utr };
		if (request.body instanceof FormData) {
			options.body = request.body;
		} else if (request.body) {
			options.body = request.body.urlencoded;
			options.headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
		}

		let response: HttpResponse;
		try {
			response = await send.call(this, options);
		} catch (error) {
			const reason = (error as JsonObject).cause as JsonObject | undefined;
			const code = String(reason?.code ?? (error as JsonObject).code ?? '');
			const neverSent = NOT_SENT_CODES.has(code);
			if ((repeatable || neverSent) && triesLeft) {
				earlierTryUncertain ||= !neverSent;
				await sleep(backoffMs(attempt));
				continue;
			}
			// The code stays out of the message: n8n would replace a message naming it with a generic sentence.
			if (TIMEOUT_CODES.has(code)) {
				throw failure.call(this, itemIndex, `AllsTechnology did not answer ${what} within ${seconds(policy.timeoutMs)}`, {
					description: repeatable || neverSent
						? `Tried ${attempt} times. Try again later, or raise Timeout in the node's Options.`
						: notRepeated.description,
				});
			}
			throw failure.call(this, itemIndex, `Could not reach AllsTechnology at ${baseUrl}`, {
				description:
					repeatable || neverSent
						? `The connection failed${code ? ` (${code})` : ''} after ${attempt} ${attempt === 1 ? 'try' : 'tries'}. Check that the Base URL in the credential is right and that the server answers.`
						: `The connection failed${code ? ` (${code})` : ''} during ${what}. ${notRepeated.description}`,
			});
		}

		const { statusCode, headers, body } = response;
		if (statusCode === 429) {
			const askedMs = retryAfterMs(headers['retry-after']);
			const waitMs = askedMs ?? backoffMs(attempt);
			if (triesLeft && waitMs <= MAX_RETRY_AFTER_MS) {
				pauseRun(this, waitMs);
				continue;
			}
			throw failure.call(this, itemIndex, `AllsTechnology is rate-limiting requests (HTTP 429 Too Many Requests)`, {
				httpCode: statusCode,
				description:
					(askedMs === undefined
						? `It gave no Retry-After; the node tried ${attempt} times with growing pauses.`
						: askedMs > MAX_RETRY_AFTER_MS
							? `It asked to wait ${seconds(askedMs)}, longer than the node waits (${seconds(MAX_RETRY_AFTER_MS)}).`
							: `It asked to wait ${seconds(askedMs)}; the node tried ${attempt} times.`) +
					' Run the workflow again later, or send fewer items at once.',
			});
		}

		const answered = isJsonObject(body);
		if (statusCode >= 500 || !answered) {
			if (repeatable && triesLeft) {
				earlierTryUncertain = true;
				await sleep(backoffMs(attempt));
				continue;
			}
			const words = answered ? describeApiErrors(body.errors) ?? describeApiErrors(body.message) : undefined;
			throw failure.call(
				this,
				itemIndex,
				answered
					? `AllsTechnology answered HTTP ${statusCode}${words ? `: ${words}` : ''}`
					: `AllsTechnology answered HTTP ${statusCode} with a body that is not JSON`,
				{
					httpCode: statusCode,
					description: repeatable
						? `Tried ${attempt} ${attempt === 1 ? 'time' : 'times'}. The API or a proxy in front of it is having trouble: try again later; if it persists, check the Base URL.`
						: notRepeated.description,
				},
			);
		}
		return interpretAnswer.call(this, itemIndex, statusCode, body, earlierTryUncertain);
	}
}

/**
 * Whether the API refused a request after an earlier try of it may have gone through unanswered: "Record not
 * found" from a repeated delete then means the first try deleted it.
 */
export function followedUncertainTry(error: unknown): boolean {
	return error instanceof NodeApiError && error.context.afterUncertainTry === true;
}

/** A JSON answer below 500: `"status": "failed"` or a 4xx is a failure in the API's words, anything else success. */
function interpretAnswer(
	this: Context,
	itemIndex: number | undefined,
	statusCode: number,
	envelope: IDataObject,
	earlierTryUncertain: boolean,
): ApiMessage {
	if (envelope.status === 'failed' || statusCode < 200 || statusCode > 299) {
		const words =
			describeApiErrors(envelope.errors) ??
			describeApiErrors(envelope.message) ??
			`AllsTechnology answered HTTP ${statusCode}`;
		const error = failure.call(this, itemIndex, words, { httpCode: statusCode, response: envelope });
		if (earlierTryUncertain) error.context.afterUncertainTry = true;
		throw error;
	}
	return envelope.message as ApiMessage;
}
