import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { isResourceLocatorValue } from 'n8n-workflow';
import { requireBoolean, requireIdOrUtr, requirePositiveInteger, requireUtr } from './validation';

/** How an item names an automation or an email: by UTR, or by the numeric ID to look up when the item runs. */
export type RecordRef = { utr: string } | { id: number };

/**
 * The record a locator names, checked. By ID takes a whole number, or a UTR as the mode held before By UTR had its
 * own; the other modes, and a plain value saved before the field was a locator, take a UTR.
 */
function readRef(
	this: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
): RecordRef {
	const parameter: unknown = this.getNodeParameter(name, itemIndex, '');
	const { mode, value } = isResourceLocatorValue(parameter)
		? parameter
		: { mode: undefined, value: parameter };
	if (mode !== 'id') return { utr: requireUtr(this, itemIndex, label, value) };
	const idOrUtr = requireIdOrUtr(this, itemIndex, label, value);
	return typeof idOrUtr === 'number' ? { id: idOrUtr } : { utr: idOrUtr };
}

/** Whether an optional locator was left empty. */
export function isLeftEmpty(this: IExecuteFunctions, itemIndex: number, name: string): boolean {
	const value = this.getNodeParameter(name, itemIndex, '', { extractValue: true });
	return (
		value === null || value === undefined || (typeof value === 'string' && value.trim() === '')
	);
}

export function getAutomationRef(this: IExecuteFunctions, itemIndex: number): RecordRef {
	return readRef.call(this, itemIndex, 'automation', 'Automation');
}

export function getScheduleRef(this: IExecuteFunctions, itemIndex: number): RecordRef {
	return readRef.call(this, itemIndex, 'schedule', 'Schedule');
}

export function readSimplify(this: IExecuteFunctions, itemIndex: number): boolean {
	return requireBoolean(
		this,
		itemIndex,
		'Simplify',
		this.getNodeParameter('simplify', itemIndex, true),
	);
}

/** Return All, Limit and Simplify of one item, checked. */
export interface ListShape {
	/** How many records to keep; undefined with Return All. */
	limit?: number;
	simplify: boolean;
}

export function readListShape(this: IExecuteFunctions, itemIndex: number): ListShape {
	const returnAll = requireBoolean(
		this,
		itemIndex,
		'Return All',
		this.getNodeParameter('returnAll', itemIndex, false),
	);
	const simplify = readSimplify.call(this, itemIndex);
	if (returnAll) return { simplify };
	return {
		limit: requirePositiveInteger(
			this,
			itemIndex,
			'Limit',
			this.getNodeParameter('limit', itemIndex, 50),
		),
		simplify,
	};
}

/** Applies the list shape to a list the API returned whole, already filtered: each record as outputs show it. */
export function shapeList(
	records: IDataObject[],
	shape: ListShape,
	output: (record: IDataObject, simplify: boolean) => IDataObject,
): IDataObject[] {
	const selected = shape.limit === undefined ? records : records.slice(0, shape.limit);
	return selected.map((record) => output(record, shape.simplify));
}
