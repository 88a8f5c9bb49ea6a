/**
 * A recording server: a second host on loopback that records every request it gets and answers 200 with a
 * JSON body. Point a `redirect` fault's `location` at it to see what a client would send to a redirect's
 * target (nothing, for a client that refuses redirects).
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

import { headersOf } from './body';

export interface RecordingServerOptions {
	/** Default '127.0.0.1'. */
	host?: string;
	/** The JSON body of every answer; default a plausible success envelope of Get All Automation. */
	body?: unknown;
}

/** One request the recording server got. */
export interface ReceivedRequest {
	method: string;
	/** The request target as sent: path and query, e.g. '/api/automations?x=1'. */
	path: string;
	/** Lower-cased names, values as received (repeated ones joined with ', '). */
	headers: Record<string, string>;
	/** Names and values in the order and case sent. */
	rawHeaders: string[];
	/** The body bytes as UTF-8 text ('' for none). */
	rawBody: string;
}

export interface RecordingServer {
	/** e.g. 'http://127.0.0.1:41235' (no trailing slash). */
	url: string;
	port: number;
	/** Every request received, in order of arrival, recorded once its body has been read. */
	requests: ReceivedRequest[];
	close(): Promise<void>;
}

export const RECORDING_SERVER_DEFAULT_BODY = { status: 'success', message: { automations: [] } };

export async function startRecordingServer(
	options: RecordingServerOptions = {},
): Promise<RecordingServer> {
	const host = options.host ?? '127.0.0.1';
	const json = JSON.stringify(
		options.body === undefined ? RECORDING_SERVER_DEFAULT_BODY : options.body,
	);
	const requests: ReceivedRequest[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('error', () => {
			// The client went away: nothing to answer.
		});
		req.on('end', () => {
			requests.push({
				method: req.method ?? 'GET',
				path: req.url ?? '/',
				headers: headersOf(req.rawHeaders),
				rawHeaders: [...req.rawHeaders],
				rawBody: Buffer.concat(chunks).toString('utf8'),
			});
			res.writeHead(200, {
				'Content-Type': 'application/json',
				'Content-Length': String(Buffer.byteLength(json)),
			});
			res.end(json);
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	let closed: Promise<void> | undefined;
	return {
		url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
		port,
		requests,
		close() {
			closed ??= new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
			return closed;
		},
	};
}
