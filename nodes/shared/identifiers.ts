import type { IDataObject } from 'n8n-workflow';

/** A UUID, unanchored as n8n's resource locator validation wants it. */
export const UTR_REGEX =
	'[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
export const UTR_PATTERN = new RegExp(`^${UTR_REGEX}$`);

/**
 * The key under which a UTR is compared: UTRs are UUIDs, which the API may write in either case, and a space
 * around one is no part of it.
 */
export function utrKey(utr: string): string {
	return utr.trim().toLowerCase();
}

/** The key of a record's UTR (see utrKey); '' for a record without one. */
export function utrKeyOf(record: IDataObject): string {
	return typeof record.utr === 'string' ? utrKey(record.utr) : '';
}

/** A record's numeric ID, a whole number from 1, given as a number or as digits; undefined for anything else. */
export function toPositiveInteger(value: unknown): number | undefined {
	const text =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^\d+$/.test(text)) return undefined;
	const number = Number(text);
	return Number.isSafeInteger(number) && number > 0 ? number : undefined;
}
