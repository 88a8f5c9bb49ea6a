/**
 * Second-round attacks on the creating operations and Delete Many: faults at every position, several items at
 * once, the same name twice, Retry On Fail with Continue On Fail, lists that lie. Each test states what the
 * README promises and asserts the exact requests and items.
 */
import { IDS_PER_REQUEST } from '../../../../nodes/AllsTechnology/actions/automation/deleteMany.operation';
import type { Fault, RecordedRequest } from '../../../../sandbox/server';
import { DRAFT_UTR, LIVE_UTR, jsonOf, locator, useSandbox } from '../fixture';
import {
	CREATE_FROM_INPUT,
	ONE_AT_A_TIME,
	addAutomationLike,
	automationItemOf,
	automationsNamed,
	holdCreateUntilListedAfter,
	holdCreateUntilOthersArrive,
	isCreateOf,
	lines,
} from '../actions/createRuns';

const context = useSandbox();

const LIST = 'GET automations';
const CREATE = 'POST automations/create';
const retryOnFail = (maxTries: number) => ({ maxTries, waitBetweenTries: 1 });
const isList = (request: RecordedRequest) =>
	request.method === 'GET' && request.path === '/api/automations';

/** The n-th request of a route answers the API's "Record Not Found", as it answers an empty list. */
function emptyListOn(route: string, nth: number, errors = 'Record Not Found'): Fault {
	return {
		kind: 'fixedBody',
		route,
		every: nth,
		times: 1,
		status: 404,
		body: { status: 'failed', errors },
	};
}

function createRequests(name: string) {
	return context.sandbox.requests.filter(isCreateOf(name)).length;
}

describe('attack: a list that answers "Record Not Found" after a lost create', () => {
	it('Create: the account listed automations before, so an empty list after says nothing; Retry On Fail does not send the create again', async () => {
		const { sandbox } = context;
		sandbox.faults = [
			{ kind: 'serverError', afterApplying: true, match: isCreateOf('Glitch') },
			emptyListOn('GET automations', 2),
		];

		const { items, error, requests } = await context.run(CREATE_FROM_INPUT, {
			inputItems: [{ name: 'Glitch' }],
			retryOnFail: retryOnFail(3),
		});

		expect(items).toEqual([]);
		expect(lines(requests)).toEqual([LIST, CREATE, LIST]);
		expect(createRequests('Glitch')).toBe(1);
		expect(automationsNamed(sandbox, 'Glitch')).toHaveLength(1);
		expect(error?.message).toBe(
			'The automation may exist: the answer to its create was lost (AllsTechnology answered POST automations/create with HTTP 500: Server Error)',
		);
		expect(error?.description).toMatch(
			/^The account's automations, listed after this failure, came back empty, though they held 7 automations before this create, so that list cannot be trusted\. Look for it with Get Many/,
		);
	});

	it('Schedule Create: the automation had emails before, so none listed after says nothing; Retry On Fail does not send the create again', async () => {
		const { sandbox } = context;
		sandbox.faults = [
			{ kind: 'serverError', afterApplying: true, route: 'POST automations/schedule/create' },
			emptyListOn('GET automations/schedule', 2, 'Record not found'),
		];

		const { items, error, requests } = await context.run(
			{
				resource: 'automationSchedule',
				operation: 'create',
				automation: locator(LIVE_UTR),
				senderId: 2,
				subject: 'Glitch',
				waitingType: 'instantly',
				templateId: 2,
				previewImg: 'verify_email.png',
			},
			{ retryOnFail: retryOnFail(3) },
		);

		expect(items).toEqual([]);
		const SCHEDULES = `GET automations/schedule?utr=${LIVE_UTR}`;
		// "Record not found" of the emails is checked against the automation's details, which exist.
		expect(lines(requests)).toEqual([
			SCHEDULES,
			'POST automations/schedule/create',
			SCHEDULES,
			`GET automations/details?utr=${LIVE_UTR}`,
		]);
		expect(sandbox.state.schedules.filter((email) => email.subject === 'Glitch')).toHaveLength(1);
		expect(error?.message).toBe(
			'The email may exist: the answer to its create was lost (AllsTechnology answered POST automations/schedule/create with HTTP 500: Server Error)',
		);
		expect(error?.description).toMatch(
			/^The automation's emails, listed after this failure, came back empty, though they held 3 emails before this create, so that list cannot be trusted\. Look for it with Get Many/,
		);
	});

	it('Create: an account that was empty before may well be empty after: not created, and the retry sends it again', async () => {
		const { sandbox } = context;
		for (const automation of sandbox.state.automations)
			automation.deleted_at = '2024-01-01T00:00:00.000000Z';
		sandbox.faults = [{ kind: 'serverError', times: 1, match: isCreateOf('First Ever') }];

		const { items, error, requests } = await context.run(CREATE_FROM_INPUT, {
			inputItems: [{ name: 'First Ever' }],
			retryOnFail: retryOnFail(2),
		});

		expect(error).toBeUndefined();
		const [made] = automationsNamed(sandbox, 'First Ever');
		expect(lines(requests)).toEqual([
			LIST,
			CREATE,
			LIST,
			LIST,
			CREATE,
			`GET automations/details?utr=${made.utr}`,
		]);
		expect(items).toEqual([automationItemOf(made, 0)]);
	});

	it('Delete Many: a list after that answers "Record Not Found" while automations not sent were listed before is no proof of a delete', async () => {
		const { sandbox } = context;
		sandbox.faults = [
			{ kind: 'serverError', route: 'POST automations/bulk-delete' },
			emptyListOn('GET automations', 2),
		];

		const { items, error, requests } = await context.run({
			resource: 'automation',
			operation: 'deleteMany',
			automationIds: '8',
			options: { maxTries: 1 },
		});

		expect(lines(requests)).toEqual([LIST, 'POST automations/bulk-delete', LIST]);
		expect(
			sandbox.state.automations.find((automation) => automation.id === 8)?.deleted_at,
		).toBeNull();
		expect(items).toEqual([]);
		expect(error?.message).toBe(
			'Sent 1 automation to be deleted, but listing them afterwards failed, so which were deleted is unknown: The list afterwards came back empty, though it should still hold the 6 automations not sent to be deleted',
		);
	});

	it('Delete Many: when every automation listed was sent, an empty list after means they are all gone', async () => {
		const { sandbox } = context;
		const ids = sandbox.state.automations
			.filter((automation) => automation.deleted_at === null)
			.map(({ id }) => id);

		const { items, error, requests } = await context.run({
			resource: 'automation',
			operation: 'deleteMany',
			automationIds: ids.join(', '),
		});

		expect(error).toBeUndefined();
		expect(lines(requests)).toEqual([LIST, 'POST automations/bulk-delete', LIST]);
		expect(jsonOf(items)).toEqual([
			{ json: { deleted: ids, notFound: [] }, pairedItem: { item: 0 } },
		]);
	});
});

