/**
 * A faithful, stateful, in-memory HTTP server of the AllsTechnology automation API, for tests and demos: the 11
 * automation endpoints and the 6 lookup endpoints, under the /api/ prefix, with the documented envelopes,
 * strings and records. Node's `http` module only.
 *
 * Where the vendor's docs are silent, the choices it makes are listed in sandbox/README.md (numbered; every
 * wording and code is in SANDBOX_CHOICES below).
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

import {
	getOwn,
	headersOf,
	InputBag,
	InputValue,
	normalizeInput,
	parseBody,
	parseHeaderValue,
	parseQuery,
} from './body';
import type { ParsedBody } from './body';
import { FAULT_ANSWERS, FaultCount, FaultCounters, FaultPlan } from './faults';
import { routeKeyOf } from './route';
import { SEED_USER_ID, createSeedState, withScheduleUrls } from './seed';
import type { FailedEnvelope, SuccessEnvelope } from '../nodes/shared/interfaces';
import type { AutomationRecord, SandboxState, ScheduleRecord } from './types';
import { UtrGenerator } from './utr';

export type {
	AutomationRecord,
	ContactRecord,
	ContactTypeRecord,
	ReservedFieldRecord,
	SandboxState,
	ScheduleRecord,
	SegmentRecord,
	TemplateRecord,
	UnsubscribeGroupRecord,
} from './types';
export { UTR_PATTERN } from './utr';
export { createSeedState } from './seed';
export { FAULT_ANSWERS, FAULT_KINDS, REDIRECT_STATUSES } from './faults';
export type { FaultCount } from './faults';
export { routeKeyOf } from './route';
export { startRecordingServer } from './recorder';
export type { RecordingServer, RecordingServerOptions, ReceivedRequest } from './recorder';

export const SANDBOX_PUBLIC_KEY = 'sandbox-public-key';
export const SANDBOX_SECRET_KEY = 'sandbox-secret-key';

/** 'http200': every failure answers HTTP 200 with the failed body; 'httpError': failures answer 4xx with the same body. */
export type FailureStatusMode = 'http200' | 'httpError';

export interface SandboxOptions {
	/** Default 0: any free port. */
	port?: number;
	/** Default '127.0.0.1'. */
	host?: string;
	/** Default SANDBOX_PUBLIC_KEY. */
	publicKey?: string;
	/** Default SANDBOX_SECRET_KEY. */
	secretKey?: string;
	/** Default 'httpError'. */
	failureStatusMode?: FailureStatusMode;
	/** Called once each request has been answered (its record complete). */
	onRequest?: (request: RecordedRequest) => void;
}

export interface RecordedRequest {
	/** 'GET' */
	method: string;
	/** The pathname as received, e.g. '/api/automations/details'. */
	path: string;
	/** Exactly as received after '?', '' when none. */
	rawQuery: string;
	/** Decoded; a repeated key gives an array. */
	query: Record<string, string | string[]>;
	/** Lower-cased names, values as received (repeated ones joined with ', '). */
	headers: Record<string, string>;
	/** The media type alone, lower-cased, e.g. 'multipart/form-data'; undefined without a Content-Type. */
	contentType: string | undefined;
	/** 'none' for an empty body, otherwise from the Content-Type. */
	bodyEncoding: 'none' | 'multipart' | 'urlencoded' | 'json' | 'other';
	/** The body bytes as UTF-8 text. */
	rawBody: string;
	/** Body fields decoded, names literal as sent; JSON top-level values stringified; multipart text parts only. */
	fields: Record<string, string>;
	/** The HTTP status the sandbox answered (0 while unanswered, or if the client went away first). */
	status: number;
	/**
	 * The JSON body the sandbox answered; the text of a non-JSON answer (faults badGatewayHtml and
	 * malformedJson); undefined while unanswered or for a dropped connection.
	 */
	response: unknown;
	/** The injected fault that fired for this request (see Fault); absent when none did. */
	fault?: FaultKind;
}

export type FaultKind =
	| 'latency'
	| 'rateLimit'
	| 'serverError'
	| 'badGatewayHtml'
	| 'dropConnection'
	| 'malformedJson'
	| 'slowBody'
	| 'redirect'
	| 'echoKeys'
	| 'trickle'
	| 'fixedBody'
	| 'hugeBody'
	| 'tokenBucket';

