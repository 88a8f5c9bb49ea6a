/**
 * An AI agent drives the node in a real n8n: n8n's AI Agent with n8n's OpenAI Chat Model, whose credential points
 * at a scripted model on loopback (model-server.ts), and two AllsTechnology tools whose parameters the model fills
 * through `$fromAI`. Asked to set a draft automation live by its name, the model lists the draft automations,
 * sets the one of that name live by the UTR it read from the list, and answers. The check asserts the sandbox's
 * requests, what the model server received (the tools offered, each tool's result) and the agent's output.
 */
import { deepStrictEqual, ok } from 'assert';
import type { Sandbox } from '../sandbox/server';
import type { Checks } from './checks';
import type { E2eWorkflow } from './errorSettings';
import { EXAMPLE_CREDENTIAL, requestLines } from './examples';
import type { ChatMessage, ChatRequest, ModelScript, ModelServer, ModelTurn } from './model-server';
import { SCRIPTED_MODEL } from './model-server';
import type { N8n, Rest, RunData } from './n8n';
import { declaredNodes, manifest } from './package';

const AGENT_WORKFLOW_ID = 'allse2eagent0001';
const AGENT_TRIGGER = 'Start';
const AGENT = 'AI Agent';
const CHAT_MODEL = 'OpenAI Chat Model';
/** The tools' node names; n8n offers each to the model under the name with spaces as underscores. */
const LIST_TOOL = 'List Automations';
const SET_LIVE_TOOL = 'Set Automation Live';

/** The automation the agent is asked for: a draft whose UTR differs from another draft's by one digit. */
const TARGET_NAME = 'Onboarding Drip';
const PROMPT = `Set the draft automation named "${TARGET_NAME}" live.`;
const LIVE_MESSAGE = 'Automation has been set live';

/** The OpenAI credential of the chat model: the model server's address and a key it checks for. */
const MODEL_CREDENTIAL = { id: '2', name: 'Scripted model on loopback', type: 'openAiApi' };
const MODEL_API_KEY = 'e2e-model-api-key';

export function agentCredential(modelServer: ModelServer): object {
	return {
		...MODEL_CREDENTIAL,
		data: { apiKey: MODEL_API_KEY, url: modelServer.baseUrl, header: false },
	};
}

function toolName(nodeName: string): string {
	return nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_');
}

/** The Automation field's mode that takes a UTR, as the node declares it. */
function byUtrMode(): string {
	type Locator = { name: string; modes?: Array<{ name: string; displayName: string }> };
	const node = declaredNodes().find((description) => description.name === 'allsTechnology');
	const automation = (node?.properties as Locator[] | undefined)?.find(
		(property) => property.name === 'automation' && property.modes,
	);
	const mode = automation?.modes?.find((candidate) => candidate.displayName === 'By UTR');
	ok(mode, 'the Automation field has a "By UTR" mode');
	return mode.name;
}

/** A workflow whose nodes connect by AI connections too (ai_languageModel, ai_tool), not only main. */
type AgentWorkflow = Omit<E2eWorkflow, 'connections'> & {
	connections: Record<
		string,
		Record<string, Array<Array<{ node: string; type: string; index: number }>>>
	>;
};

