import {
	DRAFT_UTR,
	UUID,
	expectKeysOnEveryRequest,
	jsonOf,
	locator,
	locatorById,
	useSandbox,
} from '../../fixture';

const context = useSandbox();
const create = {
	resource: 'automationSchedule',
	operation: 'create',
	automation: locator(DRAFT_UTR),
	senderId: 2,
	subject: 'Test Api Subject',
	waitingType: 'hours',
	waitingPeriod: 6,
	templateId: 2,
	previewImg: 'verify_email.png',
	additionalFields: { templateHtml: '<p>xyz</p>' },
	simplify: false,
};

describe('automation schedule: Create', () => {
	it("reads the schedules, sends the multipart form, and returns the schedule that was not there before, with its automation's UTR", async () => {
		const { items, error, requests } = await context.run(create);

		expect(error).toBeUndefined();
		const listed = {
			method: 'GET',
			path: '/api/automations/schedule',
			query: `utr=${DRAFT_UTR}`,
			contentType: undefined,
		};
		expect(requests).toEqual([
			listed,
			{
				method: 'POST',
				path: '/api/automations/schedule/create',
				query: '',
				contentType: 'multipart/form-data',
				fields: {
					utr: DRAFT_UTR,
					sender_id: '2',
					subject: 'Test Api Subject',
					waiting_period: '6',
					waiting_type: 'hours',
					template_id: '2',
					preview_img: 'verify_email.png',
					template_html: '<p>xyz</p>',
				},
			},
			listed,
		]);
		expectKeysOnEveryRequest(context.sandbox);
		const created = context.sandbox.state.schedules.filter(
			(schedule) => schedule.subject === 'Test Api Subject',
		);
		expect(created).toHaveLength(1);
		expect(created[0].utr).toMatch(UUID);
		expect(jsonOf(items)).toEqual([
			{ json: { ...created[0], automation_utr: DRAFT_UTR }, pairedItem: { item: 0 } },
		]);
		expect(Object.keys(items[0].json).slice(7, 9)).toEqual(['utr', 'automation_utr']);
	});

	it("simplifies by default, keeping the email's UTR and its automation's side by side", async () => {
		const { items, error } = await context.run({ ...create, senderId: '2', simplify: undefined });

		expect(error).toBeUndefined();
		const [created] = context.sandbox.state.schedules.filter(
			(schedule) => schedule.subject === 'Test Api Subject',
		);
		expect(jsonOf(items)).toEqual([
			{
				json: {
					id: created.id,
					utr: created.utr,
					automation_utr: DRAFT_UTR,
					automation_id: 5,
					subject: 'Test Api Subject',
					waiting_type: 'hours',
					waiting_period: 6,
					sender_id: 2,
					template_id: 2,
					preview_img: 'verify_email.png',
					design_url: `${context.sandbox.baseUrl}/user/automations/schedule/email/design/${created.utr}`,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it("By ID: adds the email to the automation the account's list gives that ID", async () => {
		const { items, error, requests } = await context.run({ ...create, automation: locatorById(5) });

		expect(error).toBeUndefined();
		expect(requests.map((request) => `${request.method} ${request.path}?${request.query}`)).toEqual(
			[
				'GET /api/automations?',
				`GET /api/automations/schedule?utr=${DRAFT_UTR}`,
				'POST /api/automations/schedule/create?',
				`GET /api/automations/schedule?utr=${DRAFT_UTR}`,
			],
		);
		expect(requests[2].fields?.utr).toBe(DRAFT_UTR);
		expect(items[0].json).toMatchObject({
			automation_utr: DRAFT_UTR,
			automation_id: 5,
			subject: 'Test Api Subject',
		});
	});

	it('has no Sender ID until one is typed: n8n refuses to run the empty required field', async () => {
		await expect(context.run({ ...create, senderId: '' })).rejects.toThrow(
			'Parameter "Sender ID" is required.',
		);
		expect(context.sandbox.requests).toEqual([]);
	});

	it('adds the first email of an automation that has none', async () => {
		const noEmails = '405420d2-9407-11ee-8a8b-b42e9970e591';
		const { items, error, requests } = await context.run({
			...create,
			automation: locator(noEmails),
		});

		expect(error).toBeUndefined();
		expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'GET /api/automations/schedule',
			'GET /api/automations/details',
			'POST /api/automations/schedule/create',
			'GET /api/automations/schedule',
		]);
		expect(items[0].json).toMatchObject({
			automation_id: 45,
			subject: 'Test Api Subject',
			waiting_type: 'hours',
			waiting_period: 6,
		});
	});

	it("is a success item with the automation's UTR and a notice when listing the emails afterwards fails", async () => {
		context.afterEachRequest((request) => {
			if (request.path !== '/api/automations/schedule/create') return;
			context.sandbox.state.automations.find(
				(automation) => automation.utr === DRAFT_UTR,
			)!.deleted_at = '2024-01-01T00:00:00.000000Z';
		});

		const { items, error, requests } = await context.run(create);

		expect(error).toBeUndefined();
		expect(requests.map((request) => request.path)).toEqual([
			'/api/automations/schedule',
			'/api/automations/schedule/create',
			'/api/automations/schedule',
			'/api/automations/details',
		]);
		expect(jsonOf(items)).toEqual([
			{
				json: {
					automation_utr: DRAFT_UTR,
					notice: `Created, but reading it back failed: No automation has the UTR ${DRAFT_UTR}: AllsTechnology answered "Record Not Found". Read the automation's emails with Get Many.`,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('takes the preview image from the chosen template when Preview Image is empty', async () => {
		const { error, requests } = await context.run({ ...create, templateId: 3, previewImg: '' });

		expect(error).toBeUndefined();
		expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'GET /api/get-design/template',
			'GET /api/automations/schedule',
			'POST /api/automations/schedule/create',
			'GET /api/automations/schedule',
		]);
		expect(requests[2].fields).toMatchObject({ template_id: '3', preview_img: 'newsletter.png' });
	});

	it('refuses an empty Preview Image when the template is not in the template list', async () => {
		const { error, requests } = await context.run({ ...create, templateId: 99, previewImg: '' });

		expect(requests.map((request) => request.path)).toEqual(['/api/get-design/template']);
		expect(error).toMatchObject({
			name: 'NodeOperationError',
			message: 'Template 99 is not in the template list',
			description: 'Choose a template from the list, or fill in Preview Image.',
		});
	});

	it('sends waiting_period 1 for Instantly, whatever Waiting Period holds', async () => {
		const { requests } = await context.run({
			...create,
			waitingType: 'instantly',
			waitingPeriod: 9,
			additionalFields: {},
		});

		expect(requests[1].fields).toEqual({
			utr: DRAFT_UTR,
			sender_id: '2',
			subject: 'Test Api Subject',
			waiting_period: '1',
			waiting_type: 'instantly',
			template_id: '2',
			preview_img: 'verify_email.png',
		});
	});

	it('sends Template JSON as template_json', async () => {
		const { requests } = await context.run({
			...create,
			additionalFields: { templateJson: '{"body":{}}' },
		});

		expect(requests[1].fields?.template_json).toBe('{"body":{}}');
		expect(requests[1].fields).not.toHaveProperty('template_html');
	});

	it.each([
		[
			'both Template HTML and Template JSON',
			'additionalFields',
			{ templateHtml: 'a', templateJson: 'b' },
			/^Template HTML and Template JSON are both set/,
		],
		[
			'an unknown waiting type',
			'waitingType',
			'weeks',
			/^The Waiting Type parameter is "weeks": it must be one of instantly, hours, days$/,
		],
		['no subject', 'subject', '', /^The Subject parameter is empty: it must be filled in$/],
		[
			'a preview image that is not text',
			'previewImg',
			{ file: 'x.png' },
			/^The Preview Image parameter is "\{"file":"x.png"\}": it must be text$/,
		],
		[
			'a sender ID of 0',
			'senderId',
			0,
			/^The Sender ID parameter is "0": it must be a whole number greater than 0$/,
		],
		[
			'a sender ID that is text',
			'senderId',
			'main',
			/^The Sender ID parameter is "main": it must be a whole number greater than 0$/,
		],
		[
			'a template ID that is text',
			'templateId',
			'two',
			/^The Template Name or ID parameter is "two": it must be a whole number greater than 0$/,
		],
		[
			'a waiting period of 0 hours',
			'waitingPeriod',
			0,
			/^The Waiting Period parameter is "0": it must be a whole number greater than 0$/,
		],
		[
			'an automation that is not a UTR',
			'automation',
			locator('5'),
			/^The Automation parameter is "5": it must be a UTR/,
		],
	])('refuses %s before any request', async (_case, parameter, value, message) => {
		// Bad values arrive through expressions; the editor already refuses most typed-in ones.
		const parameters =
			parameter === 'additionalFields'
				? { ...create, additionalFields: value }
				: parameter === 'automation'
					? { ...create, automation: locator('={{ $json.value.value }}') }
					: { ...create, [parameter]: '={{ $json.value }}' };
		const { error, requests } = await context.run(parameters, { inputItems: [{ value }] });

		expect(requests).toEqual([]);
		expect(error).toMatchObject({ name: 'NodeOperationError' });
		expect(error?.message).toMatch(message);
	});
});
