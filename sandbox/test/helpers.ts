/** Shared helpers of the sandbox's own tests (not a test file). */
import * as http from 'http';

import { SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY, Sandbox } from '../server';

export const KEYS = { PublicKey: SANDBOX_PUBLIC_KEY, SecretKey: SANDBOX_SECRET_KEY };

/**
 * The docs' Get All Automation / Get Automation Details example records, written out as expected values (not taken
 * from the sandbox's seed, so that a change to the seed shows).
 */
export const DOCS_AUTOMATION_5 = {
	id: 5,
	user_id: 6790,
	automation_for: 3,
	automation_for_table: 'contacts_',
	automation_name: 'Test Automation',
	exit_criteria: 1,
	unsubscribe_group_id: '3',
	automation_type: 0,
	utr: 'e9c7ff00-8d1c-11ee-91c4-b42e9970e591',
	status: 0,
	live_at: null,
	total_triggered: 0,
	total_delivered: 0,
	total_unique_opens: 0,
	total_opens: 0,
	total_bounces: 0,
	total_unsubscribe: 0,
	deleted_at: null,
	created_at: '2023-11-27T12:03:01.000000Z',
	updated_at: '2023-11-27T12:03:01.000000Z',
};
export const DOCS_AUTOMATION_3 = {
	id: 3,
	user_id: 6790,
	automation_for: 3,
	automation_for_table: 'contacts_',
	automation_name: 'Test Automation',
	exit_criteria: 1,
	unsubscribe_group_id: '3',
	automation_type: 0,
	utr: '4dce63f6-8825-11ee-a739-b42e9970e591',
	status: 1,
	live_at: '2023-11-28 12:16:59',
	total_triggered: 3,
	total_delivered: 3,
	total_unique_opens: 2,
	total_opens: 16,
	total_bounces: 0,
	total_unsubscribe: 1,
	deleted_at: null,
	created_at: '2023-11-21T04:20:29.000000Z',
	updated_at: '2023-11-28T06:16:59.000000Z',
};

export interface Answer {
	status: number;
	body: unknown;
	headers: Headers;
}

/**
 * A URL as the vendor's samples build it: BASE_URL is 'https://mail.allstechnology.com/api/' (trailing slash)
 * and the samples write 'BASE_URL/automations', so the path has a double slash after /api.
 */
export function docsUrl(sandbox: Sandbox, pathAndQuery: string): string {
	return `${sandbox.baseUrl}/` + `/${pathAndQuery}`;
}

/** A URL with a single slash: `${baseUrl}/${pathAndQuery}`. */
export function apiUrl(sandbox: Sandbox, pathAndQuery: string): string {
	return `${sandbox.baseUrl}/${pathAndQuery}`;
}

export async function send(url: string, init: RequestInit = {}): Promise<Answer> {
	const response = await fetch(url, init);
	const text = await response.text();
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		body = text;
	}
	return { status: response.status, body, headers: response.headers };
}

/** Sends with the sandbox's keys unless `headers` says otherwise. */
export async function call(
	sandbox: Sandbox,
	method: string,
	pathAndQuery: string,
	init: {
		headers?: Record<string, string>;
		body?: RequestInit['body'] | Buffer;
		keys?: boolean;
	} = {},
): Promise<Answer> {
	const headers = { ...(init.keys === false ? {} : KEYS), ...(init.headers ?? {}) };
	return send(apiUrl(sandbox, pathAndQuery), { method, headers, body: bodyInit(init.body) });
}

/** fetch's body type, a Node Buffer copied into a plain Uint8Array. */
export function bodyInit(body: RequestInit['body'] | Buffer): RequestInit['body'] {
	return Buffer.isBuffer(body) ? Uint8Array.from(body) : body;
}

export function formData(fields: Record<string, string>): FormData {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.append(name, value);
	return form;
}

export interface RawAnswer {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
	body: unknown;
}

/** A request written with Node's http module: header names keep their case, the body goes byte for byte. */
export function rawRequest(
	sandbox: Sandbox,
	options: {
		method: string;
		path: string;
		headers?: Record<string, string | string[]>;
		body?: Buffer | string;
	},
): Promise<RawAnswer> {
	return new Promise((resolve, reject) => {
		const body =
			options.body === undefined
				? undefined
				: Buffer.isBuffer(options.body)
					? options.body
					: Buffer.from(options.body, 'utf8');
		const request = http.request(
			{
				host: '127.0.0.1',
				port: sandbox.port,
				method: options.method,
				path: options.path,
				headers: {
					...(options.headers ?? {}),
					...(body === undefined ? {} : { 'Content-Length': String(body.length) }),
				},
			},
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let parsed: unknown;
					try {
						parsed = JSON.parse(text);
					} catch {
						parsed = text;
					}
					resolve({
						status: response.statusCode ?? 0,
						headers: response.headers,
						text,
						body: parsed,
					});
				});
			},
		);
		request.on('error', reject);
		if (body !== undefined) request.write(body);
		request.end();
	});
}

/** Laravel's JSON timestamp, with no fraction of a second: '2023-11-27T12:03:01.000000Z'. */
export const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000000Z$/;

/** Asserts `value` is a Laravel timestamp within `withinMs` of now. */
export function expectRecentTimestamp(value: unknown, withinMs = 60_000): void {
	expect(value).toEqual(expect.stringMatching(ISO_TIMESTAMP));
	expect(Math.abs(Date.parse(value as string) - Date.now())).toBeLessThan(withinMs);
}