/** A fault to inject (choice 19 in sandbox/README.md). */
export interface Fault {
	kind: FaultKind;
	/**
	 * Inject on every Nth matching request, counting matching requests from when the fault was added: 1
	 * (default) = every one, 2 = the 2nd, 4th, … With `times: 1`, exactly the Nth matching request is faulted.
	 */
	every?: number;
	/** Inject at most this many times (default: no limit). */
	times?: number;
	/** Only requests this returns true for (default: all). Called with the request as recorded so far (method, path, rawQuery, query, headers, fields known). */
	match?: (request: RecordedRequest) => boolean;
	/**
	 * Only requests of this route (default: all), a shortcut for `match`: 'POST automations/create' (the exact
	 * method, HEAD is not GET, and the route key routeKeyOf gives, so '/api//automations/create/' matches) or
	 * 'automations/create' (any method). With `match` too, a request must pass both.
	 */
	route?: string;
	/**
	 * serverError, badGatewayHtml, dropConnection, malformedJson, redirect, echoKeys, fixedBody, hugeBody: true
	 * = the endpoint runs first (its effect on the state is applied, e.g. the automation IS created) and only
	 * its answer is replaced/lost; false (default) = the endpoint never runs. slowBody and trickle always run
	 * the endpoint (their answer is the endpoint's); latency, rateLimit and tokenBucket ignore it.
	 */
	afterApplying?: boolean;
	/**
	 * latency: milliseconds to wait before handling the request (default 40); slowBody: milliseconds over which
	 * the answer's body trickles out in small chunks (default 200); trickle: milliseconds between two bytes of
	 * the body (default 50).
	 */
	ms?: number;
	/**
	 * latency: also waits until this promise settles, after `ms` (give `ms: 0` to wait for it alone): a test holds
	 * one answer back until other requests have arrived, which no number of milliseconds can promise on a busy
	 * machine.
	 */
	until?: Promise<unknown>;
	/** rateLimit: the Retry-After header value exactly as to send ('1', or an HTTP date); undefined = no Retry-After header. */
	retryAfter?: string;
	/**
	 * rateLimit: send Retry-After as an HTTP date this many whole seconds after the answer's own Date header
	 * (instead of `retryAfter`, not with it).
	 */
	retryAfterDateSeconds?: number;
	/** rateLimit: the answer's Date header is this many whole seconds off the real clock (a server whose clock is off; may be negative). */
	clockSkewSeconds?: number;
	/**
	 * redirect: 301, 302 (default), 303, 307 or 308. echoKeys: default 401, or 200 in 'http200' mode.
	 * fixedBody: default 200. Others ignore it. echoKeys and fixedBody accept 200–599.
	 */
	status?: number;
	/** redirect (required): the Location header, a full http(s) URL. */
	location?: string;
	/** echoKeys: also answer every request header (`headers`, as recorded) and the PublicKey header (`message`). */
	echoHeaders?: boolean;
	/** fixedBody: headers to send, replacing the defaults of the same name (Content-Length, and the JSON ones for a JSON body). */
	headers?: Record<string, string>;
	/** fixedBody (required): a string is sent as is (with no Content-Type unless `headers` has one); any other value is sent as JSON with the usual JSON headers. */
	body?: unknown;
	/** hugeBody: the body's size, about (default 8 MiB): whole records are added until it is at least this. */
	bytes?: number;
	/** tokenBucket: tokens added per second (default 20). */
	ratePerSecond?: number;
	/** tokenBucket: the bucket's size, and the tokens it starts with (default 5). */
	burst?: number;
}

export interface Sandbox {
	/** e.g. 'http://127.0.0.1:41234/api' (no trailing slash). */
	baseUrl: string;
	port: number;
	/** Every request received, in order of arrival, refused ones included. */
	requests: RecordedRequest[];
	/** Settable at any time. */
	failureStatusMode: FailureStatusMode;
	/** The live records. */
	state: SandboxState;
	/** Faults to inject (choice 19 in sandbox/README.md); settable at any time, empty by default. */
	faults: Fault[];
	/** What `fault` (one of `faults`, the same object) has counted; undefined when it has seen no request yet. */
	faultCount(fault: Fault): FaultCount | undefined;
	/**
	 * Back to the seed records, requests cleared, mode back to the option's, faults emptied (a new array) and
	 * their counters forgotten, requests still delayed by a fault abandoned.
	 */
	reset(): void;
	clearRequests(): void;
	close(): Promise<void>;
}

/** Every behaviour the docs leave open, in one place (the choices in sandbox/README.md). */
export const SANDBOX_CHOICES = {
	/** HTTP status per failure kind in 'httpError' mode ('http200' mode answers 200 for all of them). */
	failureHttpStatus: { validation: 422, notFound: 404, auth: 401, businessRule: 400 },
	/** Statuses of transport-level refusals, the same in both modes. */
	transportHttpStatus: {
		unknownPath: 404,
		wrongMethod: 405,
		malformedBody: 400,
		bodyTooLarge: 413,
		internal: 500,
	},
	wrongKeysError: 'Invalid public key or secret key',
	pauseNotLiveError: 'We allow pause only live automation',
	unknownPathError: (path: string): string =>
		`The route ${path.replace(/^\/+/, '')} could not be found.`,
	wrongMethodError: (method: string, allowed: string[]): string =>
		`The ${method} method is not supported for this route. Supported methods: ${allowed.join(', ')}.`,
	bodyTooLargeError: 'The request body is larger than 10 MiB.',
	maxBodyBytes: 10 * 1024 * 1024,
	automationTypeCodes: { custom: 0, welcome: 1 } as Record<string, number>,
	newAutomationDefaults: { user_id: SEED_USER_ID, exit_criteria: 1 },
	liveAtUtcOffsetHours: 6,
	emptyAutomationListFails: true,
	emptyScheduleListFails: true,
} as const;

/** The documented strings. */
const DOC = {
	recordNotFoundTitle: 'Record Not Found',
	recordNotFound: 'Record not found',
	unsubscribeGroupRequired: 'Unsubscribe group require to live automation',
	paused: 'Automation Paused Successfully',
	setLive: 'Automation has been set live',
	deleted: 'Deleted Successfully',
	scheduleAdded: 'Schedule Added',
} as const;

type FailureKind = keyof typeof SANDBOX_CHOICES.failureHttpStatus;
type Outcome = SuccessEnvelope<unknown> | (FailedEnvelope & { kind: FailureKind });

const success = (message: unknown): Outcome => ({ status: 'success', message });
const failure = (kind: FailureKind, errors: FailedEnvelope['errors']): Outcome => ({
	status: 'failed',
	kind,
	errors,
});

// ---------------------------------------------------------------------------------------------------------
// Time and formatting

/** Laravel's JSON form of a timestamp: '2023-11-27T12:03:01.000000Z'. */
function isoTimestamp(ms: number): string {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, '.000000Z');
}

/** live_at's form: 'YYYY-MM-DD HH:MM:SS' in UTC+06:00. */
function liveAtTimestamp(ms: number): string {
	const shifted = new Date(
		Math.floor(ms / 1000) * 1000 + SANDBOX_CHOICES.liveAtUtcOffsetHours * 3600 * 1000,
	);
	return shifted.toISOString().slice(0, 19).replace('T', ' ');
}

// ---------------------------------------------------------------------------------------------------------
// Laravel-style validation

