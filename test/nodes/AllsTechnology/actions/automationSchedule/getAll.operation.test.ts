import {
	DRAFT_UTR,
	expectKeysOnEveryRequest,
	jsonOf,
	locator,
	locatorById,
	useSandbox,
} from '../../fixture';

const context = useSandbox();
const NO_EMAILS_UTR = '405420d2-9407-11ee-8a8b-b42e9970e591'; // automation 45
const UNKNOWN_UTR = '00000000-0000-11ee-0000-000000000000';
const getMany = {
	resource: 'automationSchedule',
	operation: 'getAll',
	automation: locator(DRAFT_UTR),
};

describe('automation schedule: Get Many', () => {
	it("sends GET automations/schedule?utr= and returns one item per schedule with Simplify off: the API's record and its automation's UTR after its own", async () => {
		const { items, error, requests } = await context.run({
			...getMany,
			returnAll: true,
			simplify: false,
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([
			{
				method: 'GET',
				path: '/api/automations/schedule',
				query: `utr=${DRAFT_UTR}`,
				contentType: undefined,
			},
		]);
		expectKeysOnEveryRequest(context.sandbox);
		expect(items.map((item) => item.json.id)).toEqual([10, 11, 12]);
		expect(items[0].json).toEqual({
			id: 10,
			user_id: 6790,
			automation_id: 5,
			sender_id: 2,
			subject: 'How is your days goes to',
			waiting_period: 1,
			waiting_type: 'instantly',
			utr: '5a24b56e-89de-11ee-ae43-b42e9970e591',
			automation_utr: DRAFT_UTR,
			template_id: 2,
			preview_img: 'verify_email.png',
			template_json: context.sandbox.state.schedules.find((schedule) => schedule.id === 10)
				?.template_json,
			template_html: context.sandbox.state.schedules.find((schedule) => schedule.id === 10)
				?.template_html,
			created_at: '2023-11-27T12:03:01.000000Z',
			updated_at: '2023-11-27T12:03:01.000000Z',
			design_url: `${context.sandbox.baseUrl}/user/automations/schedule/email/design/5a24b56e-89de-11ee-ae43-b42e9970e591`,
			image: `${context.sandbox.baseUrl}/assets/sample_template/verify_email.png`,
		});
		expect(Object.keys(items[0].json).slice(7, 9)).toEqual(['utr', 'automation_utr']);
		expect(items.map((item) => item.json.automation_utr)).toEqual([
			DRAFT_UTR,
			DRAFT_UTR,
			DRAFT_UTR,
		]);
	});

	it('simplifies each schedule and applies Limit', async () => {
		const { items } = await context.run({ ...getMany, returnAll: false, limit: 1, simplify: true });

		expect(jsonOf(items)).toEqual([
			{
				json: {
					id: 10,
					utr: '5a24b56e-89de-11ee-ae43-b42e9970e591',
					automation_utr: DRAFT_UTR,
					automation_id: 5,
					subject: 'How is your days goes to',
					waiting_type: 'instantly',
					waiting_period: 1,
					sender_id: 2,
					template_id: 2,
					preview_img: 'verify_email.png',
					design_url: `${context.sandbox.baseUrl}/user/automations/schedule/email/design/5a24b56e-89de-11ee-ae43-b42e9970e591`,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('returns no items for an automation without emails, which the API answers with "Record not found"', async () => {
		const { items, error, requests } = await context.run({
			...getMany,
			automation: locator(NO_EMAILS_UTR),
			returnAll: true,
		});

		expect(error).toBeUndefined();
		expect(requests.map((request) => `${request.method} ${request.path}?${request.query}`)).toEqual(
			[
				`GET /api/automations/schedule?utr=${NO_EMAILS_UTR}`,
				`GET /api/automations/details?utr=${NO_EMAILS_UTR}`,
			],
		);
		expect(items).toEqual([]);
	});

	it('fails an unknown automation naming the UTR sent and the kind of UTR the field takes', async () => {
		const { error, requests } = await context.run({ ...getMany, automation: locator(UNKNOWN_UTR) });

		expect(requests).toHaveLength(2);
		expect(error).toMatchObject({
			name: 'NodeApiError',
			message: `No automation has the UTR ${UNKNOWN_UTR}: AllsTechnology answered "Record Not Found"`,
			description:
				'The Automation field takes an automation\'s UTR: the "utr" of Get, Get Many or Create of automations, or the "automation_utr" of an email. An email\'s own "utr" (from Automation Schedule) names the email, not its automation. Pick the automation From List, or map "automation_utr" instead.',
		});
	});

	it("By ID: finds the automation's UTR in the account's list, and gives it as automation_utr", async () => {
		const { items, error, requests } = await context.run({
			...getMany,
			automation: locatorById(5),
			returnAll: true,
		});

		expect(error).toBeUndefined();
		expect(requests.map((request) => `${request.method} ${request.path}?${request.query}`)).toEqual(
			['GET /api/automations?', `GET /api/automations/schedule?utr=${DRAFT_UTR}`],
		);
		expect(items.map((item) => [item.json.id, item.json.automation_utr])).toEqual([
			[10, DRAFT_UTR],
			[11, DRAFT_UTR],
			[12, DRAFT_UTR],
		]);
	});
});