describe('attack: Delete Many under Retry On Fail', () => {
	function seedAutomations(ids: number[]) {
		const [template] = context.sandbox.state.automations;
		for (const id of ids) {
			context.sandbox.state.automations.push({
				...template,
				id,
				utr: `00000000-0000-11ee-0000-${String(id).padStart(12, '0')}`,
			});
		}
	}
	const range = (first: number, count: number) =>
		Array.from({ length: count }, (_, offset) => first + offset);

	it('reports as deleted the IDs an earlier try of the same execution deleted, not as not found', async () => {
		const ids = range(1000, 2 * IDS_PER_REQUEST);
		seedAutomations(ids);
		context.sandbox.faults = [
			{ kind: 'serverError', route: 'POST automations/bulk-delete', every: 2, times: 1 },
		];

		const { items, error, requests } = await context.run(
			{
				resource: 'automation',
				operation: 'deleteMany',
				automationIds: `${ids.join(',')}, 99999`,
				options: { maxTries: 1 },
			},
			{ retryOnFail: retryOnFail(2) },
		);

		expect(error).toBeUndefined();
		// The first try: the first bulk delete went through, the second failed; the second try sends only the rest.
		expect(lines(requests)).toEqual([
			LIST,
			'POST automations/bulk-delete',
			'POST automations/bulk-delete',
			LIST,
			LIST,
			'POST automations/bulk-delete',
			LIST,
		]);
		const idsSent = requests
			.filter((request) => request.path === '/api/automations/bulk-delete')
			.map((request) => Object.values(request.fields ?? {}).map(Number));
		expect(idsSent).toEqual([
			ids.slice(0, IDS_PER_REQUEST),
			ids.slice(IDS_PER_REQUEST),
			ids.slice(IDS_PER_REQUEST),
		]);
		expect(jsonOf(items)).toEqual([
			{ json: { deleted: ids, notFound: [99999] }, pairedItem: { item: 0 } },
		]);
	});

	it('reports as deleted the IDs an earlier try sent whose list afterwards failed, once the retry no longer finds them', async () => {
		context.sandbox.faults = [
			{ kind: 'serverError', route: 'GET automations', every: 2, times: 1 },
		];

		const { items, error, requests } = await context.run(
			{
				resource: 'automation',
				operation: 'deleteMany',
				automationIds: '8, 44',
				options: { maxTries: 1 },
			},
			{ retryOnFail: retryOnFail(2) },
		);

		expect(error).toBeUndefined();
		expect(lines(requests)).toEqual([LIST, 'POST automations/bulk-delete', LIST, LIST]);
		expect(jsonOf(items)).toEqual([
			{ json: { deleted: [8, 44], notFound: [] }, pairedItem: { item: 0 } },
		]);
	});

	it("with Continue On Fail, where n8n retries on the first item's error, still pairs each item with what it deleted", async () => {
		seedAutomations(range(1000, 2));
		// The first bulk delete fails once; the items' IDs go out together.
		context.sandbox.faults = [
			{ kind: 'serverError', route: 'POST automations/bulk-delete', times: 1 },
		];

		const { items, error } = await context.run(
			{
				resource: 'automation',
				operation: 'deleteMany',
				automationIds: '={{ $json.ids }}',
				options: { maxTries: 1 },
			},
			{
				inputItems: [{ ids: '1000, 8' }, { ids: '1001, 8' }],
				retryOnFail: retryOnFail(3),
				continueOnFail: true,
			},
		);

		expect(error).toBeUndefined();
		expect(jsonOf(items)).toEqual([
			{ json: { deleted: [1000, 8], notFound: [] }, pairedItem: { item: 0 } },
			{ json: { deleted: [1001, 8], notFound: [] }, pairedItem: { item: 1 } },
		]);
	});
});

