/** What stands in for a secret in any text the node keeps: error messages, error items, saved executions. */
export const REDACTED = '[redacted]';

/** Secrets shorter than this are left alone: replacing "a" everywhere would garble the message and protect nothing. */
const MIN_SECRET_LENGTH = 4;

/**
 * Secrets shorter than this are replaced only where they stand alone, not inside a longer word or number: a key
 * such as "success" must not turn "Connection successful" into "Connection [redacted]ful".
 */
const WHOLE_WORD_BELOW = 8;

const REGEX_SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

/** JSON's short escapes (json_encode also writes "/" as "\/"), and HTML's named ones. */
const JSON_ESCAPES: Record<string, string> = {
	'"': '\\"',
	'\\': '\\\\',
	'/': '\\/',
	'\b': '\\b',
	'\f': '\\f',
	'\n': '\\n',
	'\r': '\\r',
	'\t': '\\t',
};
const HTML_ESCAPES: Record<string, string[]> = {
	'&': ['&amp;'],
	'<': ['&lt;'],
	'>': ['&gt;'],
	'"': ['&quot;'],
	"'": ['&#39;', '&#x27;'],
};

const utf8 = new TextEncoder();

function literal(text: string): string {
	return text.replace(REGEX_SYNTAX, '\\$&');
}

/** A hexadecimal number as a pattern that matches it in either case (%2f and %2F, \u00e9 and \u00E9). */
function anyCaseHex(hex: string): string {
	return [...hex]
		.map((digit) =>
			/[a-f]/i.test(digit) ? `[${digit.toLowerCase()}${digit.toUpperCase()}]` : digit,
		)
		.join('');
}

/**
 * One character of a secret, however an answer may spell it: as it is, percent-encoded (a URL, a form), `+` for a
 * space, JSON-escaped (`\"`, `\/`, `\u00e9`, as JSON.stringify and PHP's json_encode write it) or HTML-escaped.
 */
function characterPattern(character: string): string {
	const spellings = [literal(character)];
	spellings.push(
		[...utf8.encode(character)]
			.map((byte) => `%${anyCaseHex(byte.toString(16).padStart(2, '0'))}`)
			.join(''),
	);
	if (character === ' ') spellings.push('\\+');
	if (JSON_ESCAPES[character]) spellings.push(literal(JSON_ESCAPES[character]));
	const utf16 = [...Array(character.length).keys()].map((index) => character.charCodeAt(index));
	spellings.push(
		utf16.map((unit) => `\\\\u${anyCaseHex(unit.toString(16).padStart(4, '0'))}`).join(''),
	);
	for (const entity of HTML_ESCAPES[character] ?? []) spellings.push(literal(entity));
	return `(?:${spellings.join('|')})`;
}

function secretPattern(secret: string): string {
	const pattern = [...secret].map(characterPattern).join('');
	return secret.length < WHOLE_WORD_BELOW
		? `(?<![\\p{L}\\p{N}])${pattern}(?![\\p{L}\\p{N}])`
		: pattern;
}

/**
 * The text with every occurrence of each secret replaced, so that an answer echoing the keys (or the user info of
 * the Base URL) cannot carry them into an error n8n stores. A secret is also found without the spaces around it
 * (a server reads a header value trimmed, and echoes it so), and spelt as a URL, JSON or HTML would spell it. The
 * longest secret is matched first, so that a public key inside the secret key cannot leave the rest of it behind.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
	const trimmed = secrets
		.map((secret) => (secret ?? '').trim())
		.filter((secret) => secret.length >= MIN_SECRET_LENGTH);
	const longestFirst = [...new Set(trimmed)].sort((a, b) => b.length - a.length);
	if (longestFirst.length === 0) return text;
	return text.replace(new RegExp(longestFirst.map(secretPattern).join('|'), 'giu'), REDACTED);
}
