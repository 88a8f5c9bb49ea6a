import type {
	ICredentialsDecrypted,
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { AutomationEndpoint, LookupEndpoint } from '../interfaces';
import { checkBaseUrl, shortened } from './baseUrl';
import type { ApiMessage } from './envelope';
import {
	describeApiErrors,
	describeNonEnvelope,
	envelopeOf,
	keptOfFailedAnswer,
	parseBody,
	quote,
	shapeProblem,
} from './envelope';
import { pacingOf } from './pacing';
import { rateLearnerOf } from './rate';
import { notSent, windowOf } from './window';
import { redactSecrets } from './redact';
import type { Context, ExchangeResult } from './request';
import { CREDENTIAL_TYPE, MAX_ANSWER_BYTES, exchange } from './request';
import type { RetryPolicy } from './retry';
import {
	backoffMs,
	pause,
	rateLimitBackoffMs,
	rateLimitGateOf,
	retryAfterMs,
	retryPolicyFrom,
} from './retry';

export type { ApiMessage } from './envelope';
export { describeApiErrors } from './envelope';
export { paceRequests } from './pacing';
export { RequestWindow, limitRequests, notSent, wasNotSent } from './window';
export { CREDENTIAL_TYPE } from './request';

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, without a leading slash, e.g. 'automations/details'. */
	endpoint: AutomationEndpoint | LookupEndpoint;
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

export function multipartBody(fields: Record<string, string | number | undefined>): FormData {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) {
		if (value !== undefined) form.append(name, String(value));
	}
	return form;
}

export function indexedUrlencodedBody(
	name: string,
	values: Array<string | number>,
): UrlencodedBody {
	const pairs = values.map(
		(value, index) =>
			`${encodeURIComponent(`${name}[${index}]`)}=${encodeURIComponent(String(value))}`,
	);
	return { urlencoded: pairs.join('&') };
}

/** What a run reads once: n8n reads a credential from its database each time a node asks for it. */
interface RunSettings {
	baseUrl: string;
	/** Redacted from every text an error quotes: the keys, and user info a Base URL might carry. */
	secrets: string[];
	policy: RetryPolicy;
	/** The credential, read once for the run's requests; kept out of every error (see secrets). */
	credentials: ICredentialsDecrypted;
	/** Stop in the editor, or the execution cancelled; undefined where n8n gives none (dropdowns, polls). */
	stop: AbortSignal | undefined;
}

/** Each run's settings, as a promise: the run's first requests start together, and one read serves them all. */
const settingsByRun = new WeakMap<object, Promise<RunSettings>>();

function userInfoOf(url: string): string[] {
	try {
		const { username, password } = new URL(url);
		return [username, password, decodeURIComponent(username), decodeURIComponent(password)];
	} catch {
		return [];
	}
}

function credentialIdOf(node: INode): { id: string; name: string } {
	const { id, name } = node.credentials?.[CREDENTIAL_TYPE] ?? {};
	return { id: id ?? '', name: name ?? '' };
}

async function settingsOf(this: Context, itemIndex: number | undefined): Promise<RunSettings> {
	let settings = settingsByRun.get(this);
	if (!settings) {
		settings = readSettings.call(this, itemIndex);
		settingsByRun.set(this, settings);
		// A refused Base URL fails each item with its own error, naming its index.
		settings.catch(() => settingsByRun.delete(this));
	}
	return await settings;
}

async function readSettings(this: Context, itemIndex: number | undefined): Promise<RunSettings> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE, itemIndex ?? 0);
	const rawBaseUrl = String(credentials.baseUrl ?? '');
	const secrets = [
		String(credentials.publicKey ?? ''),
		String(credentials.secretKey ?? ''),
		...userInfoOf(rawBaseUrl),
	];
	const checked = checkBaseUrl(rawBaseUrl);
	if ('problem' in checked) {
		throw new NodeOperationError(this.getNode(), redactSecrets(checked.problem, secrets), {
			description: redactSecrets(checked.fix, secrets),
			itemIndex,
		});
	}
	const options = (
		'getInputData' in this
			? this.getNodeParameter('options', 0, {})
			: this.getNodeParameter('options', {})
	) as IDataObject;
	return {
		baseUrl: checked.baseUrl,
		secrets,
		policy: retryPolicyFrom(options),
		credentials: { ...credentialIdOf(this.getNode()), type: CREDENTIAL_TYPE, data: credentials },
		stop: 'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal() : undefined,
	};
}

