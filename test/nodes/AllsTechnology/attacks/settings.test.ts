/**
 * Attacks on the node through n8n's settings (Retry On Fail, Always Output Data, Execute Once, On Error) and on what
 * the editor's lists do with odd answers, through n8n's engine against the sandbox.
 */
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';
import { MANUAL_TRIGGER_TYPE, runWorkflow } from '../../../engine';
import { DRAFT_UTR, LIVE_UTR, NODE_TYPE, engineFor, jsonOf, locator, useSandbox } from '../fixture';

const context = useSandbox();
/** The seed's other live automation, and two emails of the docs' automation 5. */
const OTHER_LIVE_UTR = 'e84968d2-8dcd-11ee-9b77-b42e9970e591';
const SCHEDULE_UTRS = [
	'5a24b56e-89de-11ee-ae43-b42e9970e591',
	'e9cbef92-8d1c-11ee-bb18-b42e9970e591',
];
const fromInput = locator('={{ $json.utr }}');
/** One item at a time, one try each: the second item's first request fails, and n8n's Retry On Fail runs the node again. */
const oneTryEach = { maxTries: 1, batching: { batch: { batchSize: 1 } } };

/** Runs the node behind a manual trigger with node settings that runNode does not set (Always Output Data, Execute Once). */
async function runWithSettings(
	parameters: INodeParameters,
	settings: Partial<INode>,
	triggerItems: IDataObject[],
) {
	const node: INode = {
		id: 'node-under-test',
		name: 'AllsTechnology',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [220, 0],
		parameters,
		credentials: { allsTechnologyApi: { id: '1', name: 'Test' } },
		...settings,
	};
	const trigger: INode = {
		id: 'trigger',
		name: 'Manual Trigger',
		type: MANUAL_TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	context.sandbox.clearRequests();
	const { run, error } = await runWorkflow(
		engineFor(context.sandbox),
		{
			nodes: [trigger, node],
			connections: { 'Manual Trigger': { main: [[{ node: node.name, type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		},
		{ triggerItems },
	);
	const [main = [], errorOutput = []] =
		run.data.resultData.runData[node.name]?.[0]?.data?.main ?? [];
	return {
		main: jsonOf(main ?? []),
		errorOutput: jsonOf(errorOutput ?? []),
		error,
		requests: context.sandbox.requests.map(
			(request) => `${request.method} ${request.path}?${request.rawQuery}`,
		),
	};
}

describe('Retry On Fail runs the whole node again: items done in the earlier try are not sent again', () => {
	it.each([
		[
			'Delete',
			{ resource: 'automation', operation: 'delete' },
			'DELETE /api/automations/delete',
			[LIVE_UTR, DRAFT_UTR],
			(utr: string) => ({ deleted: true, utr }),
		],
		[
			'Pause',
			{ resource: 'automation', operation: 'pause' },
			'GET /api/automations/pause',
			[LIVE_UTR, OTHER_LIVE_UTR],
			(utr: string) => ({ success: true, utr, message: 'Automation Paused Successfully' }),
		],
		[
			'Schedule Delete',
			{ resource: 'automationSchedule', operation: 'delete' },
			'DELETE /api/automations/schedule/delete',
			SCHEDULE_UTRS,
			(utr: string) => ({ deleted: true, utr }),
		],
	])(
		'%s: the first item, done, is not sent again, and the retry finishes the second',
		async (_name, operation, request, utrs, output) => {
			const locatorName = operation.resource === 'automationSchedule' ? 'schedule' : 'automation';
			context.sandbox.faults.push({
				kind: 'serverError',
				match: (seen) => seen.rawQuery.includes(utrs[1]),
				times: 1,
			});

			const { items, error, requests } = await context.run(
				{ ...operation, [locatorName]: fromInput, options: oneTryEach },
				{ inputItems: utrs.map((utr) => ({ utr })), retryOnFail: { maxTries: 2 } },
			);

			expect(error).toBeUndefined();
			expect(requests.map((seen) => `${seen.method} ${seen.path}?${seen.query}`)).toEqual([
				`${request}?utr=${utrs[0]}`,
				`${request}?utr=${utrs[1]}`,
				`${request}?utr=${utrs[1]}`,
			]);
			expect(jsonOf(items)).toEqual(
				utrs.map((utr, item) => ({ json: output(utr), pairedItem: { item } })),
			);
		},
	);
});

describe('Always Output Data and Execute Once', () => {
	it("Get Many of an account without automations, with Always Output Data, gives n8n's one empty item and no error", async () => {
		for (const automation of context.sandbox.state.automations)
			automation.deleted_at = '2024-01-01T00:00:00.000000Z';

		const { main, error, requests } = await runWithSettings(
			{ resource: 'automation', operation: 'getAll' },
			{ alwaysOutputData: true },
			[{}, {}],
		);

		expect(error).toBeUndefined();
		expect(requests).toEqual(['GET /api/automations?', 'GET /api/automations?']);
		expect(main.map((item) => item.json)).toEqual([{}]);
	});

	it("with the error output and Always Output Data, failed items leave on the error output, paired, and none on the main one but n8n's empty item", async () => {
		const { main, errorOutput, requests } = await runWithSettings(
			{ resource: 'automationSchedule', operation: 'getAll', automation: fromInput },
			{ alwaysOutputData: true, onError: 'continueErrorOutput' },
			[
				{ utr: '405420d2-9407-11ee-8a8b-b42e9970e591' },
				{ utr: 'not-a-utr' },
				{ utr: '00000000-0000-11ee-0000-000000000000' },
			],
		);

		expect(requests).toEqual([
			'GET /api/automations/schedule?utr=405420d2-9407-11ee-8a8b-b42e9970e591',
			'GET /api/automations/schedule?utr=00000000-0000-11ee-0000-000000000000',
			'GET /api/automations/details?utr=405420d2-9407-11ee-8a8b-b42e9970e591',
			'GET /api/automations/details?utr=00000000-0000-11ee-0000-000000000000',
		]);
		expect(main.map((item) => item.json)).toEqual([{}]);
		expect(errorOutput.map((item) => [item.json.utr, item.json.error, item.pairedItem])).toEqual([
			['not-a-utr', expect.stringMatching(/^The Automation parameter is "not-a-utr"/), { item: 1 }],
			[
				'00000000-0000-11ee-0000-000000000000',
				'No automation has the UTR 00000000-0000-11ee-0000-000000000000: AllsTechnology answered "Record Not Found"',
				{ item: 2 },
			],
		]);
	});

	it('Execute Once works on the first item only: a bad second item is never read', async () => {
		const { main, error, requests } = await runWithSettings(
			{ resource: 'automation', operation: 'get', automation: fromInput },
			{ executeOnce: true },
			[{ utr: LIVE_UTR }, { utr: 'not-a-utr' }],
		);

		expect(error).toBeUndefined();
		expect(requests).toEqual([`GET /api/automations/details?utr=${LIVE_UTR}`]);
		expect(main.map((item) => [item.json.utr, item.pairedItem])).toEqual([[LIVE_UTR, { item: 0 }]]);
	});

	it("Execute Once with Delete Many sends the first item's IDs only", async () => {
		const { main, requests } = await runWithSettings(
			{ resource: 'automation', operation: 'deleteMany', automationIds: '={{ $json.id }}' },
			{ executeOnce: true },
			[{ id: 3 }, { id: 5 }],
		);

		expect(requests).toEqual([
			'GET /api/automations?',
			'POST /api/automations/bulk-delete?',
			'GET /api/automations?',
		]);
		expect(main).toEqual([{ json: { deleted: [3], notFound: [] }, pairedItem: { item: 0 } }]);
	});
});

describe('many input items', () => {
	it('an expression that finds nothing in item 99 of 100 sends nothing and names item 99', async () => {
		const inputItems = Array.from({ length: 100 }, (_, item) =>
			item === 99 ? { nested: null } : { nested: { utr: LIVE_UTR } },
		);

		const { error, requests } = await context.run(
			{
				resource: 'automation',
				operation: 'pause',
				automation: locator('={{ $json.nested.utr }}'),
			},
			{ inputItems },
		);

		expect(requests).toEqual([]);
		expect(error).toMatchObject({
			name: 'NodeOperationError',
			message: expect.stringMatching(/^The Automation parameter is empty/),
		});
		expect(error?.context.itemIndex).toBe(99);
	});

	it("Get Many over several items keeps each item's records together, in input order, with the failed items in their place", async () => {
		const { items, error } = await context.run(
			{
				resource: 'automationSchedule',
				operation: 'getAll',
				automation: fromInput,
				limit: '={{ $json.limit }}',
			},
			{
				continueOnFail: true,
				inputItems: [
					{ utr: LIVE_UTR, limit: 2 },
					{ utr: 'not-a-utr', limit: 1 },
					{ utr: '00000000-0000-11ee-0000-000000000000', limit: 1 },
					{ utr: LIVE_UTR, limit: 1 },
				],
			},
		);

		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.utr ?? item.json.error, item.pairedItem])).toEqual([
			['ccbaecd2-8826-11ee-ad51-b42e9970e591', { item: 0 }],
			['24f1eed2-8827-11ee-8f7e-b42e9970e591', { item: 0 }],
			[expect.stringMatching(/^The Automation parameter is "not-a-utr"/), { item: 1 }],
			[
				'No automation has the UTR 00000000-0000-11ee-0000-000000000000: AllsTechnology answered "Record Not Found"',
				{ item: 2 },
			],
			['ccbaecd2-8826-11ee-ad51-b42e9970e591', { item: 3 }],
		]);
	});
});

describe('resource locator values as saved workflows hold them', () => {
	it.each([
		['a plain UTR (saved before the field was a locator)', DRAFT_UTR, DRAFT_UTR],
		['a plain expression', '={{ $json.utr }}', LIVE_UTR],
		['a mode the node no longer has', { __rl: true, mode: 'url', value: DRAFT_UTR }, DRAFT_UTR],
		[
			'From List with its cached name',
			{ __rl: true, mode: 'list', value: LIVE_UTR, cachedResultName: 'Test Automation (Live)' },
			LIVE_UTR,
		],
	])('Get reads %s', async (_case, automation, utr) => {
		const { items, error, requests } = await context.run(
			{ resource: 'automation', operation: 'get', automation },
			{ inputItems: [{ utr: LIVE_UTR }] },
		);

		expect(error).toBeUndefined();
		expect(requests.map((request) => request.query)).toEqual([`utr=${utr}`]);
		expect(items.map((item) => item.json.utr)).toEqual([utr]);
	});

	it('Schedule Delete with Automation left empty as a plain string checks nothing and deletes', async () => {
		const { items, requests } = await context.run({
			resource: 'automationSchedule',
			operation: 'delete',
			schedule: SCHEDULE_UTRS[0],
			automation: '',
		});

		expect(requests.map((request) => `${request.method} ${request.path}?${request.query}`)).toEqual(
			[`DELETE /api/automations/schedule/delete?utr=${SCHEDULE_UTRS[0]}`],
		);
		expect(jsonOf(items)).toEqual([
			{ json: { deleted: true, utr: SCHEDULE_UTRS[0] }, pairedItem: { item: 0 } },
		]);
	});
});

describe('lists whose records are not all records', () => {
	const schedule = { id: 1, utr: 'ccbaecd2-8826-11ee-ad51-b42e9970e591', subject: 'Kept' };

	// A null record was a TypeError ("Cannot use 'in' operator to search for 'id' in null"), and with Simplify off n8n
	// itself failed on it.
	it.each([true, false])(
		'Schedule Get Many (Simplify %s) leaves out null, numbers, text and arrays',
		async (simplify) => {
			context.sandbox.faults.push({
				kind: 'fixedBody',
				body: {
					status: 'success',
					message: { automation_schedules: [null, 5, 'x', [1], schedule] },
				},
			});

			const { items, error } = await context.run({
				resource: 'automationSchedule',
				operation: 'getAll',
				automation: locator(LIVE_UTR),
				simplify,
			});

			expect(error).toBeUndefined();
			expect(jsonOf(items)).toEqual([
				{ json: { ...schedule, automation_utr: LIVE_UTR }, pairedItem: { item: 0 } },
			]);
		},
	);

	// An array record became an output item whose json is an array, which n8n's items must never be.
	it('Get Many with Simplify off leaves out an array in the automations list', async () => {
		context.sandbox.faults.push({
			kind: 'fixedBody',
			body: { status: 'success', message: { automations: [[1, 2], { id: 1, utr: LIVE_UTR }] } },
		});

		const { items } = await context.run({
			resource: 'automation',
			operation: 'getAll',
			simplify: false,
		});

		expect(jsonOf(items)).toEqual([{ json: { id: 1, utr: LIVE_UTR }, pairedItem: { item: 0 } }]);
	});
});

describe('Get Many filters from expressions', () => {
	it('Name Contains given a number (an expression such as {{ $json.year }}) filters on its digits', async () => {
		context.sandbox.state.automations[0].automation_name = 'Newsletter 2024';

		const { items, error } = await context.run({
			resource: 'automation',
			operation: 'getAll',
			filters: { nameContains: '={{ 2024 }}' },
		});

		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.automation_name)).toEqual(['Newsletter 2024']);
	});
});

describe('Retry On Fail after a try whose answer was lost but which went through', () => {
	// With Max Tries 1 the transport does not try again, and n8n's retry of the node sends a fresh first try, which
	// finds the record gone or already paused: it failed ("Record not found", "We allow pause only live automation").
	it.each([
		['Delete', 'delete', DRAFT_UTR, { deleted: true, utr: DRAFT_UTR }],
		[
			'Pause',
			'pause',
			LIVE_UTR,
			{ success: true, utr: LIVE_UTR, message: expect.stringMatching(/^The automation is draft/) },
		],
	])(
		'%s: the retry counts the record gone, or paused, as done',
		async (_name, operation, utr, output) => {
			context.sandbox.faults.push({ kind: 'serverError', afterApplying: true, times: 1 });

			const { items, error } = await context.run(
				{ resource: 'automation', operation, automation: locator(utr), options: { maxTries: 1 } },
				{ retryOnFail: { maxTries: 2 } },
			);

			expect(error).toBeUndefined();
			expect(jsonOf(items)).toEqual([{ json: output, pairedItem: { item: 0 } }]);
		},
	);
});

describe('an answer about another record', () => {
	// A cache or proxy that ignores the query string gives every Get the same automation: unchecked, each item was
	// paired with the wrong record.
	it("Get fails an item whose answer is another automation's record", async () => {
		context.sandbox.faults.push({
			kind: 'fixedBody',
			route: 'automations/details',
			body: { status: 'success', message: { automation: { id: 3, utr: LIVE_UTR } } },
		});

		const { error, requests } = await context.run({
			resource: 'automation',
			operation: 'get',
			automation: locator(DRAFT_UTR),
		});

		expect(requests.map((request) => request.query)).toEqual([`utr=${DRAFT_UTR}`]);
		expect(error).toMatchObject({
			name: 'NodeApiError',
			message: expect.stringContaining(LIVE_UTR),
		});
	});
});
