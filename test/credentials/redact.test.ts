import { redactSecrets } from '../../nodes/shared/transport/redact';

describe('redactSecrets', () => {
	it.each([
		['as it is', 'Invalid key Zm9v/YmFy+cXV4=', 'Invalid key [redacted]'],
		[
			'JSON-escaped as json_encode writes it',
			'{"key":"Zm9v\\/YmFy+cXV4="}',
			'{"key":"[redacted]"}',
		],
		[
			'percent-encoded, either case',
			'?k=Zm9v%2FYmFy%2BcXV4%3D&j=Zm9v%2fYmFy%2bcXV4%3d',
			'?k=[redacted]&j=[redacted]',
		],
		['percent-encoded in part', '?k=Zm9v%2FYmFy+cXV4=', '?k=[redacted]'],
	])('finds a secret spelt %s', (_name, text, redacted) => {
		expect(redactSecrets(text, ['Zm9v/YmFy+cXV4='])).toBe(redacted);
	});

	it.each([
		['JSON \\u escapes, either case', '"cl\\u00e9-secr\\u00E8te-4821"', '"[redacted]"'],
		['UTF-8 percent-encoded', 'cl%C3%A9-secr%c3%a8te-4821', '[redacted]'],
	])('finds a secret with accents spelt as %s', (_name, text, redacted) => {
		expect(redactSecrets(text, ['clé-secrète-4821'])).toBe(redacted);
	});

	it.each([
		[
			'a space as + or %20',
			'k=my+secret+key k=my%20secret%20key',
			['my secret key'],
			'k=[redacted] k=[redacted]',
		],
		['HTML escapes', '<p>a&amp;b&lt;c&quot;d</p>', ['a&b<c"d'], '<p>[redacted]</p>'],
		[
			'a character outside the BMP as a surrogate pair',
			'\\ud83d\\ude00abcd and 😀abcd',
			['😀abcd'],
			'[redacted] and [redacted]',
		],
		[
			'a JSON quote and backslash',
			'{"k":"a\\"b\\\\c-4821"}',
			['a"b\\c-4821'],
			'{"k":"[redacted]"}',
		],
	])('finds %s', (_name, text, secrets, redacted) => {
		expect(redactSecrets(text, secrets)).toBe(redacted);
	});

	it('looks for a secret without the spaces pasted around it', () => {
		expect(redactSecrets('Invalid secret key sandbox-secret-key.', [' sandbox-secret-key\n'])).toBe(
			'Invalid secret key [redacted].',
		);
	});

	it('matches the longest secret first, so a public key inside the secret key leaves none of it', () => {
		expect(
			redactSecrets('acct-4821-9f8e7d6c5b4a and acct-4821', [
				'acct-4821',
				'acct-4821-9f8e7d6c5b4a',
			]),
		).toBe('[redacted] and [redacted]');
	});

	it('replaces a secret of 4 to 7 characters only where it stands alone, not inside a word or number', () => {
		expect(redactSecrets('Connection successful! "status":"success" success.', ['success'])).toBe(
			'Connection successful! "status":"[redacted]" [redacted].',
		);
		expect(redactSecrets('ID 148213, key 4821', ['4821'])).toBe('ID 148213, key [redacted]');
	});

	it('replaces a secret of 8 characters or more anywhere, even inside a word', () => {
		expect(redactSecrets('keysandbox-secret-keyless', ['sandbox-secret-key'])).toBe(
			'key[redacted]less',
		);
	});

	it('leaves secrets shorter than 4 characters and empty ones alone', () => {
		expect(
			redactSecrets('The route api/automations could not be found', ['api', '', undefined, '   ']),
		).toBe('The route api/automations could not be found');
	});

	it('treats the characters of a secret as text, not as a pattern', () => {
		expect(redactSecrets('a.b*c(d)e and aXbbbc', ['a.b*c(d)e', 'a.b+c'])).toBe(
			'[redacted] and aXbbbc',
		);
	});
});