type Rule =
	| { rule: 'required' }
	| { rule: 'integer' }
	| { rule: 'array' }
	| { rule: 'text' }
	| { rule: 'in'; values: readonly string[] }
	| { rule: 'pattern'; pattern: RegExp };

const required: Rule = { rule: 'required' };
const integer: Rule = { rule: 'integer' };
const array: Rule = { rule: 'array' };
const text: Rule = { rule: 'text' };
const oneOf = (...values: string[]): Rule => ({ rule: 'in', values });

/** Laravel's attribute name: snake_case, underscores as spaces ('strIds' → 'str ids'). */
function attributeName(field: string): string {
	return field
		.replace(/([a-z0-9])([A-Z])/g, '$1_$2')
		.toLowerCase()
		.replace(/_/g, ' ');
}

function isEmptyValue(value: InputValue | undefined): boolean {
	if (value === undefined || value === null) return true;
	if (typeof value === 'string') return value.trim() === '';
	if (Array.isArray(value)) return value.length === 0;
	if (typeof value === 'object') return Object.keys(value).length === 0;
	return false;
}

function isLaravelInteger(value: InputValue | undefined): boolean {
	if (typeof value === 'number') return Number.isInteger(value);
	if (typeof value === 'string') return /^[+-]?(0|[1-9][0-9]*)$/.test(value.trim());
	return false;
}

function isCollection(
	value: InputValue | undefined,
): value is InputValue[] | { [key: string]: InputValue } {
	return value !== null && typeof value === 'object';
}

function ruleMessage(rule: Rule, attribute: string): string {
	switch (rule.rule) {
		case 'required':
			return `The ${attribute} field is required.`;
		case 'integer':
			return `The ${attribute} must be an integer.`;
		case 'array':
			return `The ${attribute} must be an array.`;
		case 'text':
			return `The ${attribute} must be a string.`;
		default:
			return `The selected ${attribute} is invalid.`;
	}
}

function passes(rule: Rule, value: InputValue | undefined): boolean {
	switch (rule.rule) {
		case 'required':
			return !isEmptyValue(value);
		case 'integer':
			return isLaravelInteger(value);
		case 'array':
			return isCollection(value);
		case 'text':
			return !isCollection(value);
		case 'in':
			return (
				(typeof value === 'string' || typeof value === 'number') &&
				rule.values.includes(String(value))
			);
		case 'pattern':
			return typeof value === 'string' && rule.pattern.test(value);
	}
}

/** Validates like Laravel: errors keyed by field in rule order, or undefined when everything passes. */
function validate(
	input: InputBag,
	rules: Array<[string, Rule[]]>,
): Record<string, string[]> | undefined {
	const errors: Record<string, string[]> = {};
	for (const [field, fieldRules] of rules) {
		const value = getOwn(input, field);
		const messages: string[] = [];
		for (const rule of fieldRules) {
			// Rules other than `required` skip an absent / null value (optional fields are nullable).
			if (rule.rule !== 'required' && (value === undefined || value === null)) continue;
			if (!passes(rule, value)) {
				messages.push(ruleMessage(rule, attributeName(field)));
				if (rule.rule === 'required') break;
			}
		}
		if (messages.length > 0) errors[field] = messages;
	}
	return Object.keys(errors).length > 0 ? errors : undefined;
}

function asText(value: InputValue | undefined): string | null {
	if (value === undefined || value === null) return null;
	return typeof value === 'string' ? value : JSON.stringify(value);
}

function asInteger(value: InputValue | undefined): number {
	return typeof value === 'number' ? value : parseInt(String(value).trim(), 10);
}

// ---------------------------------------------------------------------------------------------------------
// The endpoints

interface Context {
	input: InputBag;
	state: SandboxState;
	now: number;
	newUtr: () => string;
	baseUrl: string;
}

type Handler = (ctx: Context) => Outcome;

function liveAutomations(state: SandboxState): AutomationRecord[] {
	return state.automations.filter((record) => record.deleted_at === null);
}

function findAutomation(ctx: Context): AutomationRecord | undefined {
	const utr = getOwn(ctx.input, 'utr');
	if (typeof utr !== 'string') return undefined;
	return liveAutomations(ctx.state).find((record) => record.utr === utr);
}

function schedulesOf(state: SandboxState, automationId: number): ScheduleRecord[] {
	return state.schedules
		.filter((record) => record.automation_id === automationId)
		.sort((a, b) => a.id - b.id);
}

function nextId(records: Array<{ id: number }>): number {
	return records.reduce((max, record) => Math.max(max, record.id), 0) + 1;
}

function softDelete(record: AutomationRecord, now: number): void {
	record.deleted_at = isoTimestamp(now);
	record.updated_at = isoTimestamp(now);
}

const listAutomations: Handler = (ctx) => {
	const automations = liveAutomations(ctx.state).sort((a, b) => b.id - a.id);
	if (automations.length === 0 && SANDBOX_CHOICES.emptyAutomationListFails) {
		return failure('notFound', DOC.recordNotFoundTitle);
	}
	return success({
		automations: automations.map((record) => ({
			...record,
			automation_schedule_count: schedulesOf(ctx.state, record.id).length,
		})),
	});
};

const AUTOMATION_FOR_PATTERN = /^(contacts_|segments_)([0-9]+)$/;

