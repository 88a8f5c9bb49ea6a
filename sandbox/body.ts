/**
 * Request-body and query parsing for the sandbox: multipart/form-data, application/x-www-form-urlencoded and
 * JSON, plus the PHP/Laravel view of the fields (bracketed names such as `strIds[0]` become arrays).
 * Nothing here throws on bad input: a malformed body is reported through `ParsedBody.error`.
 */

export type BodyEncoding = 'none' | 'multipart' | 'urlencoded' | 'json' | 'other';

/** A value of Laravel's request input: strings from forms and queries, any JSON value from a JSON body. */
export type InputValue =
	| string
	| number
	| boolean
	| null
	| InputValue[]
	| { [key: string]: InputValue };
export type InputBag = { [key: string]: InputValue };

/**
 * PHP's max_input_vars (its default, 1,000): PHP reads that many variables of a form body and drops the rest with
 * only a warning in its log. It counts every `&`-separated segment of a urlencoded body, empty ones included, and
 * registers one more than the limit (measured on PHP 8.2: 1,001 of 1,002 fields arrive), while of a multipart body
 * it registers exactly the limit's number of text parts.
 */
export const PHP_MAX_INPUT_VARS = 1000;

export interface ParsedBody {
	encoding: BodyEncoding;
	/** Fields with their names exactly as sent (decoded), the last one winning when a name repeats; all of them. */
	fields: Record<string, string>;
	/**
	 * The fields as Laravel sees them (bracketed names nested), before the trim / empty-to-null middleware: of a form
	 * body only those within PHP_MAX_INPUT_VARS.
	 */
	input: InputBag;
	/** Set when the body cannot be parsed; the sandbox then answers 400. */
	error?: string;
}

/**
 * Sets an own property, even for names such as '__proto__' (which plain assignment would treat as the
 * prototype): field names come from the network.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
	Object.defineProperty(target, key, {
		value,
		enumerable: true,
		writable: true,
		configurable: true,
	});
}

/** The own property `key` of `target`, never an inherited one. */
export function getOwn<T>(target: Record<string, T>, key: string): T | undefined {
	return Object.prototype.hasOwnProperty.call(target, key) ? target[key] : undefined;
}

/** Request headers by lower-cased name, values as received (repeated ones joined with ', '). */
export function headersOf(rawHeaders: string[]): Record<string, string> {
	const headers: Record<string, string> = {};
	for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
		const name = rawHeaders[i].toLowerCase();
		const existing = getOwn(headers, name);
		setOwn(
			headers,
			name,
			existing === undefined ? rawHeaders[i + 1] : `${existing}, ${rawHeaders[i + 1]}`,
		);
	}
	return headers;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Uint8Array): string | undefined {
	try {
		return strictUtf8.decode(bytes);
	} catch {
		return undefined;
	}
}

