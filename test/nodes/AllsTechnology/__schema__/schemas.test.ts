/**
 * The output schemas under nodes/AllsTechnology/__schema__ are what the node really outputs: each operation runs
 * through n8n's engine against the sandbox, and the schema derived from its items must be the file's, field for
 * field and type for type. A change to an output fails here until the files are written again:
 *
 *   UPDATE_SCHEMAS=1 npx jest test/nodes/AllsTechnology/__schema__
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { dirname, join, relative } from 'path';
import { loadOutputSchema, resolveOutputSchemaPath } from 'n8n-core';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { AllsTechnology } from '../../../../nodes/AllsTechnology/AllsTechnology.node';
import { DRAFT_UTR, LIVE_UTR, locator, useSandbox } from '../fixture';
import { schemaFile, schemaOf } from './deriveSchema';

const context = useSandbox();
const NODE_DIR = join(__dirname, '../../../../nodes/AllsTechnology');
const SCHEMA_DIR = join(NODE_DIR, '__schema__');
/** n8n's editor asks for `schemas/<node>/<version as x.y.z>/<resource>/<operation>.json`. */
const VERSION_DIR = 'v1.0.0';
const updating = process.env.UPDATE_SCHEMAS === '1';

const byExpression = (field: string) => locator(`={{ $json.${field} }}`);
const EVERY_SEEDED_AUTOMATION = [
	'381da846-8780-11ee-835d-b42e9970e591',
	LIVE_UTR,
	DRAFT_UTR,
	'e9c7ff00-8d1c-11ee-91c4-b42e9970e592',
	'e84968d2-8dcd-11ee-9b77-b42e9970e591',
	'5dcbb0d2-935b-11ee-a9a4-b42e9970e591',
	'405420d2-9407-11ee-8a8b-b42e9970e591',
].map((utr) => ({ utr }));

interface Scenario {
	/** The operation's own parameters; every other parameter keeps its default, as a new node in the editor has. */
	parameters: INodeParameters;
	inputItems?: IDataObject[];
}

/** Each operation on records of every kind the sandbox holds: draft and live, with and without a group or target. */
const SCENARIOS: Record<string, Record<string, Scenario>> = {
	automation: {
		create: {
			parameters: {
				type: '={{ $json.type }}',
				automationName: 'Schema Automation',
				unsubscribeGroupId: 3,
				additionalFields: { automationFor: '={{ $json.target }}' },
			},
			inputItems: [
				{ type: 'custom', target: 'contacts_10' },
				{ type: 'welcome', target: 'segments_25' },
			],
		},
		delete: { parameters: { automation: locator(DRAFT_UTR) } },
		deleteMany: { parameters: { automationIds: '8, 99' } },
		duplicate: {
			parameters: { automation: byExpression('utr') },
			inputItems: [{ utr: DRAFT_UTR }, { utr: LIVE_UTR }],
		},
		get: { parameters: { automation: byExpression('utr') }, inputItems: EVERY_SEEDED_AUTOMATION },
		getAll: { parameters: {} },
		pause: { parameters: { automation: locator(LIVE_UTR) } },
		setLive: { parameters: { automation: locator(DRAFT_UTR) } },
	},
	automationSchedule: {
		create: {
			parameters: {
				automation: locator(DRAFT_UTR),
				senderId: 2,
				subject: 'Schema email',
				waitingType: 'days',
				waitingPeriod: 2,
				templateId: 2,
			},
		},
		delete: { parameters: { schedule: locator('5a24b56e-89de-11ee-ae43-b42e9970e591') } },
		getAll: {
			parameters: { automation: byExpression('utr') },
			inputItems: EVERY_SEEDED_AUTOMATION,
		},
	},
};

const { description } = new AllsTechnology();

function operationsOf(resource: string): string[] {
	const operation = description.properties.find(
		(property) =>
			property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource),
	);
	return (operation?.options ?? []).map((option) => String('value' in option ? option.value : ''));
}

function schemaPath(resource: string, operation: string): string {
	return join(SCHEMA_DIR, VERSION_DIR, resource, `${operation}.json`);
}

const cases = Object.entries(SCENARIOS).flatMap(([resource, scenarios]) =>
	Object.entries(scenarios).map(([operation, scenario]) => ({ resource, operation, scenario })),
);

describe('output schemas', () => {
	it('has a scenario, and so a schema, for every operation the node offers, and no other', () => {
		const resources = description.properties
			.find((property) => property.name === 'resource')
			?.options?.map((option) => String('value' in option ? option.value : ''));
		expect(Object.keys(SCENARIOS)).toEqual(resources);
		for (const resource of Object.keys(SCENARIOS)) {
			expect(Object.keys(SCENARIOS[resource]).sort()).toEqual(operationsOf(resource).sort());
		}
	});

	it.each(cases)(
		"$resource $operation: the schema is the one of the node's output",
		async ({ resource, operation, scenario }) => {
			const { items, error } = await context.run(
				{ resource, operation, ...scenario.parameters },
				{ inputItems: scenario.inputItems },
			);

			expect(error).toBeUndefined();
			expect(items.length).toBeGreaterThan(0);
			const expected = schemaFile(schemaOf(items.map((item) => item.json)));
			const path = schemaPath(resource, operation);
			if (updating) {
				mkdirSync(dirname(path), { recursive: true });
				writeFileSync(path, expected);
			}
			expect(
				existsSync(path) ? readFileSync(path, 'utf8') : `no file ${relative(NODE_DIR, path)}`,
			).toBe(expected);
		},
	);

	it('holds no schema for an operation the node does not have', () => {
		const files = readdirSync(join(SCHEMA_DIR, VERSION_DIR), { recursive: true, encoding: 'utf8' })
			.filter((file) => file.endsWith('.json'))
			.sort();
		expect(files).toEqual(
			cases.map(({ resource, operation }) => join(resource, `${operation}.json`)).sort(),
		);
		expect(readdirSync(SCHEMA_DIR)).toEqual([VERSION_DIR]);
	});

	it.each(cases)(
		'$resource $operation: n8n finds the schema where its editor asks for it, and accepts it',
		({ resource, operation }) => {
			// As n8n's server resolves /schemas/n8n-nodes-allstechnology.allsTechnology/1.0.0/<resource>/<operation>.json.
			expect(
				resolveOutputSchemaPath({ nodeDir: NODE_DIR, version: '1.0.0', resource, operation }),
			).toBe(schemaPath(resource, operation));
			// As its AI builder looks the schema up for a node at typeVersion 1.
			const schema = loadOutputSchema({
				nodeDir: NODE_DIR,
				version: description.version as number,
				resource,
				operation,
				versionFallback: true,
			});
			// The editor drops a schema without a type or with no properties.
			expect(schema).toMatchObject({ type: 'object' });
			expect(Object.keys((schema as { properties: object }).properties).length).toBeGreaterThan(0);
		},
	);
});
