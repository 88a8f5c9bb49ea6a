/**
 * How the AllsTechnology Trigger scales with the account: seeds the sandbox with 5,000 automations (or the count
 * given), then polls through n8n's engine as an active workflow does: a first poll (records the state), a poll
 * that finds nothing, and a poll after changes to 7% of the automations. Each poll runs under V8's CPU profiler
 * in this process, so that its CPU can be split: the trigger's own (samples in the node's code, nodes/), the
 * sandbox's (it runs in this process too: left out), and the rest of the poll (n8n-core's HTTP helper, JSON
 * parsing, the engine). The current trigger code is measured as n8n runs it: its poll(), nothing copied here.
 * Prints medians over a few rounds and the size of the static data n8n stores; `--json` prints one JSON line
 * (TriggerBenchResult) instead, for bench/real-n8n.ts.
 *
 *   npx ts-node --transpile-only scripts/bench-trigger.ts [count] [--json]
 */
import { Session } from 'inspector';
import { join } from 'path';
import { performance } from 'perf_hooks';
import type { IDataObject } from 'n8n-workflow';
import type { CpuProfile, Sample } from '../bench/cpu-profile';
import { samplesOf } from '../bench/cpu-profile';
import { runPoll } from '../test/engine';
import {
	ALL_EVENTS,
	TRIGGER_TYPE,
	automationRecord,
	triggerEngine,
} from '../test/nodes/AllsTechnologyTrigger/fixture';
import type { AutomationRecord, Sandbox } from '../sandbox/server';
import { startSandbox } from '../sandbox/server';

const COUNT = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 5000);
const AS_JSON = process.argv.includes('--json');
const ROUNDS = 5;
/** Microseconds between two samples of the profiler. */
const SAMPLING_US = 100;

const NODE_CODE = `${join(__dirname, '..', 'nodes')}/`;
const SANDBOX_CODE = `${join(__dirname, '..', 'sandbox')}/`;

export interface PollFigures {
	wallMs: number;
	/** CPU in the trigger's code: samples whose innermost frame with a file is in nodes/ (builtins it calls included). */
	ownCpuMs: number;
	/** CPU of the whole poll: every busy sample but the sandbox's (a frame of sandbox/ in the stack). */
	pollCpuMs: number;
	/** Garbage collection during the poll (whoever made the garbage). */
	gcMs: number;
	/** Events the poll emitted. */
	events: number;
}

export interface TriggerBenchResult {
	count: number;
	listBytes: number;
	stateBytes: number;
	stateBytesAfter: number;
	polls: Record<'baseline' | 'unchanged' | 'changed', PollFigures>;
}

/** Automations with counters of realistic sizes, a fifth of them live. */
function account(count: number): AutomationRecord[] {
	return Array.from({ length: count }, (_, index) => {
		const id = index + 1;
		const triggered = (id * 7919) % 20000;
		return automationRecord(id, {
			automation_name: `Automation ${id}`,
			status: id % 5 === 0 ? 1 : 0,
			live_at: id % 5 === 0 ? '2024-01-02 09:04:05' : null,
			total_triggered: triggered,
			total_delivered: Math.floor(triggered * 0.97),
			total_unique_opens: Math.floor(triggered * 0.41),
			total_opens: Math.floor(triggered * 0.63),
			total_bounces: Math.floor(triggered * 0.02),
			total_unsubscribe: Math.floor(triggered * 0.004),
		});
	});
}

/** Per 1,000 automations: 50 send more emails (10 of them also go live), 10 are paused, 5 deleted, 5 created. */
function change(sandbox: Sandbox, count: number): void {
	const records = sandbox.state.automations;
	const every = (n: number) => records.filter((record) => record.id % n === 1);
	for (const record of every(100))
		Object.assign(record, { status: 1, live_at: '2024-03-01 10:00:00' });
	for (const record of records.filter((candidate) => candidate.id % 100 === 5)) record.status = 0;
	for (const record of every(20)) {
		record.total_triggered += 3;
		record.total_delivered += 3;
		record.total_opens += 2;
	}
	for (const record of records.filter((candidate) => candidate.id % 200 === 2))
		record.deleted_at = '2024-03-01T04:00:00.000000Z';
	for (let id = count + 1; id <= count + count / 200; id++) records.push(automationRecord(id));
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
	return new Promise((resolve, reject) =>
		session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))),
	);
}

