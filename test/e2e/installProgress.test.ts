import type { Clock } from '../../e2e/installProgress';
import { PROGRESS_EVERY_MS, formatDuration, startInstallProgress } from '../../e2e/installProgress';

/** A clock that moves only when told, calling the ticks that fall due on the way, as setInterval would. */
function manualClock() {
	let now = 1_000_000;
	const timers = new Set<{ every: number; next: number; tick: () => void }>();
	const clock: Clock = {
		now: () => now,
		every(ms, tick) {
			const timer = { every: ms, next: now + ms, tick };
			timers.add(timer);
			return () => timers.delete(timer);
		},
	};
	const advance = (ms: number) => {
		const until = now + ms;
		for (;;) {
			const due = [...timers]
				.filter((timer) => timer.next <= until)
				.sort((a, b) => a.next - b.next)[0];
			if (!due) break;
			now = due.next;
			due.next += due.every;
			due.tick();
		}
		now = until;
	};
	return { clock, advance, timerCount: () => timers.size };
}

function start() {
	const lines: string[] = [];
	const { clock, advance, timerCount } = manualClock();
	const progress = startInstallProgress({
		what: 'n8n 2.40.7',
		folder: '/cache/n8n-2.40.7',
		usualDuration: 'about 11 minutes the first time',
		logFile: '/cache/n8n-2.40.7.partial-7/install.log',
		log: (line) => lines.push(line),
		clock,
	});
	return { lines, advance, timerCount, progress };
}

describe('install progress', () => {
	it('says what is installed, where, how long it usually takes and where npm writes, before anything else', () => {
		const { lines } = start();

		expect(lines).toEqual([
			"Installing n8n 2.40.7 into /cache/n8n-2.40.7: once per machine, about 11 minutes the first time. npm's output goes to /cache/n8n-2.40.7.partial-7/install.log",
		]);
	});

	it('prints each step as it starts, and every interval the step under way with the time so far, then the total', () => {
		const { lines, advance, progress } = start();

		progress.step('npm install n8n@2.40.7');
		advance(PROGRESS_EVERY_MS * 3);
		progress.step('building sqlite3');
		advance(PROGRESS_EVERY_MS / 2);
		progress.done();

		expect(lines.slice(1)).toEqual([
			'  npm install n8n@2.40.7',
			'  npm install n8n@2.40.7: 20 s so far',
			'  npm install n8n@2.40.7: 40 s so far',
			'  npm install n8n@2.40.7: 1 min so far',
			'  building sqlite3',
			'Installed n8n 2.40.7 in 1 min 10 s',
		]);
	});

	it('names what is installed until a step is given', () => {
		const { lines, advance } = start();

		advance(PROGRESS_EVERY_MS);

		expect(lines.slice(1)).toEqual(['  n8n 2.40.7: 20 s so far']);
	});

	it.each(['done', 'stop'] as const)('prints nothing more once %s is called', (end) => {
		const { lines, advance, timerCount, progress } = start();

		progress[end]();
		const printed = lines.length;
		advance(PROGRESS_EVERY_MS * 5);

		expect(lines.length).toBe(printed);
		expect(timerCount()).toBe(0);
	});

	it('prints no total when stopped after a failure', () => {
		const { lines, progress } = start();

		progress.stop();

		expect(lines).toHaveLength(1);
	});
});

describe('formatDuration', () => {
	it.each([
		[0, '0 s'],
		[999, '0 s'],
		[45_000, '45 s'],
		[60_000, '1 min'],
		[185_400, '3 min 5 s'],
		[660_000, '11 min'],
	])('%p ms reads %p', (ms, text) => {
		expect(formatDuration(ms)).toBe(text);
	});
});
