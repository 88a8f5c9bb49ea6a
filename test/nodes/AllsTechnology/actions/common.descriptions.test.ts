/**
 * The editor-facing contract of the shared parameters: the locators' modes as n8n's editor shows and checks them,
 * Simplify on every operation that outputs a record, and the labels a builder reads.
 */
import type {
	INodeProperties,
	INodePropertyMode,
	INodePropertyRegexValidation,
} from 'n8n-workflow';
import { AllsTechnology } from '../../../../nodes/AllsTechnology/AllsTechnology.node';
import { AllsTechnologyTrigger } from '../../../../nodes/AllsTechnologyTrigger/AllsTechnologyTrigger.node';

const { properties } = new AllsTechnology().description;

function property(name: string, resource: string, operation: string): INodeProperties | undefined {
	return properties.find(
		(candidate) =>
			candidate.name === name &&
			candidate.displayOptions?.show?.resource?.includes(resource) &&
			candidate.displayOptions?.show?.operation?.includes(operation),
	);
}

function mode(locator: INodeProperties | undefined, name: string): INodePropertyMode {
	const found = locator?.modes?.find((candidate) => candidate.name === name);
	if (!found) throw new Error(`no mode ${name}`);
	return found;
}

/** Whether n8n's editor accepts a typed value in the mode: it anchors each regex validation, as validateResourceLocatorParameter does. */
function editorAccepts(locatorMode: INodePropertyMode, value: string): boolean {
	return (locatorMode.validation ?? []).every((validation) => {
		const { regex } = (validation as INodePropertyRegexValidation).properties;
		return new RegExp(`^${regex}$`).test(value);
	});
}

const UTR = 'e9c7ff00-8d1c-11ee-91c4-b42e9970e591';

const LOCATORS = [
	['automation', 'automation', 'get'],
	['automation', 'automation', 'duplicate'],
	['automation', 'automation', 'pause'],
	['automation', 'automation', 'setLive'],
	['automation', 'automation', 'delete'],
	['automation', 'automationSchedule', 'getAll'],
	['automation', 'automationSchedule', 'create'],
	['automation', 'automationSchedule', 'delete'],
	['schedule', 'automationSchedule', 'delete'],
] as const;

describe('the Automation and Schedule locators', () => {
	it.each(LOCATORS)(
		'%s (%s %s) offers From List, By UTR under a mode name n8n does not relabel, and By ID',
		(name, resource, operation) => {
			const locator = property(name, resource, operation);

			// n8n's editor replaces the label of the modes named list, id and url with its own ("From list", "By ID").
			expect(
				locator?.modes?.map(({ name: modeName, displayName, type }) => [
					modeName,
					displayName,
					type,
				]),
			).toEqual([
				['list', 'From List', 'list'],
				['utr', 'By UTR', 'string'],
				['id', 'By ID', 'string'],
			]);
			expect(locator?.default).toEqual({ mode: 'list', value: '' });
		},
	);

	it.each(LOCATORS)(
		'%s (%s %s): the editor takes a UUID By UTR, and a whole number or (saved workflows) a UTR By ID',
		(name, resource, operation) => {
			const locator = property(name, resource, operation);
			const byUtr = mode(locator, 'utr');
			const byId = mode(locator, 'id');

			expect(
				[UTR, UTR.toUpperCase(), '5', 'abc'].map((value) => editorAccepts(byUtr, value)),
			).toEqual([true, true, false, false]);
			expect(
				['5', '1234', UTR, 'five', '-5', '5.5', '5 '].map((value) => editorAccepts(byId, value)),
			).toEqual([true, true, true, false, false, false, false]);
			expect(
				(byUtr.validation?.[0] as INodePropertyRegexValidation).properties.errorMessage,
			).toMatch(/^Not a UTR: a UTR is a UUID such as /);
			expect(
				(byId.validation?.[0] as INodePropertyRegexValidation).properties.errorMessage,
			).toMatch(/^Not an ID: an ID is a whole number such as \d+, the "id" field of Get Many$/);
		},
	);

	it('lets the optional Automation of Schedule Delete be left empty in every mode, and no required one', () => {
		const optional = property('automation', 'automationSchedule', 'delete');
		const required = property('automation', 'automation', 'get');

		expect(optional?.required).toBe(false);
		expect([
			editorAccepts(mode(optional, 'utr'), ''),
			editorAccepts(mode(optional, 'id'), ''),
		]).toEqual([true, true]);
		expect([
			editorAccepts(mode(required, 'utr'), ''),
			editorAccepts(mode(required, 'id'), ''),
		]).toEqual([false, false]);
	});

	it("says in the field's description which UTR or ID it takes", () => {
		expect(property('automation', 'automation', 'get')?.description).toBe(
			'The automation: pick it from the list, give its UTR, the UUID in the "utr" field of an automation (Get Many, Get, Create) or in the "automation_utr" field of one of its emails (e.g. e9c7ff00-8d1c-11ee-91c4-b42e9970e591), or its ID, the whole number in the "id" field of an automation (e.g. 5)',
		);
		expect(property('schedule', 'automationSchedule', 'delete')?.description).toMatch(
			/not the automation's UTR, which they show as "automation_utr"\), or its ID, the whole number in their "id" field, looked up among the emails of the automation chosen above$/,
		);
	});
});

