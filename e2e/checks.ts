/**
 * The checks of a run in a real n8n (test:e2e, test:queue): each one named, passed or failed with its reason,
 * counted for the summary line and for CI's "N passed, N failed".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { cacheDir } from './runtime';

export interface CheckCounts {
	passed: number;
	failed: number;
}

export class Checks {
	readonly counts: CheckCounts = { passed: 0, failed: 0 };
	private readonly failures: string[] = [];

	/** `label` starts the summary line: "e2e: N passed, N failed". */
	constructor(private readonly label: string) {}

	/** Runs `body`; a throw (an assertion) fails the check. Returns whether it passed. */
	async check(name: string, body: () => unknown): Promise<boolean> {
		try {
			await body();
			this.counts.passed++;
			console.log(`  ✓ ${name}`);
			return true;
		} catch (error) {
			this.fail(name, error);
			return false;
		}
	}

	/** Records a failure that happened outside a check, e.g. a step the following checks needed. */
	fail(name: string, error: unknown): void {
		this.counts.failed++;
		const reason = error instanceof Error ? error.message : String(error);
		this.failures.push(name);
		console.log(`  ✗ ${name}\n${indent(reason)}`);
	}

	/** Runs a step the following checks depend on; on a throw, records the failure and returns undefined. */
	async step<T>(name: string, body: () => Promise<T>): Promise<T | undefined> {
		const started = Date.now();
		try {
			const value = await body();
			console.log(`  · ${name} (${seconds(Date.now() - started)})`);
			return value;
		} catch (error) {
			this.fail(name, error);
			return undefined;
		}
	}

	summary(): string {
		const failedList = this.failures.length
			? `\nFailed:\n${this.failures.map((name) => `  - ${name}`).join('\n')}`
			: '';
		return `${failedList}\n${this.label}: ${this.counts.passed} passed, ${this.counts.failed} failed`;
	}
}

/** Stops what a run started, latest first; each is called once. */
export type Cleanups = Array<() => Promise<void>>;

/**
 * The frame of a run: a temporary work folder, `body`'s checks, the cleanups run at the end (on a throw and on
 * Ctrl-C too), the summary, and `--results <file>` written as {"passed": N, "failed": N} for CI's count. The work
 * folder (logs, user folders) is kept when a check failed. Returns the exit code: 1 unless all passed.
 */
export async function runChecked(
	label: string,
	body: (checks: Checks, workDir: string, cleanups: Cleanups) => Promise<void>,
): Promise<number> {
	const resultsFile = argument('--results');
	const started = Date.now();
	const checks = new Checks(label);
	const workDir = mkdtempSync(join(tmpdir(), `allstechnology-${label}-`));
	const cleanups: Cleanups = [];
	const cleanUp = async () => {
		for (const cleanup of cleanups.reverse())
			await cleanup().catch((error) => console.error(error));
		cleanups.length = 0;
	};
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.once(signal, () => {
			console.log(`\n${signal}: stopping what this run started`);
			void cleanUp().finally(() => process.exit(130));
		});
	}

	try {
		await body(checks, workDir, cleanups);
	} catch (error) {
		checks.fail(`the ${label} run itself`, error);
	} finally {
		await cleanUp();
	}

	console.log(checks.summary());
	console.log(`Took ${seconds(Date.now() - started)}; cache ${cacheDir()}.`);
	if (checks.counts.failed === 0) rmSync(workDir, { recursive: true, force: true });
	else console.log(`Logs and n8n's user folders kept in ${workDir}`);
	if (resultsFile) writeFileSync(resultsFile, JSON.stringify(checks.counts));
	return checks.counts.failed === 0 && checks.counts.passed > 0 ? 0 : 1;
}

function argument(flag: string): string | undefined {
	const index = process.argv.indexOf(flag);
	return index === -1 ? undefined : process.argv[index + 1];
}

export function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(1)} s`;
}

function indent(text: string): string {
	return text
		.split('\n')
		.slice(0, 60)
		.map((line) => `      ${line}`)
		.join('\n');
}
