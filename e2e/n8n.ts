/**
 * One n8n instance: its user folder, the environment that keeps it on loopback, its CLI commands, its server
 * and a REST client signed in as its owner.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { createRequire } from 'module';
import { join } from 'path';
import { Server, environmentOutsideRepo, runCommand, startServer, waitFor } from './processes';
import type { Runtime } from './runtime';

export const OWNER = {
	email: 'owner@example.com',
	firstName: 'Ada',
	lastName: 'Owner',
	password: 'E2e-owner-1',
};

export interface N8nOptions {
	runtime: Runtime;
	/** N8N_USER_FOLDER: n8n keeps its data in `<userFolder>/.n8n`. */
	userFolder: string;
	port: number;
	brokerPort: number;
	/** Extra variables, e.g. N8N_DEV_RELOAD. */
	env?: NodeJS.ProcessEnv;
	/** Where the loopback guard records connections to other hosts; without it, no guard is loaded. */
	outboundLog?: string;
}

/** One item of a node's output, as n8n stores it. */
export interface RunItem {
	json: Record<string, unknown>;
	pairedItem?: { item: number; input?: number } | Array<{ item: number; input?: number }>;
}

/** The node's execution data as n8n stores it: the part of IRun the e2e reads. */
export interface RunData {
	data: {
		resultData: {
			error?: { message: string; description?: string };
			/** Each node's runs; a run's `main` holds one list of items per output (output 1 is the error output). */
			runData: Record<
				string,
				Array<{
					error?: { message: string; description?: string };
					data?: { main: Array<RunItem[] | null> };
				}>
			>;
		};
	};
}

/** A saved execution, as GET /rest/executions/:id gives it. */
export interface SavedExecution {
	id: string;
	status: string;
	/** The execution data, serialised as n8n stores it (see N8n.parseExecutionData). */
	data: string;
}

export class N8n {
	readonly baseUrl: string;
	private server: Server | undefined;

	constructor(private readonly options: N8nOptions) {
		this.baseUrl = `http://127.0.0.1:${options.port}`;
		mkdirSync(join(options.userFolder, '.n8n'), { recursive: true });
		mkdirSync(join(options.userFolder, 'tmp'), { recursive: true });
	}