describe('Simplify', () => {
	const withRecords = [
		['automation', 'get'],
		['automation', 'create'],
		['automation', 'duplicate'],
		['automation', 'getAll'],
		['automationSchedule', 'create'],
		['automationSchedule', 'getAll'],
	] as const;

	it.each(withRecords)(
		'is offered on %s %s, on by default as n8n wants it',
		(resource, operation) => {
			const simplify = property('simplify', resource, operation);

			expect([simplify?.displayName, simplify?.type, simplify?.default]).toEqual([
				'Simplify',
				'boolean',
				true,
			]);
			expect(simplify?.description).toMatch(
				/^Whether to return a simplified version of the response instead of the raw data: ID, UTR, /,
			);
		},
	);

	it('says what it keeps of an automation and of an email', () => {
		expect(property('simplify', 'automation', 'get')?.description).toBe(
			'Whether to return a simplified version of the response instead of the raw data: ID, UTR, name, status ("draft" or "live"), live since, number of emails (Get Many), and the delivered, unique opens, bounces and unsubscribes totals. Off, the API\'s whole record, with the status in words too and the API\'s 0 or 1 as "status_code"',
		);
		expect(property('simplify', 'automationSchedule', 'create')?.description).toBe(
			'Whether to return a simplified version of the response instead of the raw data: ID, UTR, the automation\'s UTR ("automation_utr"), automation ID, subject, waiting type and period, sender ID, template ID, preview image and design URL, without the template HTML and JSON',
		);
	});

	it.each([
		['automation', 'delete'],
		['automation', 'deleteMany'],
		['automation', 'pause'],
		['automation', 'setLive'],
		['automationSchedule', 'delete'],
	])('is not offered on %s %s, whose output is no record', (resource, operation) => {
		expect(property('simplify', resource, operation)).toBeUndefined();
	});
});

describe('labels a builder reads', () => {
	it('Sender ID has no default to send by mistake: required, empty until typed, and says where an ID is found', () => {
		const senderId = property('senderId', 'automationSchedule', 'create');

		expect([senderId?.type, senderId?.default, senderId?.required, senderId?.placeholder]).toEqual([
			'string',
			'',
			true,
			'e.g. 2',
		]);
		expect(senderId?.typeOptions?.loadOptionsMethod).toBeUndefined();
		expect(senderId?.description).toBe(
			'The ID of the sender the email goes out from, a whole number. AllsTechnology\'s API docs say it comes from their sender list, an endpoint they do not document, so the node has no list to pick from: the "sender_id" of an email you already have (Automation Schedule → Get Many) shows one in use.',
		);
	});

	it("Type explains Welcome in a builder's words, keeping the API's own name for it", () => {
		const type = property('type', 'automation', 'create');

		expect(type?.options).toEqual([
			{ name: 'Custom', value: 'custom', description: 'For any other series of emails' },
			{
				name: 'Welcome',
				value: 'welcome',
				description:
					'For a welcome series, the emails that greet new contacts (the AllsTechnology API calls this type a "building" automation)',
			},
		]);
		expect(type?.description).toBe(
			"The kind of automation to create: Welcome for a welcome series, Custom for any other. AllsTechnology's API docs name the two types and describe no other difference between them.",
		);
	});

	it('writes every "Add …" placeholder of both nodes in Title Case, Options as "Add Option"', () => {
		const collections: INodeProperties[] = [];
		const visit = (list: INodeProperties[]) => {
			for (const parameter of list) {
				if (parameter.type === 'collection' || parameter.type === 'fixedCollection') {
					collections.push(parameter);
					if (parameter.type === 'collection') visit(parameter.options as INodeProperties[]);
				}
			}
		};
		visit([...properties, ...new AllsTechnologyTrigger().description.properties]);

		expect(collections.length).toBeGreaterThan(0);
		for (const { name, placeholder } of collections) {
			expect([name, placeholder]).toEqual([name, expect.stringMatching(/^Add( [A-Z][a-z]+)+$/)]);
		}
		expect(
			collections.filter(({ name }) => name === 'options').map(({ placeholder }) => placeholder),
		).toEqual(['Add Option', 'Add Option']);
	});
});