const createAutomation: Handler = (ctx) => {
	const errors = validate(ctx.input, [
		['type', [required, oneOf('welcome', 'custom')]],
		['automation_for', [{ rule: 'pattern', pattern: AUTOMATION_FOR_PATTERN }]],
		['automation_name', [required, text]],
		['unsubscribe_group_id', [required, integer]],
	]);
	if (errors !== undefined) return failure('validation', errors);
	const target = AUTOMATION_FOR_PATTERN.exec(String(ctx.input.automation_for ?? ''));
	const created = isoTimestamp(ctx.now);
	const record: AutomationRecord = {
		id: nextId(ctx.state.automations),
		user_id: SANDBOX_CHOICES.newAutomationDefaults.user_id,
		automation_for: target === null ? null : parseInt(target[2], 10),
		automation_for_table: target === null ? null : (target[1] as 'contacts_' | 'segments_'),
		automation_name: asText(ctx.input.automation_name) as string,
		exit_criteria: SANDBOX_CHOICES.newAutomationDefaults.exit_criteria,
		unsubscribe_group_id: String(asInteger(ctx.input.unsubscribe_group_id)),
		automation_type: SANDBOX_CHOICES.automationTypeCodes[String(ctx.input.type)],
		utr: ctx.newUtr(),
		status: 0,
		live_at: null,
		total_triggered: 0,
		total_delivered: 0,
		total_unique_opens: 0,
		total_opens: 0,
		total_bounces: 0,
		total_unsubscribe: 0,
		deleted_at: null,
		created_at: created,
		updated_at: created,
	};
	ctx.state.automations.push(record);
	return success({ utr: record.utr });
};

const duplicateAutomation: Handler = (ctx) => {
	const original = findAutomation(ctx);
	if (original === undefined) return failure('notFound', DOC.recordNotFound);
	const created = isoTimestamp(ctx.now);
	const copy: AutomationRecord = {
		...original,
		id: nextId(ctx.state.automations),
		utr: ctx.newUtr(),
		status: 0,
		live_at: null,
		total_triggered: 0,
		total_delivered: 0,
		total_unique_opens: 0,
		total_opens: 0,
		total_bounces: 0,
		total_unsubscribe: 0,
		deleted_at: null,
		created_at: created,
		updated_at: created,
	};
	const schedules = schedulesOf(ctx.state, original.id);
	ctx.state.automations.push(copy);
	for (const schedule of schedules) {
		const { design_url: _designUrl, image: _image, ...fields } = schedule;
		ctx.state.schedules.push(
			withScheduleUrls(
				{
					...fields,
					id: nextId(ctx.state.schedules),
					automation_id: copy.id,
					utr: ctx.newUtr(),
					created_at: created,
					updated_at: created,
				},
				ctx.baseUrl,
			),
		);
	}
	return success({ utr: copy.utr });
};

const automationDetails: Handler = (ctx) => {
	const record = findAutomation(ctx);
	if (record === undefined) return failure('notFound', DOC.recordNotFoundTitle);
	return success({ automation: { ...record } });
};

const pauseAutomation: Handler = (ctx) => {
	const record = findAutomation(ctx);
	if (record === undefined) return failure('notFound', DOC.recordNotFound);
	if (record.status !== 1) return failure('businessRule', SANDBOX_CHOICES.pauseNotLiveError);
	record.status = 0;
	record.updated_at = isoTimestamp(ctx.now);
	return success(DOC.paused);
};

const setLiveAutomation: Handler = (ctx) => {
	const record = findAutomation(ctx);
	if (record === undefined) return failure('notFound', DOC.recordNotFound);
	if (record.unsubscribe_group_id === null || record.unsubscribe_group_id === '') {
		return failure('businessRule', DOC.unsubscribeGroupRequired);
	}
	if (record.status !== 1) {
		record.status = 1;
		record.live_at = liveAtTimestamp(ctx.now);
		record.updated_at = isoTimestamp(ctx.now);
	}
	return success(DOC.setLive);
};

const deleteAutomation: Handler = (ctx) => {
	const record = findAutomation(ctx);
	if (record === undefined) return failure('notFound', DOC.recordNotFound);
	softDelete(record, ctx.now);
	return success(DOC.deleted);
};

const bulkDeleteAutomations: Handler = (ctx) => {
	const errors = validate(ctx.input, [['strIds', [required, array]]]);
	if (errors !== undefined) return failure('validation', errors);
	const ids = Object.values(ctx.input.strIds as InputValue[] | { [key: string]: InputValue })
		.filter((value) => isLaravelInteger(value))
		.map((value) => asInteger(value));
	const records = liveAutomations(ctx.state).filter((record) => ids.includes(record.id));
	if (records.length === 0) return failure('notFound', DOC.recordNotFound);
	for (const record of records) softDelete(record, ctx.now);
	return success(DOC.deleted);
};

const listSchedules: Handler = (ctx) => {
	const automation = findAutomation(ctx);
	if (automation === undefined) return failure('notFound', DOC.recordNotFound);
	const schedules = schedulesOf(ctx.state, automation.id);
	if (schedules.length === 0 && SANDBOX_CHOICES.emptyScheduleListFails) {
		return failure('notFound', DOC.recordNotFound);
	}
	return success({ automation_schedules: schedules.map((record) => ({ ...record })) });
};

const createSchedule: Handler = (ctx) => {
	const errors = validate(ctx.input, [
		['utr', [required, text]],
		['sender_id', [required, integer]],
		['subject', [required, text]],
		['waiting_period', [required, integer]],
		['waiting_type', [required, oneOf('instantly', 'days', 'hours')]],
		['template_id', [required, integer]],
		['preview_img', [required, text]],
		['template_json', [text]],
		['template_html', [text]],
	]);
	if (errors !== undefined) return failure('validation', errors);
	const automation = findAutomation(ctx);
	if (automation === undefined) return failure('notFound', DOC.recordNotFound);
	const created = isoTimestamp(ctx.now);
	ctx.state.schedules.push(
		withScheduleUrls(
			{
				id: nextId(ctx.state.schedules),
				user_id: automation.user_id,
				automation_id: automation.id,
				sender_id: asInteger(ctx.input.sender_id),
				subject: asText(ctx.input.subject) as string,
				waiting_period: asInteger(ctx.input.waiting_period),
				waiting_type: ctx.input.waiting_type as ScheduleRecord['waiting_type'],
				utr: ctx.newUtr(),
				template_id: asInteger(ctx.input.template_id),
				preview_img: asText(ctx.input.preview_img) as string,
				template_json: asText(ctx.input.template_json),
				template_html: asText(ctx.input.template_html),
				created_at: created,
				updated_at: created,
			},
			ctx.baseUrl,
		),
	);
	return success(DOC.scheduleAdded);
};

