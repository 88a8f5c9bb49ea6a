/**
 * The e2e run's checks: each one named, passed or failed with its reason, counted for the summary line and for
 * CI's "N passed, N failed".
 */
export interface CheckCounts {
	passed: number;
	failed: number;
}

export class Checks {
	readonly counts: CheckCounts = { passed: 0, failed: 0 };
	private readonly failures: string[] = [];

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
		const failedList = this.failures.length ? `\nFailed:\n${this.failures.map((name) => `  - ${name}`).join('\n')}` : '';
		return `${failedList}\ne2e: ${this.counts.passed} passed, ${this.counts.failed} failed`;
	}
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