	env(): NodeJS.ProcessEnv {
		const { runtime, userFolder, port, brokerPort, outboundLog } = this.options;
		return {
			...environmentOutsideRepo(),
			PATH: `${runtime.nodeBinDir}:${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: userFolder,
			// n8n's scratch files (data table uploads) stay in the user folder.
			TMPDIR: join(userFolder, 'tmp'),
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			// `n8n worker` has no N8N_PORT server: its health server takes the port.
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(port),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			// The editor is served over plain http on loopback.
			N8N_SECURE_COOKIE: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			// Everything that would call n8n.io or another host: telemetry, version checks, templates, banners,
			// the verified-nodes list, the MCP server registry, license renewal.
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			N8N_DISABLED_MODULES: 'mcp-registry',
			...(outboundLog
				? {
						NODE_OPTIONS: `--require ${join(__dirname, 'loopback-guard.js')}`,
						E2E_OUTBOUND_LOG: outboundLog,
					}
				: {}),
			...this.options.env,
		};
	}

	/** Runs `n8n <args>` and returns its stdout. */
	async cli(args: string[]): Promise<string> {
		const { runtime, userFolder } = this.options;
		return await runCommand(runtime.node, [runtime.n8n, ...args], {
			cwd: userFolder,
			env: this.env(),
			logFile: join(userFolder, 'n8n-cli.log'),
			timeoutMs: 5 * 60_000,
		});
	}

	/** `n8n execute --rawOutput`: the run as n8n printed it (after its log lines). */
	async execute(workflowId: string): Promise<RunData> {
		const stdout = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput']);
		// The run is printed as indented JSON: it starts at the only unindented "{" line and ends at the next "}" line.
		const lines = stdout.split('\n');
		const start = lines.indexOf('{');
		const end = lines.indexOf('}', start);
		if (start === -1 || end === -1)
			throw new Error(`n8n execute printed no run:\n${stdout.slice(-2000)}`);
		return JSON.parse(lines.slice(start, end + 1).join('\n')) as RunData;
	}

	/**
	 * `n8n start`, resolved once the REST API answers; or `n8n worker` (queue mode), resolved once its health
	 * server says it is ready: database migrated, Redis connected.
	 */
	async start(command: 'start' | 'worker' = 'start'): Promise<void> {
		const { runtime, userFolder } = this.options;
		const server = startServer(runtime.node, [runtime.n8n, command], {
			cwd: userFolder,
			env: this.env(),
			logFile: this.logFile(command),
		});
		this.server = server;
		let exitCode: number | null | undefined;
		void server.exited.then((code) => (exitCode = code));
		const ready = command === 'start' ? () => this.restReady() : () => this.workerReady();
		await waitFor(
			async () => {
				if (exitCode !== undefined)
					throw new Error(`n8n ${command} exited with ${exitCode}:\n${tail(server.output())}`);
				return await ready();
			},
			180_000,
			() =>
				`n8n ${command} was not ready on ${this.baseUrl} within 180 s:\n${tail(server.output())}`,
		);
	}

	/** What `n8n <command>` has written to its log in this user folder (every start appends to it). */
	output(command: 'start' | 'worker'): string {
		const file = this.logFile(command);
		return existsSync(file) ? readFileSync(file, 'utf8') : '';
	}

	private logFile(command: 'start' | 'worker'): string {
		return join(this.options.userFolder, command === 'start' ? 'n8n-server.log' : 'n8n-worker.log');
	}

	private async restReady(): Promise<true | undefined> {
		// Until the REST routes are mounted, the editor's page answers every path.
		const response = await fetch(`${this.baseUrl}/rest/settings`).catch(() => undefined);
		return response?.ok && response.headers.get('content-type')?.includes('application/json')
			? true
			: undefined;
	}

	private async workerReady(): Promise<true | undefined> {
		const response = await fetch(`${this.baseUrl}/healthz/readiness`).catch(() => undefined);
		return response?.ok ? true : undefined;
	}

	/** Resolves when the server started by start() exits. */
	async exited(): Promise<void> {
		await this.server?.exited;
	}

	/** Stops the server started by start(): see Server.stop. */
	async stop(graceMs?: number, signal?: NodeJS.Signals): Promise<void> {
		await this.server?.stop(graceMs, signal);
		this.server = undefined;
	}

	/** Creates the owner through `POST /rest/owner/setup`, as the setup page does, and returns a client signed in as them. */
	async setUpOwner(): Promise<Rest> {
		const response = await fetch(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		if (!response.ok)
			throw new Error(
				`POST /rest/owner/setup answered ${response.status}: ${await response.text()}`,
			);
		return new Rest(this.baseUrl, authCookie(response));
	}

	/** Whether the instance has an owner already (a user folder used before). */
	async hasOwner(): Promise<boolean> {
		const response = await fetch(`${this.baseUrl}/rest/settings`);
		const settings = (await response.json()) as {
			data: { userManagement: { showSetupOnFirstLoad?: boolean } };
		};
		return settings.data.userManagement.showSetupOnFirstLoad !== true;
	}

	/** Imports credentials and workflows from JSON written to the user folder. */
	async importCredentials(credentials: object[]): Promise<void> {
		const file = join(this.options.userFolder, 'credentials.json');
		writeFileSync(file, JSON.stringify(credentials));
		await this.cli(['import:credentials', `--input=${file}`]);
	}

	async importWorkflows(workflows: object[]): Promise<void> {
		const folder = join(this.options.userFolder, 'workflows');
		mkdirSync(folder, { recursive: true });
		workflows.forEach((workflow, index) =>
			writeFileSync(join(folder, `${index}.json`), JSON.stringify(workflow)),
		);
		await this.cli(['import:workflow', '--separate', `--input=${folder}`]);
	}

	/** Parses execution data as the REST API returns it (n8n stores it serialised with `flatted`). */
	parseExecutionData(serialised: string): RunData['data'] {
		const { parse } = createRequire(join(this.options.runtime.n8nPackageDir, 'package.json'))(
			'flatted',
		) as {
			parse: (text: string) => RunData['data'];
		};
		return parse(serialised);
	}

	/**
	 * "Execute workflow" in the editor: POST /rest/workflows/:id/run from the trigger, as the button does. Resolves
	 * with the saved execution once it has finished, failed or not.
	 */
	async runFromEditor(
		rest: Rest,
		workflowId: string,
		triggerName: string,
	): Promise<SavedExecution> {
		const { data: started } = await rest.post<{ data: { executionId?: string } }>(
			`/rest/workflows/${workflowId}/run`,
			{
				triggerToStartFrom: { name: triggerName },
			},
		);
		const { executionId } = started;
		if (!executionId)
			throw new Error(
				`POST /rest/workflows/${workflowId}/run started no execution: ${JSON.stringify(started)}`,
			);
		return await waitFor(
			async () => {
				const { data: execution } = await rest.get<{ data: SavedExecution }>(
					`/rest/executions/${executionId}`,
				);
				return ['new', 'running', 'waiting'].includes(execution.status) ? undefined : execution;
			},
			120_000,
			() => `execution ${executionId} of workflow ${workflowId} had not finished within 120 s`,
		);
	}

	/** Every execution n8n has saved, with its data: GET /rest/executions page by page, then each one. */
	async savedExecutions(rest: Rest): Promise<SavedExecution[]> {
		const ids: string[] = [];
		for (let lastId: string | undefined; ; ) {
			const { data } = await rest.get<{ data: { results: Array<{ id: string }> } }>(
				`/rest/executions?limit=100${lastId === undefined ? '' : `&lastId=${lastId}`}`,
			);
			if (data.results.length === 0) break;
			ids.push(...data.results.map((execution) => execution.id));
			lastId = data.results[data.results.length - 1].id;
		}
		const executions: SavedExecution[] = [];
		for (const id of ids)
			executions.push((await rest.get<{ data: SavedExecution }>(`/rest/executions/${id}`)).data);
		return executions;
	}

	outboundConnections(): string[] {
		const file = this.options.outboundLog;
		return file && existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
	}
}

/** n8n's REST API with the owner's session cookie. */
export class Rest {
	constructor(
		readonly baseUrl: string,
		readonly cookie: { name: string; value: string },
	) {}

	async get<T>(path: string): Promise<T> {
		return await this.request<T>('GET', path);
	}

	async post<T>(path: string, body: unknown): Promise<T> {
		return await this.request<T>('POST', path, body);
	}

	private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: {
				cookie: `${this.cookie.name}=${this.cookie.value}`,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok)
			throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 1000)}`);
		return JSON.parse(text) as T;
	}
}

function authCookie(response: Response): { name: string; value: string } {
	const header = response.headers.getSetCookie().find((cookie) => cookie.startsWith('n8n-auth='));
	if (!header) throw new Error('n8n set no n8n-auth cookie');
	return { name: 'n8n-auth', value: header.slice('n8n-auth='.length).split(';')[0] };
}

function tail(text: string): string {
	return text.trim().split('\n').slice(-40).join('\n');
}
