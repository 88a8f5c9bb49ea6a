import { createHash } from 'crypto';
import type { ICredentialDataDecryptedObject, INodeListSearchItems } from 'n8n-workflow';

/**
 * How long a list downloaded for the editor answers the searches after it: n8n asks again on every keystroke in
 * From List and on every page scrolled to, and a minute covers a search without hiding an account's changes long.
 */
export const LIST_TTL_MS = 60_000;

interface Entry<T> {
	expiresAt: number;
	value: Promise<T>;
}

/** Values by key, each kept `ttlMs` after its download began; a download that fails is not kept. */
export class ListCache<T> {
	private readonly entries = new Map<string, Entry<T>>();

	constructor(
		private readonly ttlMs: number,
		private readonly now: () => number = () => Date.now(),
	) {}

	/** The value kept under `key`, or the one `load` gives when none is kept, it has expired, or `fresh` asks. */
	async get(key: string, load: () => Promise<T>, fresh = false): Promise<T> {
		const now = this.now();
		// Nothing else ever removes an entry: the editor may never ask for this account's lists again.
		for (const [keptKey, kept] of this.entries)
			if (kept.expiresAt <= now) this.entries.delete(keptKey);
		const kept = this.entries.get(key);
		if (kept && !fresh) return await kept.value;
		const entry: Entry<T> = { expiresAt: now + this.ttlMs, value: load() };
		this.entries.set(key, entry);
		entry.value.catch(() => {
			if (this.entries.get(key) === entry) this.entries.delete(key);
		});
		return await entry.value;
	}
}

/**
 * The key of the account a credential opens, which does not hold its keys: a SHA-256 digest of the Base URL and
 * both keys. Another key or address is another entry, so a credential never reads a list another one downloaded.
 */
export function accountKeyOf(credentials: ICredentialDataDecryptedObject): string {
	const { baseUrl, publicKey, secretKey } = credentials;
	return createHash('sha256')
		.update(JSON.stringify([baseUrl, publicKey, secretKey]))
		.digest('hex');
}

/** The editor's lists, by account and list, for the searches of one search session. */
export const editorListCache = new ListCache<INodeListSearchItems[]>(LIST_TTL_MS);
