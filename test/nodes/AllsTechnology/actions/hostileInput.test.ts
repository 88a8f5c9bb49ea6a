/**
 * Property-based: hostile values reach every parameter of every operation through an expression. Each run ends
 * either in a NodeOperationError before any request, or in requests that carry the value exactly (percent-encoded
 * in the query, as one field of the body): never an extra `utr`, an extra field, a broken body or a TypeError.
 */
import fc from 'fast-check';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import type { SeenRequest } from '../fixture';
import { createSeedState } from '../../../../sandbox/server';
import { DRAFT_UTR, locator, useSandbox } from '../fixture';

const context = useSandbox();
const RUNS = 200;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SCHEDULE_UTR = '5a24b56e-89de-11ee-ae43-b42e9970e591';

const awkwardText = fc.oneof(
	fc.string(),
	fc.string({ unit: 'grapheme' }),
	fc.stringMatching(/^[&#/%=?+ \t\r\nA-Za-z0-9é€😀\u0000-]{0,40}$/),
	fc.constantFrom(
		'&',
		'#',
		'/',
		'%',
		'=',
		' ',
		'a&utr=b',
		'%26',
		'..',
		'contacts_1&x=1',
		'<script>',
	),
	fc.constant('ü'.repeat(10_000)),
);
const anyValue = fc.oneof(
	awkwardText,
	fc.integer({ min: -1_000_000, max: 1_000_000 }),
	fc.double(),
	fc.constantFrom(null, '', true, false, 0),
	fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
	fc.array(fc.oneof(fc.integer(), fc.double(), fc.string()), { maxLength: 5 }),
);
const utrLike = fc.oneof(
	fc.uuid(),
	fc.uuid().map((uuid) => ` ${uuid.toUpperCase()} `),
	fc.uuid().map((uuid) => `${uuid}&utr=${uuid}`),
	fc.uuid().map((uuid) => `${uuid}#`),
	anyValue,
);
const idLike = fc.oneof(
	fc.integer({ min: -5, max: 2_000_000 }),
	fc.double(),
	fc.integer({ min: 1, max: 99 }).map(String),
	anyValue,
	fc.array(fc.oneof(fc.integer({ min: -3, max: 60 }), fc.double(), fc.string(), fc.constant('8')), {
		maxLength: 6,
	}),
);

/** The oracle: what a positive whole number looks like, independent of the node's code. */
function positiveInteger(value: unknown): number | undefined {
	const text =
		typeof value === 'number'
			? String(value)
			: typeof value === 'string'
				? value.trim()
				: undefined;
	if (text === undefined || !/^[1-9]\d*$/.test(text)) return undefined;
	return Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
}

/**
 * What a multipart form carries for a text: the Fetch standard's FormData sends line breaks as CRLF and a lone
 * surrogate as U+FFFD, as every browser does; the API receives the text in that form.
 */
function asSentInForm(text: string): string {
	return text
		.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
		.replace(/\r\n|\r|\n/g, '\r\n');
}

function isText(value: unknown): value is string | number {
	return (typeof value === 'string' || typeof value === 'number') && String(value).trim() !== '';
}

type Expectation = { refused: true } | { refused: false; check: (requests: SeenRequest[]) => void };

async function property(
	base: INodeParameters,
	place: (parameters: INodeParameters) => INodeParameters,
	arbitrary: fc.Arbitrary<unknown>,
	expect_: (value: unknown) => Expectation,
) {
	await fc.assert(
		fc.asyncProperty(arbitrary, async (value) => {
			context.sandbox.reset();
			const { error, requests } = await context.run(place(base), {
				inputItems: [{ value } as IDataObject],
			});
			const expected = expect_(value);
			if (expected.refused) {
				expect(requests).toEqual([]);
				expect(error?.name).toBe('NodeOperationError');
				return;
			}
			if (error) expect(['NodeApiError']).toContain(error.name);
			expected.check(requests);
		}),
		{ numRuns: RUNS },
	);
}

const fromInput = '={{ $json.value }}';

function utrRequest(path: string, value: unknown): Expectation {
	if (typeof value !== 'string' || !UUID.test(value.trim())) return { refused: true };
	return {
		refused: false,
		check: (requests) => {
			const request = requests.find((candidate) => candidate.path === path);
			expect(request?.query).toBe(`utr=${encodeURIComponent(value.trim())}`);
			for (const each of requests)
				expect(each.query === '' || /^utr=[^&#]*$/.test(each.query)).toBe(true);
		},
	};
}

describe.each([
	['automation', 'get', '/api/automations/details'],
	['automation', 'duplicate', '/api/automations/duplicate'],
	['automation', 'pause', '/api/automations/pause'],
	['automation', 'setLive', '/api/automations/set-live'],
	['automation', 'delete', '/api/automations/delete'],
	['automationSchedule', 'getAll', '/api/automations/schedule'],
])('%s %s: Automation', (resource, operation, path) => {
	it(`carries any UTR exactly as the one utr of ${path}, or refuses it`, async () => {
		await property(
			{ resource, operation },
			(parameters) => ({ ...parameters, automation: locator(fromInput) }),
			utrLike,
			(value) => utrRequest(path, value),
		);
	});
});

describe('automationSchedule delete', () => {
	it('carries any schedule UTR exactly, or refuses it', async () => {
		await property(
			{ resource: 'automationSchedule', operation: 'delete' },
			(parameters) => ({ ...parameters, schedule: locator(fromInput) }),
			utrLike,
			(value) => utrRequest('/api/automations/schedule/delete', value),
		);
	});

	it('checks any automation UTR exactly, or refuses it', async () => {
		await property(
			{ resource: 'automationSchedule', operation: 'delete', schedule: locator(SCHEDULE_UTR) },
			(parameters) => ({ ...parameters, automation: locator(fromInput) }),
			utrLike,
			(value) =>
				value === null || (typeof value === 'string' && value.trim() === '')
					? {
							refused: false,
							check: (requests) =>
								expect(requests.map((request) => request.path)).toEqual([
									'/api/automations/schedule/delete',
								]),
						}
					: utrRequest('/api/automations/schedule', value),
		);
	});
});

describe('automation create', () => {
	const base = {
		resource: 'automation',
		operation: 'create',
		type: 'custom',
		automationName: 'Name',
		unsubscribeGroupId: 3,
	};
	const createFields = (requests: SeenRequest[]) => {
		const create = requests.find((request) => request.path === '/api/automations/create');
		expect(create?.contentType).toBe('multipart/form-data');
		return create?.fields ?? {};
	};

	it('carries any Automation Name exactly, or refuses it', async () => {
		await property(
			base,
			(parameters) => ({ ...parameters, automationName: fromInput }),
			anyValue,
			(value) =>
				isText(value)
					? {
							refused: false,
							check: (requests) =>
								expect(createFields(requests)).toEqual({
									type: 'custom',
									automation_name: asSentInForm(String(value)),
									unsubscribe_group_id: '3',
								}),
						}
					: { refused: true },
		);
	});

	it('carries any Unsubscribe Group ID as a positive whole number, or refuses it', async () => {
		await property(
			base,
			(parameters) => ({ ...parameters, unsubscribeGroupId: fromInput }),
			idLike,
			(value) => {
				const id = positiveInteger(value);
				return id === undefined
					? { refused: true }
					: {
							refused: false,
							check: (requests) =>
								expect(createFields(requests)).toEqual({
									type: 'custom',
									automation_name: 'Name',
									unsubscribe_group_id: String(id),
								}),
						};
			},
		);
	});

	it('carries a Type of custom or welcome, or refuses it', async () => {
		await property(
			base,
			(parameters) => ({ ...parameters, type: fromInput }),
			fc.oneof(fc.constantFrom('custom', 'welcome'), anyValue),
			(value) =>
				value === 'custom' || value === 'welcome'
					? { refused: false, check: (requests) => expect(createFields(requests).type).toBe(value) }
					: { refused: true },
		);
	});

	it('carries a Target of contacts_{id} or segments_{id}, leaves it out when empty, or refuses it', async () => {
		const target = fc.oneof(
			fc.integer({ min: 0, max: 99 }).map((id) => `contacts_${id}`),
			fc.constantFrom('segments_25', ' segments_7 '),
			anyValue,
		);
		await property(
			base,
			(parameters) => ({ ...parameters, additionalFields: { automationFor: fromInput } }),
			target,
			(value) => {
				if (
					value === null ||
					value === undefined ||
					(typeof value === 'string' && value.trim() === '')
				) {
					return {
						refused: false,
						check: (requests) =>
							expect(createFields(requests)).not.toHaveProperty('automation_for'),
					};
				}
				if (typeof value !== 'string' || !/^(contacts|segments)_\d+$/.test(value.trim()))
					return { refused: true };
				return {
					refused: false,
					check: (requests) => expect(createFields(requests).automation_for).toBe(value.trim()),
				};
			},
		);
	});
});

describe('automation deleteMany', () => {
	const SEED_AUTOMATION_IDS = new Set(
		createSeedState('')
			.automations.filter((automation) => automation.deleted_at === null)
			.map((automation) => automation.id),
	);

	it('sends any IDs the account lists as strIds[n] of positive whole numbers in one urlencoded body, or refuses them', async () => {
		await property(
			{ resource: 'automation', operation: 'deleteMany' },
			(parameters) => ({ ...parameters, automationIds: fromInput }),
			idLike,
			(value) => {
				const parts = Array.isArray(value)
					? value
					: typeof value === 'string'
						? value
								.split(',')
								.map((part) => part.trim())
								.filter((part) => part !== '')
						: value === null || value === undefined
							? []
							: [value];
				const ids = parts.map(positiveInteger);
				if (ids.length === 0 || ids.some((id) => id === undefined)) return { refused: true };
				// Only IDs the account lists before the delete are sent.
				const sent = [...new Set(ids)].filter((id) => SEED_AUTOMATION_IDS.has(id as number));
				return {
					refused: false,
					check: (requests) => {
						const bulkDeletes = requests.filter(
							(request) => request.path === '/api/automations/bulk-delete',
						);
						expect(
							requests
								.filter((request) => !bulkDeletes.includes(request))
								.map((request) => `${request.method} ${request.path}?${request.query}`),
						).toEqual(
							sent.length === 0
								? ['GET /api/automations?']
								: ['GET /api/automations?', 'GET /api/automations?'],
						);
						expect(bulkDeletes.map((request) => [request.contentType, request.rawBody])).toEqual(
							sent.length === 0
								? []
								: [
										[
											'application/x-www-form-urlencoded',
											sent.map((id, index) => `strIds%5B${index}%5D=${id}`).join('&'),
										],
									],
						);
					},
				};
			},
		);
	});
});

describe('automationSchedule create', () => {
	const base: INodeParameters = {
		resource: 'automationSchedule',
		operation: 'create',
		automation: locator(DRAFT_UTR),
		senderId: 2,
		subject: 'Subject',
		waitingType: 'days',
		waitingPeriod: 2,
		templateId: 2,
		previewImg: 'verify_email.png',
	};
	const expectedFields = {
		utr: DRAFT_UTR,
		sender_id: '2',
		subject: 'Subject',
		waiting_period: '2',
		waiting_type: 'days',
		template_id: '2',
		preview_img: 'verify_email.png',
	};
	const createFields = (requests: SeenRequest[]) => {
		const create = requests.find((request) => request.path === '/api/automations/schedule/create');
		expect(create?.contentType).toBe('multipart/form-data');
		return create?.fields ?? {};
	};

	it.each([
		['senderId', 'sender_id'],
		['waitingPeriod', 'waiting_period'],
		['templateId', 'template_id'],
	])('carries any %s as a positive whole number, or refuses it', async (parameter, field) => {
		await property(
			base,
			(parameters) => ({ ...parameters, [parameter]: fromInput }),
			idLike,
			(value) => {
				const id = positiveInteger(value);
				return id === undefined
					? { refused: true }
					: {
							refused: false,
							check: (requests) =>
								expect(createFields(requests)).toEqual({ ...expectedFields, [field]: String(id) }),
						};
			},
		);
	});

	it.each([
		['subject', 'subject'],
		['previewImg', 'preview_img'],
	])('carries any %s exactly, or refuses it', async (parameter, field) => {
		await property(
			base,
			(parameters) => ({ ...parameters, [parameter]: fromInput }),
			anyValue,
			(value) => {
				if (
					parameter === 'previewImg' &&
					(value === null || (typeof value === 'string' && value.trim() === ''))
				) {
					return {
						refused: false,
						check: (requests) =>
							expect(createFields(requests).preview_img).toBe('verify_email.png'),
					};
				}
				const carried = parameter === 'previewImg' ? typeof value === 'string' : isText(value);
				return carried
					? {
							refused: false,
							check: (requests) =>
								expect(createFields(requests)).toEqual({
									...expectedFields,
									[field]: asSentInForm(String(value)),
								}),
						}
					: { refused: true };
			},
		);
	});

	it('carries a Waiting Type of instantly, hours or days, or refuses it', async () => {
		await property(
			base,
			(parameters) => ({ ...parameters, waitingType: fromInput }),
			fc.oneof(fc.constantFrom('instantly', 'hours', 'days'), anyValue),
			(value) =>
				value === 'instantly' || value === 'hours' || value === 'days'
					? {
							refused: false,
							check: (requests) =>
								expect(createFields(requests)).toEqual({
									...expectedFields,
									waiting_type: value,
									waiting_period: value === 'instantly' ? '1' : '2',
								}),
						}
					: { refused: true },
		);
	});

	it.each([
		['templateHtml', 'template_html'],
		['templateJson', 'template_json'],
	])(
		'carries any %s exactly, leaves it out when empty, or refuses it',
		async (parameter, field) => {
			await property(
				base,
				(parameters) => ({ ...parameters, additionalFields: { [parameter]: fromInput } }),
				anyValue,
				(value) => {
					if (value === null || (typeof value === 'string' && value.trim() === '')) {
						return {
							refused: false,
							check: (requests) => expect(createFields(requests)).toEqual(expectedFields),
						};
					}
					return typeof value === 'string'
						? {
								refused: false,
								check: (requests) =>
									expect(createFields(requests)).toEqual({
										...expectedFields,
										[field]: asSentInForm(value),
									}),
							}
						: { refused: true };
				},
			);
		},
	);

	it('carries any automation UTR exactly, or refuses it', async () => {
		await property(
			base,
			(parameters) => ({ ...parameters, automation: locator(fromInput) }),
			utrLike,
			(value) => utrRequest('/api/automations/schedule', value),
		);
	});
});
