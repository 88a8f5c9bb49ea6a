import type { IDataObject, INodeParameters } from 'n8n-workflow';
import type { Fault, RecordedRequest } from '../../../../sandbox/server';
import { RequestWindow } from '../../../../nodes/shared/transport/window';
import { DRAFT_UTR, LIVE_UTR, jsonOf, locator, locatorById, useSandbox } from '../fixture';
import {
	CREATE_FROM_INPUT,
	ONE_AT_A_TIME,
	addAutomationLike,
	automationItemOf,
	automationsNamed,
	holdCreateUntilOthersArrive,
	isCreateOf,
	itemOf,
	lines,
} from '../actions/createRuns';

/**
 * Attacks for silent drops: an input item that ends with no output and no error of its own in a run the user did
 * not stop, that ended without an error, or whose error does not account for it. A run that stops at item X tells
 * what the items before it did and says "To finish, continue from item X and leave out the items listed here":
 * followed, that advice must do every item exactly once, so an item below X that did nothing must not be left out.
 */
const context = useSandbox();

const UNKNOWN_UTR = '00000000-0000-11ee-0000-000000000000';
const THREE_AT_ONCE = { batching: { batch: { batchSize: 3 } } };

let closeSpy: jest.SpyInstance | undefined;
afterEach(() => {
	closeSpy?.mockRestore();
	closeSpy = undefined;
});

/**
 * Settles once the run has stopped at a failure (its window of requests closes): a hold on an answer until then
 * orders that answer after the stop whatever the machine's speed, which no wait in milliseconds promises.
 */
function untilTheRunStops(): Promise<void> {
	const close = RequestWindow.prototype.close;
	let stopped: () => void = () => undefined;
	const promise = new Promise<void>((resolve) => (stopped = resolve));
	closeSpy = jest.spyOn(RequestWindow.prototype, 'close').mockImplementation(function (
		this: RequestWindow,
	) {
		close.call(this);
		stopped();
	});
	return promise;
}

/** What a stopped run's error tells: the items it lists as done, and the item to continue from. */
function adviceOf(description: string | null | undefined) {
	const text = description ?? '';
	return {
		listedAsDone: [...text.matchAll(/\(item (\d+)\)/g)].map((match) => Number(match[1])),
		continueFrom: Number(/continue from item (\d+)/.exec(text)?.[1] ?? NaN),
	};
}

/**
 * Following the advice does every item once: it lists exactly the items done, and continues from the first item
 * not done, so none below it is left out.
 */
function expectAdviceToFinishTheRun(
	description: string | null | undefined,
	inputCount: number,
	done: number[],
) {
	const notDone = Array.from({ length: inputCount }, (_, index) => index).filter(
		(index) => !done.includes(index),
	);
	expect(adviceOf(description)).toEqual({
		listedAsDone: done,
		continueFrom: Math.min(...notDone),
	});
}

const automationOf = (id: number) =>
	context.sandbox.state.automations.find((automation) => automation.id === id)!;
const emailOf = (id: number) =>
	context.sandbox.state.schedules.find((schedule) => schedule.id === id);

/**
 * Operations that name an automation By ID look it up in the run's one list of automations, which the first item to
 * need it sends: the items after it wait for that list without having sent anything, while an item By UTR goes out.
 */
interface MixedRefCase {
	parameters: INodeParameters;
	/** Items 0 and 1 name their record By ID (through the run's list); item 2 By UTR, and it fails. */
	inputItems: IDataObject[];
	/** Whether the item's change was made. */
	isDone: (itemIndex: number) => boolean;
}

const byIdFromInput = locatorById('={{ $json.ref }}');
const mixedRefCases: Array<[string, () => MixedRefCase]> = [
	[
		'Delete',
		() => ({
			parameters: { resource: 'automation', operation: 'delete', automation: byIdFromInput },
			inputItems: [{ ref: 1 }, { ref: 6 }, { ref: UNKNOWN_UTR }],
			isDone: (itemIndex) => itemIndex < 2 && automationOf([1, 6][itemIndex]).deleted_at !== null,
		}),
	],
	[
		'Pause',
		() => ({
			parameters: { resource: 'automation', operation: 'pause', automation: byIdFromInput },
			inputItems: [{ ref: 3 }, { ref: 8 }, { ref: UNKNOWN_UTR }],
			isDone: (itemIndex) => itemIndex < 2 && automationOf([3, 8][itemIndex]).status === 0,
		}),
	],
	[
		'Set Live',
		() => ({
			parameters: { resource: 'automation', operation: 'setLive', automation: byIdFromInput },
			inputItems: [{ ref: 1 }, { ref: 6 }, { ref: UNKNOWN_UTR }],
			isDone: (itemIndex) => itemIndex < 2 && automationOf([1, 6][itemIndex]).status === 1,
		}),
	],
	[
		'Schedule Delete with its Automation By ID',
		() => ({
			parameters: {
				resource: 'automationSchedule',
				operation: 'delete',
				automation: locatorById('={{ $json.ref ?? "" }}'),
				schedule: locator('={{ $json.schedule }}'),
			},
			inputItems: [
				{ ref: 3, schedule: emailOf(7)!.utr },
				{ ref: 3, schedule: emailOf(8)!.utr },
				{ schedule: UNKNOWN_UTR },
			],
			isDone: (itemIndex) => itemIndex < 2 && emailOf([7, 8][itemIndex]) === undefined,
		}),
	],
];

