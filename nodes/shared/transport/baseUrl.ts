/** Where the node sends the keys: the credential's Base URL, checked before any request goes out. */
export const DEFAULT_BASE_URL = 'https://mail.allstechnology.com/api';

export type BaseUrlCheck = { baseUrl: string } | { problem: string; fix: string };

const SET_IT = `Set Base URL in the AllsTechnology API credential to ${DEFAULT_BASE_URL}, or to the address of your installation ending in /api.`;

/** The longest stretch of a refused Base URL quoted back; the rest is cut. */
const MAX_QUOTED_LENGTH = 100;

/** Hosts that are this machine: http:// to them never leaves it. */
function isLoopback(hostname: string): boolean {
	return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** A Base URL as a message shows it: its first 100 characters, so that a pasted page cannot swamp the message. */
export function shortened(text: string): string {
	return text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH)}…` : text;
}

/** The text in quotes for a message, or nothing when it may hold a user name or password (anything before an @). */
function quoted(text: string): string {
	return text.includes('@') ? '' : ` "${shortened(text)}"`;
}

/**
 * The credential's Base URL, trimmed, without trailing slashes and in the form Node's URL parser gives it (scheme
 * and host lower-cased, default port dropped), or why it is refused and what to set instead. Refused: anything but
 * http(s), a query, a fragment, a user name or password (never quoted back), and http:// to a host other than this
 * machine, since the keys would travel in clear text.
 */
export function checkBaseUrl(raw: unknown): BaseUrlCheck {
	if (typeof raw !== 'string')
		return { problem: "The credential's Base URL is not text", fix: SET_IT };
	const text = raw.trim();
	if (text === '') return { problem: "The credential's Base URL is empty", fix: SET_IT };
	const notHttp = {
		problem: `The credential's Base URL${quoted(text)} is not an http(s) address`,
		fix: SET_IT,
	};
	// The parser would read "https:host" or "https:\\host" as https://host: only the written form is accepted.
	if (!/^https?:\/\/[^/\\]/i.test(text)) return notHttp;
	const hasUserInfo = {
		problem: "The credential's Base URL contains a user name or password (the part before @)",
		fix: `Remove it: the API reads the keys from the Public Key and Secret Key fields, and anything in the address is stored and sent as it is. ${SET_IT}`,
	};
	// Wider than the parser's authority (it also ends at a backslash), so that nothing it reads as user info passes.
	if (/^[^/?#]+:\/\/[^/?#]*@/.test(text)) return hasUserInfo;
	if (text.includes('?') || text.includes('#')) {
		const part = text.includes('?') ? 'a query (the part from ?)' : 'a fragment (the part from #)';
		return {
			problem: `The credential's Base URL has ${part}`,
			fix: `Remove it: the node adds each endpoint's path and query itself. ${SET_IT}`,
		};
	}
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return notHttp;
	}
	const baseUrl = `${url.protocol}//${url.host}${url.pathname}`.replace(/\/+$/, '');
	if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
		return {
			problem: `The credential's Base URL "${shortened(baseUrl)}" uses http://, so the public key and secret key would travel unencrypted`,
			fix: `Use https:// (${shortened(baseUrl.replace(/^http:/, 'https:'))}). http:// is accepted only for a server on this machine (localhost, 127.0.0.1, [::1]).`,
		};
	}
	return { baseUrl };
}