/** Splits a header value such as `multipart/form-data; boundary="x"` into its lower-cased type and parameters. */
export function parseHeaderValue(value: string | undefined): {
	type: string;
	params: Record<string, string>;
} {
	const params: Record<string, string> = {};
	if (value === undefined) return { type: '', params };
	const semicolon = value.indexOf(';');
	const type = (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
	const rest = semicolon === -1 ? '' : value.slice(semicolon);
	const paramPattern = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
	let match: RegExpExecArray | null;
	while ((match = paramPattern.exec(rest)) !== null) {
		const name = match[1].toLowerCase();
		const raw = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3].trim();
		if (name.endsWith('*')) {
			// RFC 5987 / 8187: charset'lang'percent-encoded
			const ext = /^([^']*)'[^']*'(.*)$/.exec(raw);
			if (ext !== null) {
				try {
					setOwn(params, name.slice(0, -1), decodeURIComponent(ext[2]));
				} catch {
					// leave the plain parameter, if any, in place
				}
			}
			continue;
		}
		if (getOwn(params, name) === undefined) setOwn(params, name, raw);
	}
	return { type, params };
}

/** The body encoding a media type stands for (the body being non-empty). */
export function encodingOf(mediaType: string): BodyEncoding {
	if (mediaType === 'multipart/form-data') return 'multipart';
	if (mediaType === 'application/x-www-form-urlencoded') return 'urlencoded';
	if (mediaType === 'application/json' || /^application\/[^/]+\+json$/.test(mediaType))
		return 'json';
	return 'other';
}

/**
 * Adds one form field to a Laravel/PHP input bag: `a[b][]=1` nests as PHP's parse_str / $_POST do
 * (`[]` appends at the next integer index); a name without brackets is stored as is.
 */
export function addPhpField(bag: InputBag, name: string, value: InputValue): void {
	const match = /^([^[\]]+)((?:\[[^\]]*\])+)$/.exec(name);
	if (match === null) {
		if (name !== '') setOwn(bag, name, value);
		return;
	}
	const keys = [match[1], ...Array.from(match[2].matchAll(/\[([^\]]*)\]/g), (m) => m[1])];
	let container: { [key: string]: InputValue } = bag;
	for (let i = 0; i < keys.length; i++) {
		let key = keys[i];
		if (key === '' && i > 0) {
			const indexes = Object.keys(container)
				.filter((k) => /^(0|[1-9][0-9]*)$/.test(k))
				.map(Number);
			key = String(indexes.length === 0 ? 0 : Math.max(...indexes) + 1);
		}
		if (i === keys.length - 1) {
			setOwn(container, key, value);
			return;
		}
		const next = getOwn(container, key);
		if (next === null || typeof next !== 'object' || Array.isArray(next)) {
			const fresh: { [key: string]: InputValue } = {};
			setOwn(container, key, fresh);
			container = fresh;
		} else {
			container = next;
		}
	}
}

/** Decodes one `application/x-www-form-urlencoded` component ('+' is a space); undefined when malformed. */
function decodeFormComponent(text: string): string | undefined {
	try {
		return decodeURIComponent(text.replace(/\+/g, ' '));
	} catch {
		return undefined;
	}
}

function parseUrlencoded(bytes: Buffer): ParsedBody {
	const result: ParsedBody = { encoding: 'urlencoded', fields: {}, input: {} };
	const text = decodeUtf8(bytes);
	if (text === undefined) return { ...result, error: 'The urlencoded body is not valid UTF-8.' };
	for (const [index, segment] of text.split('&').entries()) {
		if (segment === '') continue;
		const equals = segment.indexOf('=');
		const rawName = equals === -1 ? segment : segment.slice(0, equals);
		const rawValue = equals === -1 ? '' : segment.slice(equals + 1);
		const name = decodeFormComponent(rawName);
		const value = decodeFormComponent(rawValue);
		if (name === undefined || value === undefined) {
			return {
				...result,
				fields: {},
				input: {},
				error: `Malformed percent-encoding in the urlencoded body: "${segment}".`,
			};
		}
		if (name === '') continue;
		setOwn(result.fields, name, value);
		// Indexes 0 to PHP_MAX_INPUT_VARS: PHP registers the variable that goes past its limit too.
		if (index <= PHP_MAX_INPUT_VARS) addPhpField(result.input, name, value);
	}
	return result;
}

function parseJson(bytes: Buffer): ParsedBody {
	const result: ParsedBody = { encoding: 'json', fields: {}, input: {} };
	const text = decodeUtf8(bytes);
	if (text === undefined) return { ...result, error: 'The JSON body is not valid UTF-8.' };
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		return { ...result, error: `The JSON body cannot be parsed: ${(error as Error).message}` };
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		return { ...result, error: 'The JSON body must be an object.' };
	}
	for (const [key, item] of Object.entries(value as Record<string, InputValue>)) {
		setOwn(result.fields, key, typeof item === 'string' ? item : JSON.stringify(item));
		setOwn(result.input, key, item);
	}
	return result;
}

/** Index of `needle` in `haystack` from `from`, or -1. */
function find(haystack: Buffer, needle: Buffer | string, from: number): number {
	return haystack.indexOf(needle, from);
}