describe('attack: silent drops', () => {
	describe('items By ID waiting for the run’s list while an item By UTR fails (Items Per Batch 3)', () => {
		// Item 1 holds a slot and waits for the list item 0 sent; item 2 fails meanwhile and closes the window, so item 1
		// sends nothing: the error said to continue from item 2, which left item 1 out.
		it.each(mixedRefCases)(
			'%s: the error accounts for the item that waited for the list',
			async (_case, makeCase) => {
				const { parameters, inputItems, isDone } = makeCase();
				const withOptions = { ...parameters, options: { ...THREE_AT_ONCE, maxTries: 1 } };
				const alone = await context.errorAlone(withOptions, inputItems[2]);
				const stopped = untilTheRunStops();
				context.sandbox.faults.push({
					kind: 'latency',
					ms: 0,
					until: stopped,
					route: 'GET automations',
				});

				const { items, error, requests } = await context.run(withOptions, { inputItems });

				expect(items).toEqual([]);
				expect(error).toMatchObject({ name: alone?.name, message: alone?.message });
				expect(error?.context.itemIndex).toBe(2);
				expect(error?.description?.startsWith(alone?.description ?? '')).toBe(true);
				expect(lines(requests)).toContain('GET automations');
				const done = [0, 1, 2].filter(isDone);
				expect(done).toContain(0);
				expectAdviceToFinishTheRun(error?.description, inputItems.length, done);
			},
		);

		it('with a Batch Interval (no window), every item before the failing one is done and listed', async () => {
			const { parameters, inputItems, isDone } = mixedRefCases[0][1]();
			const withOptions = {
				...parameters,
				options: { batching: { batch: { batchSize: 3, batchInterval: 1 } }, maxTries: 1 },
			};

			const { items, error, requests } = await context.run(withOptions, { inputItems });

			expect(items).toEqual([]);
			expect(error?.context.itemIndex).toBe(2);
			expect(error?.message).toBe(
				`No automation has the UTR ${UNKNOWN_UTR}: AllsTechnology answered "Record not found"`,
			);
			expect(lines(requests).sort()).toEqual(
				[
					'GET automations',
					`DELETE automations/delete?utr=${automationOf(1).utr}`,
					`DELETE automations/delete?utr=${automationOf(6).utr}`,
					`DELETE automations/delete?utr=${UNKNOWN_UTR}`,
				].sort(),
			);
			expect([0, 1, 2].filter(isDone)).toEqual([0, 1]);
			expect(adviceOf(error?.description)).toEqual({ listedAsDone: [0, 1], continueFrom: 2 });
		});

		it('with Continue On Fail, each item gets its output: two deletes and the error item', async () => {
			const { parameters, inputItems } = mixedRefCases[0][1]();
			const { items, error } = await context.run(
				{ ...parameters, options: { ...THREE_AT_ONCE, maxTries: 1 } },
				{ inputItems, continueOnFail: true },
			);

			expect(error).toBeUndefined();
			expect(jsonOf(items)).toEqual([
				itemOf({ deleted: true, utr: automationOf(1).utr }, 0),
				itemOf({ deleted: true, utr: automationOf(6).utr }, 1),
				{
					json: expect.objectContaining({
						error: `No automation has the UTR ${UNKNOWN_UTR}: AllsTechnology answered "Record not found"`,
					}),
					pairedItem: { item: 2 },
				},
			]);
		});

		it('with the error output, the two deletes go to the main output and the failure to the error output', async () => {
			const { parameters, inputItems } = mixedRefCases[0][1]();
			const { items, errorItems, error } = await context.run(
				{ ...parameters, options: { ...THREE_AT_ONCE, maxTries: 1 } },
				{ inputItems, onError: 'continueErrorOutput' },
			);

			expect(error).toBeUndefined();
			expect(jsonOf(items)).toEqual([
				itemOf({ deleted: true, utr: automationOf(1).utr }, 0),
				itemOf({ deleted: true, utr: automationOf(6).utr }, 1),
			]);
			expect(errorItems.map((item) => [item.json.error, item.pairedItem])).toEqual([
				[
					`No automation has the UTR ${UNKNOWN_UTR}: AllsTechnology answered "Record not found"`,
					{ item: 2 },
				],
			]);
		});

		it('with Retry On Fail, the retry sends the item the stop left unsent, and the run ends with every output', async () => {
			const inputItems = [{ ref: 1 }, { ref: 6 }, { ref: automationOf(8).utr }];
			const failOnce = {
				kind: 'serverError' as const,
				times: 1,
				match: (request: RecordedRequest) => request.rawQuery === `utr=${automationOf(8).utr}`,
			};
			const stopped = untilTheRunStops();
			context.sandbox.faults.push(failOnce, {
				kind: 'latency',
				ms: 0,
				until: stopped,
				route: 'GET automations',
			});

			const { items, error } = await context.run(
				{
					resource: 'automation',
					operation: 'delete',
					automation: byIdFromInput,
					options: { ...THREE_AT_ONCE, maxTries: 1 },
				},
				{ inputItems, retryOnFail: { maxTries: 2 } },
			);

			expect(error).toBeUndefined();
			expect(jsonOf(items)).toEqual([
				itemOf({ deleted: true, utr: automationOf(1).utr }, 0),
				itemOf({ deleted: true, utr: automationOf(6).utr }, 1),
				itemOf({ deleted: true, utr: automationOf(8).utr }, 2),
			]);
		});
	});

	describe('Schedule Create: items queued behind a create on their automation while another automation’s fails', () => {
		const scheduleFromInput = {
			resource: 'automationSchedule',
			operation: 'create',
			automation: locator('={{ $json.automation }}'),
			senderId: 2,
			subject: '={{ $json.subject }}',
			waitingType: 'instantly',
			templateId: 2,
			previewImg: '={{ $json.preview ?? "" }}',
			simplify: false,
			options: THREE_AT_ONCE,
		};
		const emailsWithSubject = (subject: string) =>
			context.sandbox.state.schedules.filter((email) => email.subject === subject);
		const refuseCreateOf = (subject: string): Fault => ({
			kind: 'fixedBody',
			status: 422,
			body: { status: 'failed', errors: 'Subject refused' },
			match: (request) =>
				request.path === '/api/automations/schedule/create' && request.fields.subject === subject,
		});
		const holdCreateOf = (subject: string, until: Promise<void>): Fault => ({
			kind: 'latency',
			ms: 0,
			until,
			match: (request) =>
				request.path === '/api/automations/schedule/create' && request.fields.subject === subject,
		});

		// Item 1 waits in the draft's queue behind item 0; item 2 (the live automation) fails and stops the run, so item
		// 1 sends nothing: the error said to continue from item 2.
		it('the error accounts for the item that waited in its automation’s queue', async () => {
			const stopped = untilTheRunStops();
			context.sandbox.faults.push(holdCreateOf('Drop A0', stopped), refuseCreateOf('Drop B2'));
			const inputItems = [
				{ automation: DRAFT_UTR, subject: 'Drop A0', preview: 'a.png' },
				{ automation: DRAFT_UTR, subject: 'Drop A1', preview: 'a.png' },
				{ automation: LIVE_UTR, subject: 'Drop B2', preview: 'b.png' },
			];

			const { items, error } = await context.run(scheduleFromInput, { inputItems });

			expect(items).toEqual([]);
			expect(error).toMatchObject({ name: 'NodeApiError', message: 'Subject refused' });
			expect(error?.context.itemIndex).toBe(2);
			expect(emailsWithSubject('Drop A0')).toHaveLength(1);
			expect(emailsWithSubject('Drop B2')).toEqual([]);
			const done = inputItems
				.map(({ subject }, index) => (emailsWithSubject(subject).length === 1 ? index : -1))
				.filter((index) => index >= 0);
			expectAdviceToFinishTheRun(error?.description, inputItems.length, done);
		});

		// Item 1 looks up its template's preview image (held); item 2, on the same automation, enters the queue first and
		// fails, so item 1 sends nothing at its turn: the error listed item 0 and said "from item 2".
		it('the error accounts for the item that was looking up its preview image', async () => {
			const stopped = untilTheRunStops();
			context.sandbox.faults.push(
				holdCreateOf('Drop L0', stopped),
				{ kind: 'latency', ms: 0, until: stopped, route: 'GET get-design/template' },
				refuseCreateOf('Drop D2'),
			);
			const inputItems = [
				{ automation: LIVE_UTR, subject: 'Drop L0', preview: 'l.png' },
				{ automation: DRAFT_UTR, subject: 'Drop D1' },
				{ automation: DRAFT_UTR, subject: 'Drop D2', preview: 'd.png' },
			];

			const { items, error } = await context.run(scheduleFromInput, { inputItems });

			expect(items).toEqual([]);
			expect(error).toMatchObject({ name: 'NodeApiError', message: 'Subject refused' });
			expect(error?.context.itemIndex).toBe(2);
			expect(emailsWithSubject('Drop L0')).toHaveLength(1);
			const done = inputItems
				.map(({ subject }, index) => (emailsWithSubject(subject).length === 1 ? index : -1))
				.filter((index) => index >= 0);
			expectAdviceToFinishTheRun(error?.description, inputItems.length, done);
		});

		it('a lost answer the look-up finds is no failure: the item queued behind it on the same automation goes out', async () => {
			context.sandbox.faults.push({
				kind: 'serverError',
				afterApplying: true,
				match: (request) =>
					request.path === '/api/automations/schedule/create' &&
					request.fields.subject === 'Lost S0',
			});
			const inputItems = [
				{ automation: DRAFT_UTR, subject: 'Lost S0', preview: 'a.png' },
				{ automation: DRAFT_UTR, subject: 'Lost S1', preview: 'a.png' },
			];

			const { items, error, requests } = await context.run(scheduleFromInput, { inputItems });

			expect(error).toBeUndefined();
			const list = `GET automations/schedule?utr=${DRAFT_UTR}`;
			const create = 'POST automations/schedule/create';
			expect(lines(requests)).toEqual([list, create, list, list, create, list]);
			expect(jsonOf(items)).toEqual([
				itemOf({ ...emailsWithSubject('Lost S0')[0], automation_utr: DRAFT_UTR }, 0),
				itemOf({ ...emailsWithSubject('Lost S1')[0], automation_utr: DRAFT_UTR }, 1),
			]);
		});
	});

	describe('Create and Duplicate', () => {
		it('Duplicate: a lost answer the look-up finds keeps the items after it, which waited for the look-up', async () => {
			context.sandbox.faults.push({
				kind: 'serverError',
				afterApplying: true,
				route: 'GET automations/duplicate',
				times: 1,
			});
			const inputItems = [{ utr: LIVE_UTR }, { utr: DRAFT_UTR }, { utr: automationOf(8).utr }];

			const { items, error } = await context.run(
				{
					resource: 'automation',
					operation: 'duplicate',
					automation: locator('={{ $json.utr }}'),
					simplify: false,
				},
				{ inputItems },
			);

			expect(error).toBeUndefined();
			const copies = [3, 5, 8].map((id) => {
				const { automation_name, automation_type } = automationOf(id);
				return context.sandbox.state.automations.filter(
					(copy) =>
						copy.id > 45 &&
						copy.automation_name === automation_name &&
						copy.automation_type === automation_type &&
						copy.unsubscribe_group_id === automationOf(id).unsubscribe_group_id,
				);
			});
			// Automations 3 and 5 share their name and fields: each copy is one of the two.
			expect(copies.map((list) => list.length)).toEqual([2, 2, 1]);
			expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(new Set(items.map((item) => item.json.utr)).size).toBe(3);
		});

		it('Create: a read-back that fails gives the item a notice and the items after it still go out', async () => {
			context.sandbox.faults.push({
				kind: 'serverError',
				route: 'GET automations/details',
				times: 1,
			});

			const { items, error, requests } = await context.run(
				{ ...CREATE_FROM_INPUT, options: { ...ONE_AT_A_TIME, maxTries: 1 } },
				{ inputItems: [{ name: 'Read0' }, { name: 'Read1' }, { name: 'Read2' }] },
			);

			expect(error).toBeUndefined();
			const [read0] = automationsNamed(context.sandbox, 'Read0');
			expect(lines(requests)).toEqual([
				'GET automations',
				'POST automations/create',
				`GET automations/details?utr=${read0.utr}`,
				'POST automations/create',
				`GET automations/details?utr=${automationsNamed(context.sandbox, 'Read1')[0].utr}`,
				'POST automations/create',
				`GET automations/details?utr=${automationsNamed(context.sandbox, 'Read2')[0].utr}`,
			]);
			expect(items).toEqual([
				itemOf(
					{
						utr: read0.utr,
						notice:
							'Created, but reading it back failed: AllsTechnology answered GET automations/details with HTTP 500: Server Error. Read it with Get.',
					},
					0,
				),
				automationItemOf(automationsNamed(context.sandbox, 'Read1')[0], 1),
				automationItemOf(automationsNamed(context.sandbox, 'Read2')[0], 2),
			]);
		});

		it('Create: a 429 past Rate Limit Wait on item 1 lists the items in flight beside it and continues from item 1', async () => {
			context.sandbox.faults.push(...holdCreateUntilOthersArrive('RL1', ['RL0', 'RL2']), {
				kind: 'rateLimit',
				retryAfter: '30',
				match: isCreateOf('RL1'),
			});
			const inputItems = [{ name: 'RL0' }, { name: 'RL1' }, { name: 'RL2' }];

			const { items, error } = await context.run(
				{ ...CREATE_FROM_INPUT, options: { ...THREE_AT_ONCE, rateLimitWait: 1 } },
				{ inputItems },
			);

			expect(items).toEqual([]);
			expect(error?.message).toBe(
				'AllsTechnology is rate-limiting requests (HTTP 429 Too Many Requests)',
			);
			expect(error?.context.itemIndex).toBe(1);
			const done = [0, 1, 2].filter(
				(index) => automationsNamed(context.sandbox, `RL${index}`).length === 1,
			);
			expect(done).toEqual([0, 2]);
			expectAdviceToFinishTheRun(error?.description, 3, done);
		});

		// On n8n's retry, item 1 (whose create may exist) fails again at once, unsent, and stops the run, mostly before
		// item 0 (refused in the first try) has sent the list its create waits for. The run's error was item 0's "Not
		// sent: the node stopped at an earlier failure" (there was none earlier), item 1's may-exist a line of it.
		it('Retry On Fail: the retry of an item whose create may exist does not drop the item before it', async () => {
			const { sandbox } = context;
			const refuseOnce: Fault = {
				kind: 'fixedBody',
				status: 422,
				times: 1,
				body: { status: 'failed', errors: 'Try again' },
				match: isCreateOf('Retry0'),
			};
			sandbox.faults.push(...holdCreateUntilOthersArrive('Retry0', ['Retry1']), refuseOnce, {
				kind: 'serverError',
				afterApplying: true,
				times: 1,
				match: isCreateOf('Retry1'),
			});
			context.afterEachRequest((request) => {
				if (isCreateOf('Retry1')(request))
					addAutomationLike(sandbox, automationsNamed(sandbox, 'Retry1')[0]);
			});

			const { items, error } = await context.run(CREATE_FROM_INPUT, {
				inputItems: [{ name: 'Retry0' }, { name: 'Retry1' }],
				retryOnFail: { maxTries: 2 },
			});

			expect(items).toEqual([]);
			expect(error?.message).toBe(
				'The automation may exist: the answer to its create was lost (AllsTechnology answered POST automations/create with HTTP 500: Server Error)',
			);
			expect(error?.context.itemIndex).toBe(1);
			// Whether item 0's list went out before item 1's failure is the engine's scheduling: the advice fits either.
			if (automationsNamed(sandbox, 'Retry0').length === 1) {
				expectAdviceToFinishTheRun(error?.description, 2, [0]);
			} else {
				// Nothing done: item 1's own error, which says to look for its automation first, with no advice added.
				expect(error?.description).toBe(
					"The account's automations now hold 2 new automations that match what was sent, so which one is this item's cannot be told. Look for it with Get Many before running this item again: running it again may create a second automation.",
				);
			}
		});
	});

	describe('Get from one list', () => {
		it('a 429 on the list past Rate Limit Wait: every item asks for its details, none is dropped', async () => {
			const { automations } = context.sandbox.state;
			const inputItems = Array.from({ length: 12 }, (_, index) => ({
				utr: automations[index % automations.length].utr,
			}));
			context.sandbox.faults.push({
				kind: 'rateLimit',
				route: 'GET automations',
				retryAfter: '30',
			});

			const { items, error, requests } = await context.run(
				{
					resource: 'automation',
					operation: 'get',
					automation: locator('={{ $json.utr }}'),
					simplify: false,
					options: { rateLimitWait: 1 },
				},
				{ inputItems },
			);

			expect(error).toBeUndefined();
			expect(lines(requests)[0]).toBe('GET automations');
			expect(lines(requests).slice(1).sort()).toEqual(
				inputItems.map(({ utr }) => `GET automations/details?utr=${utr}`).sort(),
			);
			expect(items.map((item) => [item.json.utr, item.pairedItem])).toEqual(
				inputItems.map(({ utr }, item) => [utr, { item }]),
			);
		});
	});
});
