import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { UTR_PATTERN, toPositiveInteger } from '../../shared/identifiers';

function describeValue(value: unknown): string {
	if (value === undefined || value === null || value === '') return 'empty';
	const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
	return `"${text.length > 60 ? `${text.slice(0, 60)}…` : text}"`;
}

function invalid(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	value: unknown,
	expected: string,
	hint?: string,
): NodeOperationError {
	const fix = `Fix "${parameter}" for item ${itemIndex} and run the node again.`;
	return new NodeOperationError(
		context.getNode(),
		`The ${parameter} parameter is ${describeValue(value)}: it must be ${expected}`,
		{ itemIndex, description: hint ? `${hint} ${fix}` : fix },
	);
}

export function requirePattern(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	value: unknown,
	pattern: RegExp,
	expected: string,
): string {
	const text = typeof value === 'string' ? value.trim() : value;
	if (typeof text !== 'string' || !pattern.test(text))
		throw invalid(context, itemIndex, parameter, value, expected);
	return text;
}

function asUtr(value: unknown): string | undefined {
	const text = typeof value === 'string' ? value.trim() : undefined;
	return text !== undefined && UTR_PATTERN.test(text) ? text : undefined;
}

/** A UTR is the UUID the API uses to name an automation or a schedule. */
export function requireUtr(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	value: unknown,
): string {
	const utr = asUtr(value);
	if (utr !== undefined) return utr;
	const hint =
		toPositiveInteger(value) !== undefined
			? `${String(value).trim()} looks like a numeric ID: choose By ID for "${parameter}", or give the UTR.`
			: undefined;
	throw invalid(
		context,
		itemIndex,
		parameter,
		value,
		'a UTR, a UUID such as e9c7ff00-8d1c-11ee-91c4-b42e9970e591',
		hint,
	);
}

/**
 * By ID: a whole number ID, or a UTR, which the mode held in workflows saved before By UTR had a mode of its own.
 * Returns the ID as a number, a UTR as text.
 */
export function requireIdOrUtr(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	value: unknown,
): number | string {
	const idOrUtr = toPositiveInteger(value) ?? asUtr(value);
	if (idOrUtr === undefined)
		throw invalid(
			context,
			itemIndex,
			parameter,
			value,
			'an ID, a whole number such as 5 (the "id" field of Get Many)',
		);
	return idOrUtr;
}

export function requirePositiveInteger(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	value: unknown,
): number {
	const number = toPositiveInteger(value);
	if (number === undefined)
		throw invalid(context, itemIndex, parameter, value, 'a whole number greater than 0');
	return number;
}

/** Text as given (a number becomes its digits); refused when blank or not text. */
export function requireText(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	value: unknown,
): string {
	if (typeof value !== 'string' && typeof value !== 'number') {
		throw invalid(context, itemIndex, parameter, value, 'text');
	}
	const text = String(value);
	if (!text.trim()) throw invalid(context, itemIndex, parameter, value, 'filled in');
	return text;
}

/** Text as given, or undefined when left empty; refused when it is not text. */
export function optionalText(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	value: unknown,
): string | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && !value.trim()))
		return undefined;
	if (typeof value !== 'string') throw invalid(context, itemIndex, parameter, value, 'text');
	return value;
}

export function requireOneOf<T extends string>(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	value: unknown,
	allowed: readonly T[],
): T {
	if (typeof value !== 'string' || !allowed.includes(value as T)) {
		throw invalid(context, itemIndex, parameter, value, `one of ${allowed.join(', ')}`);
	}
	return value as T;
}

/** Accepts a number, a comma-separated string or an array (from an expression) of positive integer ids. */
export function requireIdList(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	value: unknown,
): number[] {
	const parts = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value
					.split(',')
					.map((part) => part.trim())
					.filter((part) => part !== '')
			: value === undefined || value === null
				? []
				: [value];
	if (parts.length === 0)
		throw invalid(context, itemIndex, parameter, value, 'at least one automation ID');
	return parts.map((part) => {
		const id = toPositiveInteger(part);
		if (id === undefined) {
			throw invalid(
				context,
				itemIndex,
				parameter,
				value,
				'automation IDs, whole numbers greater than 0, separated by commas',
			);
		}
		return id;
	});
}

/** One of `allowed`, or undefined when left empty. */
export function optionalOneOf<T extends string>(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	value: unknown,
	allowed: readonly T[],
): T | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return requireOneOf(context, itemIndex, parameter, value, allowed);
}

/** A switch: an expression giving "false" (text) would otherwise count as on. */
export function requireBoolean(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	value: unknown,
): boolean {
	if (typeof value !== 'boolean')
		throw invalid(context, itemIndex, parameter, value, 'true or false');
	return value;
}
