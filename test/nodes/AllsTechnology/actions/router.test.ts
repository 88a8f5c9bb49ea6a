import type { INode, INodeParameters, IDataObject } from 'n8n-workflow';
import * as n8nWorkflow from 'n8n-workflow';
import { RateLimitGate } from '../../../../nodes/shared/transport/retry';
import { RequestWindow } from '../../../../nodes/shared/transport/window';
import { EngineCredentialsHelper } from '../../../engine';
import type { Fault, RecordedRequest } from '../../../../sandbox/server';
import { DRAFT_UTR, LIVE_UTR, jsonOf, locator, useSandbox } from '../fixture';
import {
	CREATE_FROM_INPUT,
	addAutomationLike,
	automationsNamed,
	holdCreateUntilOthersArrive,
	isCreateOf,
} from './createRuns';

const context = useSandbox();
const UNKNOWN_UTR = '00000000-0000-11ee-0000-000000000000';
/** How an item naming UNKNOWN_UTR fails: the UTR sent, the API's words, and the kind of UTR the field takes. */
const UNKNOWN_AUTOMATION = (answer: string) =>
	`No automation has the UTR ${UNKNOWN_UTR}: AllsTechnology answered "${answer}"`;
const TAKES_AN_AUTOMATION_UTR =
	'The Automation field takes an automation\'s UTR: the "utr" of Get, Get Many or Create of automations, or the "automation_utr" of an email. An email\'s own "utr" (from Automation Schedule) names the email, not its automation. Pick the automation From List, or map "automation_utr" instead.';
const fromInput = locator('={{ $json.utr }}');
const pauseFromInput = { resource: 'automation', operation: 'pause', automation: fromInput };
/** Gets sent one by one, as the window tests need: by default more than 10 Gets read one list (get.operation.test). */
const oneByOne = { oneListForManyGets: false };
const getFromInput = {
	resource: 'automation',
	operation: 'get',
	automation: fromInput,
	options: oneByOne,
};
const deleteFromInput = { resource: 'automation', operation: 'delete', automation: fromInput };
const oneAtATime = { batching: { batch: { batchSize: 1 } } };
/** The seed's automations, as input items. */
const allUtrs = () =>
	context.sandbox.state.automations.map((automation) => ({ utr: automation.utr }));
const deletedUtrs = () =>
	context.sandbox.state.automations
		.filter((automation) => automation.deleted_at !== null)
		.map((automation) => automation.utr);
const isDelete = (request: RecordedRequest) => request.path === '/api/automations/delete';

/** Like context.run, with the node's Settings → On Error. */
const runWithOnError = (
	parameters: INodeParameters,
	inputItems: IDataObject[],
	onError: INode['onError'],
) => context.run(parameters, { inputItems, onError });