/** The innermost frame that has a file (builtins such as Array.prototype.map have none: they count for their caller). */
function innermostFile(sample: Sample): string {
	return sample.stack.find((frame) => frame.url !== '')?.url.replace(/^file:\/\//, '') ?? '';
}

function split(samples: Sample[]): Omit<PollFigures, 'wallMs' | 'events'> {
	let own = 0;
	let poll = 0;
	let gc = 0;
	for (const sample of samples) {
		const leaf = sample.stack[0]?.functionName;
		if (leaf === '(idle)') continue;
		if (sample.stack.some((frame) => frame.url.replace(/^file:\/\//, '').startsWith(SANDBOX_CODE)))
			continue;
		poll += sample.us;
		if (leaf === '(garbage collector)') gc += sample.us;
		else if (innermostFile(sample).startsWith(NODE_CODE)) own += sample.us;
	}
	return { ownCpuMs: own / 1000, pollCpuMs: poll / 1000, gcMs: gc / 1000 };
}

async function main() {
	const sandbox = await startSandbox();
	const engine = triggerEngine(sandbox);
	const parameters = { triggerOn: ALL_EVENTS };
	const session = new Session();
	session.connect();
	await post(session, 'Profiler.enable');
	await post(session, 'Profiler.setSamplingInterval', { interval: SAMPLING_US });
	const figures = {
		baseline: [] as PollFigures[],
		unchanged: [] as PollFigures[],
		changed: [] as PollFigures[],
	};
	let listBytes = 0;
	let stateBytes = 0;
	let stateBytesAfter = 0;

	const profiledPoll = async (staticData: IDataObject, into: PollFigures[]) => {
		await post(session, 'Profiler.start');
		const started = performance.now();
		const { response } = await runPoll(engine, {
			type: TRIGGER_TYPE,
			parameters,
			mode: 'trigger',
			staticData,
		});
		const wallMs = performance.now() - started;
		const { profile } = await post<{ profile: CpuProfile }>(session, 'Profiler.stop');
		into.push({ wallMs, events: response?.[0].length ?? 0, ...split(samplesOf(profile)) });
	};

	try {
		for (let round = 0; round < ROUNDS; round++) {
			sandbox.state.automations.splice(0, sandbox.state.automations.length, ...account(COUNT));
			sandbox.clearRequests();
			const staticData: IDataObject = {};
			await profiledPoll(staticData, figures.baseline);
			listBytes = Buffer.byteLength(JSON.stringify(sandbox.requests[0].response));
			stateBytes = Buffer.byteLength(JSON.stringify(staticData));
			await profiledPoll(staticData, figures.unchanged);
			change(sandbox, COUNT);
			await profiledPoll(staticData, figures.changed);
			stateBytesAfter = Buffer.byteLength(JSON.stringify(staticData));
		}
	} finally {
		session.disconnect();
		await sandbox.close();
	}

	const medians = (runs: PollFigures[]): PollFigures => ({
		wallMs: median(runs.map((run) => run.wallMs)),
		ownCpuMs: median(runs.map((run) => run.ownCpuMs)),
		pollCpuMs: median(runs.map((run) => run.pollCpuMs)),
		gcMs: median(runs.map((run) => run.gcMs)),
		events: median(runs.map((run) => run.events)),
	});
	const result: TriggerBenchResult = {
		count: COUNT,
		listBytes,
		stateBytes,
		stateBytesAfter,
		polls: {
			baseline: medians(figures.baseline),
			unchanged: medians(figures.unchanged),
			changed: medians(figures.changed),
		},
	};
	if (AS_JSON) {
		process.stdout.write(`${JSON.stringify(result)}\n`);
		return;
	}
	const line = (name: string, poll: PollFigures) =>
		`${name}: ${poll.wallMs.toFixed(0)} ms; CPU: the trigger's own ${poll.ownCpuMs.toFixed(1)} ms, the whole poll ${poll.pollCpuMs.toFixed(1)} ms (GC ${poll.gcMs.toFixed(1)} ms)`;
	console.log(
		`AllsTechnology Trigger, ${COUNT} automations, median of ${ROUNDS} rounds (sandbox on loopback, in this process; its CPU left out)`,
	);
	console.log(`GET automations answer: ${(listBytes / 1024).toFixed(0)} KiB`);
	console.log(line('first poll (records the state, emits nothing)', result.polls.baseline));
	console.log(line('poll with nothing changed (returns null)     ', result.polls.unchanged));
	console.log(
		line(
			`poll after changes (${result.polls.changed.events} events)             `,
			result.polls.changed,
		),
	);
	console.log(
		`static data as n8n stores it: ${(stateBytes / 1024).toFixed(1)} KiB (${(stateBytes / COUNT).toFixed(1)} bytes per automation); after the changes ${(stateBytesAfter / 1024).toFixed(1)} KiB`,
	);
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exitCode = 1;
	});
}