interface FailureDetails {
	httpCode?: number;
	description?: string;
	/** What of a failed answer the error keeps (already redacted). */
	answer?: IDataObject;
	/**
	 * The request may have reached the API and taken effect although the node cannot tell: marked as
	 * outcomeUnknown() on a request that is not safe to repeat, as mayHaveApplied() on one that is.
	 */
	mayHaveApplied?: boolean;
	/** The API's "Record not found", recognised before redaction could change its words: see recordNotFound(). */
	recordNotFound?: boolean;
	/** An earlier try of a repeatable request may have reached the API: see followedUncertainTry(). */
	afterUncertainTry?: boolean;
	/** The API had not answered when the node gave up: it may still be working on the request. */
	timedOut?: boolean;
}

function failure(
	this: Context,
	settings: RunSettings,
	request: { itemIndex: number | undefined; repeatable: boolean },
	message: string,
	details: FailureDetails,
): NodeApiError {
	const { itemIndex } = request;
	const { httpCode, answer } = details;
	const safeMessage = redactSecrets(message, settings.secrets);
	let description = details.description;
	// Keys refused may come as 401/403 or, with HTTP 200, as words about the keys.
	if (httpCode === 401 || httpCode === 403 || /\b(public|secret)\s*key\b/i.test(safeMessage)) {
		description =
			'Check the public key and secret key in the AllsTechnology API credential: copy both again from your AllsTechnology account page.';
	}
	// Built from the answer alone, never from the request, so the keys in its headers cannot reach the error.
	const errorResponse: JsonObject = { message: safeMessage, httpCode: httpCode ?? null };
	if (answer) errorResponse.response = answer as JsonObject;
	const error = new NodeApiError(this.getNode(), errorResponse, {
		message: safeMessage,
		description:
			description === undefined ? undefined : redactSecrets(description, settings.secrets),
		httpCode: httpCode === undefined ? undefined : String(httpCode),
		itemIndex,
	});
	if (details.mayHaveApplied)
		error.context[request.repeatable ? 'mayHaveApplied' : 'outcomeUnknown'] = true;
	if (details.recordNotFound) error.context.recordNotFound = true;
	if (details.afterUncertainTry) error.context.afterUncertainTry = true;
	if (details.timedOut) error.context.timedOut = true;
	return error;
}

/**
 * Whether a request that is not safe to repeat (a create) may have taken effect although its answer was lost or
 * unreadable: the node did not send it again, and the record may exist.
 */
export function outcomeUnknown(error: unknown): boolean {
	return error instanceof NodeApiError && error.context.outcomeUnknown === true;
}

/**
 * Whether a request that is safe to repeat (a delete, a pause) may have taken effect on its last try although its
 * answer was lost: a later repeat refused with "Record not found", or the status already set, is then its doing.
 */
export function mayHaveApplied(error: unknown): boolean {
	return error instanceof NodeApiError && error.context.mayHaveApplied === true;
}

/** Whether the API answered "Record not found" (or "Record Not Found"): a record it does not know, or an empty list. */
export function recordNotFound(error: unknown): boolean {
	return error instanceof NodeApiError && error.context.recordNotFound === true;
}

/** Whether the node gave up waiting for the answer: a create may still be made after the node has looked for it. */
export function timedOut(error: unknown): boolean {
	return error instanceof NodeApiError && error.context.timedOut === true;
}

