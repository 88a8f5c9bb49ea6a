import type { FaultKind } from '../../../../../sandbox/server';
import { runNode } from '../../../../engine';
import { NODE_TYPE, describeRequest, engineFor, useSandbox } from '../../fixture';
import {
	CREATE_FROM_INPUT,
	ONE_AT_A_TIME,
	addAutomationLike,
	automationItemOf,
	automationsNamed,
	holdCreateUntilListedAfter,
	isCreateOf,
	itemOf,
	lines,
} from '../createRuns';

const context = useSandbox();

const LIST = 'GET automations';
const CREATE = 'POST automations/create';

describe('automation: Create, when the answer is lost', () => {
	it.each<[string, FaultKind]>([
		['HTTP 500', 'serverError'],
		['an nginx 502 page', 'badGatewayHtml'],
		['a dropped connection', 'dropConnection'],
		['JSON cut short', 'malformedJson'],
	])(
		'after %s, finds the one new automation that matches what was sent: the list, the create, the list',
		async (_case, kind) => {
			const { sandbox } = context;
			sandbox.faults = [{ kind, afterApplying: true, match: isCreateOf('Lost Answer') }];

			const { items, error, requests } = await context.run(CREATE_FROM_INPUT, {
				inputItems: [{ name: 'Lost Answer' }],
			});

			expect(error).toBeUndefined();
			expect(lines(requests)).toEqual([LIST, CREATE, LIST]);
			expect(requests[1].fields).toEqual({
				type: 'custom',
				automation_name: 'Lost Answer',
				unsubscribe_group_id: '3',
			});
			const created = automationsNamed(sandbox, 'Lost Answer');
			expect(created).toHaveLength(1);
			expect(items).toEqual([automationItemOf(created[0], 0)]);
		},
	);

	it('after a success answer without the new UTR, finds the automation the same way', async () => {
		const { sandbox } = context;
		sandbox.faults = [
			{
				kind: 'fixedBody',
				afterApplying: true,
				route: 'POST automations/create',
				body: { status: 'success', message: 'Automation Created' },
			},
		];

		const { items, error, requests } = await context.run(CREATE_FROM_INPUT, {
			inputItems: [{ name: 'No Utr' }],
		});

		expect(error).toBeUndefined();
		expect(lines(requests)).toEqual([LIST, CREATE, LIST]);
		expect(items).toEqual([automationItemOf(automationsNamed(sandbox, 'No Utr')[0], 0)]);
	});

	it('after a timeout, finds the automation the API made while its answer trickled in', async () => {
		const { sandbox } = context;
		sandbox.faults = [{ kind: 'slowBody', ms: 1500, match: isCreateOf('Slow Answer') }];

		const { items, error, requests } = await context.run(
			{ ...CREATE_FROM_INPUT, options: { timeout: 1 } },
			{ inputItems: [{ name: 'Slow Answer' }] },
		);

		expect(error).toBeUndefined();
		expect(lines(requests)).toEqual([LIST, CREATE, LIST]);
		expect(items).toEqual([automationItemOf(automationsNamed(sandbox, 'Slow Answer')[0], 0)]);
	});

	it('after a timeout with nothing new listed yet, says the automation may exist: the API may still be making it', async () => {
		const { sandbox } = context;
		// The API makes the automation only once the node, having given up, has looked and found nothing new.
		const hold = holdCreateUntilListedAfter('Still Working');
		sandbox.faults = hold.faults;
		context.afterEachRequest(hold.noteAnswer);

		const { error, requests } = await context.run(
			{ ...CREATE_FROM_INPUT, options: { timeout: 1 } },
			{ inputItems: [{ name: 'Still Working' }] },
		);

		expect(lines(requests)).toEqual([LIST, CREATE, LIST]);
		expect(error).toMatchObject({
			name: 'NodeApiError',
			message:
				'The automation may exist: the answer to its create was lost (AllsTechnology did not answer POST automations/create within 1 s)',
		});
		expect(error?.description).toMatch(
			/^The account's automations hold no new automation yet, but the API had not answered when the node gave up/,
		);
	});

	it('fails saying the automation may exist when two new automations match what was sent', async () => {
		const { sandbox } = context;
		sandbox.faults = [{ kind: 'serverError', afterApplying: true, match: isCreateOf('Twice') }];
		context.afterEachRequest((request) => {
			if (request.path === '/api/automations/create')
				addAutomationLike(sandbox, automationsNamed(sandbox, 'Twice')[0]);
		});

		const { items, error, requests } = await context.run(CREATE_FROM_INPUT, {
			inputItems: [{ name: 'Twice' }],
		});

		expect(lines(requests)).toEqual([LIST, CREATE, LIST]);
		expect(items).toEqual([]);
		expect(error).toMatchObject({
			name: 'NodeApiError',
			message:
				'The automation may exist: the answer to its create was lost (AllsTechnology answered POST automations/create with HTTP 500: Server Error)',
			description:
				"The account's automations now hold 2 new automations that match what was sent, so which one is this item's cannot be told. Look for it with Get Many before running this item again: running it again may create a second automation.",
		});
	});

	it('fails saying the automation may exist when the list afterwards fails too', async () => {
		const { sandbox } = context;
		const create = {
			kind: 'dropConnection' as const,
			afterApplying: true,
			match: isCreateOf('Unlisted'),
		};
		// Every list after the create: the transport tries a list three times.
		const listAfter = {
			kind: 'serverError' as const,
			every: 1,
			match: (request: { path: string }) => request.path === '/api/automations',
		};
		sandbox.faults = [create];
		context.afterEachRequest((request) => {
			if (request.path === '/api/automations/create') sandbox.faults = [create, listAfter];
		});

		const { error, requests } = await context.run(
			{ ...CREATE_FROM_INPUT, options: { maxTries: 2 } },
			{ inputItems: [{ name: 'Unlisted' }] },
		);

		expect(lines(requests)).toEqual([LIST, CREATE, LIST, LIST]);
		expect(error?.message).toMatch(
			/^The automation may exist: the answer to its create was lost \(Could not reach AllsTechnology at /,
		);
		expect(error?.description).toBe(
			"Listing the account's automations to find it failed too: AllsTechnology answered GET automations with HTTP 500: Server Error. Look for it with Get Many before running this item again: running it again may create a second automation.",
		);
		expect(automationsNamed(sandbox, 'Unlisted')).toHaveLength(1);
	});

	it('says it was not created when no new automation is in the list afterwards', async () => {
		const { sandbox } = context;
		sandbox.faults = [{ kind: 'serverError', match: isCreateOf('Never Made') }];

		const { error, requests } = await context.run(CREATE_FROM_INPUT, {
			inputItems: [{ name: 'Never Made' }],
		});

		expect(lines(requests)).toEqual([LIST, CREATE, LIST]);
		expect(error).toMatchObject({
			name: 'NodeApiError',
			message: 'AllsTechnology answered POST automations/create with HTTP 500: Server Error',
			description:
				"The account's automations, listed after this failure, hold no new automation: it was not created, and this item can be run again.",
		});
		expect(automationsNamed(sandbox, 'Never Made')).toEqual([]);
	});

	it.each([
		['HTTP 422', 422],
		['HTTP 200', 200],
	])(
		'does not look when the API refused the create with its failed envelope (%s)',
		async (_case, status) => {
			const { sandbox } = context;
			sandbox.faults = [
				{
					kind: 'fixedBody',
					route: 'POST automations/create',
					status,
					body: {
						status: 'failed',
						errors: { automation_name: ['The automation name has already been taken.'] },
					},
				},
			];

			const { error, requests } = await context.run(CREATE_FROM_INPUT, {
				inputItems: [{ name: 'Refused' }],
			});

			expect(lines(requests)).toEqual([LIST, CREATE]);
			expect(error).toMatchObject({
				name: 'NodeApiError',
				message: 'The automation name has already been taken.',
			});
		},
	);

	it('does not count an automation another item of the run made as new, though it has the same name', async () => {
		const { sandbox } = context;
		// The second create of the run: the first has been answered by then (one item at a time).
		sandbox.faults = [
			{
				kind: 'serverError',
				afterApplying: true,
				every: 2,
				times: 1,
				match: isCreateOf('Same Name'),
			},
		];

		const { items, error, requests } = await context.run(
			{ ...CREATE_FROM_INPUT, options: ONE_AT_A_TIME },
			{ inputItems: [{ name: 'Same Name' }, { name: 'Same Name' }] },
		);

		expect(error).toBeUndefined();
		const [first, second] = automationsNamed(sandbox, 'Same Name');
		expect(lines(requests)).toEqual([
			LIST,
			CREATE,
			`GET automations/details?utr=${first.utr}`,
			CREATE,
			LIST,
		]);
		expect(items).toEqual([automationItemOf(first, 0), automationItemOf(second, 1)]);
	});

	it('is no failure once the look-up finds the automation: the items after it are created too', async () => {
		const { sandbox } = context;
		// The lost answer once stopped the run as a failure would: item 2 was then held back, unsent and
		// without output, though the run ended without an error.
		sandbox.faults = [{ kind: 'serverError', afterApplying: true, match: isCreateOf('Lost') }];

		const { items, error, requests } = await context.run(
			{ ...CREATE_FROM_INPUT, options: ONE_AT_A_TIME },
			{ inputItems: [{ name: 'Before' }, { name: 'Lost' }, { name: 'After' }] },
		);

		expect(error).toBeUndefined();
		const [before, lost, after] = ['Before', 'Lost', 'After'].map(
			(name) => automationsNamed(sandbox, name)[0],
		);
		expect(lines(requests)).toEqual([
			LIST,
			CREATE,
			`GET automations/details?utr=${before.utr}`,
			CREATE,
			LIST,
			CREATE,
			`GET automations/details?utr=${after.utr}`,
		]);
		expect(
			sandbox.requests
				.filter(({ path }) => path === '/api/automations/create')
				.map(({ fields }) => fields.automation_name),
		).toEqual(['Before', 'Lost', 'After']);
		expect(items).toEqual([
			automationItemOf(before, 0),
			automationItemOf(lost, 1),
			automationItemOf(after, 2),
		]);
	});

	it('looks only once the creates in flight have their answers, so their automations are known to be theirs', async () => {
		const { sandbox } = context;
		// Both match what the other sent (the type is not matched on): the welcome one's answer is lost while the
		// custom one's still trickles in, its automation already made.
		sandbox.faults = [
			{
				kind: 'slowBody',
				ms: 800,
				match: (request) =>
					request.path === '/api/automations/create' && request.fields.type === 'custom',
			},
			{
				kind: 'serverError',
				afterApplying: true,
				match: (request) =>
					request.path === '/api/automations/create' && request.fields.type === 'welcome',
			},
		];

		const { items, error, requests } = await context.run(CREATE_FROM_INPUT, {
			inputItems: [
				{ name: 'In Flight', type: 'custom' },
				{ name: 'In Flight', type: 'welcome' },
			],
		});

		expect(error).toBeUndefined();
		const custom = automationsNamed(sandbox, 'In Flight').find(
			(automation) => automation.automation_type === 0,
		)!;
		const welcome = automationsNamed(sandbox, 'In Flight').find(
			(automation) => automation.automation_type === 1,
		)!;
		expect(items).toEqual([automationItemOf(custom, 0), automationItemOf(welcome, 1)]);
		expect(lines(requests).sort()).toEqual(
			[CREATE, CREATE, LIST, LIST, `GET automations/details?utr=${custom.utr}`].sort(),
		);
		// The look's list went out after the slow answer had come in whole.
		const slowCreate = sandbox.requests.findIndex((request) => request.fault === 'slowBody');
		expect(
			sandbox.requests.findIndex(
				(request, index) => index > 0 && request.path === '/api/automations',
			),
		).toBeGreaterThan(slowCreate);
	});
});

describe('automation: Create, the list before', () => {
	it('lists the automations once a run, before its first create, whatever the number of items', async () => {
		const { sandbox } = context;
		const names = ['One', 'Two', 'Three'];

		const { items, error, requests } = await context.run(
			{ ...CREATE_FROM_INPUT, options: ONE_AT_A_TIME },
			{ inputItems: names.map((name) => ({ name })) },
		);

		expect(error).toBeUndefined();
		const created = names.map((name) => automationsNamed(sandbox, name)[0]);
		expect(lines(requests)).toEqual([
			LIST,
			...created.flatMap(({ utr }) => [CREATE, `GET automations/details?utr=${utr}`]),
		]);
		expect(items).toEqual(
			created.map((automation, itemIndex) => automationItemOf(automation, itemIndex)),
		);
	});

	it('lists them once with items in flight together too, before any create', async () => {
		const { requests, error } = await context.run(CREATE_FROM_INPUT, {
			inputItems: [{ name: 'One' }, { name: 'Two' }, { name: 'Three' }, { name: 'Four' }],
		});

		expect(error).toBeUndefined();
		expect(lines(requests)[0]).toBe(LIST);
		expect(lines(requests).filter((line) => line === LIST)).toHaveLength(1);
		expect(lines(requests).filter((line) => line === CREATE)).toHaveLength(4);
	});

	it('sends no create when the list before fails, and says nothing was created', async () => {
		const { sandbox } = context;
		sandbox.faults = [
			{ kind: 'serverError', match: (request) => request.path === '/api/automations' },
		];

		const { error, requests } = await context.run(
			{ ...CREATE_FROM_INPUT, options: { maxTries: 1 } },
			{ inputItems: [{ name: 'Unsent' }] },
		);

		expect(lines(requests)).toEqual([LIST]);
		expect(error).toMatchObject({
			name: 'NodeApiError',
			message: 'AllsTechnology answered GET automations with HTTP 500: Server Error',
			httpCode: '500',
		});
		expect(error?.description).toMatch(
			/ Nothing was created: the node lists the account's automations before a run's first create, to find a create whose answer gets lost, and that list failed\.$/,
		);
	});

	it("keeps what the list's failure says to do, for refused keys too", async () => {
		const { items, error, requests } = await runNode(
			engineFor(context.sandbox, { secretKey: 'a-wrong-secret-key' }),
			{
				type: NODE_TYPE,
				parameters: CREATE_FROM_INPUT,
				inputItems: [{ name: 'First' }, { name: 'Second' }],
				continueOnFail: true,
			},
		).then((result) => ({ ...result, requests: context.sandbox.requests.map(describeRequest) }));

		expect(error).toBeUndefined();
		expect(lines(requests)).toEqual([LIST]);
		const why =
			"Check the public key and secret key in the AllsTechnology API credential: copy both again from your AllsTechnology account page. Nothing was created: the node lists the account's automations before a run's first create, to find a create whose answer gets lost, and that list failed.";
		expect(items).toEqual(
			[0, 1].map((itemIndex) =>
				itemOf(
					{ error: 'Invalid public key or secret key', description: why, httpCode: '401' },
					itemIndex,
				),
			),
		);
	});
});

describe('automation: Create, when reading it back fails', () => {
	it('is a success item with the UTR and a notice, not an error', async () => {
		const { sandbox } = context;
		context.afterEachRequest((request) => {
			if (request.path !== '/api/automations/create') return;
			automationsNamed(sandbox, 'Unread')[0].deleted_at = '2024-01-01T00:00:00.000000Z';
		});

		const { items, error, requests } = await context.run(CREATE_FROM_INPUT, {
			inputItems: [{ name: 'Unread' }],
		});

		expect(error).toBeUndefined();
		const utr = sandbox.state.automations.find(
			(automation) => automation.automation_name === 'Unread',
		)!.utr;
		expect(lines(requests)).toEqual([LIST, CREATE, `GET automations/details?utr=${utr}`]);
		expect(items).toEqual([
			itemOf(
				{
					utr,
					notice: `Created, but reading it back failed: No automation has the UTR ${utr}: AllsTechnology answered "Record Not Found". Read it with Get.`,
				},
				0,
			),
		]);
	});
});
