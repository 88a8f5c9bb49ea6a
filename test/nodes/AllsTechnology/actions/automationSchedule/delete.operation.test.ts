import {
	DRAFT_UTR,
	LIVE_UTR,
	expectKeysOnEveryRequest,
	jsonOf,
	locator,
	locatorById,
	useSandbox,
} from '../../fixture';

const context = useSandbox();
const SCHEDULE_UTR = '5a24b56e-89de-11ee-ae43-b42e9970e591'; // the docs' schedule 10, of automation 5

describe('automation schedule: Delete', () => {
	it("sends DELETE automations/schedule/delete?utr= with the schedule's UTR", async () => {
		const { items, error, requests } = await context.run({
			resource: 'automationSchedule',
			operation: 'delete',
			schedule: locator(SCHEDULE_UTR),
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([
			{
				method: 'DELETE',
				path: '/api/automations/schedule/delete',
				query: `utr=${SCHEDULE_UTR}`,
				contentType: undefined,
			},
		]);
		expectKeysOnEveryRequest(context.sandbox);
		expect(jsonOf(items)).toEqual([
			{ json: { deleted: true, utr: SCHEDULE_UTR }, pairedItem: { item: 0 } },
		]);
		expect(context.sandbox.state.schedules.some((schedule) => schedule.utr === SCHEDULE_UTR)).toBe(
			false,
		);
	});

	it('checks the schedule belongs to the automation when one is given', async () => {
		const { items, requests } = await context.run({
			resource: 'automationSchedule',
			operation: 'delete',
			automation: locator(DRAFT_UTR),
			schedule: locator(SCHEDULE_UTR),
		});

		expect(requests.map((request) => `${request.method} ${request.path}?${request.query}`)).toEqual(
			[
				`GET /api/automations/schedule?utr=${DRAFT_UTR}`,
				`DELETE /api/automations/schedule/delete?utr=${SCHEDULE_UTR}`,
			],
		);
		expect(items[0].json).toEqual({ deleted: true, utr: SCHEDULE_UTR, automation_utr: DRAFT_UTR });
	});

	it('By ID: finds the schedule among the emails of the automation, itself By ID, and deletes it by its UTR', async () => {
		const { items, error, requests } = await context.run(
			{
				resource: 'automationSchedule',
				operation: 'delete',
				automation: locatorById(5),
				schedule: locatorById('={{ $json.id }}'),
			},
			{ inputItems: [{ id: 10 }] },
		);

		expect(error).toBeUndefined();
		expect(requests.map((request) => `${request.method} ${request.path}?${request.query}`)).toEqual(
			[
				'GET /api/automations?',
				`GET /api/automations/schedule?utr=${DRAFT_UTR}`,
				`DELETE /api/automations/schedule/delete?utr=${SCHEDULE_UTR}`,
			],
		);
		expect(jsonOf(items)).toEqual([
			{
				json: { deleted: true, utr: SCHEDULE_UTR, automation_utr: DRAFT_UTR },
				pairedItem: { item: 0 },
			},
		]);
	});

	it("By ID: an ID none of the automation's emails has deletes nothing and says so", async () => {
		const { error, requests } = await context.run({
			resource: 'automationSchedule',
			operation: 'delete',
			automation: locator(LIVE_UTR),
			schedule: locatorById(10),
		});

		expect(requests.map((request) => `${request.method} ${request.path}?${request.query}`)).toEqual(
			[`GET /api/automations/schedule?utr=${LIVE_UTR}`],
		);
		expect(error).toMatchObject({
			name: 'NodeOperationError',
			message: `No email of automation ${LIVE_UTR} has the ID 10; nothing was deleted`,
			description:
				"Pick the schedule from the automation's schedules (Get Many), or clear the Automation field.",
		});
	});

	it("By ID: an ID two of the automation's emails share deletes neither and says so, naming both UTRs", async () => {
		const twin = '5a24b56e-89de-11ee-ae43-b42e9970e592';
		const original = context.sandbox.state.schedules.find(
			(schedule) => schedule.utr === SCHEDULE_UTR,
		);
		if (original) context.sandbox.state.schedules.push({ ...original, utr: twin });

		const { error, requests } = await context.run({
			resource: 'automationSchedule',
			operation: 'delete',
			automation: locator(DRAFT_UTR),
			schedule: locatorById(10),
		});

		expect(requests.map((request) => `${request.method} ${request.path}?${request.query}`)).toEqual(
			[`GET /api/automations/schedule?utr=${DRAFT_UTR}`],
		);
		expect(error).toMatchObject({
			name: 'NodeOperationError',
			message: `The ID 10 is shared by 2 emails of automation ${DRAFT_UTR}, so it names none of them; nothing was deleted`,
			description: `Their UTRs: ${SCHEDULE_UTR}, ${twin}. Pick the schedule From List or By UTR.`,
		});
		expect(context.sandbox.state.schedules.map((schedule) => schedule.utr)).toEqual(
			expect.arrayContaining([SCHEDULE_UTR, twin]),
		);
	});

	it("By ID without the Automation: refused before any request, as the ID is looked up among the automation's emails", async () => {
		const { error, requests } = await context.run({
			resource: 'automationSchedule',
			operation: 'delete',
			schedule: locatorById(10),
		});

		expect(requests).toEqual([]);
		expect(error).toMatchObject({
			name: 'NodeOperationError',
			message: 'Schedule 10 is given By ID, and the Automation field is empty',
			description:
				"A schedule's ID is looked up among the emails of its automation: set Automation, or give the schedule By UTR.",
		});
	});

	it('deletes nothing when the schedule belongs to another automation', async () => {
		const { error, requests } = await context.run({
			resource: 'automationSchedule',
			operation: 'delete',
			automation: locator(LIVE_UTR),
			schedule: locator(SCHEDULE_UTR),
		});

		expect(requests.map((request) => request.method)).toEqual(['GET']);
		expect(error).toMatchObject({ name: 'NodeOperationError' });
		expect(error?.message).toBe(
			`Schedule ${SCHEDULE_UTR} is not one of the emails of automation ${LIVE_UTR}; nothing was deleted`,
		);
	});

	it("fails an automation's UTR given as the schedule naming it and saying the field takes an email's own UTR", async () => {
		const { error } = await context.run({
			resource: 'automationSchedule',
			operation: 'delete',
			schedule: locator(LIVE_UTR),
		});

		expect(error).toMatchObject({
			name: 'NodeApiError',
			message: `No email (schedule) has the UTR ${LIVE_UTR}: AllsTechnology answered "Record not found"`,
			description:
				'The Schedule field takes an email\'s own UTR: the "utr" of Automation Schedule → Get Many or Create, not its "automation_utr" nor an automation\'s "utr". Pick the email From List, or map the email\'s "utr".',
		});
	});
});
