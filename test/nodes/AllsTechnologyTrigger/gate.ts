/**
 * A gate on loopback in front of the sandbox, to make two polls overlap in a chosen order whatever the machine's
 * speed: it holds the first request it gets, either before passing it on (the sandbox then answers with the
 * account as it is when the gate opens, like a try that went through late) or after the sandbox answered (the
 * answer is the account as it was when the request came, delivered late). Every later request passes at once.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { Sandbox } from '../../../sandbox/server';

export interface Gate {
	/** The Base URL to poll through the gate, e.g. 'http://127.0.0.1:41236/api'. */
	baseUrl: string;
	/** Settles once the held request has come in ('request'), or once the sandbox has answered it ('answer'). */
	holding: Promise<void>;
	open(): void;
	close(): Promise<void>;
}

interface Answer {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
}

function readAll(stream: http.IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		stream.on('data', (chunk: Buffer) => chunks.push(chunk));
		stream.on('end', () => resolve(Buffer.concat(chunks)));
		stream.on('error', reject);
	});
}

export async function startGate(sandbox: Sandbox, hold: 'request' | 'answer'): Promise<Gate> {
	let held = false;
	let reportHolding = () => {};
	const holding = new Promise<void>((resolve) => (reportHolding = resolve));
	let open = () => {};
	const opened = new Promise<void>((resolve) => (open = resolve));

	const passOn = (request: http.IncomingMessage, body: Buffer) =>
		new Promise<Answer>((resolve, reject) => {
			const forwarded = http.request(
				{
					host: '127.0.0.1',
					port: sandbox.port,
					method: request.method,
					path: request.url,
					headers: request.headers,
				},
				(answer) => {
					readAll(answer).then(
						(answerBody) =>
							resolve({
								status: answer.statusCode ?? 0,
								headers: answer.headers,
								body: answerBody,
							}),
						reject,
					);
				},
			);
			forwarded.on('error', reject);
			forwarded.end(body);
		});

	const server = http.createServer((request, response) => {
		void (async () => {
			const body = await readAll(request);
			const holdThis = !held;
			held = true;
			if (holdThis && hold === 'request') {
				reportHolding();
				await opened;
			}
			const answer = await passOn(request, body);
			if (holdThis && hold === 'answer') {
				reportHolding();
				await opened;
			}
			response.writeHead(answer.status, answer.headers);
			response.end(answer.body);
		})().catch(() => response.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

	return {
		baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
		holding,
		open,
		close: async () => {
			open();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
