import { checkBaseUrl } from '../../../../nodes/shared/transport/baseUrl';

const SET_IT =
	'Set Base URL in the AllsTechnology API credential to https://mail.allstechnology.com/api, or to the address of your installation ending in /api.';
const USER_INFO = {
	problem: "The credential's Base URL contains a user name or password (the part before @)",
	fix: `Remove it: the API reads the keys from the Public Key and Secret Key fields, and anything in the address is stored and sent as it is. ${SET_IT}`,
};
const notHttp = (quoted: string) => ({
	problem: `The credential's Base URL ${quoted} is not an http(s) address`,
	fix: SET_IT,
});
const clearText = (baseUrl: string) => ({
	problem: `The credential's Base URL "${baseUrl}" uses http://, so the public key and secret key would travel unencrypted`,
	fix: `Use https:// (${baseUrl.replace(/^http:/, 'https:')}). http:// is accepted only for a server on this machine (localhost, 127.0.0.1, [::1]).`,
});

describe('checkBaseUrl', () => {
	it.each([
		['https://mail.allstechnology.com/api', 'https://mail.allstechnology.com/api'],
		['  https://mail.allstechnology.com/api/  ', 'https://mail.allstechnology.com/api'],
		['https://mail.allstechnology.com/api///', 'https://mail.allstechnology.com/api'],
		['HTTPS://Mail.AllsTechnology.COM/api', 'https://mail.allstechnology.com/api'],
		['https://mail.allstechnology.com:443/api', 'https://mail.allstechnology.com/api'],
		['https://mail.allstechnology.com:8443/v2/api', 'https://mail.allstechnology.com:8443/v2/api'],
		['https://mail.allstechnology.com', 'https://mail.allstechnology.com'],
		['https://mail.allstechnology.com/', 'https://mail.allstechnology.com'],
		['https://10.0.0.5/api', 'https://10.0.0.5/api'],
		['https://[2001:DB8::1]:8443/api/', 'https://[2001:db8::1]:8443/api'],
		['https://host/my api', 'https://host/my%20api'],
		['http://127.0.0.1:8080/api/', 'http://127.0.0.1:8080/api'],
		['http://127.45.6.7/api', 'http://127.45.6.7/api'],
		['http://127.1/api', 'http://127.0.0.1/api'],
		['HTTP://LOCALHOST:5678/api', 'http://localhost:5678/api'],
		['http://[::1]:5678/api', 'http://[::1]:5678/api'],
		['http://[0:0:0:0:0:0:0:1]/api', 'http://[::1]/api'],
		// Odd forms, read as Node's URL parser (and so the request) reads them:
		['https://bücher.example/api', 'https://xn--bcher-kva.example/api'],
		['https://mail.allstechnology.com./api', 'https://mail.allstechnology.com./api'],
		['https://mail.allstechnology.com\\api', 'https://mail.allstechnology.com/api'],
		['https://mail.allstech\tnology.com/a\npi', 'https://mail.allstechnology.com/api'],
		[
			'https://mail.allstechnology.com/api\r\nX-Injected: 1',
			'https://mail.allstechnology.com/apiX-Injected:%201',
		],
		['https://mail%2Eallstechnology.com/api', 'https://mail.allstechnology.com/api'],
		[
			'https://mail.allstechnology.com/api%3Ftoken=1',
			'https://mail.allstechnology.com/api%3Ftoken=1',
		],
		['https://mail.allstechnology.com/api/../admin', 'https://mail.allstechnology.com/admin'],
		['http://%6c%6fcalhost/api', 'http://localhost/api'],
		['http://ｌｏｃａｌｈｏｓｔ/api', 'http://localhost/api'],
		['http://0x7f.1/api', 'http://127.0.0.1/api'],
		['http://2130706433/api', 'http://127.0.0.1/api'],
		['https://host:0/api', 'https://host:0/api'],
	])('accepts %j as %j', (raw, baseUrl) => {
		expect(checkBaseUrl(raw)).toEqual({ baseUrl });
	});

	it.each([
		['http://10.0.0.5/api', 'http://10.0.0.5/api'],
		['http://mail.allstechnology.com/api/', 'http://mail.allstechnology.com/api'],
		['HTTP://Mail.AllsTechnology.com/api', 'http://mail.allstechnology.com/api'],
		['http://localhost.evil.example/api', 'http://localhost.evil.example/api'],
		['http://127.0.0.1.nip.io/api', 'http://127.0.0.1.nip.io/api'],
		['http://[2001:db8::1]/api', 'http://[2001:db8::1]/api'],
		['http://[::ffff:127.0.0.1]/api', 'http://[::ffff:7f00:1]/api'],
		['http://192.168.1.20:8080', 'http://192.168.1.20:8080'],
		['http://localhost./api', 'http://localhost./api'],
		['http://0/api', 'http://0.0.0.0/api'],
		['http://127.0.0.1\u3002evil.example/api', 'http://127.0.0.1.evil.example/api'],
	])(
		'refuses %j: http:// to a host other than this machine sends the keys in clear text',
		(raw, shown) => {
			expect(checkBaseUrl(raw)).toEqual(clearText(shown));
		},
	);

	it.each([
		'https://user:pass@mail.allstechnology.com/api',
		'http://user:pass@127.0.0.1:8080/api',
		'https://user@mail.allstechnology.com/api',
		'https://:@mail.allstechnology.com/api',
		'https://sandbox-secret-key@mail.allstechnology.com/api',
		'https://u:p@ss@mail.allstechnology.com/api',
		'https://mail.allstechnology.com\\@evil.example/api',
	])('refuses %j, with user info, and never quotes it', (raw) => {
		expect(checkBaseUrl(raw)).toEqual(USER_INFO);
	});

	it.each([
		['https://mail.allstechnology.com/api?token=abc', 'a query (the part from ?)'],
		['https://mail.allstechnology.com/api?', 'a query (the part from ?)'],
		['https://mail.allstechnology.com/api#top', 'a fragment (the part from #)'],
		['https://mail.allstechnology.com/api?x#y', 'a query (the part from ?)'],
	])('refuses %j, which has %s', (raw, part) => {
		expect(checkBaseUrl(raw)).toEqual({
			problem: `The credential's Base URL has ${part}`,
			fix: `Remove it: the node adds each endpoint's path and query itself. ${SET_IT}`,
		});
	});

	it.each([
		['javascript:alert(1)', '"javascript:alert(1)"'],
		['ftp://mail.allstechnology.com/api', '"ftp://mail.allstechnology.com/api"'],
		['file:///etc/passwd', '"file:///etc/passwd"'],
		['mail.allstechnology.com/api', '"mail.allstechnology.com/api"'],
		['https:mail.allstechnology.com/api', '"https:mail.allstechnology.com/api"'],
		['https:\\\\mail.allstechnology.com/api', '"https:\\\\mail.allstechnology.com/api"'],
		['https:///api', '"https:///api"'],
		['https://', '"https://"'],
		['https:// mail.allstechnology.com/api', '"https:// mail.allstechnology.com/api"'],
		['https://mail.allstechnology.com:99999/api', '"https://mail.allstechnology.com:99999/api"'],
		['http://[fe80::1%25eth0]/api', '"http://[fe80::1%25eth0]/api"'],
		['ht\ttps://mail.allstechnology.com/api', '"ht\ttps://mail.allstechnology.com/api"'],
		['https://\u3000mail.allstechnology.com/api', '"https://\u3000mail.allstechnology.com/api"'],
		[
			'https://evil.example%40mail.allstechnology.com/api',
			'"https://evil.example%40mail.allstechnology.com/api"',
		],
	])('refuses %j, which is not an http(s) address', (raw, quoted) => {
		expect(checkBaseUrl(raw)).toEqual(notHttp(quoted));
	});

	it('quotes a long refused value only in part', () => {
		const raw = `ftp://${'a'.repeat(300)}`;
		expect(checkBaseUrl(raw)).toEqual(notHttp(`"${raw.slice(0, 100)}…"`));
	});

	it('shows a long http:// Base URL only in part', () => {
		const raw = `http://10.0.0.5/${'a'.repeat(5000)}`;
		expect(checkBaseUrl(raw)).toEqual({
			problem: `The credential's Base URL "${raw.slice(0, 100)}…" uses http://, so the public key and secret key would travel unencrypted`,
			fix: `Use https:// (${raw.replace('http:', 'https:').slice(0, 100)}…). http:// is accepted only for a server on this machine (localhost, 127.0.0.1, [::1]).`,
		});
	});

	it('does not quote a refused value that has an @ (it may hold a password)', () => {
		expect(checkBaseUrl('mailto:user:pass@example.com')).toEqual({
			problem: "The credential's Base URL is not an http(s) address",
			fix: SET_IT,
		});
	});

	it.each(['', '   ', '\n\t'])('refuses %j, which is empty', (raw) => {
		expect(checkBaseUrl(raw)).toEqual({
			problem: "The credential's Base URL is empty",
			fix: SET_IT,
		});
	});

	it.each([undefined, null, 42, true, {}, ['https://mail.allstechnology.com/api']])(
		'refuses %j, which is not text',
		(raw) => {
			expect(checkBaseUrl(raw)).toEqual({
				problem: "The credential's Base URL is not text",
				fix: SET_IT,
			});
		},
	);
});
