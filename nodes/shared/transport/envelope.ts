import type { IDataObject } from 'n8n-workflow';
import type { AutomationEndpoint, LookupEndpoint } from '../interfaces';
import { redactSecrets } from './redact';

/** The `message` of a `"status": "success"` answer: an object for reads and creates, a string for actions. */
export type ApiMessage = IDataObject | string;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the docs show each endpoint's success `message` to be; lookups are known only loosely. */
type Shape = { description: string; fits: (message: unknown) => boolean };

const listUnder = (key: string): Shape => ({
	description: `an object with the "${key}" list`,
	fits: (message) => isObject(message) && Array.isArray(message[key]),
});
const utrOfNewRecord: Shape = {
	description: 'an object with the new record\'s "utr", a UUID',
	fits: (message) => isObject(message) && typeof message.utr === 'string' && UUID.test(message.utr),
};
const sentence: Shape = {
	description: 'a sentence',
	fits: (message) => typeof message === 'string',
};
const lookupList: Shape = {
	description: 'an object or a list',
	fits: (message) => isObject(message) || Array.isArray(message),
};

/** By endpoint; a lookup's answer is known only loosely (lookupList). */
const SHAPES: Record<AutomationEndpoint, Shape> & Partial<Record<LookupEndpoint, Shape>> = {
	automations: listUnder('automations'),
	'automations/details': {
		description: 'an object with the "automation" record',
		fits: (message) => isObject(message) && isObject(message.automation),
	},
	'automations/create': utrOfNewRecord,
	'automations/duplicate': utrOfNewRecord,
	'automations/pause': sentence,
	'automations/set-live': sentence,
	'automations/delete': sentence,
	'automations/bulk-delete': sentence,
	'automations/schedule': listUnder('automation_schedules'),
	'automations/schedule/create': sentence,
	'automations/schedule/delete': sentence,
};

/** Undefined when `message` has the shape the endpoint documents; else what it should have been. */
export function shapeProblem(
	endpoint: AutomationEndpoint | LookupEndpoint,
	message: unknown,
): string | undefined {
	const shape = SHAPES[endpoint] ?? lookupList;
	return shape.fits(message) ? undefined : shape.description;
}

/** How deep an answer's JSON may nest: the API's records nest three levels; past this it is refused unread. */
export const MAX_JSON_DEPTH = 64;

/**
 * Turns the `errors` of a failed answer into the API's own words: a string, or every field's messages in order.
 * Nesting past MAX_JSON_DEPTH is not read, so that a hostile answer cannot exhaust the stack.
 */
export function describeApiErrors(errors: unknown, depth = 0): string | undefined {
	if (typeof errors === 'string') return errors.trim() || undefined;
	if (depth >= MAX_JSON_DEPTH) return undefined;
	const parts = Array.isArray(errors) ? errors : isObject(errors) ? Object.values(errors) : [];
	const words = parts
		.map((part) => describeApiErrors(part, depth + 1))
		.filter((text): text is string => !!text);
	return words.length ? words.join(' ') : undefined;
}

const QUOTE_LIMIT = 200;

/** Text from an answer, fit to quote in an error: secrets redacted, cut short. */
export function quote(text: string, secrets: ReadonlyArray<string | undefined>): string {
	const redacted = redactSecrets(text, secrets).replace(/\s+/g, ' ').trim();
	return redacted.length > QUOTE_LIMIT ? `${redacted.slice(0, QUOTE_LIMIT)}…` : redacted;
}

/** Each field an error keeps is at most this long as JSON; a longer one is kept quoted, as text. */
const KEPT_FIELD_LIMIT = 2000;

/** The value with the secrets redacted from every string and key in it. */
function redactedValue(value: unknown, secrets: ReadonlyArray<string | undefined>): unknown {
	if (typeof value === 'string') return redactSecrets(value, secrets);
	if (Array.isArray(value)) return value.map((entry) => redactedValue(entry, secrets));
	if (!isObject(value)) return value;
	return Object.fromEntries(
		Object.entries(value).map(([key, entry]) => [
			redactSecrets(key, secrets),
			redactedValue(entry, secrets),
		]),
	);
}

/** What of a failed answer an error keeps: what a user needs, redacted and bounded; never the answer whole. */
export function keptOfFailedAnswer(
	envelope: IDataObject,
	secrets: ReadonlyArray<string | undefined>,
): IDataObject {
	const kept: IDataObject = {};
	for (const field of ['status', 'errors', 'message'] as const) {
		if (envelope[field] === undefined) continue;
		const redacted = redactedValue(envelope[field], secrets) as IDataObject;
		const json = JSON.stringify(redacted);
		kept[field] = json.length > KEPT_FIELD_LIMIT ? quote(json, secrets) : redacted;
	}
	return kept;
}

/** An answer's body read as JSON: its value, or why it has none the node reads. */
export type ParsedBody = { value: unknown } | { unread: 'notJson' | 'tooDeep' };

/**
 * Whether a parsed JSON value nests deeper than `limit` arrays and objects; walked without recursion, and only
 * objects are stacked: a list of 10,000 automations has 200,000 values but 10,000 objects.
 */
function nestsDeeperThan(value: unknown, limit: number): boolean {
	if (typeof value !== 'object' || value === null) return false;
	const objects: object[] = [value];
	const depths: number[] = [0];
	while (objects.length > 0) {
		const current = objects.pop() as IDataObject;
		const depth = depths.pop() as number;
		if (depth >= limit) return true;
		for (const entry of Array.isArray(current) ? current : Object.values(current)) {
			if (typeof entry !== 'object' || entry === null) continue;
			objects.push(entry);
			depths.push(depth + 1);
		}
	}
	return false;
}

export function parseBody(text: string): ParsedBody {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return { unread: 'notJson' };
	}
	return nestsDeeperThan(value, MAX_JSON_DEPTH) ? { unread: 'tooDeep' } : { value };
}

/** The envelope of a parsed answer: the JSON object it must be, or undefined. */
export function envelopeOf(body: ParsedBody): IDataObject | undefined {
	return 'value' in body && isObject(body.value) ? body.value : undefined;
}

/** What an answer that is not an envelope is, for an error: "a body that is not JSON", … */
export function describeNonEnvelope(body: ParsedBody): string {
	if (!('value' in body)) {
		return body.unread === 'tooDeep'
			? `JSON nested more than ${MAX_JSON_DEPTH} levels deep`
			: 'a body that is not JSON';
	}
	return 'JSON that is not an object';
}
