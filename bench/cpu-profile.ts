/**
 * Reading V8 CPU profiles (`--cpu-prof` files, or the inspector's Profiler.stop): the time of each sample within a
 * window, which code it was in, and where that time goes by group. Used for n8n's process (real-n8n.ts) and for
 * the trigger's poll in-process (scripts/bench-trigger.ts).
 */

export interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
	columnNumber: number;
}

export interface ProfileNode {
	id: number;
	callFrame: CallFrame;
	children?: number[];
}

export interface CpuProfile {
	nodes: ProfileNode[];
	/** Microseconds, on the clock of process.hrtime (CLOCK_MONOTONIC) of the profiled process's machine. */
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

/** A sample's stack, leaf first, and how long it stood for (microseconds). */
export interface Sample {
	stack: CallFrame[];
	us: number;
}

/** Samples taken between `fromUs` and `toUs` (process.hrtime microseconds; the whole profile without them). */
export function samplesOf(profile: CpuProfile, fromUs = -Infinity, toUs = Infinity): Sample[] {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parentOf = new Map<number, number>();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parentOf.set(child, node.id);
	const stacks = new Map<number, CallFrame[]>();
	const stackOf = (id: number): CallFrame[] => {
		let stack = stacks.get(id);
		if (stack === undefined) {
			stack = [];
			for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
				const frame = byId.get(at)?.callFrame;
				if (frame && frame.functionName !== '(root)') stack.push(frame);
			}
			stacks.set(id, stack);
		}
		return stack;
	};
	const samples: Sample[] = [];
	let time = profile.startTime;
	for (let index = 0; index < profile.samples.length; index++) {
		time += profile.timeDeltas[index];
		// A sample stands for the time until the next one (the profile's end for the last).
		const next =
			index + 1 < profile.samples.length ? time + profile.timeDeltas[index + 1] : profile.endTime;
		if (time < fromUs || time > toUs) continue;
		samples.push({ stack: stackOf(profile.samples[index]), us: Math.max(0, next - time) });
	}
	return samples;
}

/** A rule for a group: the frames that belong to it. */
export interface Group {
	name: string;
	matches(frame: CallFrame): boolean;
	/**
	 * 'leaf': only the sample's own frame counts (GC, idle). 'anywhere': a frame of it anywhere in the stack takes
	 * the sample (e.g. credentials: the database and decryption it calls are its cost). 'innermost': the group of
	 * the frame nearest the leaf among the 'innermost' groups takes it.
	 */
	scope: 'leaf' | 'anywhere' | 'innermost';
}

/**
 * The group of a sample: leaf groups first, then the first 'anywhere' group (in the order given) with a frame in
 * the stack, then the 'innermost' group nearest the leaf; `fallback` for the rest.
 */
export function groupOf(
	sample: Sample,
	groups: Group[],
	fallback: (leaf: CallFrame | undefined) => string,
): string {
	const leaf = sample.stack[0];
	for (const group of groups)
		if (group.scope === 'leaf' && leaf && group.matches(leaf)) return group.name;
	for (const group of groups)
		if (group.scope === 'anywhere' && sample.stack.some((frame) => group.matches(frame)))
			return group.name;
	const innermost = groups.filter((group) => group.scope === 'innermost');
	for (const frame of sample.stack) {
		const group = innermost.find((candidate) => candidate.matches(frame));
		if (group) return group.name;
	}
	return fallback(leaf);
}

export interface Share {
	name: string;
	us: number;
}

/** Microseconds per key, largest first. */
export function sumBy(samples: Sample[], keyOf: (sample: Sample) => string): Share[] {
	const totals = new Map<string, number>();
	for (const sample of samples) {
		const key = keyOf(sample);
		totals.set(key, (totals.get(key) ?? 0) + sample.us);
	}
	return [...totals].map(([name, us]) => ({ name, us })).sort((a, b) => b.us - a.us);
}

/** The frame a sample's self time is charged to, named `function (file:line)`, with paths cut to what tells them apart. */
export function frameName(frame: CallFrame | undefined): string {
	if (!frame) return '(no frame)';
	const name = frame.functionName || '(anonymous)';
	return frame.url ? `${name} (${shortUrl(frame.url)}:${frame.lineNumber + 1})` : name;
}

/** 'file:///…/node_modules/n8n-core/dist/x/y.js' → 'n8n-core/dist/x/y.js'. */
export function shortUrl(url: string): string {
	const path = url.replace(/^file:\/\//, '');
	const at = path.lastIndexOf('/node_modules/');
	return at >= 0 ? path.slice(at + '/node_modules/'.length) : path;
}

/** The package a file belongs to ('@n8n/db', 'axios'), 'node' for Node.js's own, undefined for none. */
export function packageOf(url: string): string | undefined {
	if (url.startsWith('node:')) return 'node';
	const path = url.replace(/^file:\/\//, '');
	const at = path.lastIndexOf('/node_modules/');
	if (at < 0) return undefined;
	const parts = path.slice(at + '/node_modules/'.length).split('/');
	return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}