describe('router', () => {
	it('with Continue On Fail, pairs an error item with each failing item and goes on with the others', async () => {
		const { items, errorItems, error, requests } = await context.run(pauseFromInput, {
			inputItems: [
				{ utr: LIVE_UTR },
				{ utr: 'not-a-utr' },
				{ utr: UNKNOWN_UTR },
				{ utr: DRAFT_UTR },
			],
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(requests.map((request) => request.query)).toEqual([
			`utr=${LIVE_UTR}`,
			`utr=${UNKNOWN_UTR}`,
			`utr=${DRAFT_UTR}`,
		]);
		expect(jsonOf(items)).toEqual([
			{
				json: { success: true, utr: LIVE_UTR, message: 'Automation Paused Successfully' },
				pairedItem: { item: 0 },
			},
			{
				json: {
					error:
						'The Automation parameter is "not-a-utr": it must be a UTR, a UUID such as e9c7ff00-8d1c-11ee-91c4-b42e9970e591',
					description: 'Fix "Automation" for item 1 and run the node again.',
				},
				pairedItem: { item: 1 },
			},
			{
				json: {
					error: UNKNOWN_AUTOMATION('Record not found'),
					description: TAKES_AN_AUTOMATION_UTR,
					httpCode: '404',
				},
				pairedItem: { item: 2 },
			},
			{
				json: { error: 'We allow pause only live automation', httpCode: '400' },
				pairedItem: { item: 3 },
			},
		]);
		expect(errorItems).toEqual([]);
	});

	describe('an operation that changes the account checks every item before the first request', () => {
		const tenItems = () => [
			...allUtrs(),
			{ utr: UNKNOWN_UTR },
			...allUtrs().slice(0, 1),
			{ utr: 'not-a-utr' },
		];

		it('without Continue On Fail, a bad item 9 of 10 sends nothing and names item 9', async () => {
			const { error, requests } = await context.run(deleteFromInput, { inputItems: tenItems() });

			expect(requests).toEqual([]);
			expect(deletedUtrs()).toEqual([]);
			expect(error).toMatchObject({
				name: 'NodeOperationError',
				message:
					'The Automation parameter is "not-a-utr": it must be a UTR, a UUID such as e9c7ff00-8d1c-11ee-91c4-b42e9970e591',
				description: 'Fix "Automation" for item 9 and run the node again.',
			});
			expect(error?.context.itemIndex).toBe(9);
		});

		it('a bad item among the first 20 stops a read before anything is sent', async () => {
			const { requests, error } = await context.run(getFromInput, {
				inputItems: [...allUtrs(), { utr: 'not-a-utr' }],
			});

			expect(requests).toEqual([]);
			expect(error?.context.itemIndex).toBe(allUtrs().length);
		});

		it('a read checks each item as it goes out: a bad item 40 stops the run after the reads of the items before it that had their turn, naming it', async () => {
			const goodItems = Array.from(
				{ length: 40 },
				(_item, index) => allUtrs()[index % allUtrs().length],
			);

			const { items, error, requests } = await context.run(getFromInput, {
				inputItems: [...goodItems, { utr: 'not-a-utr' }],
			});

			const queries = requests.map((request) => request.query);
			expect(queries.length).toBeGreaterThan(0);
			expect(queries.length).toBeLessThan(40);
			// Items take their turns in input order; their requests may reach the API in another.
			expect([...queries].sort()).toEqual(
				goodItems
					.slice(0, queries.length)
					.map(({ utr }) => `utr=${utr}`)
					.sort(),
			);
			expect(items).toEqual([]);
			expect(error).toMatchObject({
				name: 'NodeOperationError',
				message:
					'The Automation parameter is "not-a-utr": it must be a UTR, a UUID such as e9c7ff00-8d1c-11ee-91c4-b42e9970e591',
				description: 'Fix "Automation" for item 40 and run the node again.',
			});
			expect(error?.context.itemIndex).toBe(40);
		});

		it('with Continue On Fail, item 9 gets its error item and the 9 others are sent', async () => {
			const inputItems = tenItems();

			const { items, error, requests } = await context.run(getFromInput, {
				inputItems,
				continueOnFail: true,
			});

			expect(error).toBeUndefined();
			// Sent concurrently, the requests may reach the API in another order than the items'.
			expect(requests.map((request) => request.query).sort()).toEqual(
				inputItems
					.slice(0, 9)
					.map(({ utr }) => `utr=${utr}`)
					.sort(),
			);
			expect(items.map((item) => [item.json.utr ?? item.json.error, item.pairedItem])).toEqual([
				...inputItems.slice(0, 7).map(({ utr }, item) => [utr, { item }]),
				[UNKNOWN_AUTOMATION('Record Not Found'), { item: 7 }],
				[inputItems[8].utr, { item: 8 }],
				[
					'The Automation parameter is "not-a-utr": it must be a UTR, a UUID such as e9c7ff00-8d1c-11ee-91c4-b42e9970e591',
					{ item: 9 },
				],
			]);
		});
	});

	describe('On Error: Continue (using error output)', () => {
		it('sends each failed item to the error output, paired and with its input, and the others to the main output', async () => {
			const { items, errorItems, error, requests } = await runWithOnError(
				pauseFromInput,
				[{ utr: LIVE_UTR }, { utr: 'not-a-utr' }, { utr: UNKNOWN_UTR }, { utr: DRAFT_UTR }],
				'continueErrorOutput',
			);

			expect(error).toBeUndefined();
			expect(requests.map((request) => request.query)).toEqual([
				`utr=${LIVE_UTR}`,
				`utr=${UNKNOWN_UTR}`,
				`utr=${DRAFT_UTR}`,
			]);
			expect(jsonOf(items)).toEqual([
				{
					json: { success: true, utr: LIVE_UTR, message: 'Automation Paused Successfully' },
					pairedItem: { item: 0 },
				},
			]);
			expect(jsonOf(errorItems)).toEqual([
				{
					json: {
						utr: 'not-a-utr',
						error:
							'The Automation parameter is "not-a-utr": it must be a UTR, a UUID such as e9c7ff00-8d1c-11ee-91c4-b42e9970e591',
						details: { description: 'Fix "Automation" for item 1 and run the node again.' },
					},
					pairedItem: { item: 1 },
				},
				{
					json: {
						utr: UNKNOWN_UTR,
						error: UNKNOWN_AUTOMATION('Record not found'),
						details: { description: TAKES_AN_AUTOMATION_UTR, httpCode: '404' },
					},
					pairedItem: { item: 2 },
				},
				{
					json: {
						utr: DRAFT_UTR,
						error: 'We allow pause only live automation',
						details: { httpCode: '400' },
					},
					pairedItem: { item: 3 },
				},
			]);
			expect(errorItems.every((item) => item.error === undefined)).toBe(true);
		});

		it("sends Delete Many's failed items to the error output too", async () => {
			const { items, errorItems, error } = await runWithOnError(
				{ resource: 'automation', operation: 'deleteMany', automationIds: '={{ $json.ids }}' },
				[{ ids: '8' }, { ids: 'eight' }],
				'continueErrorOutput',
			);

			expect(error).toBeUndefined();
			expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
			expect(jsonOf(errorItems)).toEqual([
				{
					json: {
						ids: 'eight',
						error:
							'The Automation IDs parameter is "eight": it must be automation IDs, whole numbers greater than 0, separated by commas',
						details: { description: 'Fix "Automation IDs" for item 1 and run the node again.' },
					},
					pairedItem: { item: 1 },
				},
			]);
		});

		it('keeps a secret key that an answer echoes out of the error output', async () => {
			context.sandbox.faults.push({
				kind: 'echoKeys',
				match: (request) => request.rawQuery.includes(UNKNOWN_UTR),
			});

			// runWithOnError checks that the secret key is nowhere in the run n8n keeps.
			const { items, errorItems } = await runWithOnError(
				getFromInput,
				[{ utr: DRAFT_UTR }, { utr: UNKNOWN_UTR }],
				'continueErrorOutput',
			);

			expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
			expect(errorItems.map((item) => [item.json.utr, item.pairedItem])).toEqual([
				[UNKNOWN_UTR, { item: 1 }],
			]);
		});
	});

	describe('stopping halfway, without Continue On Fail', () => {
		it('one item at a time, stops at the first failing item, names it and lists what the items before it changed', async () => {
			const { error, requests } = await context.run(
				{ ...pauseFromInput, options: oneAtATime },
				{ inputItems: [{ utr: LIVE_UTR }, { utr: UNKNOWN_UTR }, { utr: DRAFT_UTR }] },
			);

			expect(requests.map((request) => request.query)).toEqual([
				`utr=${LIVE_UTR}`,
				`utr=${UNKNOWN_UTR}`,
			]);
			expect(error).toMatchObject({
				name: 'NodeApiError',
				message: UNKNOWN_AUTOMATION('Record not found'),
				httpCode: '404',
			});
			expect(error?.context.itemIndex).toBe(1);
			expect(error?.description).toBe(
				`${TAKES_AN_AUTOMATION_UTR} Before it stopped, the node had paused automation ${LIVE_UTR} (item 0). To finish, continue from item 1 and leave out the items listed here, or check with Get Many first.`,
			);
		});

		it('when the 3rd Delete fails, sends no other and lists the automations deleted, keeping the error', async () => {
			const options = { ...oneAtATime, maxTries: 1 };
			const inputItems = allUtrs().slice(0, 5);
			const alone = await context.errorAlone({ ...deleteFromInput, options }, inputItems[2], [
				{ kind: 'serverError' },
			]);
			context.sandbox.faults.push({ kind: 'serverError', match: isDelete, every: 3, times: 1 });

			const { error, requests } = await context.run(
				{ ...deleteFromInput, options },
				{ inputItems },
			);

			expect(requests).toEqual(
				inputItems.slice(0, 3).map(({ utr }) => ({
					method: 'DELETE',
					path: '/api/automations/delete',
					query: `utr=${utr}`,
					contentType: undefined,
				})),
			);
			expect(deletedUtrs()).toEqual([inputItems[0].utr, inputItems[1].utr]);
			expect(error).toMatchObject({
				name: 'NodeApiError',
				message: alone?.message,
				httpCode: '500',
			});
			expect(error?.context.itemIndex).toBe(2);
			expect(error?.description).toBe(
				`${alone?.description} Before it stopped, the node had deleted automations ${inputItems[0].utr} (item 0) and ${inputItems[1].utr} (item 1). ` +
					'To finish, continue from item 2 and leave out the items listed here, or check with Get Many first.',
			);
		});

		it('with batches and a Batch Interval, awaits the items in flight beside the failed one, lists them, and starts no later batch', async () => {
			const inputItems = allUtrs();
			context.sandbox.faults.push({
				kind: 'serverError',
				match: (request) => isDelete(request) && request.rawQuery.includes(inputItems[2].utr),
			});

			const { error, requests } = await context.run(
				{
					...deleteFromInput,
					options: { batching: { batch: { batchSize: 5, batchInterval: 1 } }, maxTries: 1 },
				},
				{ inputItems },
			);

			expect(requests.map((request) => request.query).sort()).toEqual(
				inputItems
					.slice(0, 5)
					.map(({ utr }) => `utr=${utr}`)
					.sort(),
			);
			const done = [0, 1, 3, 4].map((item) => inputItems[item].utr);
			expect(deletedUtrs().sort()).toEqual([...done].sort());
			expect(error?.context.itemIndex).toBe(2);
			expect(error?.description).toContain(
				`Before it stopped, the node had deleted automations ${done[0]} (item 0), ${done[1]} (item 1), ${done[2]} (item 3) and ${done[3]} (item 4). `,
			);
		});

		it('with the window of Items Per Batch, lists every automation deleted before it stopped, the items in flight included', async () => {
			const inputItems = allUtrs();
			context.sandbox.faults.push({
				kind: 'serverError',
				match: (request) => isDelete(request) && request.rawQuery.includes(inputItems[2].utr),
			});

			const { error, requests } = await context.run(
				{ ...deleteFromInput, options: { batching: { batch: { batchSize: 5 } }, maxTries: 1 } },
				{ inputItems },
			);

			// The five first items start together; whether a sixth starts before the failure is known depends on the machine.
			const deleted = deletedUtrs();
			expect(deleted).toEqual(
				expect.arrayContaining([0, 1, 3, 4].map((item) => inputItems[item].utr)),
			);
			expect(requests).toHaveLength(deleted.length + 1);
			const listed = inputItems.flatMap(({ utr }, item) =>
				deleted.includes(utr) ? [`${utr} (item ${item})`] : [],
			);
			expect(error?.description).toContain(
				`Before it stopped, the node had deleted automations ${listed.slice(0, -1).join(', ')} and ${listed[listed.length - 1]}. `,
			);
		});

		it('when the 3rd Create fails, lists the automations created and sends no create after it', async () => {
			const isCreate = (request: RecordedRequest) => request.path === '/api/automations/create';
			context.sandbox.faults.push({ kind: 'serverError', match: isCreate, every: 3, times: 1 });

			const { error, requests } = await context.run(
				{
					resource: 'automation',
					operation: 'create',
					type: 'custom',
					automationName: '={{ "Made by item " + $itemIndex }}',
					unsubscribeGroupId: 3,
					options: oneAtATime,
				},
				{ inputItems: [{}, {}, {}, {}, {}] },
			);

			const created = context.sandbox.state.automations.filter((automation) => automation.id > 45);
			expect(created.map((automation) => automation.automation_name)).toEqual([
				'Made by item 0',
				'Made by item 1',
			]);
			expect(
				requests
					.filter((request) => request.method === 'POST')
					.map((request) => request.fields?.automation_name),
			).toEqual(['Made by item 0', 'Made by item 1', 'Made by item 2']);
			expect(error?.context.itemIndex).toBe(2);
			expect(error?.description).toContain(
				`Before it stopped, the node had created automations ${created[0].utr} (item 0) and ${created[1].utr} (item 1). ` +
					'To finish, continue from item 2 and leave out the items listed here, or check with Get Many first.',
			);
			expect(error?.description).not.toMatch(/run (it|the node|the workflow) again(?! only)/i);
		});

		it('lists the emails a Schedule Delete removed', async () => {
			const schedules = [
				'5a24b56e-89de-11ee-ae43-b42e9970e591',
				'e9cbef92-8d1c-11ee-bb18-b42e9970e591',
			];

			const { error } = await context.run(
				{
					resource: 'automationSchedule',
					operation: 'delete',
					schedule: fromInput,
					options: oneAtATime,
				},
				{ inputItems: [...schedules, UNKNOWN_UTR].map((utr) => ({ utr })) },
			);

			expect(error).toMatchObject({
				message: `No email (schedule) has the UTR ${UNKNOWN_UTR}: AllsTechnology answered "Record not found"`,
			});
			expect(error?.description).toBe(
				'The Schedule field takes an email\'s own UTR: the "utr" of Automation Schedule → Get Many or Create, not its "automation_utr" nor an automation\'s "utr". Pick the email From List, or map the email\'s "utr". ' +
					`Before it stopped, the node had deleted emails ${schedules[0]} (item 0) and ${schedules[1]} (item 1). To finish, continue from item 2 and leave out the items listed here, or check with Get Many first.`,
			);
		});

		describe('items in flight whose create may exist', () => {
			const TAKEN = 'The automation name has already been taken.';
			const FINISH =
				'To finish, continue from item 0 and leave out the items listed here, or check with Get Many first.';
			/**
			 * Item 0 ('Slow') is refused once every other create has arrived; each of `mayExist` is created, its answer
			 * lost, and a copy made meanwhile.
			 */
			function faultsFor(mayExist: string[], others = mayExist): Fault[] {
				context.afterEachRequest((request) => {
					const name = mayExist.find((each) => isCreateOf(each)(request));
					if (name) addAutomationLike(context.sandbox, automationsNamed(context.sandbox, name)[0]);
				});
				return [
					...holdCreateUntilOthersArrive('Slow', others),
					{
						kind: 'fixedBody',
						status: 422,
						body: { status: 'failed', errors: { automation_name: [TAKEN] } },
						match: isCreateOf('Slow'),
					},
					...mayExist.map(
						(name): Fault => ({
							kind: 'serverError',
							afterApplying: true,
							match: isCreateOf(name),
						}),
					),
				];
			}

			it('names the one whose answer was lost, when no item was done', async () => {
				context.sandbox.faults.push(...faultsFor(['Lost']));

				const { error } = await context.run(CREATE_FROM_INPUT, {
					inputItems: [{ name: 'Slow' }, { name: 'Lost' }],
				});

				expect(automationsNamed(context.sandbox, 'Lost')).toHaveLength(2);
				expect(error).toMatchObject({ name: 'NodeApiError', message: TAKEN, httpCode: '422' });
				expect(error?.context.itemIndex).toBe(0);
				expect(error?.description).toBe(
					`The automation of item 1 may exist: its answer was lost. ${FINISH}`,
				);
			});

			it('names them after the items done', async () => {
				context.sandbox.faults.push(
					...faultsFor(['Lost 1', 'Lost 2'], ['Lost 1', 'Made', 'Lost 2']),
				);

				// Four in flight at once: the others were sent before item 0's refusal came.
				const { error } = await context.run(
					{ ...CREATE_FROM_INPUT, options: { batching: { batch: { batchSize: 4 } } } },
					{
						inputItems: ['Slow', 'Lost 1', 'Made', 'Lost 2'].map((name) => ({ name })),
					},
				);

				const [made] = automationsNamed(context.sandbox, 'Made');
				expect(error).toMatchObject({ message: TAKEN });
				expect(error?.context.itemIndex).toBe(0);
				expect(error?.description).toBe(
					`Before it stopped, the node had created automation ${made.utr} (item 2). ` +
						`The automations of item 1 and item 3 may exist: their answers were lost. ${FINISH}`,
				);
			});
		});

		it('keeps the error as it is when the operation changes nothing', async () => {
			const alone = await context.errorAlone(getFromInput, { utr: UNKNOWN_UTR });

			const { error, requests } = await context.run(
				{ ...getFromInput, options: { ...oneByOne, ...oneAtATime } },
				{ inputItems: [{ utr: DRAFT_UTR }, { utr: UNKNOWN_UTR }] },
			);

			expect(requests).toHaveLength(2);
			expect(error).toMatchObject({ message: alone?.message, description: alone?.description });
			expect(error?.context.itemIndex).toBe(1);
		});
	});

	describe('items in flight', () => {
		/** The requests in flight at each arrival at the sandbox, and the answers between, in order. */
		function flightLog() {
			let now = 0;
			const log: Array<{ arrived: number } | { answered: number }> = [];
			context.sandbox.faults.push({
				kind: 'latency',
				ms: 0,
				match: () => (log.push({ arrived: ++now }), false),
			});
			context.afterEachRequest((request) => log.push({ answered: request.status, ...(now--, {}) }));
			return log;
		}

		/** A latency fault holding each request it matches until `release` lets the oldest held one go. */
		function heldOneByOne(
			onArrival: (hold: { release: () => void; releaseAll: () => void }) => void,
		) {
			const held: Array<() => void> = [];
			let current: Promise<void> = Promise.resolve();
			const hold = {
				release: () => held.shift()?.(),
				releaseAll: () => held.splice(0).forEach((go) => go()),
			};
			const fault: Fault = {
				kind: 'latency',
				ms: 0,
				match: () => {
					current = new Promise<void>((go) => held.push(go));
					onArrival(hold);
					return true;
				},
				// Read by the sandbox after `match`: the promise of the request just matched.
				get until() {
					return current;
				},
			};
			return fault;
		}

		it('without Batching, starts with 2 in flight and doubles each round trip while answers keep their latency, up to 10', async () => {
			// The node's clock stands still, so that every round trip it measures is the same however busy the machine
			// (window.test.ts checks the sizes against round trips): only the answers' count sizes the window. Each
			// answer is held until the window is full: 2 requests until 2 are answered, 4 until 4 more, 8 until 8 more,
			// then the cap, 10.
			const windowAfter = (answered: number) =>
				answered < 2 ? 2 : answered < 6 ? 4 : answered < 14 ? 8 : 10;
			const inputItems = Array.from({ length: 80 }, (_, index) => allUtrs()[index % 7]);
			let arrived = 0;
			let inFlight = 0;
			let answered = 0;
			let releasedUnanswered = false;
			const log: Array<{ arrived: number; window: number } | { answered: number }> = [];
			context.sandbox.faults.push(
				heldOneByOne((hold) => {
					arrived++;
					log.push({ arrived: ++inFlight, window: windowAfter(answered) });
					if (arrived === inputItems.length) {
						hold.releaseAll();
					} else if (!releasedUnanswered && inFlight === windowAfter(answered)) {
						releasedUnanswered = true;
						hold.release();
					}
				}),
			);
			context.afterEachRequest((request) => {
				log.push({ answered: request.status });
				inFlight--;
				answered++;
				releasedUnanswered = false;
			});
			const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now());
			let result: Awaited<ReturnType<typeof context.run>>;
			try {
				result = await context.run(getFromInput, { inputItems });
			} finally {
				clock.mockRestore();
			}

			expect(result.error).toBeUndefined();
			expect(result.items.map((item) => [item.json.utr, item.pairedItem])).toEqual(
				inputItems.map((input, item) => [input.utr, { item }]),
			);
			// Two go out, and a third only once one is answered.
			expect(log.slice(0, 3)).toEqual([
				{ arrived: 1, window: 2 },
				{ arrived: 2, window: 2 },
				{ answered: 200 },
			]);
			expect(log.filter((entry) => 'arrived' in entry && entry.arrived > entry.window)).toEqual([]);
			// Each size was filled (a smaller window would have left the answers held).
			const filled = log.flatMap((entry) =>
				'arrived' in entry && entry.arrived === entry.window ? [entry.window] : [],
			);
			expect([...new Set(filled)]).toEqual([2, 4, 8, 10]);
		});

		it('without Continue On Fail, sends nothing after a failure: items holding a slot while waiting their turn to leave stay unsent', async () => {
			const log = flightLog();
			// The node's clock stands still but for one step of 150 ms while the first two requests are in flight: each
			// round trip is 150 ms, and the requests after them are spaced a share of it apart. The items waiting their
			// turn wait until the failure has stopped the run, however busy the machine.
			let clockMs = Date.now();
			const clock = jest.spyOn(Date, 'now').mockImplementation(() => clockMs);
			let firstRoundIn: () => void = () => undefined;
			const firstRound = new Promise<void>((resolve) => (firstRoundIn = resolve));
			let arrived = 0;
			let someoneWaits: () => void = () => undefined;
			const waiting = new Promise<void>((resolve) => (someoneWaits = resolve));
			let stopped: () => void = () => undefined;
			const runStopped = new Promise<void>((resolve) => (stopped = resolve));
			const close = RequestWindow.prototype.close;
			const closing = jest.spyOn(RequestWindow.prototype, 'close').mockImplementation(function (
				this: RequestWindow,
			) {
				close.call(this);
				stopped();
			});
			const turns = jest.spyOn(n8nWorkflow, 'sleep').mockImplementation(async () => {
				someoneWaits();
				await runStopped;
			});
			const inputItems = Array.from({ length: 30 }, (_, index) => allUtrs()[index % 7]);
			context.sandbox.faults.push(
				{
					kind: 'latency',
					ms: 0,
					until: firstRound,
					match: () => {
						if (++arrived === 2) {
							clockMs += 150;
							firstRoundIn();
						}
						return arrived <= 2;
					},
				},
				// The first request of the second round fails, once the items after it wait their turn to leave.
				{
					kind: 'latency',
					ms: 0,
					until: waiting,
					match: (request) => request.rawQuery.includes(inputItems[2].utr),
					times: 1,
				},
				{
					kind: 'serverError',
					match: (request) => request.rawQuery.includes(inputItems[2].utr),
					times: 1,
				},
			);

			let error: unknown;
			let waitedTurns: number;
			try {
				({ error } = await context.run(
					{ ...getFromInput, options: { ...oneByOne, maxTries: 1 } },
					{ inputItems },
				));
			} finally {
				waitedTurns = turns.mock.calls.length;
				clock.mockRestore();
				closing.mockRestore();
				turns.mockRestore();
			}

			expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '500' });
			// The window widened to 4 after the first two answers: the failing item and three waiting their turn.
			expect(waitedTurns).toBe(3);
			expect(log.filter((entry) => 'arrived' in entry)).toHaveLength(3);
			const failed = log.findIndex((entry) => 'answered' in entry && entry.answered === 500);
			expect(log.slice(failed).filter((entry) => 'arrived' in entry)).toEqual([]);
		});

		it('reads the credential once for the whole run, not once per request', async () => {
			const getDecrypted = jest.spyOn(EngineCredentialsHelper.prototype, 'getDecrypted');
			try {
				const { items, error } = await context.run(getFromInput, { inputItems: allUtrs() });

				expect(error).toBeUndefined();
				expect(items).toHaveLength(7);
				expect(context.sandbox.requests).toHaveLength(7);
				expect(getDecrypted).toHaveBeenCalledTimes(1);
			} finally {
				getDecrypted.mockRestore();
			}
		});

		it('without Batching, halves the requests in flight after a 429', async () => {
			// As in the test above, the node's clock stands still and each answer is held until the window is full,
			// so that only the 429 narrows it. The 40th request is refused with the window at its cap, 10; what was
			// in flight then is answered while the run waits; then at most 5 go out, until the window widens again
			// by one (after 10 + 5 answers, then after 6 more).
			const windowAfter = (answered: number) =>
				answered < 2 ? 2 : answered < 6 ? 4 : answered < 14 ? 8 : 10;
			const windowAfterRefusal = (answered: number) => {
				let size = 5;
				for (let round = 15, left = answered; left >= round; left -= round, round = size) size++;
				return size;
			};
			const inputItems = Array.from({ length: 60 }, (_, index) => allUtrs()[index % 7]);
			// Every item's request, and the refused one's again.
			const requestsDue = inputItems.length + 1;
			let phase: 'before' | 'pause' | 'after' = 'before';
			let arrived = 0;
			let inFlight = 0;
			let answered = 0;
			let answeredSinceRefusal = 0;
			let releasedUnanswered = false;
			const windowNow = () =>
				phase === 'before' ? windowAfter(answered) : windowAfterRefusal(answeredSinceRefusal);
			const log: Array<{ arrived: number; window: number } | { answered: number } | string> = [];
			const isAnswer = (entry: (typeof log)[number], status: number) =>
				typeof entry === 'object' && 'answered' in entry && entry.answered === status;
			let releaseAll = () => undefined as void;
			context.sandbox.faults.push(
				heldOneByOne((hold) => {
					releaseAll = hold.releaseAll;
					arrived++;
					log.push({ arrived: ++inFlight, window: windowNow() });
					if (arrived === requestsDue) {
						hold.releaseAll();
					} else if (phase !== 'pause' && !releasedUnanswered && inFlight >= windowNow()) {
						releasedUnanswered = true;
						hold.release();
					}
				}),
				{ kind: 'rateLimit', every: 40, times: 1, retryAfter: '1' },
			);
			let clockMs = Date.now();
			const clock = jest.spyOn(Date, 'now').mockImplementation(() => clockMs);
			const endPause = () => {
				phase = 'after';
				log.push('pause over');
				clockMs += heldBackMs;
			};
			// Once the node has heard the 429 (its window halved, the run held back), what was in flight is answered;
			// once the node has heard those answers too, the clock moves on by the Retry-After and the run resumes.
			let unheard = 0;
			let heldBackMs = 0;
			const holdBack = RateLimitGate.prototype.holdBack;
			const refused = jest.spyOn(RateLimitGate.prototype, 'holdBack').mockImplementation(function (
				this: RateLimitGate,
				...args
			) {
				const held = holdBack.apply(this, args);
				heldBackMs = args[0];
				phase = 'pause';
				log.push('pause');
				unheard = inFlight - (log.some((entry) => isAnswer(entry, 429)) ? 0 : 1);
				releaseAll();
				if (unheard === 0) endPause();
				return held;
			});
			const observe = RequestWindow.prototype.observe;
			const heard = jest.spyOn(RequestWindow.prototype, 'observe').mockImplementation(function (
				this: RequestWindow,
				...args
			) {
				observe.apply(this, args);
				if (phase === 'pause' && --unheard === 0) endPause();
			});
			context.afterEachRequest((request) => {
				log.push({ answered: request.status });
				inFlight--;
				answered++;
				if (phase !== 'before' && request.status !== 429) answeredSinceRefusal++;
				releasedUnanswered = false;
			});
			let error: unknown;
			try {
				({ error } = await context.run(getFromInput, { inputItems }));
			} finally {
				clock.mockRestore();
				refused.mockRestore();
				heard.mockRestore();
			}

			expect(error).toBeUndefined();
			expect(log.filter((entry) => entry === 'pause')).toHaveLength(1);
			const [before, during, after] = [
				log.slice(0, log.indexOf('pause')),
				log.slice(log.indexOf('pause'), log.indexOf('pause over')),
				log.slice(log.indexOf('pause over')),
			].map((entries) =>
				entries.flatMap((entry) =>
					typeof entry === 'object' && 'arrived' in entry ? [entry] : [],
				),
			);
			expect([...before, ...after].filter(({ arrived, window }) => arrived > window)).toEqual([]);
			expect(Math.max(...before.map(({ arrived }) => arrived))).toBe(10);
			// Nothing goes out while the run waits; then half as many as before the 429.
			expect(during).toEqual([]);
			expect(
				Math.max(...after.filter(({ window }) => window === 5).map(({ arrived }) => arrived)),
			).toBe(5);
		});

		it.each([
			['Items Per Batch 5', { batching: { batch: { batchSize: 5 } } }, 5],
			['Items Per Batch 1, one after the other', { batching: { batch: { batchSize: 1 } } }, 1],
			['Items Per Batch 3', { batching: { batch: { batchSize: 3 } } }, 3],
		])(
			'with %s, keeps at most that many requests in flight and the output in input order',
			async (_case, options, most) => {
				// Requests in flight between their arrival and their answer; the first `most` are all held until the
				// last of them has arrived, so that the window is seen full however busy the machine.
				let now = 0;
				let arrived = 0;
				let seenMost = 0;
				let firstRoundIn: () => void = () => undefined;
				const firstRound = new Promise<void>((resolve) => (firstRoundIn = resolve));
				// With more than one in flight, the first item's answer comes after another's: answers out of order.
				let otherAnswered: () => void = () => undefined;
				const anotherAnswer = new Promise<void>((resolve) => (otherAnswered = resolve));
				const isFirstItems = (request: RecordedRequest) =>
					request.rawQuery.includes(allUtrs()[0].utr);
				context.sandbox.faults.push(
					{
						kind: 'latency',
						ms: 0,
						match: () => ((seenMost = Math.max(seenMost, ++now)), false),
					},
					{
						kind: 'latency',
						ms: 0,
						until: firstRound,
						match: () => {
							if (++arrived === most) firstRoundIn();
							return arrived <= most;
						},
					},
					...(most > 1
						? [
								{
									kind: 'latency' as const,
									ms: 0,
									until: anotherAnswer,
									times: 1,
									match: isFirstItems,
								},
							]
						: []),
				);
				context.afterEachRequest((request) => {
					now--;
					if (!isFirstItems(request)) otherAnswered();
				});
				const inputItems = [...allUtrs(), ...allUtrs()];

				const { items, error } = await context.run(
					{ ...getFromInput, options: { ...oneByOne, ...options } },
					{ inputItems },
				);

				expect(error).toBeUndefined();
				expect(items.map((item) => [item.json.utr, item.pairedItem])).toEqual(
					inputItems.map((input, item) => [input.utr, { item }]),
				);
				expect(seenMost).toBe(most);
			},
		);

		it('with a Batch Interval, sends a batch once the one before is answered, pausing Batch Interval between them', async () => {
			const inputItems = allUtrs().slice(0, 6);
			const batchOf = (request: RecordedRequest) =>
				Math.floor(inputItems.findIndex(({ utr }) => request.rawQuery.includes(utr)) / 2);
			const events: string[] = [];
			context.sandbox.faults.push({
				kind: 'latency',
				ms: 0,
				match: (request) => (events.push(`sent ${batchOf(request)}`), false),
			});
			context.afterEachRequest((request) => events.push(`answered ${batchOf(request)}`));
			const sleep = jest.spyOn(n8nWorkflow, 'sleep');
			let pauses: number[];
			try {
				const { error } = await context.run(
					{
						...getFromInput,
						options: { ...oneByOne, batching: { batch: { batchSize: 2, batchInterval: 300 } } },
					},
					{ inputItems },
				);

				expect(error).toBeUndefined();
			} finally {
				pauses = sleep.mock.calls.map(([ms]) => ms);
				sleep.mockRestore();
			}
			expect(events).toHaveLength(12);
			for (const batch of [1, 2]) {
				expect(events.indexOf(`sent ${batch}`)).toBeGreaterThan(
					events.lastIndexOf(`answered ${batch - 1}`),
				);
			}
			expect(pauses.filter((ms) => ms === 300)).toHaveLength(2);
		});

		it('without Continue On Fail, names the first failing item even when a later one failed first', async () => {
			// Item 1's answer is held until item 2's has come: item 2 fails first, whatever the machine's speed.
			const laterOne = '00000000-0000-11ee-0000-000000000001';
			let laterAnswered: () => void = () => undefined;
			const until = new Promise<void>((resolve) => (laterAnswered = resolve));
			context.sandbox.faults.push({
				kind: 'latency',
				ms: 0,
				until,
				match: (request) => request.rawQuery.includes(UNKNOWN_UTR),
			});
			const answers: string[] = [];
			context.afterEachRequest((request) => {
				answers.push(request.rawQuery);
				if (request.rawQuery.includes(laterOne)) laterAnswered();
			});

			const { error } = await context.run(
				{ ...getFromInput, options: { ...oneByOne, maxTries: 1 } },
				{
					inputItems: [{ utr: LIVE_UTR }, { utr: UNKNOWN_UTR }, { utr: laterOne }],
				},
			);

			expect(answers).toEqual([`utr=${LIVE_UTR}`, `utr=${laterOne}`, `utr=${UNKNOWN_UTR}`]);
			expect(error).toMatchObject({ message: UNKNOWN_AUTOMATION('Record Not Found') });
			expect(error?.context?.itemIndex).toBe(1);
		});
	});

	describe('Retry On Fail after a try whose answer was lost but which went through (Max Tries 1)', () => {
		const SCHEDULE_UTR = '5a24b56e-89de-11ee-ae43-b42e9970e591';
		const scheduleDelete = {
			resource: 'automationSchedule',
			operation: 'delete',
			schedule: locator(SCHEDULE_UTR),
			options: { maxTries: 1 },
		};
		const retryOnce = { retryOnFail: { maxTries: 2, waitBetweenTries: 1 } };
		const scheduleGone = () =>
			!context.sandbox.state.schedules.some(({ utr }) => utr === SCHEDULE_UTR);

		it('Schedule Delete: the retry counts the email gone as deleted', async () => {
			context.sandbox.faults.push({ kind: 'serverError', afterApplying: true, times: 1 });

			const { items, error, requests } = await context.run(scheduleDelete, retryOnce);

			expect(error).toBeUndefined();
			expect(requests.map(({ method, path, query }) => `${method} ${path}?${query}`)).toEqual([
				`DELETE /api/automations/schedule/delete?utr=${SCHEDULE_UTR}`,
				`DELETE /api/automations/schedule/delete?utr=${SCHEDULE_UTR}`,
			]);
			expect(jsonOf(items)).toEqual([
				{ json: { deleted: true, utr: SCHEDULE_UTR }, pairedItem: { item: 0 } },
			]);
			expect(scheduleGone()).toBe(true);
		});

		it('Schedule Delete with its Automation: the retry, no longer finding the email listed, says an earlier try may have deleted it', async () => {
			context.sandbox.faults.push({
				kind: 'serverError',
				afterApplying: true,
				route: 'automations/schedule/delete',
				times: 1,
			});

			const { error, requests } = await context.run(
				{ ...scheduleDelete, automation: locator(DRAFT_UTR) },
				retryOnce,
			);

			expect(requests.map(({ method, path, query }) => `${method} ${path}?${query}`)).toEqual([
				`GET /api/automations/schedule?utr=${DRAFT_UTR}`,
				`DELETE /api/automations/schedule/delete?utr=${SCHEDULE_UTR}`,
				`GET /api/automations/schedule?utr=${DRAFT_UTR}`,
			]);
			expect(error).toMatchObject({
				name: 'NodeOperationError',
				message: `Schedule ${SCHEDULE_UTR} is not one of the emails of automation ${DRAFT_UTR}; nothing was deleted`,
				description:
					"An earlier try of this item may have deleted it: its answer was lost. Check with Get Many. Pick the schedule from the automation's schedules (Get Many), or clear the Automation field.",
			});
		});

		it('Set Live: an API that refuses an automation already live counts it, on the retry, as set live', async () => {
			context.sandbox.faults.push(
				{ kind: 'serverError', afterApplying: true, route: 'automations/set-live', times: 1 },
				{
					kind: 'fixedBody',
					route: 'automations/set-live',
					every: 2,
					times: 1,
					status: 400,
					body: { status: 'failed', errors: 'The automation is already live' },
				},
			);

			const { items, error, requests } = await context.run(
				{
					resource: 'automation',
					operation: 'setLive',
					automation: locator(DRAFT_UTR),
					options: { maxTries: 1 },
				},
				retryOnce,
			);

			expect(error).toBeUndefined();
			expect(requests.map(({ method, path, query }) => `${method} ${path}?${query}`)).toEqual([
				`GET /api/automations/set-live?utr=${DRAFT_UTR}`,
				`GET /api/automations/set-live?utr=${DRAFT_UTR}`,
				`GET /api/automations/details?utr=${DRAFT_UTR}`,
			]);
			expect(jsonOf(items)).toEqual([
				{
					json: {
						success: true,
						utr: DRAFT_UTR,
						message:
							'The automation is live: an earlier try reached AllsTechnology, but its answer was lost',
					},
					pairedItem: { item: 0 },
				},
			]);
		});

		it('Delete: after an earlier try the API refused, "Record not found" on the retry still fails the item', async () => {
			context.sandbox.faults.push({
				kind: 'fixedBody',
				route: 'automations/delete',
				times: 1,
				status: 400,
				body: { status: 'failed', errors: 'Try again later' },
			});
			context.afterEachRequest(() => {
				for (const automation of context.sandbox.state.automations)
					if (automation.utr === DRAFT_UTR) automation.deleted_at = '2024-01-01T00:00:00.000000Z';
			});

			const { error, requests } = await context.run(
				{
					resource: 'automation',
					operation: 'delete',
					automation: locator(DRAFT_UTR),
					options: { maxTries: 1 },
				},
				retryOnce,
			);

			expect(requests).toHaveLength(2);
			expect(error).toMatchObject({
				name: 'NodeApiError',
				message: `No automation has the UTR ${DRAFT_UTR}: AllsTechnology answered "Record not found"`,
				httpCode: '404',
			});
		});
	});
});