/** Manual Trigger → AI Agent, its chat model and the two AllsTechnology tools. */
export function agentWorkflow(): AgentWorkflow {
	const toolType = `${manifest().name}.allsTechnologyTool`;
	const credentials = {
		allsTechnologyApi: { id: EXAMPLE_CREDENTIAL.id, name: EXAMPLE_CREDENTIAL.name },
	};
	const nodes: E2eWorkflow['nodes'] = [
		{
			id: 'agent-1',
			name: AGENT_TRIGGER,
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'agent-2',
			name: AGENT,
			type: '@n8n/n8n-nodes-langchain.agent',
			typeVersion: 3.1,
			position: [260, 0],
			parameters: { promptType: 'define', text: PROMPT, options: {} },
		},
		{
			id: 'agent-3',
			name: CHAT_MODEL,
			type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
			typeVersion: 1.3,
			position: [140, 240],
			// Chat Completions, as OpenAI-compatible servers offer it, rather than OpenAI's own Responses API; a
			// request the script refuses is not sent again, so the requests the check reads are the agent's.
			parameters: {
				model: { __rl: true, mode: 'id', value: SCRIPTED_MODEL },
				responsesApiEnabled: false,
				options: { maxRetries: 0 },
			},
			credentials: { openAiApi: { id: MODEL_CREDENTIAL.id, name: MODEL_CREDENTIAL.name } },
		},
		{
			id: 'agent-4',
			name: LIST_TOOL,
			type: toolType,
			typeVersion: 1,
			position: [340, 240],
			parameters: {
				resource: 'automation',
				operation: 'getAll',
				returnAll: true,
				filters: {
					status: "={{ $fromAI('status', 'Which automations to list: draft or live', 'string') }}",
				},
			},
			credentials,
		},
		{
			id: 'agent-5',
			name: SET_LIVE_TOOL,
			type: toolType,
			typeVersion: 1,
			position: [520, 240],
			parameters: {
				resource: 'automation',
				operation: 'setLive',
				automation: {
					__rl: true,
					mode: byUtrMode(),
					value:
						"={{ $fromAI('automation_utr', 'The UTR of the automation to set live: the utr field of the list', 'string') }}",
				},
			},
			credentials,
		},
	];
	const into = (node: string, type: string) => ({ [type]: [[{ node, type, index: 0 }]] });
	return {
		id: AGENT_WORKFLOW_ID,
		name: 'e2e: an AI agent sets a draft automation live by its name',
		nodes,
		connections: {
			[AGENT_TRIGGER]: into(AGENT, 'main'),
			[CHAT_MODEL]: into(AGENT, 'ai_languageModel'),
			[LIST_TOOL]: into(AGENT, 'ai_tool'),
			[SET_LIVE_TOOL]: into(AGENT, 'ai_tool'),
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** The text of the conversation's last message, which the script answers. */
function lastMessage(request: ChatRequest): ChatMessage {
	const message = request.messages[request.messages.length - 1];
	ok(message, 'the chat request has no message');
	return message;
}

function textOf(message: ChatMessage): string {
	if (typeof message.content === 'string') return message.content;
	return (message.content ?? []).map((part) => part.text ?? '').join('');
}

/** What the model answers once it has set the automation live. */
function finalAnswer(utr: string, message: string): string {
	return `${TARGET_NAME} is live now (UTR ${utr}): ${message}.`;
}

/**
 * The model's part: turn 1 lists the draft automations; turn 2 reads the list (the tool's result) and sets the
 * automation of the asked name live by its UTR; turn 3 reads Set Live's result and answers.
 */
export const agentScript: ModelScript = (request, turn): ModelTurn => {
	const last = lastMessage(request);
	if (turn === 1) {
		ok(
			last.role === 'user' && textOf(last) === PROMPT,
			`turn 1 answers the prompt, not a ${last.role} message: ${textOf(last)}`,
		);
		return { toolCalls: [{ name: toolName(LIST_TOOL), arguments: { status: 'draft' } }] };
	}
	ok(last.role === 'tool', `turn ${turn} answers a tool result, not a ${last.role} message`);
	const result = JSON.parse(textOf(last)) as Array<Record<string, unknown>>;
	if (turn === 2) {
		const target = result.find((automation) => automation.automation_name === TARGET_NAME);
		ok(target, `the list the tool returned has no automation named ${TARGET_NAME}`);
		return {
			toolCalls: [{ name: toolName(SET_LIVE_TOOL), arguments: { automation_utr: target.utr } }],
		};
	}
	const [setLive] = result;
	return { text: finalAnswer(String(setLive?.utr), String(setLive?.message)) };
};

/** The draft automations of the sandbox's answer to the run's `GET automations`, in its order: ID, UTR and name. */
function listedDrafts(
	sandbox: Sandbox,
): Array<{ id: unknown; utr: unknown; automation_name: unknown }> {
	const listing = sandbox.requests.find(
		(request) => request.method === 'GET' && request.path === '/api/automations',
	);
	const automations =
		(
			listing?.response as
				| { message?: { automations?: Array<Record<string, unknown>> } }
				| undefined
		)?.message?.automations ?? [];
	return automations
		.filter((automation) => automation.status === 0)
		.map(({ id, utr, automation_name }) => ({ id, utr, automation_name }));
}

/** A tool node's runs: what n8n handed it (the model's arguments) and what it returned, as JSON items. */
function toolRuns(run: RunData, node: string): Array<{ input: unknown; output: unknown[] }> {
	type ToolRun = {
		inputOverride?: { ai_tool?: Array<Array<{ json: unknown }>> };
		data?: { ai_tool?: Array<Array<{ json: unknown }>> };
	};
	const runs = (run.data.resultData.runData[node] ?? []) as ToolRun[];
	return runs.map((toolRun) => ({
		input: toolRun.inputOverride?.ai_tool?.[0]?.[0]?.json,
		output: (toolRun.data?.ai_tool?.[0] ?? []).map((item) => item.json),
	}));
}

export interface AgentContext {
	checks: Checks;
	n8n: N8n;
	rest: Rest;
	sandbox: Sandbox;
	modelServer: ModelServer;
}

/** The agent's run as the editor shows it (editor.ts): the steps its logs list, in order, and the agent's answer. */
export interface AgentRun {
	workflowId: string;
	executionId: string;
	steps: string[];
	output: string;
}

/** Runs the agent's workflow as "Execute workflow" does; returns the run for the editor's look at it when it passed. */
export async function checkAgent({
	checks,
	n8n,
	rest,
	sandbox,
	modelServer,
}: AgentContext): Promise<AgentRun | undefined> {
	sandbox.reset();
	modelServer.reset();
	let agentRun: AgentRun | undefined;
	await checks.check(
		`AI Agent with n8n's OpenAI Chat Model (a scripted model on loopback) lists the drafts with the AllsTechnology tool, sets "${TARGET_NAME}" live by the UTR it read, and answers`,
		async () => {
			const target = sandbox.state.automations.find(
				(automation) => automation.automation_name === TARGET_NAME,
			);
			ok(target && target.status === 0, `the sandbox has a draft named ${TARGET_NAME}`);
			const saved = await n8n.runFromEditor(rest, AGENT_WORKFLOW_ID, AGENT_TRIGGER);
			const run: RunData = { data: n8n.parseExecutionData(saved.data) };
			const chats = modelServer.chats();
			const context = `model server: ${JSON.stringify(chats.map((chat) => chat.answer))}\nsandbox: ${requestLines(sandbox.requests).join(', ')}`;
			const { error } = run.data.resultData;
			ok(!error, `the workflow failed: ${error?.message} ${error?.description ?? ''}\n${context}`);

			// The tools' requests reached the sandbox with the arguments the model chose.
			deepStrictEqual(
				requestLines(sandbox.requests),
				['200 GET /api/automations', `200 GET /api/automations/set-live?utr=${target.utr}`],
				context,
			);
			deepStrictEqual(
				sandbox.state.automations.find((automation) => automation.id === target.id)?.status,
				1,
				`${TARGET_NAME} is live`,
			);

			// Three turns, each with the credential's key, the model's name and both tools (in any order) with their $fromAI arguments.
			deepStrictEqual(chats.length, 3, context);
			for (const request of modelServer.requests)
				deepStrictEqual(request.headers.authorization, `Bearer ${MODEL_API_KEY}`);
			deepStrictEqual(
				chats.map(({ request }) => [
					request.model,
					(request.tools ?? [])
						.map((tool) => [
							tool.function.name,
							Object.keys((tool.function.parameters as { properties?: object }).properties ?? {}),
						])
						.sort(([a], [b]) => String(a).localeCompare(String(b))),
				]),
				chats.map(() => [
					SCRIPTED_MODEL,
					[
						[toolName(LIST_TOOL), ['status']],
						[toolName(SET_LIVE_TOOL), ['automation_utr']],
					],
				]),
			);

			// Each tool ran once with the model's arguments, and the model received what it returned.
			const listRuns = toolRuns(run, LIST_TOOL);
			const setLiveRuns = toolRuns(run, SET_LIVE_TOOL);
			deepStrictEqual([listRuns.length, setLiveRuns.length], [1, 1], 'runs of each tool');
			const [listed] = listRuns;
			const [setLive] = setLiveRuns;
			deepStrictEqual(
				[listed.input, setLive.input],
				[{ status: 'draft' }, { automation_utr: target.utr }],
			);
			deepStrictEqual(
				(listed.output as Array<Record<string, unknown>>).map(
					({ id, utr, automation_name, status }) => ({ id, utr, automation_name, status }),
				),
				listedDrafts(sandbox).map((draft) => ({ ...draft, status: 'draft' })),
			);
			deepStrictEqual(setLive.output, [{ success: true, utr: target.utr, message: LIVE_MESSAGE }]);
			deepStrictEqual(
				chats.slice(1).map(({ request }) => {
					const message = lastMessage(request);
					return [message.role, JSON.parse(textOf(message)) as unknown];
				}),
				[
					['tool', listed.output],
					['tool', setLive.output],
				],
			);

			// The agent's output is the model's final answer.
			const agentRuns = run.data.resultData.runData[AGENT] ?? [];
			const finalRun = agentRuns[agentRuns.length - 1];
			const output = finalAnswer(target.utr, LIVE_MESSAGE);
			deepStrictEqual(
				(finalRun?.data?.main[0] ?? []).map((item) => item.json),
				[{ output }],
			);
			agentRun = {
				workflowId: AGENT_WORKFLOW_ID,
				executionId: saved.id,
				steps: [AGENT_TRIGGER, AGENT, CHAT_MODEL, LIST_TOOL, CHAT_MODEL, SET_LIVE_TOOL, CHAT_MODEL],
				output,
			};
		},
	);
	return agentRun;
}