const deleteSchedule: Handler = (ctx) => {
	const utr = getOwn(ctx.input, 'utr');
	const liveIds = new Set(liveAutomations(ctx.state).map((record) => record.id));
	const index = ctx.state.schedules.findIndex(
		(record) => typeof utr === 'string' && record.utr === utr && liveIds.has(record.automation_id),
	);
	if (index === -1) return failure('notFound', DOC.recordNotFound);
	ctx.state.schedules.splice(index, 1);
	return success(DOC.deleted);
};

const lookup =
	(key: string, pick: (state: SandboxState) => object[]): Handler =>
	(ctx) =>
		success({ [key]: pick(ctx.state).map((record) => ({ ...record })) });

type Method = 'GET' | 'POST' | 'DELETE';

/** Route table: path after '/api/' → method → handler. */
const ROUTES: Record<string, Partial<Record<Method, Handler>>> = {
	automations: { GET: listAutomations },
	'automations/create': { POST: createAutomation },
	'automations/duplicate': { GET: duplicateAutomation },
	'automations/details': { GET: automationDetails },
	'automations/pause': { GET: pauseAutomation },
	'automations/set-live': { GET: setLiveAutomation },
	'automations/delete': { DELETE: deleteAutomation },
	'automations/bulk-delete': { POST: bulkDeleteAutomations },
	'automations/schedule': { GET: listSchedules },
	'automations/schedule/create': { POST: createSchedule },
	'automations/schedule/delete': { DELETE: deleteSchedule },
	'contacts-type': { GET: lookup('contactTypes', (state) => state.contactTypes) },
	'segment/list': { GET: lookup('segments', (state) => state.segments) },
	'get-design/template': { GET: lookup('templates', (state) => state.templates) },
	'unsubscribes-groups': { GET: lookup('unsubscribeGroups', (state) => state.unsubscribeGroups) },
	'contacts/list': { GET: lookup('contacts', (state) => state.contacts) },
	'reserve-fields': { GET: lookup('reservedFields', (state) => state.reservedFields) },
};

// ---------------------------------------------------------------------------------------------------------
// The server

/** An answer, complete: status, headers in the order sent, body text, and what the record keeps of it. */
interface Reply {
	status: number;
	headers: Record<string, string>;
	text: string;
	response: unknown;
}

function jsonHeaders(json: string): Record<string, string> {
	return {
		'Content-Type': 'application/json',
		'Content-Length': String(Buffer.byteLength(json)),
		'Cache-Control': 'no-cache, private',
	};
}

function jsonReply(
	status: number,
	body: unknown,
	extraHeaders: Record<string, string> = {},
): Reply {
	const json = JSON.stringify(body);
	return { status, headers: { ...jsonHeaders(json), ...extraHeaders }, text: json, response: body };
}

/** hugeBody repeats the docs' automation 5, as Get All Automation lists it. */
const HUGE_BODY_RECORD_ID = 5;
/** hugeBody writes blocks of records of about this size. */
const HUGE_BODY_BLOCK_BYTES = 64 * 1024;

