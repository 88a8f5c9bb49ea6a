/**
 * Time-based (version 1) UUIDs shaped like the vendor's UTRs, e.g. 'e9c7ff00-8d1c-11ee-91c4-b42e9970e591':
 * the docs' UTRs are real version-1 UUIDs whose timestamps match the records' created_at, with the node
 * field b42e9970e591 (the vendor's server). The sandbox mints them the same way, from the current clock.
 */

/** 100-nanosecond intervals between 1582-10-15 (the UUID epoch) and 1970-01-01. */
const GREGORIAN_OFFSET = BigInt('122192928000000000');

/** The node field of every UTR in the vendor's docs. */
export const VENDOR_UUID_NODE = 'b42e9970e591';

/** The shape of a UTR: a lower-case version-1 UUID. */
export const UTR_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function hex(value: bigint, width: number): string {
	return value.toString(16).padStart(width, '0');
}

/** Formats a version-1 UUID from a count of 100 ns ticks since the UUID epoch, a 14-bit clock sequence and a node. */
export function formatTimeUuid(
	ticks: bigint,
	clockSeq: number,
	node: string = VENDOR_UUID_NODE,
): string {
	const timeLow = ticks & BigInt(0xffffffff);
	const timeMid = (ticks >> BigInt(32)) & BigInt(0xffff);
	const timeHi = ((ticks >> BigInt(48)) & BigInt(0x0fff)) | BigInt(0x1000);
	const seq = BigInt((clockSeq & 0x3fff) | 0x8000);
	return `${hex(timeLow, 8)}-${hex(timeMid, 4)}-${hex(timeHi, 4)}-${hex(seq, 4)}-${node}`;
}

/** The UUID-epoch ticks of a JavaScript time (milliseconds since 1970) plus extra 100 ns ticks. */
export function ticksOf(epochMs: number, extraTicks = 0): bigint {
	return BigInt(Math.floor(epochMs)) * BigInt(10000) + GREGORIAN_OFFSET + BigInt(extraTicks);
}

/** The JavaScript time (ms since 1970) encoded in a version-1 UUID. */
export function timeOfUuid(uuid: string): number {
	const [low, mid, hi] = uuid.split('-');
	const ticks =
		(BigInt('0x' + hi.slice(1)) << BigInt(48)) |
		(BigInt('0x' + mid) << BigInt(32)) |
		BigInt('0x' + low);
	return Number((ticks - GREGORIAN_OFFSET) / BigInt(10000));
}

/** Mints unique, strictly increasing time-based UTRs from the current clock. */
export class UtrGenerator {
	private lastTicks = BigInt(0);

	constructor(private readonly now: () => number = Date.now) {}

	next(isTaken: (utr: string) => boolean = () => false): string {
		for (;;) {
			let ticks = ticksOf(this.now());
			if (ticks <= this.lastTicks) ticks = this.lastTicks + BigInt(1);
			this.lastTicks = ticks;
			const utr = formatTimeUuid(ticks, Math.floor(Math.random() * 0x4000));
			if (!isTaken(utr)) return utr;
		}
	}
}
