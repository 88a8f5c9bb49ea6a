import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { apiRequest, recordNotFound } from '../../shared/transport';
import { asItemError } from '../../shared/errors';
import type { LookupEndpoint } from '../../shared/interfaces';

/**
 * The lookup endpoints are known only by path and top-level key (some not even that), so their answers are read
 * tolerantly: the records are the first array found under `message`, one level of wrapping allowed.
 */
export function recordsIn(message: unknown): IDataObject[] {
	if (Array.isArray(message))
		return message.filter((record) => record && typeof record === 'object') as IDataObject[];
	if (!message || typeof message !== 'object') return [];
	const values = Object.values(message as IDataObject);
	const list = values.find(Array.isArray);
	if (list) return recordsIn(list);
	for (const value of values) {
		const nested = recordsIn(value);
		if (nested.length) return nested;
	}
	return [];
}

const NAME_FIELDS = [
	'name',
	'title',
	'template_name',
	'group_name',
	'segment_name',
	'type_name',
	'label',
	'subject',
	'email',
];

/** A record's label: its first name-like field, else its ID. */
export function labelOf(record: IDataObject): string {
	for (const field of NAME_FIELDS) {
		const value = record[field];
		if (typeof value === 'string' && value.trim()) return value.trim();
	}
	return `ID ${String(record.id)}`;
}

/** The records of a lookup list that have an ID; an empty list the API reports as "Record not found" is empty. */
export async function fetchLookup(
	this: IExecuteFunctions | ILoadOptionsFunctions,
	endpoint: LookupEndpoint,
	itemIndex?: number,
): Promise<IDataObject[]> {
	try {
		const message = await apiRequest.call(this, { method: 'GET', endpoint }, itemIndex);
		return recordsIn(message).filter((record) => record.id !== undefined && record.id !== null);
	} catch (error) {
		if (!recordNotFound(error)) throw asItemError(this, error, itemIndex);
		return [];
	}
}