/**
 * Whether the API refused a request after an earlier try of it may have gone through unanswered: "Record not
 * found" from a repeated delete then means the first try deleted it.
 */
export function followedUncertainTry(error: unknown): boolean {
	return error instanceof NodeApiError && error.context.afterUncertainTry === true;
}

function seconds(ms: number): string {
	return `${Math.ceil(ms / 1000)} s`;
}

/** Where a redirect points, for an error: its origin, or its path when it stays on the API's host; never its query. */
function redirectTarget(location: unknown, requestUrl: string, secrets: string[]): string {
	if (typeof location !== 'string' || !location.trim()) return ' and no Location';
	let target: URL;
	try {
		target = new URL(location, requestUrl);
	} catch {
		return ', a redirect to an address that is not a URL';
	}
	if (target.protocol !== 'http:' && target.protocol !== 'https:')
		return `, a redirect to a ${quote(target.protocol, secrets)} address`;
	if (target.origin === new URL(requestUrl).origin)
		return `, a redirect to ${quote(target.pathname, secrets)} on the same host`;
	return `, a redirect to ${target.origin}`;
}

/** Codes of an answer that arrived but could not be read: the HTTP parser's, and zlib's for a broken gzip body. */
const UNREADABLE_ANSWER = /^(HPE_|Z_)/;

/** A "Retry-After: 0" still waits this long, so that a run refused forever ends within its rate-limit budget. */
const MIN_RATE_LIMIT_WAIT_MS = 250;

const MAY_EXIST =
	'The node did not send it again: the request creates a record, and it may have been created before the answer was lost. Check in AllsTechnology (or with Get Many) before running this item again.';

/**
 * The only function that talks HTTP: sends one request with the credential's keys and returns the success
 * `message`, checked against the shape the endpoint documents. 429s are waited out (within the run's budget)
 * without using up tries; 5xx, broken answers, resets and timeouts are retried only for requests that are safe
 * to repeat, since a create may have gone through before its answer was lost.
 */
