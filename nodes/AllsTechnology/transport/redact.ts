/** What stands in for a secret in any text the node keeps: error messages, error items, saved executions. */
export const REDACTED = '[redacted]';

/**
 * The text with every occurrence of each secret replaced, so that an answer echoing the keys (or the user info of
 * the Base URL) cannot carry them into an error n8n stores. Secrets shorter than 4 characters are left alone:
 * replacing "a" everywhere would garble the message and protect nothing.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
	let redacted = text;
	for (const secret of secrets) {
		if (secret && secret.length >= 4) redacted = redacted.split(secret).join(REDACTED);
	}
	return redacted;
}
