/**
 * How the AllsTechnology Trigger scales with the account: seeds the sandbox with 5,000 automations (or the count
 * given), then polls through n8n's engine as an active workflow does: a baseline poll, a poll that finds nothing,
 * and a poll after changes to 7% of the automations. Prints the median time per poll over a few rounds and the
 * size of the static data n8n stores.
 *
 *   npx ts-node --transpile-only scripts/bench-trigger.ts [count]
 */
import { performance } from 'perf_hooks';
import type { IDataObject } from 'n8n-workflow';
import { COUNTERS, TRIGGER_EVENTS, byUtr, detectEvents } from '../nodes/AllsTechnologyTrigger/events';
import { pollClock, readSnapshots, writeSnapshots } from '../nodes/AllsTechnologyTrigger/state';
import { runPoll } from '../test/engine';
import { ALL_EVENTS, NODE_STATE_KEY, TRIGGER_TYPE, automationRecord, triggerEngine } from '../test/nodes/AllsTechnologyTrigger/fixture';
import type { AutomationRecord, Sandbox } from '../test/sandbox/server';
import { startSandbox } from '../test/sandbox/server';

const COUNT = Number(process.argv[2] ?? 5000);
const ROUNDS = 5;

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
	for (const record of every(100)) Object.assign(record, { status: 1, live_at: '2024-03-01 10:00:00' });
	for (const record of records.filter((candidate) => candidate.id % 100 === 5)) record.status = 0;
	for (const record of every(20)) {
		record.total_triggered += 3;
		record.total_delivered += 3;
		record.total_opens += 2;
	}
	for (const record of records.filter((candidate) => candidate.id % 200 === 2)) record.deleted_at = '2024-03-01T04:00:00.000000Z';
	for (let id = count + 1; id <= count + count / 200; id++) records.push(automationRecord(id));
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
	const sandbox = await startSandbox();
	const engine = triggerEngine(sandbox);
	const parameters = { triggerOn: ALL_EVENTS };
	const times = { baseline: [] as number[], unchanged: [] as number[], changed: [] as number[], comparison: [] as number[] };
	let events = 0;
	let stateBytes = 0;
	let stateBytesAfter = 0;
	let listBytes = 0;

	const timedPoll = async (staticData: IDataObject, into: number[]) => {
		const started = performance.now();
		const { response } = await runPoll(engine, { type: TRIGGER_TYPE, parameters, mode: 'trigger', staticData });
		into.push(performance.now() - started);
		return response;
	};

	try {
		for (let round = 0; round < ROUNDS; round++) {
			sandbox.state.automations.splice(0, sandbox.state.automations.length, ...account(COUNT));
			sandbox.clearRequests();
			const staticData: IDataObject = {};
			await timedPoll(staticData, times.baseline);
			listBytes = Buffer.byteLength(JSON.stringify(sandbox.requests[0].response));
			stateBytes = Buffer.byteLength(JSON.stringify(staticData));
			await timedPoll(staticData, times.unchanged);
			const recorded = JSON.parse(JSON.stringify(staticData[NODE_STATE_KEY])) as IDataObject;
			change(sandbox, COUNT);
			events = (await timedPoll(staticData, times.changed))?.[0].length ?? 0;
			stateBytesAfter = Buffer.byteLength(JSON.stringify(staticData));

			// The node's own share of that poll: reading the state, comparing the parsed list, writing the state.
			const list = (sandbox.requests[sandbox.requests.length - 1].response as { message: { automations: IDataObject[] } }).message.automations;
			for (let repeat = 0; repeat < ROUNDS; repeat++) {
				const started = performance.now();
				const previous = readSnapshots(recorded) ?? new Map();
				const listed = byUtr(list, previous);
				detectEvents(previous, listed, { events: TRIGGER_EVENTS, counters: COUNTERS });
				writeSnapshots({}, listed, pollClock());
				times.comparison.push(performance.now() - started);
			}
		}
	} finally {
		await sandbox.close();
	}

	const ms = (values: number[]) => `${median(values).toFixed(0)} ms`;
	console.log(`AllsTechnology Trigger, ${COUNT} automations, median of ${ROUNDS} rounds (sandbox on loopback)`);
	console.log(`GET automations answer: ${(listBytes / 1024).toFixed(0)} KiB`);
	console.log(`baseline poll (records the state, emits nothing): ${ms(times.baseline)}`);
	console.log(`poll with nothing changed (returns null):          ${ms(times.unchanged)}`);
	console.log(`poll after changes (${events} events):                ${ms(times.changed)}`);
	console.log(`  of which reading the state, comparing and writing it: ${median(times.comparison).toFixed(1)} ms`);
	console.log(`static data as n8n stores it: ${(stateBytes / 1024).toFixed(1)} KiB (${(stateBytes / COUNT).toFixed(1)} bytes per automation); after the changes ${(stateBytesAfter / 1024).toFixed(1)} KiB`);
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
