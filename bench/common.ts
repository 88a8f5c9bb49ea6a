/** What the benchmark's parent process and its Get Many child share: our node on the engine, the sandbox's records. */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { ICredentialType, INodeType, IVersionedNodeType } from 'n8n-workflow';
import type { EngineOptions } from '../test/engine';
import { SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY } from '../sandbox/server';
import type { AutomationRecord } from '../sandbox/server';
import { ROOT } from './one-copy';

export const OUR_TYPE = 'n8n-nodes-allstechnology.allsTechnology';
export const HTTP_REQUEST_TYPE = 'n8n-nodes-base.httpRequest';
export const CREDENTIAL = 'allsTechnologyApi';

/** Latency the sandbox adds to every request, in milliseconds. */
export const LATENCY_MS = 40;

/** The built node (dist/, as n8n loads it) and its credential type. */
export function ourNode(): { node: INodeType; credentialType: ICredentialType } {
	/* eslint-disable @typescript-eslint/no-require-imports */
	const { AllsTechnology } = require(
		join(ROOT, 'dist/nodes/AllsTechnology/AllsTechnology.node.js'),
	) as {
		AllsTechnology: new () => INodeType;
	};
	const { AllsTechnologyApi } = require(
		join(ROOT, 'dist/credentials/AllsTechnologyApi.credentials.js'),
	) as {
		AllsTechnologyApi: new () => ICredentialType;
	};
	/* eslint-enable @typescript-eslint/no-require-imports */
	return { node: new AllsTechnology(), credentialType: new AllsTechnologyApi() };
}

export function engineFor(
	baseUrl: string,
	extraTypes: Record<string, INodeType | IVersionedNodeType> = {},
): EngineOptions {
	const { node, credentialType } = ourNode();
	return {
		nodeTypes: { [OUR_TYPE]: node, ...extraTypes },
		credentialTypes: { [CREDENTIAL]: credentialType },
		credentials: {
			[CREDENTIAL]: { publicKey: SANDBOX_PUBLIC_KEY, secretKey: SANDBOX_SECRET_KEY, baseUrl },
		},
	};
}

/** A valid, unique UTR for a benchmark automation (the sandbox's seed UTRs have the same node field). */
export function benchUtr(id: number): string {
	return `${id.toString(16).padStart(8, '0')}-8780-11ee-835d-b42e9970e591`;
}

/** `count` automations shaped like the vendor's example record, ids from 1001; half of them live. */
export function benchAutomations(count: number): AutomationRecord[] {
	return Array.from({ length: count }, (_, index) => {
		const id = 1001 + index;
		const live = index % 2 === 1;
		const created = new Date(Date.UTC(2024, 0, 1) + index * 60_000)
			.toISOString()
			.replace(/\.\d{3}Z$/, '.000000Z');
		return {
			id,
			user_id: 6790,
			automation_for: 10,
			automation_for_table: 'contacts_',
			automation_name: `Benchmark automation ${id}`,
			exit_criteria: 1,
			unsubscribe_group_id: '3',
			automation_type: index % 3 === 0 ? 1 : 0,
			utr: benchUtr(id),
			status: live ? 1 : 0,
			live_at: live ? '2024-02-01 12:00:00' : null,
			total_triggered: index % 997,
			total_delivered: index % 991,
			total_unique_opens: index % 501,
			total_opens: index % 1409,
			total_bounces: index % 7,
			total_unsubscribe: index % 5,
			deleted_at: null,
			created_at: created,
			updated_at: created,
		};
	});
}

/** Peak and current resident set of this process, in bytes, from /proc/self/status (Linux); undefined elsewhere. */
export function procStatusMemory(): { vmHwm: number; vmRss: number } | undefined {
	try {
		const status = readFileSync('/proc/self/status', 'utf8');
		const kb = (field: string) =>
			Number(new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(status)?.[1]) * 1024;
		const vmHwm = kb('VmHWM');
		const vmRss = kb('VmRSS');
		return Number.isFinite(vmHwm) && Number.isFinite(vmRss) ? { vmHwm, vmRss } : undefined;
	} catch {
		return undefined;
	}
}

/** What the Get Many child reports on its last stdout line. */
export interface GetManyResult {
	simplify: boolean;
	items: number;
	error?: string;
	ms: number;
	/** VmHWM from /proc/self/status at the end: the peak resident set of the whole child process. */
	peakRss?: number;
	/** VmHWM just before the run: what loading node, ts-node, n8n-core and our node had already taken. */
	peakRssBeforeRun?: number;
	/** The largest `process.memoryUsage().rss` seen by a 5 ms sampler (it cannot sample during synchronous work). */
	sampledPeakRss: number;
	requests?: number;
}
