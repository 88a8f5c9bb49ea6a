/**
 * A chat model on loopback for the e2e's AI Agent: the part of OpenAI's API that n8n's OpenAI Chat Model node
 * calls (POST /v1/chat/completions, GET /v1/models), answering from a script instead of a model. Each chat
 * request is handed to the script with its turn number; the script answers tool calls or the final text, or
 * throws, which the server answers as an OpenAI error (HTTP 500) and records. Every request is recorded, so a
 * check can read what n8n sent: the messages (the tool results among them), the tools offered, the key.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

/** A message of the conversation as the Chat Completions API carries it. */
export interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content: string | null | Array<{ type: string; text?: string }>;
	tool_calls?: Array<{
		id: string;
		type: 'function';
		function: { name: string; arguments: string };
	}>;
	tool_call_id?: string;
}

/** The fields of a chat completion request the script reads; the rest is kept as sent. */
export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	tools?: Array<{
		type: 'function';
		function: { name: string; description?: string; parameters?: unknown };
	}>;
	stream?: boolean;
	[field: string]: unknown;
}

export interface ToolCall {
	name: string;
	arguments: Record<string, unknown>;
}

/** What the model answers a turn: tools to call, or its final answer. */
export type ModelTurn = { toolCalls: ToolCall[] } | { text: string };

/** The script: the answer to the `turn`th chat request (1 for the first). */
export type ModelScript = (request: ChatRequest, turn: number) => ModelTurn;

/** One request the server got. */
export interface ModelRequest {
	method: string;
	/** As sent, with the query. */
	path: string;
	/** Lower-cased names. */
	headers: Record<string, string | string[] | undefined>;
	/** The parsed body of a chat request. */
	chat?: ChatRequest;
	/** What it was answered: the script's turn, or the reason it was refused. */
	answer?: ModelTurn | { error: string };
}

export interface ModelServer {
	/** The API's base URL, e.g. 'http://127.0.0.1:41234/v1', as an OpenAI credential's Base URL takes it. */
	baseUrl: string;
	/** Every request, in order of arrival. */
	requests: ModelRequest[];
	/** The chat requests alone, in order. */
	chats(): Array<{ request: ChatRequest; answer: ModelRequest['answer'] }>;
	/** Forgets the requests; the next chat request is turn 1 again. */
	reset(): void;
	close(): Promise<void>;
}

/** The model's name in answers and in GET /v1/models. */
export const SCRIPTED_MODEL = 'e2e-scripted-model';

export async function startModelServer(script: ModelScript): Promise<ModelServer> {
	const requests: ModelRequest[] = [];
	let turn = 0;
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const recorded: ModelRequest = {
				method: req.method ?? 'GET',
				path: req.url ?? '/',
				headers: { ...req.headers },
			};
			requests.push(recorded);
			const path = recorded.path.split('?')[0].replace(/\/+$/, '');
			if (recorded.method === 'GET' && path === '/v1/models') {
				return send(res, 200, {
					object: 'list',
					data: [{ id: SCRIPTED_MODEL, object: 'model', created: 0, owned_by: 'e2e' }],
				});
			}
			if (recorded.method !== 'POST' || path !== '/v1/chat/completions') {
				recorded.answer = { error: `no route ${recorded.method} ${path}` };
				return send(res, 404, openAiError(recorded.answer.error));
			}
			try {
				const chat = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
				recorded.chat = chat;
				// The agent asks without streaming; a streamed answer is not part of the script.
				if (chat.stream) throw new Error('a streamed answer was asked for');
				turn++;
				const answer = script(chat, turn);
				recorded.answer = answer;
				return send(res, 200, completion(turn, answer));
			} catch (error) {
				recorded.answer = { error: error instanceof Error ? error.message : String(error) };
				return send(res, 500, openAiError(recorded.answer.error));
			}
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		requests,
		chats: () =>
			requests.flatMap((request) =>
				request.chat ? [{ request: request.chat, answer: request.answer }] : [],
			),
		reset() {
			requests.length = 0;
			turn = 0;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/** A chat completion as OpenAI answers one, for the `turn`th request. */
function completion(turn: number, answer: ModelTurn): object {
	const message =
		'text' in answer
			? { role: 'assistant', content: answer.text }
			: {
					role: 'assistant',
					content: null,
					tool_calls: answer.toolCalls.map((call, index) => ({
						id: `call_${turn}_${index + 1}`,
						type: 'function',
						function: { name: call.name, arguments: JSON.stringify(call.arguments) },
					})),
				};
	return {
		id: `chatcmpl-e2e-${turn}`,
		object: 'chat.completion',
		created: 0,
		model: SCRIPTED_MODEL,
		choices: [{ index: 0, message, finish_reason: 'text' in answer ? 'stop' : 'tool_calls' }],
		usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
	};
}

function openAiError(message: string): object {
	return { error: { message, type: 'e2e_script_error', code: null } };
}

function send(res: http.ServerResponse, status: number, body: object): void {
	const json = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json',
		'Content-Length': String(Buffer.byteLength(json)),
	});
	res.end(json);
}
