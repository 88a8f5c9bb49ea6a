/**
 * What an install into the cache prints while it runs (e2e/runtime.ts): what is installed, where, how long it
 * usually takes and where npm's output goes; then the step under way each time it changes, a line with the time so
 * far every PROGRESS_EVERY_MS, and the total at the end. npm's own output goes to a log file, so without these
 * lines the first `npm run test:e2e` or `npm run dev` on a machine shows nothing for minutes.
 */

export interface Clock {
	now(): number;
	/** Calls `tick` every `ms` until the returned function is called. */
	every(ms: number, tick: () => void): () => void;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	every(ms, tick) {
		const timer = setInterval(tick, ms);
		// A progress line is no reason to keep the process alive.
		timer.unref();
		return () => clearInterval(timer);
	},
};

export const PROGRESS_EVERY_MS = 20_000;

export interface InstallProgress {
	/** Prints the step now under way; the progress lines after it name it. */
	step(description: string): void;
	/** Stops the progress lines and prints the total time. */
	done(): void;
	/** Stops the progress lines, printing nothing (the install failed and its error says why). */
	stop(): void;
}

export interface InstallProgressOptions {
	/** What is installed, e.g. "n8n 2.40.7". */
	what: string;
	folder: string;
	/** How long it usually takes, e.g. "about 11 minutes". */
	usualDuration: string;
	logFile: string;
	log: (line: string) => void;
	clock?: Clock;
}

export function startInstallProgress({
	what,
	folder,
	usualDuration,
	logFile,
	log,
	clock = systemClock,
}: InstallProgressOptions): InstallProgress {
	const started = clock.now();
	const elapsed = () => formatDuration(clock.now() - started);
	let current = what;
	log(
		`Installing ${what} into ${folder}: once per machine, ${usualDuration}. npm's output goes to ${logFile}`,
	);
	const stop = clock.every(PROGRESS_EVERY_MS, () => log(`  ${current}: ${elapsed()} so far`));
	return {
		step(description) {
			current = description;
			log(`  ${description}`);
		},
		done() {
			stop();
			log(`Installed ${what} in ${elapsed()}`);
		},
		stop,
	};
}

/** "45 s", "3 min 5 s", "11 min": whole seconds, rounded down. */
export function formatDuration(ms: number): string {
	const totalSeconds = Math.max(0, Math.floor(ms / 1000));
	const minutes = Math.floor(totalSeconds / 60);
	const seconds = totalSeconds % 60;
	if (minutes === 0) return `${seconds} s`;
	return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}