function replaceContents<T>(target: T[], source: T[]): void {
	target.splice(0, target.length, ...source);
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const host = options.host ?? '127.0.0.1';
	const publicKey = options.publicKey ?? SANDBOX_PUBLIC_KEY;
	const secretKey = options.secretKey ?? SANDBOX_SECRET_KEY;
	const initialMode: FailureStatusMode = options.failureStatusMode ?? 'httpError';
	const utrs = new UtrGenerator();

	const server = http.createServer();
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	const urlHost = host.includes(':') ? `[${host}]` : host;
	const baseUrl = `http://${urlHost}:${port}/api`;

	/** Abandons the requests a fault is still delaying (their timers cleared, connections dropped). */
	const pending = new Set<() => void>();
	const abandonPending = (): void => {
		for (const abandon of [...pending]) abandon();
	};
	const faultCounters = new FaultCounters();

	let closed: Promise<void> | undefined;
	const sandbox: Sandbox = {
		baseUrl,
		port,
		requests: [],
		failureStatusMode: initialMode,
		state: createSeedState(baseUrl),
		faults: [],
		faultCount: (fault) => faultCounters.count(fault),
		reset() {
			abandonPending();
			const fresh = createSeedState(baseUrl);
			const state = sandbox.state;
			replaceContents(state.automations, fresh.automations);
			replaceContents(state.schedules, fresh.schedules);
			replaceContents(state.contactTypes, fresh.contactTypes);
			replaceContents(state.segments, fresh.segments);
			replaceContents(state.templates, fresh.templates);
			replaceContents(state.unsubscribeGroups, fresh.unsubscribeGroups);
			replaceContents(state.contacts, fresh.contacts);
			replaceContents(state.reservedFields, fresh.reservedFields);
			sandbox.clearRequests();
			sandbox.failureStatusMode = initialMode;
			sandbox.faults = [];
			faultCounters.clear();
		},
		clearRequests() {
			sandbox.requests.length = 0;
		},
		close() {
			if (closed === undefined) {
				abandonPending();
				closed = new Promise<void>((resolve) => {
					server.close(() => resolve());
					server.closeAllConnections();
				});
			}
			return closed;
		},
	};

	const newUtr = (): string => {
		const taken = new Set<string>([
			...sandbox.state.automations.map((record) => record.utr),
			...sandbox.state.schedules.map((record) => record.utr),
		]);
		return utrs.next((utr) => taken.has(utr));
	};

	/** Calls onRequest, once per request. */
	const reported = new WeakSet<RecordedRequest>();
	const report = (record: RecordedRequest): void => {
		if (reported.has(record)) return;
		reported.add(record);
		try {
			options.onRequest?.(record);
		} catch {
			// A failing listener must not break the sandbox.
		}
	};

	/** Sends a whole answer at once and completes the record. */
	const send = (res: http.ServerResponse, record: RecordedRequest, reply: Reply): void => {
		record.status = reply.status;
		record.response = reply.response;
		if (!res.writableEnded && !res.destroyed) {
			res.writeHead(reply.status, reply.headers);
			res.end(reply.text);
		}
		report(record);
	};

	const sandboxErrorReply = (error: unknown): Reply =>
		jsonReply(SANDBOX_CHOICES.transportHttpStatus.internal, {
			status: 'failed',
			errors: `Sandbox error: ${(error as Error)?.message ?? String(error)}`,
		});

	/** Answers a failure of the API: its HTTP status depends on the failure-status mode. */
	const failureReply = (kind: FailureKind, errors: FailedEnvelope['errors']): Reply => {
		const status =
			sandbox.failureStatusMode === 'http200' ? 200 : SANDBOX_CHOICES.failureHttpStatus[kind];
		return jsonReply(status, { status: 'failed', errors } satisfies FailedEnvelope);
	};

	/**
	 * Runs `then` once `delayMs` has passed (measured with performance.now(), never less); reset() and close()
	 * run `abandon` instead. The timer never keeps the process alive. Returns a function that cancels both.
	 */
	const after = (delayMs: number, then: () => void, abandon: () => void): (() => void) => {
		const due = performance.now() + delayMs;
		let timer: NodeJS.Timeout | undefined;
		const cancel = (): void => {
			clearTimeout(timer);
			pending.delete(drop);
		};
		const drop = (): void => {
			cancel();
			abandon();
		};
		const tick = (): void => {
			const left = due - performance.now();
			if (left > 0) {
				timer = setTimeout(tick, Math.ceil(left));
				timer.unref();
				return;
			}
			pending.delete(drop);
			then();
		};
		pending.add(drop);
		timer = setTimeout(tick, Math.max(0, Math.ceil(delayMs)));
		timer.unref();
		return cancel;
	};

	/** Drops the connection without a byte of answer. */
	const dropConnection = (res: http.ServerResponse, record: RecordedRequest): void => {
		record.status = 0;
		record.response = undefined;
		res.socket?.destroy();
		res.destroy();
		report(record);
	};

	/**
	 * Sends status and headers at once, then the body in `steps` chunks of about equal size, the k-th one
	 * k × `ms` / `steps` milliseconds after the headers. A client that goes away stops it.
	 */
	const sendInSteps = (
		res: http.ServerResponse,
		record: RecordedRequest,
		reply: Reply,
		steps: number,
		ms: number,
	): void => {
		record.status = reply.status;
		record.response = reply.response;
		if (res.writableEnded || res.destroyed) {
			report(record);
			return;
		}
		res.writeHead(reply.status, reply.headers);
		res.flushHeaders();
		const bytes = Buffer.from(reply.text, 'utf8');
		const start = performance.now();
		let step = 0;
		let cancel: (() => void) | undefined;
		let done = false;
		const finish = (): void => {
			done = true;
			report(record);
		};
		res.once('close', () => {
			if (done) return;
			cancel?.();
			finish();
		});
		const next = (): void => {
			step += 1;
			const chunk = bytes.subarray(
				Math.round((bytes.length * (step - 1)) / steps),
				Math.round((bytes.length * step) / steps),
			);
			if (step === steps) {
				res.end(chunk);
				finish();
				return;
			}
			res.write(chunk);
			schedule();
		};
		const schedule = (): void => {
			cancel = after(start + (ms * (step + 1)) / steps - performance.now(), next, () => {
				res.socket?.destroy();
				res.destroy();
				finish();
			});
		};
		schedule();
	};

	/**
	 * hugeBody: a success envelope of Get All Automation with copies of the docs' automation 5 until the body
	 * has at least `bytes` bytes, written as fast as the client reads it (waiting for 'drain'). A client that
	 * goes away, reset() and close() stop it.
	 */
	const sendHuge = (res: http.ServerResponse, record: RecordedRequest, bytes: number): void => {
		const seed = createSeedState(baseUrl);
		const docsRecord = seed.automations.find(
			(automation) => automation.id === HUGE_BODY_RECORD_ID,
		) as AutomationRecord;
		const listed = {
			...docsRecord,
			automation_schedule_count: schedulesOf(seed, docsRecord.id).length,
		};
		const head = '{"status":"success","message":{"automations":[';
		const tail = ']}}';
		const recordJson = JSON.stringify(listed);
		const recordBytes = Buffer.byteLength(recordJson);
		const copies = Math.max(
			1,
			Math.ceil((bytes - head.length - tail.length + 1) / (recordBytes + 1)),
		);
		const length = head.length + tail.length + copies * (recordBytes + 1) - 1;
		// One block of records per write keeps the writes few and the memory small.
		const copiesPerBlock = Math.max(1, Math.floor(HUGE_BODY_BLOCK_BYTES / (recordBytes + 1)));
		const block = `,${recordJson}`.repeat(copiesPerBlock);
		record.status = 200;
		record.response = {
			status: 'success',
			message: { automations: new Array<unknown>(copies).fill(listed) },
		};
		if (res.writableEnded || res.destroyed) {
			report(record);
			return;
		}
		res.writeHead(200, { ...jsonHeaders(''), 'Content-Length': String(length) });
		let left = copies - 1;
		let done = false;
		const finish = (): void => {
			if (done) return;
			done = true;
			pending.delete(drop);
			report(record);
		};
		const drop = (): void => {
			res.socket?.destroy();
			res.destroy();
			finish();
		};
		pending.add(drop);
		res.once('close', finish);
		const write = (): void => {
			while (!done) {
				if (left === 0) {
					res.end(tail);
					finish();
					return;
				}
				const count = Math.min(left, copiesPerBlock);
				left -= count;
				const text =
					count === copiesPerBlock ? block : block.slice(0, count * (recordJson.length + 1));
				if (!res.write(text)) {
					res.once('drain', write);
					return;
				}
			}
		};
		res.write(head + recordJson);
		write();
	};

	/** The headers of a string or JSON body, with `extra` replacing those of the same name (any case). */
	const bodyHeaders = (
		text: string,
		json: boolean,
		extra: Record<string, string> = {},
	): Record<string, string> => {
		const defaults = json
			? jsonHeaders(text)
			: { 'Content-Length': String(Buffer.byteLength(text)) };
		const replaced = new Set(Object.keys(extra).map((name) => name.toLowerCase()));
		const kept = Object.entries(defaults).filter(([name]) => !replaced.has(name.toLowerCase()));
		return { ...Object.fromEntries(kept), ...extra };
	};

	/** rateLimit's Date and Retry-After headers: the Date shifted by clockSkewSeconds, Retry-After as asked. */
	const rateLimitHeaders = (fault: Fault): Record<string, string> => {
		const headers: Record<string, string> = {};
		if (fault.clockSkewSeconds !== undefined || fault.retryAfterDateSeconds !== undefined) {
			const dateMs = Math.floor(Date.now() / 1000) * 1000 + (fault.clockSkewSeconds ?? 0) * 1000;
			headers.Date = new Date(dateMs).toUTCString();
			if (fault.retryAfterDateSeconds !== undefined) {
				headers['Retry-After'] = new Date(
					dateMs + fault.retryAfterDateSeconds * 1000,
				).toUTCString();
			}
		}
		if (fault.retryAfter !== undefined) headers['Retry-After'] = fault.retryAfter;
		return headers;
	};

	/** Answers a request once its wait (if any) is over: the endpoint's answer, or the fault's. */
	const answer = (
		res: http.ServerResponse,
		record: RecordedRequest,
		plan: FaultPlan,
		runEndpoint: () => Reply,
	): void => {
		const fault = plan.fault;
		if (fault === undefined) {
			send(res, record, runEndpoint());
			return;
		}
		switch (fault.kind) {
			case 'rateLimit':
				send(
					res,
					record,
					jsonReply(
						FAULT_ANSWERS.rateLimit.status,
						{ ...FAULT_ANSWERS.rateLimit.body },
						rateLimitHeaders(fault),
					),
				);
				return;
			case 'tokenBucket':
				send(
					res,
					record,
					jsonReply(
						FAULT_ANSWERS.rateLimit.status,
						{ ...FAULT_ANSWERS.rateLimit.body },
						{ 'Retry-After': String(plan.retryAfterSeconds ?? 1) },
					),
				);
				return;
			case 'slowBody': {
				const reply = runEndpoint();
				const ms = fault.ms ?? FAULT_ANSWERS.defaultSlowBodyMs;
				const steps = Math.max(
					1,
					Math.min(
						Buffer.byteLength(reply.text),
						Math.round(ms / FAULT_ANSWERS.slowBodyChunkEveryMs),
					),
				);
				sendInSteps(res, record, reply, steps, ms);
				return;
			}
			case 'trickle': {
				const reply = runEndpoint();
				const steps = Math.max(1, Buffer.byteLength(reply.text));
				sendInSteps(
					res,
					record,
					reply,
					steps,
					steps * (fault.ms ?? FAULT_ANSWERS.defaultTrickleMsPerByte),
				);
				return;
			}
			default:
				break;
		}
		if (fault.afterApplying === true) runEndpoint();
		switch (fault.kind) {
			case 'dropConnection':
				dropConnection(res, record);
				return;
			case 'serverError':
				send(
					res,
					record,
					jsonReply(FAULT_ANSWERS.serverError.status, { ...FAULT_ANSWERS.serverError.body }),
				);
				return;
			case 'badGatewayHtml': {
				const page = FAULT_ANSWERS.badGatewayHtml;
				send(res, record, {
					status: page.status,
					headers: {
						Server: page.server,
						'Content-Type': page.contentType,
						'Content-Length': String(Buffer.byteLength(page.html)),
					},
					text: page.html,
					response: page.html,
				});
				return;
			}
			case 'malformedJson': {
				const text = FAULT_ANSWERS.malformedJson.text;
				send(res, record, {
					status: FAULT_ANSWERS.malformedJson.status,
					headers: { ...jsonHeaders(text) },
					text,
					response: text,
				});
				return;
			}
			case 'redirect':
				send(res, record, {
					status: fault.status ?? FAULT_ANSWERS.defaultRedirectStatus,
					headers: { Location: fault.location as string, 'Content-Length': '0' },
					text: '',
					response: '',
				});
				return;
			case 'echoKeys': {
				const status =
					fault.status ??
					(sandbox.failureStatusMode === 'http200' ? 200 : SANDBOX_CHOICES.failureHttpStatus.auth);
				const body: Record<string, unknown> = {
					status: 'failed',
					errors: `${FAULT_ANSWERS.echoKeysErrorPrefix}${record.headers.secretkey ?? ''}`,
				};
				if (fault.echoHeaders === true) {
					body.message = record.headers.publickey ?? '';
					body.headers = { ...record.headers };
				}
				send(res, record, jsonReply(status, body));
				return;
			}
			case 'fixedBody': {
				const json = typeof fault.body !== 'string';
				const text = json ? JSON.stringify(fault.body) : (fault.body as string);
				send(res, record, {
					status: fault.status ?? FAULT_ANSWERS.defaultFixedBodyStatus,
					headers: bodyHeaders(text, json, fault.headers),
					text,
					response: fault.body,
				});
				return;
			}
			case 'hugeBody':
				sendHuge(res, record, fault.bytes ?? FAULT_ANSWERS.defaultHugeBodyBytes);
				return;
			default:
				send(res, record, sandboxErrorReply(new Error(`unknown fault kind ${String(fault.kind)}`)));
		}
	};

	server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
		const rawUrl = req.url ?? '/';
		const questionMark = rawUrl.indexOf('?');
		const path = questionMark === -1 ? rawUrl : rawUrl.slice(0, questionMark);
		const rawQuery = questionMark === -1 ? '' : rawUrl.slice(questionMark + 1);
		const headers = headersOf(req.rawHeaders);
		const contentTypeHeader = headers['content-type'];
		const { query, input: queryInput } = parseQuery(rawQuery);
		const record: RecordedRequest = {
			method: req.method ?? 'GET',
			path,
			rawQuery,
			query,
			headers,
			contentType:
				contentTypeHeader === undefined
					? undefined
					: parseHeaderValue(contentTypeHeader).type || undefined,
			bodyEncoding: 'none',
			rawBody: '',
			fields: {},
			status: 0,
			response: undefined,
		};
		sandbox.requests.push(record);

		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > SANDBOX_CHOICES.maxBodyBytes) tooLarge = true;
			else chunks.push(chunk);
		});
		req.on('error', () => {
			// The client went away: nothing to answer.
		});
		req.on('end', () => {
			let parsed: ParsedBody;
			let plan: FaultPlan;
			try {
				parsed = readBody(record, tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks));
				plan = faultCounters.plan(sandbox.faults, record);
			} catch (error) {
				send(res, record, sandboxErrorReply(error));
				return;
			}
			const runEndpoint = (): Reply => {
				try {
					return handle(record, parsed, tooLarge, queryInput);
				} catch (error) {
					return sandboxErrorReply(error);
				}
			};
			const kind = plan.fault?.kind ?? (plan.latencyFired ? 'latency' : undefined);
			if (kind !== undefined) record.fault = kind;
			const go = (): void => {
				try {
					answer(res, record, plan, runEndpoint);
				} catch (error) {
					if (record.status === 0 && !res.headersSent) send(res, record, sandboxErrorReply(error));
					else dropConnection(res, record);
				}
			};
			const abandon = (): void => dropConnection(res, record);
			const afterUntil = (): void => {
				if (plan.until.length === 0) return go();
				let abandoned = false;
				const drop = (): void => {
					abandoned = true;
					pending.delete(drop);
					abandon();
				};
				pending.add(drop);
				void Promise.allSettled(plan.until).then(() => {
					pending.delete(drop);
					if (!abandoned) go();
				});
			};
			if (plan.latencyMs > 0) {
				after(plan.latencyMs, afterUntil, abandon);
			} else {
				afterUntil();
			}
		});
	});

	/** Records the body as received and parses it. */
	const readBody = (record: RecordedRequest, body: Buffer): ParsedBody => {
		const parsed = parseBody(body, record.headers['content-type']);
		record.rawBody = body.toString('utf8');
		record.bodyEncoding = parsed.encoding;
		record.fields = parsed.fields;
		return parsed;
	};

	/** The endpoint's answer (or the transport's refusal); the endpoint may change the state. */
	const handle = (
		record: RecordedRequest,
		parsed: ParsedBody,
		tooLarge: boolean,
		queryInput: InputBag,
	): Reply => {
		const routeKey = routeKeyOf(record.path);
		const route = routeKey === undefined ? undefined : ROUTES[routeKey];
		if (route === undefined) {
			return jsonReply(SANDBOX_CHOICES.transportHttpStatus.unknownPath, {
				status: 'failed',
				errors: SANDBOX_CHOICES.unknownPathError(record.path),
			});
		}
		const method = (record.method === 'HEAD' ? 'GET' : record.method) as Method;
		const handler = route[method];
		if (handler === undefined) {
			const allowed = Object.keys(route).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
			return jsonReply(
				SANDBOX_CHOICES.transportHttpStatus.wrongMethod,
				{ status: 'failed', errors: SANDBOX_CHOICES.wrongMethodError(record.method, allowed) },
				{ Allow: allowed.join(', ') },
			);
		}

		const givenPublicKey = record.headers.publickey;
		const givenSecretKey = record.headers.secretkey;
		const missing: Record<string, string[]> = {};
		if (givenPublicKey === undefined || givenPublicKey.trim() === '') {
			missing.PublicKey = ['The public key field is required.'];
		}
		if (givenSecretKey === undefined || givenSecretKey.trim() === '') {
			missing.SecretKey = ['The secret key field is required.'];
		}
		if (Object.keys(missing).length > 0) return failureReply('auth', missing);
		if (givenPublicKey !== publicKey || givenSecretKey !== secretKey) {
			return failureReply('auth', SANDBOX_CHOICES.wrongKeysError);
		}

		if (tooLarge) {
			return jsonReply(SANDBOX_CHOICES.transportHttpStatus.bodyTooLarge, {
				status: 'failed',
				errors: SANDBOX_CHOICES.bodyTooLargeError,
			});
		}
		if (parsed.error !== undefined) {
			return jsonReply(SANDBOX_CHOICES.transportHttpStatus.malformedBody, {
				status: 'failed',
				errors: parsed.error,
			});
		}

		const input = normalizeInput({ ...queryInput, ...parsed.input }) as InputBag;
		const outcome = handler({ input, state: sandbox.state, now: Date.now(), newUtr, baseUrl });
		if (outcome.status === 'success')
			return jsonReply(200, {
				status: 'success',
				message: outcome.message,
			} satisfies SuccessEnvelope<unknown>);
		return failureReply(outcome.kind, outcome.errors);
	};

	server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
		if (error.code === 'ECONNRESET' || !socket.writable) {
			socket.destroy();
			return;
		}
		const json = JSON.stringify({ status: 'failed', errors: 'Malformed HTTP request.' });
		socket.end(
			`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
		);
	});

	return sandbox;
}