function parseMultipart(bytes: Buffer, boundary: string | undefined): ParsedBody {
	const result: ParsedBody = { encoding: 'multipart', fields: {}, input: {} };
	const fail = (error: string): ParsedBody => ({
		encoding: 'multipart',
		fields: {},
		input: {},
		error,
	});
	if (boundary === undefined || boundary === '' || boundary.length > 200) {
		return fail('The multipart body has no boundary parameter in its Content-Type.');
	}
	const dashBoundary = Buffer.from('--' + boundary, 'latin1');
	/**
	 * What follows '--boundary' at `at`: the close delimiter ('--'), or transport padding then a line break
	 * (a part follows, from `next`); undefined when this is not a delimiter line (e.g. '--boundaryX').
	 */
	const delimiterAt = (
		at: number,
	): { kind: 'close' | 'part'; next: number; eol: string } | undefined => {
		let cursor = at + dashBoundary.length;
		if (bytes[cursor] === 0x2d && bytes[cursor + 1] === 0x2d)
			return { kind: 'close', next: cursor + 2, eol: '' };
		while (bytes[cursor] === 0x20 || bytes[cursor] === 0x09) cursor++;
		if (bytes[cursor] === 0x0d && bytes[cursor + 1] === 0x0a)
			return { kind: 'part', next: cursor + 2, eol: '\r\n' };
		if (bytes[cursor] === 0x0a) return { kind: 'part', next: cursor + 1, eol: '\n' };
		return undefined;
	};

	// The first delimiter is at the very start or at the start of a line; anything before it is a preamble.
	let first: ReturnType<typeof delimiterAt>;
	for (let at = bytes.subarray(0, dashBoundary.length).equals(dashBoundary) ? 0 : -1; ; ) {
		if (at !== -1) {
			first = delimiterAt(at);
			if (first !== undefined) break;
		}
		const found = find(bytes, Buffer.concat([Buffer.from('\n'), dashBoundary]), at + 1);
		if (found === -1) return fail('The multipart body does not contain its boundary.');
		at = found + 1;
	}
	// Line breaks are CRLF as RFC 2046 says; a body written with bare LF throughout is accepted too.
	const eol = first.kind === 'part' ? first.eol : '\r\n';
	const delimiter = Buffer.concat([Buffer.from(eol, 'latin1'), dashBoundary]);
	const headerEnd = eol + eol;
	let textParts = 0;
	let next = first;
	while (next.kind === 'part') {
		const start = next.next;
		let end = find(bytes, delimiter, start);
		let following = end === -1 ? undefined : delimiterAt(end + eol.length);
		while (end !== -1 && following === undefined) {
			end = find(bytes, delimiter, end + 1);
			following = end === -1 ? undefined : delimiterAt(end + eol.length);
		}
		if (end === -1 || following === undefined)
			return fail('The multipart body ends without its closing boundary.');
		const part = bytes.subarray(start, end);
		let headerText: string;
		let content: Buffer;
		if (part.subarray(0, eol.length).toString('latin1') === eol) {
			headerText = '';
			content = part.subarray(eol.length);
		} else {
			const split = find(part, headerEnd, 0);
			if (split === -1) return fail('A multipart part has no blank line after its headers.');
			headerText = part.subarray(0, split).toString('utf8');
			content = part.subarray(split + headerEnd.length);
		}
		let disposition: string | undefined;
		for (const line of headerText.split(eol)) {
			const colon = line.indexOf(':');
			if (colon === -1) continue;
			if (line.slice(0, colon).trim().toLowerCase() === 'content-disposition')
				disposition = line.slice(colon + 1);
		}
		const parsed = parseHeaderValue(disposition);
		if (
			disposition === undefined ||
			parsed.type !== 'form-data' ||
			parsed.params.name === undefined
		) {
			return fail('A multipart part has no Content-Disposition: form-data header with a name.');
		}
		if (parsed.params.filename === undefined) {
			const text = decodeUtf8(content);
			if (text === undefined)
				return fail(`The multipart field "${parsed.params.name}" is not valid UTF-8.`);
			setOwn(result.fields, parsed.params.name, text);
			if (++textParts <= PHP_MAX_INPUT_VARS) addPhpField(result.input, parsed.params.name, text);
		}
		next = following;
	}
	return result;
}

/** Parses a request body according to its Content-Type header. */
export function parseBody(bytes: Buffer, contentTypeHeader: string | undefined): ParsedBody {
	if (bytes.length === 0) return { encoding: 'none', fields: {}, input: {} };
	const { type, params } = parseHeaderValue(contentTypeHeader);
	const encoding = encodingOf(type);
	switch (encoding) {
		case 'multipart':
			return parseMultipart(bytes, params.boundary);
		case 'urlencoded':
			return parseUrlencoded(bytes);
		case 'json':
			return parseJson(bytes);
		default:
			return { encoding: 'other', fields: {}, input: {} };
	}
}

/** Decodes a query string: the record's view (repeated names give arrays) and Laravel's view (brackets nest). */
export function parseQuery(rawQuery: string): {
	query: Record<string, string | string[]>;
	input: InputBag;
} {
	const query: Record<string, string | string[]> = {};
	const input: InputBag = {};
	for (const [name, value] of new URLSearchParams(rawQuery)) {
		const existing = getOwn(query, name);
		if (existing === undefined) setOwn<string | string[]>(query, name, value);
		else if (Array.isArray(existing)) existing.push(value);
		else setOwn<string | string[]>(query, name, [existing, value]);
		addPhpField(input, name, value);
	}
	return { query, input };
}

/** Laravel's TrimStrings and ConvertEmptyStringsToNull middleware, applied to a whole input bag. */
export function normalizeInput(value: InputValue): InputValue {
	if (typeof value === 'string') {
		const trimmed = value.trim();
		return trimmed === '' ? null : trimmed;
	}
	if (Array.isArray(value)) return value.map(normalizeInput);
	if (value !== null && typeof value === 'object') {
		const out: { [key: string]: InputValue } = {};
		for (const [key, item] of Object.entries(value)) setOwn(out, key, normalizeInput(item));
		return out;
	}
	return value;
}