describe('attack: Retry On Fail with Continue On Fail on creates', () => {
	it('a create that may exist fails the same on every try, HTTP code included, and is sent once in 5 tries', async () => {
		const { sandbox } = context;
		sandbox.faults = [
			{ kind: 'serverError', afterApplying: true, match: isCreateOf('Twice Listed') },
		];
		context.afterEachRequest((request) => {
			if (isCreateOf('Twice Listed')(request))
				addAutomationLike(sandbox, automationsNamed(sandbox, 'Twice Listed')[0]);
		});

		const { items, error } = await context.run(
			{ ...CREATE_FROM_INPUT, options: ONE_AT_A_TIME },
			{
				inputItems: [{ name: 'Twice Listed' }, { name: 'Fine' }],
				retryOnFail: retryOnFail(5),
				continueOnFail: true,
			},
		);

		expect(error).toBeUndefined();
		expect(createRequests('Twice Listed')).toBe(1);
		expect(createRequests('Fine')).toBe(1);
		// n8n ran the node 5 times (the first item failed each time); the later tries answered from memory, unsent.
		expect(
			lines(context.sandbox.requests.map((request) => ({ ...request, query: request.rawQuery }))),
		).toEqual([
			LIST,
			CREATE,
			LIST,
			CREATE,
			`GET automations/details?utr=${automationsNamed(sandbox, 'Fine')[0].utr}`,
		]);
		expect(items[0].json).toEqual({
			error:
				'The automation may exist: the answer to its create was lost (AllsTechnology answered POST automations/create with HTTP 500: Server Error)',
			description: expect.stringMatching(
				/^The account's automations now hold 2 new automations that match/,
			),
			httpCode: '500',
		});
		expect(items[1]).toEqual(automationItemOf(automationsNamed(sandbox, 'Fine')[0], 1));
	});

	it('the same name twice, the first not made: the retry sends the first again and returns the second unsent', async () => {
		const { sandbox } = context;
		sandbox.faults = [{ kind: 'serverError', times: 1, match: isCreateOf('Same Twice') }];

		const { items, error, requests } = await context.run(
			{ ...CREATE_FROM_INPUT, options: ONE_AT_A_TIME },
			{
				inputItems: [{ name: 'Same Twice' }, { name: 'Same Twice' }],
				retryOnFail: retryOnFail(3),
				continueOnFail: true,
			},
		);

		expect(error).toBeUndefined();
		const [second, first] = automationsNamed(sandbox, 'Same Twice');
		expect(lines(requests)).toEqual([
			LIST,
			CREATE,
			LIST,
			CREATE,
			`GET automations/details?utr=${second.utr}`,
			LIST,
			CREATE,
			`GET automations/details?utr=${first.utr}`,
		]);
		expect(items).toEqual([automationItemOf(first, 0), automationItemOf(second, 1)]);
	});

	it('a create answered after Timeout: sent once over 3 tries, the item says it may exist each time', async () => {
		const { sandbox } = context;
		// The API makes the automation only once the node, having given up, has looked and found nothing new.
		const hold = holdCreateUntilListedAfter('Late');
		sandbox.faults = hold.faults;
		context.afterEachRequest(hold.noteAnswer);

		const { items, error } = await context.run(
			{ ...CREATE_FROM_INPUT, options: { timeout: 1 } },
			{ inputItems: [{ name: 'Late' }], retryOnFail: retryOnFail(3), continueOnFail: true },
		);

		expect(error).toBeUndefined();
		expect(createRequests('Late')).toBe(1);
		expect(items[0].json.error).toBe(
			'The automation may exist: the answer to its create was lost (AllsTechnology did not answer POST automations/create within 1 s)',
		);
		// The API carries on after the node gave up: let it finish before the next test resets the sandbox.
		while (automationsNamed(sandbox, 'Late').length === 0)
			await new Promise((resume) => setImmediate(resume));
	});
});

