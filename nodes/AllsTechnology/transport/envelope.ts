import type { IDataObject } from 'n8n-workflow';
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
const sentence: Shape = { description: 'a sentence', fits: (message) => typeof message === 'string' };
const lookupList: Shape = {
	description: 'an object or a list',
	fits: (message) => isObject(message) || Array.isArray(message),
};

const SHAPES: Record<string, Shape> = {
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
export function shapeProblem(endpoint: string, message: unknown): string | undefined {
	const shape = SHAPES[endpoint] ?? lookupList;
	return shape.fits(message) ? undefined : shape.description;
}

/** Turns the `errors` of a failed answer into the API's own words: a string, or every field's messages in order. */
export function describeApiErrors(errors: unknown): string | undefined {
	if (typeof errors === 'string') return errors.trim() || undefined;
	const parts = Array.isArray(errors) ? errors : isObject(errors) ? Object.values(errors) : [];
	const words = parts.map(describeApiErrors).filter((text): text is string => !!text);
	return words.length ? words.join(' ') : undefined;
}

const QUOTE_LIMIT = 200;

/** Text from an answer, fit to quote in an error: secrets redacted, cut short. */
export function quote(text: string, secrets: ReadonlyArray<string | undefined>): string {
	const redacted = redactSecrets(text, secrets).replace(/\s+/g, ' ').trim();
	return redacted.length > QUOTE_LIMIT ? `${redacted.slice(0, QUOTE_LIMIT)}…` : redacted;
}

/** What of a failed answer an error keeps: what a user needs, redacted; never the answer whole. */
export function keptOfFailedAnswer(envelope: IDataObject, secrets: ReadonlyArray<string | undefined>): IDataObject {
	const kept: IDataObject = {};
	for (const field of ['status', 'errors', 'message'] as const) {
		if (envelope[field] !== undefined) {
			kept[field] = JSON.parse(redactSecrets(JSON.stringify(envelope[field]), secrets.map(jsonEscaped))) as IDataObject;
		}
	}
	return kept;
}

/** A secret as it appears inside a JSON string, so that redacting the JSON text keeps it valid JSON. */
function jsonEscaped(secret: string | undefined): string | undefined {
	return secret === undefined ? undefined : JSON.stringify(secret).slice(1, -1);
}

export function parseJsonObject(text: string): IDataObject | undefined {
	try {
		const parsed: unknown = JSON.parse(text);
		return isObject(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}
