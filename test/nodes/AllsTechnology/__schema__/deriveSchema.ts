/**
 * The JSON Schema of what a node outputs, derived from real output items: the shape n8n's own nodes ship under
 * `__schema__` (`{ type: 'object', properties: { … } }`, nested objects and arrays alike), with a field's types
 * merged across every item seen, so a field that is null in one record and text in another reads
 * `["string", "null"]`.
 */
export interface JsonSchema {
	type: string | string[];
	properties?: Record<string, JsonSchema>;
	items?: JsonSchema;
}

function typeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}

/** Every type seen, null last; an integer field that is once fractional is a number. */
function mergedType(types: string[]): string | string[] {
	let distinct = [...new Set(types)];
	if (distinct.includes('number')) distinct = distinct.filter((type) => type !== 'integer');
	distinct = [
		...distinct.filter((type) => type !== 'null'),
		...distinct.filter((type) => type === 'null'),
	];
	return distinct.length === 1 ? distinct[0] : distinct;
}

export function schemaOf(values: unknown[]): JsonSchema {
	const schema: JsonSchema = { type: mergedType(values.map(typeOf)) };
	const objects = values.filter(
		(value): value is Record<string, unknown> => typeOf(value) === 'object',
	);
	if (objects.length > 0) {
		const fields = [...new Set(objects.flatMap((object) => Object.keys(object)))];
		schema.properties = Object.fromEntries(
			fields.map((field) => [
				field,
				schemaOf(objects.filter((object) => field in object).map((object) => object[field])),
			]),
		);
	}
	const elements = values.filter(Array.isArray).flat();
	if (elements.length > 0) schema.items = schemaOf(elements);
	return schema;
}

/** What a `__schema__` file holds: the schema and, as in n8n's files, the revision of its shape. */
export function schemaFile(schema: JsonSchema): string {
	return `${JSON.stringify({ ...schema, version: 1 }, null, '\t')}\n`;
}