describe('attack: Duplicate of an automation deleted meanwhile', () => {
	const duplicate = {
		resource: 'automation',
		operation: 'duplicate',
		automation: locator(DRAFT_UTR),
	};
	const deleteOriginalAfterTheList = () =>
		context.afterEachRequest((request) => {
			if (isList(request))
				context.sandbox.state.automations.find(
					(automation) => automation.utr === DRAFT_UTR,
				)!.deleted_at = '2024-01-01T00:00:00.000000Z';
		});

	it('fails with the API\'s "Record not found", without a read-back; Retry On Fail asks again, harmlessly', async () => {
		deleteOriginalAfterTheList();

		const { error, requests } = await context.run(duplicate, { retryOnFail: retryOnFail(2) });

		expect(error?.message).toBe(
			`No automation has the UTR ${DRAFT_UTR}: AllsTechnology answered "Record not found"`,
		);
		const DUPLICATE = `GET automations/duplicate?utr=${DRAFT_UTR}`;
		expect(lines(requests)).toEqual([LIST, DUPLICATE, LIST, DUPLICATE]);
		expect(
			context.sandbox.state.automations.filter((automation) => automation.deleted_at === null),
		).toHaveLength(6);
	});

	it('whose answer is lost: no new automation listed, so no copy was made', async () => {
		deleteOriginalAfterTheList();
		context.sandbox.faults = [{ kind: 'dropConnection', route: 'GET automations/duplicate' }];

		const { error, requests } = await context.run(duplicate);

		expect(lines(requests)).toEqual([LIST, `GET automations/duplicate?utr=${DRAFT_UTR}`, LIST]);
		expect(error?.description).toBe(
			"The account's automations, listed after this failure, hold no new automation: it was not created, and this item can be run again.",
		);
	});
});

describe('attack: Delete Many with duplicates and IDs that appear during the run', () => {
	it('sends each existing ID once, reports it on every item that named it, and an ID created after the list as not found, unsent', async () => {
		const { sandbox } = context;
		context.afterEachRequest((request) => {
			if (isList(request) && !sandbox.state.automations.some(({ id }) => id === 9000)) {
				sandbox.state.automations.push({
					...sandbox.state.automations[0],
					id: 9000,
					utr: '00000000-0000-11ee-0000-000000009000',
				});
			}
		});

		const { items, error, requests } = await context.run(
			{ resource: 'automation', operation: 'deleteMany', automationIds: '={{ $json.ids }}' },
			{ inputItems: [{ ids: '8, 8, 44, 8' }, { ids: [44, 9000, 44] }] },
		);

		expect(error).toBeUndefined();
		expect(
			requests.map((request) => request.rawBody ?? `${request.method} ${request.path}`),
		).toEqual(['GET /api/automations', 'strIds%5B0%5D=8&strIds%5B1%5D=44', 'GET /api/automations']);
		expect(jsonOf(items)).toEqual([
			{ json: { deleted: [8, 44], notFound: [] }, pairedItem: { item: 0 } },
			{ json: { deleted: [44], notFound: [9000] }, pairedItem: { item: 1 } },
		]);
		expect(sandbox.state.automations.find(({ id }) => id === 9000)?.deleted_at).toBeNull();
	});
});

describe('attack: a run stopped halfway, one of the items in flight ending as "may exist"', () => {
	// Listing only the items with output left item 3 (may exist) out, and "continue from item 1 and leave out the
	// items listed here" would have created item 3's automation a second time.
	it('names the other items in flight whose automation may exist, so that nobody runs them again', async () => {
		const { sandbox } = context;
		sandbox.faults = [
			...holdCreateUntilOthersArrive('B', ['A', 'C', 'D']),
			{ kind: 'serverError', match: isCreateOf('B') },
			{ kind: 'serverError', afterApplying: true, match: isCreateOf('D') },
		];
		context.afterEachRequest((request) => {
			if (isCreateOf('D')(request)) addAutomationLike(sandbox, automationsNamed(sandbox, 'D')[0]);
		});

		const { error } = await context.run(CREATE_FROM_INPUT, {
			inputItems: ['A', 'B', 'C', 'D'].map((name) => ({ name })),
		});

		expect(error?.context?.itemIndex).toBe(1);
		expect(error?.description).toMatch(/item 3\b[^.]*may exist/);
	});
});
