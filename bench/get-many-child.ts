/**
 * One Get Many (Return All) over the account the parent seeded, in a process of its own, so that the peak memory
 * it reports is this case's alone. The sandbox runs in a process of its own, as the API would. Prints one
 * JSON line (GetManyResult). Started by bench.ts with BENCH_BASE_URL and BENCH_SIMPLIFY set.
 */
import './one-copy';
import { performance } from 'perf_hooks';
import { runNode } from '../test/engine';
import { CREDENTIAL, OUR_TYPE, engineFor, procStatusMemory } from './common';
import type { GetManyResult } from './common';

async function main() {
	const baseUrl = process.env.BENCH_BASE_URL;
	if (!baseUrl)
		throw new Error('BENCH_BASE_URL is not set: this script is started by bench/bench.ts');
	const simplify = process.env.BENCH_SIMPLIFY === 'true';
	const engine = engineFor(baseUrl);

	let sampledPeakRss = process.memoryUsage().rss;
	const sampler = setInterval(() => {
		sampledPeakRss = Math.max(sampledPeakRss, process.memoryUsage().rss);
	}, 5);
	const before = procStatusMemory();
	const started = performance.now();
	const { items, error } = await runNode(engine, {
		type: OUR_TYPE,
		parameters: { resource: 'automation', operation: 'getAll', returnAll: true, simplify },
		credentialName: CREDENTIAL,
	});
	const ms = performance.now() - started;
	clearInterval(sampler);
	sampledPeakRss = Math.max(sampledPeakRss, process.memoryUsage().rss);
	const after = procStatusMemory();

	const result: GetManyResult = {
		simplify,
		items: items.length,
		error: error?.message,
		ms,
		peakRss: after?.vmHwm,
		peakRssBeforeRun: before?.vmHwm,
		sampledPeakRss,
	};
	process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