export async function apiRequest(
	this: Context,
	request: ApiRequest,
	itemIndex?: number,
): Promise<ApiMessage> {
	const settings = await settingsOf.call(this, itemIndex);
	const { baseUrl, policy, stop } = settings;
	const repeatable =
		request.repeatable ?? (request.method === 'GET' || request.method === 'DELETE');
	const what = `${request.method} ${request.endpoint}`;
	const url = `${baseUrl}/${request.endpoint}`;
	const options: IHttpRequestOptions = { method: request.method, url };
	if (request.utr !== undefined) options.qs = { utr: request.utr };
	if (request.body instanceof FormData) {
		options.body = request.body;
	} else if (request.body) {
		options.body = request.body.urlencoded;
		options.headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
	}
	const fail = (message: string, details: FailureDetails) =>
		failure.call(this, settings, { itemIndex, repeatable }, message, details);
	const gate = rateLimitGateOf(this);
	const pacing = pacingOf(this);
	const window = windowOf(this);
	const rate = rateLearnerOf(this);
	const stopped = () =>
		new NodeOperationError(this.getNode(), `The execution was stopped before ${what} finished`, {
			itemIndex,
		});

	// Set once a try may have reached the API although its answer was lost: a later "not found" may be its doing.
	let earlierTryUncertain = false;
	let rateLimitRefusals = 0;
	for (let tries = 1; ; ) {
		const triesLeft = tries < policy.maxTries;
		/** False when the run was stopped during the pause. */
		const retry = async (uncertain: boolean): Promise<boolean> => {
			earlierTryUncertain ||= uncertain;
			tries++;
			return await pause(backoffMs(tries - 1), stop);
		};

		if (!(await gate.waitUntilOpen(stop))) throw stopped();
		let result: ExchangeResult | undefined;
		let roundTripMs: number | undefined;
		let sentAt = Date.now();
		try {
			// A 429 heard while this request waited for its turn holds it back too: it waits, then takes a new turn.
			while (pacing) {
				if (!(await pause(pacing.takeTurn(Date.now(), window?.current ?? 1, rate.spacingMs), stop)))
					throw stopped();
				if (gate.resumesAt <= Date.now()) break;
				if (!(await gate.waitUntilOpen(stop))) throw stopped();
			}
			// An item failed while this one waited for its turn: it sends nothing unless it had begun (a read-back).
			if (window && !window.maySend(itemIndex)) throw notSent(this.getNode(), itemIndex);
			sentAt = Date.now();
			rate.sent(sentAt);
			result = await exchange.call(this, options, {
				timeoutMs: policy.timeoutMs,
				stop,
				credentials: settings.credentials,
			});
			if ('answer' in result) roundTripMs = Date.now() - sentAt;
		} finally {
			window?.observe({
				roundTripMs,
				rateLimited: result !== undefined && 'answer' in result && result.answer.statusCode === 429,
			});
		}
		if (roundTripMs !== undefined) pacing?.recordRoundTrip(roundTripMs);
		if ('answer' in result && result.answer.statusCode !== 429) rate.succeeded(sentAt);
		if ('failure' in result) {
			const { failure: why } = result;
			if (why.kind === 'stopped') throw stopped();
			if (why.kind === 'tooLarge') {
				throw fail(
					`AllsTechnology's answer to ${what} is larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB, more than the node reads`,
					{
						description: repeatable
							? 'Check the Base URL in the credential: the API does not answer this much.'
							: MAY_EXIST,
						mayHaveApplied: true,
					},
				);
			}
			const neverSent = why.kind === 'connection' && why.neverSent;
			if ((repeatable || neverSent) && triesLeft) {
				if (!(await retry(!neverSent))) throw stopped();
				continue;
			}
			if (why.kind === 'timeout') {
				throw fail(`AllsTechnology did not answer ${what} within ${seconds(policy.timeoutMs)}`, {
					description: repeatable
						? `Tried ${tries} ${tries === 1 ? 'time' : 'times'}. Try again later, or raise Timeout in the node's Options.`
						: MAY_EXIST,
					mayHaveApplied: true,
					timedOut: true,
				});
			}
			// The code stays out of the message: n8n would replace a message naming it with a generic sentence.
			const code = why.code ? ` (${why.code})` : '';
			if (UNREADABLE_ANSWER.test(why.code)) {
				throw fail(`AllsTechnology's answer to ${what} could not be read`, {
					description: repeatable
						? `The answer was malformed${code} ${tries} ${tries === 1 ? 'time' : 'times'}. The API or a proxy in front of it is having trouble: try again later; if it persists, check that the Base URL in the credential is right.`
						: `The answer was malformed${code}. ${MAY_EXIST}`,
					mayHaveApplied: true,
				});
			}
			throw fail(`Could not reach AllsTechnology at ${shortened(baseUrl)}`, {
				description:
					repeatable || neverSent
						? `The connection failed${code} after ${tries} ${tries === 1 ? 'try' : 'tries'}. Check that the Base URL in the credential is right and that the server answers.`
						: `The connection failed${code} during ${what}. ${MAY_EXIST}`,
				mayHaveApplied: !neverSent,
			});
		}

		const { statusCode, headers, text } = result.answer;
		if (statusCode >= 300 && statusCode < 400) {
			// A create may be redirected after it was made (post/redirect/get): it is looked for like a lost answer.
			throw fail(
				`AllsTechnology answered ${what} with HTTP ${statusCode}${redirectTarget(headers.location, url, settings.secrets)}, which the node does not follow`,
				{
					httpCode: statusCode,
					description: repeatable
						? "Check the Base URL in the AllsTechnology API credential: it must be the API's own address (e.g. https://mail.allstechnology.com/api), which answers without redirecting. Nothing was sent to where it points."
						: MAY_EXIST,
					mayHaveApplied: true,
				},
			);
		}
		if (statusCode === 429) {
			// Refused before it was processed: sending it again is safe even for a create, and costs no try.
			const askedMs = retryAfterMs(headers['retry-after'], headers.date);
			const waitMs = Math.max(
				MIN_RATE_LIMIT_WAIT_MS,
				askedMs ?? rateLimitBackoffMs(++rateLimitRefusals),
			);
			if (gate.holdBack(waitMs, policy.rateLimitWaitMs)) {
				rate.refused(sentAt, gate.resumesAt);
				continue;
			}
			throw fail('AllsTechnology is rate-limiting requests (HTTP 429 Too Many Requests)', {
				httpCode: statusCode,
				description:
					(askedMs === undefined
						? 'It gave no Retry-After.'
						: `It asked to wait ${seconds(askedMs)}.`) +
					` The run has waited ${seconds(gate.budgetUsedMs)} for it in all, and waits at most ${seconds(policy.rateLimitWaitMs)} (Options → Rate Limit Wait). Run the workflow again later, send fewer items at once, or raise Rate Limit Wait.`,
			});
		}

		const body = parseBody(text);
		const envelope = envelopeOf(body);
		if (statusCode >= 500 || !envelope) {
			// A 503 with Retry-After (a server in maintenance) is waited out like a 429, but still uses a try.
			const askedMs =
				statusCode === 503 ? retryAfterMs(headers['retry-after'], headers.date) : undefined;
			const wantsRetry = repeatable && triesLeft;
			const waitRefused =
				wantsRetry && askedMs !== undefined && !gate.holdBack(askedMs, policy.rateLimitWaitMs);
			if (wantsRetry && !waitRefused) {
				if (!(await retry(true))) throw stopped();
				continue;
			}
			const words = envelope
				? (describeApiErrors(envelope.errors) ?? describeApiErrors(envelope.message))
				: undefined;
			const tooLong = waitRefused
				? ` It asked to wait ${seconds(askedMs ?? 0)}, longer than the run may still wait (Options → Rate Limit Wait).`
				: '';
			throw fail(
				envelope
					? `AllsTechnology answered ${what} with HTTP ${statusCode}${words ? `: ${quote(words, settings.secrets)}` : ''}`
					: `AllsTechnology answered ${what} with HTTP ${statusCode} and ${describeNonEnvelope(body)}${text.trim() ? `: ${quote(text, settings.secrets)}` : ''}`,
				{
					httpCode: statusCode,
					description: repeatable
						? `Tried ${tries} ${tries === 1 ? 'time' : 'times'}.${tooLong} The API or a proxy in front of it is having trouble: try again later; if it persists, check that the Base URL in the credential ends in /api.`
						: MAY_EXIST,
					mayHaveApplied: true,
				},
			);
		}

		if (envelope.status === 'failed' || statusCode < 200 || statusCode > 299) {
			const words = describeApiErrors(envelope.errors) ?? describeApiErrors(envelope.message);
			throw fail(
				words
					? quote(words, settings.secrets)
					: `AllsTechnology answered ${what} with HTTP ${statusCode}`,
				{
					httpCode: statusCode,
					answer: keptOfFailedAnswer(envelope, settings.secrets),
					afterUncertainTry: earlierTryUncertain,
					recordNotFound: /^record not found\.?$/i.test(words ?? ''),
				},
			);
		}
		const problem =
			envelope.status === 'success'
				? shapeProblem(request.endpoint, envelope.message)
				: 'an answer with "status": "success"';
		if (problem) {
			throw fail(
				`AllsTechnology answered ${what} with something the node does not know: ${quote(text, settings.secrets)}`,
				{
					httpCode: statusCode,
					description: `The API documents ${problem} here. ${
						repeatable
							? "Check that the Base URL in the credential is the API's address, ending in /api."
							: 'The record may have been created: check in AllsTechnology (or with Get Many) before running this item again.'
					}`,
					mayHaveApplied: true,
				},
			);
		}
		return envelope.message as ApiMessage;
	}
}
