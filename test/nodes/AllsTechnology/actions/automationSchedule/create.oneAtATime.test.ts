import type { FaultKind } from '../../../../../sandbox/server';
import { DRAFT_UTR, LIVE_UTR, locator, useSandbox } from '../../fixture';
import { addEmailLike, emailItemOf, itemOf, lines } from '../createRuns';

const context = useSandbox();

/** An email whose waiting comes from the input item, on the automation the item names (the draft by default). */
const createFromInput = {
	resource: 'automationSchedule',
	operation: 'create',
	automation: locator(`={{ $json.automation ?? "${DRAFT_UTR}" }}`),
	senderId: 2,
	subject: 'Same Subject',
	waitingType: 'days',
	waitingPeriod: '={{ $json.days }}',
	templateId: 2,
	previewImg: 'verify_email.png',
	simplify: false,
};
const LIST = `GET automations/schedule?utr=${DRAFT_UTR}`;
const CREATE = 'POST automations/schedule/create';

function emailsWaiting(days: number, automationId = 5) {
	return context.sandbox.state.schedules.filter(
		(email) =>
			email.subject === 'Same Subject' &&
			email.waiting_period === days &&
			email.automation_id === automationId,
	);
}

describe('automation schedule: Create, several on one automation in one run', () => {
	it('gives each item its own email: same subject, waiting 1 and 7 days', async () => {
		const { items, error, requests } = await context.run(createFromInput, {
			inputItems: [{ days: 1 }, { days: 7 }],
		});

		expect(error).toBeUndefined();
		// One at a time: each create between its own two lists.
		expect(lines(requests)).toEqual([LIST, CREATE, LIST, LIST, CREATE, LIST]);
		expect(requests[1].fields).toMatchObject({
			subject: 'Same Subject',
			waiting_type: 'days',
			waiting_period: '1',
		});
		expect(requests[4].fields).toMatchObject({
			subject: 'Same Subject',
			waiting_type: 'days',
			waiting_period: '7',
		});
		const [oneDay] = emailsWaiting(1);
		const [sevenDays] = emailsWaiting(7);
		expect(items).toEqual([
			emailItemOf(oneDay, DRAFT_UTR, 0),
			emailItemOf(sevenDays, DRAFT_UTR, 1),
		]);
	});

	it('gives each item its own email when the emails are alike in every field', async () => {
		const { items, error, requests } = await context.run(createFromInput, {
			inputItems: [{ days: 3 }, { days: 3 }, { days: 3 }],
		});

		expect(error).toBeUndefined();
		expect(lines(requests)).toEqual([LIST, CREATE, LIST, LIST, CREATE, LIST, LIST, CREATE, LIST]);
		const emails = emailsWaiting(3);
		expect(emails).toHaveLength(3);
		expect(items).toEqual(
			emails.map((email, itemIndex) => emailItemOf(email, DRAFT_UTR, itemIndex)),
		);
	});

	it('sends nothing for the items still waiting their turn once one has failed, without Continue On Fail', async () => {
		context.sandbox.faults.push({
			kind: 'fixedBody',
			status: 422,
			body: { status: 'failed', errors: 'Subject refused' },
			route: 'POST automations/schedule/create',
			times: 1,
		});

		const { items, error, requests } = await context.run(createFromInput, {
			inputItems: [{ days: 4 }, { days: 5 }, { days: 6 }],
		});

		expect(items).toEqual([]);
		expect(error).toMatchObject({ message: 'Subject refused' });
		expect(lines(requests)).toEqual([LIST, CREATE]);
		expect([...emailsWaiting(4), ...emailsWaiting(5), ...emailsWaiting(6)]).toEqual([]);
	});

	it('keeps creates on different automations in flight together', async () => {
		const { items, error, requests } = await context.run(createFromInput, {
			inputItems: [
				{ days: 2, automation: DRAFT_UTR },
				{ days: 2, automation: LIVE_UTR },
			],
		});

		expect(error).toBeUndefined();
		// Both first lists go out before either create: nothing holds the second automation's back.
		expect(lines(requests).slice(0, 2).sort()).toEqual(
			[LIST, `GET automations/schedule?utr=${LIVE_UTR}`].sort(),
		);
		expect(items).toEqual([
			emailItemOf(emailsWaiting(2, 5)[0], DRAFT_UTR, 0),
			emailItemOf(emailsWaiting(2, 3)[0], LIVE_UTR, 1),
		]);
	});

	it('picks its own email when another workflow added one with the same subject at the same moment', async () => {
		context.afterEachRequest((request) => {
			if (request.path !== '/api/automations/schedule/create') return;
			addEmailLike(context.sandbox, { ...emailsWaiting(4)[0], waiting_period: 7 });
		});

		const { items, error } = await context.run(createFromInput, { inputItems: [{ days: 4 }] });

		expect(error).toBeUndefined();
		expect(items).toEqual([emailItemOf(emailsWaiting(4)[0], DRAFT_UTR, 0)]);
	});

	it('returns a notice rather than a guess when another workflow added a like email at the same moment', async () => {
		context.afterEachRequest((request) => {
			if (request.path === '/api/automations/schedule/create')
				addEmailLike(context.sandbox, emailsWaiting(4)[0]);
		});

		const { items, error } = await context.run(createFromInput, { inputItems: [{ days: 4 }] });

		expect(error).toBeUndefined();
		expect(items).toEqual([
			itemOf(
				{
					automation_utr: DRAFT_UTR,
					notice:
						"Created, but which of the automation's emails is the new one could not be told: 2 new emails match what was sent. Read the automation's emails with Get Many.",
				},
				0,
			),
		]);
	});
});

describe('automation schedule: Create, when the answer is lost', () => {
	it.each<[string, FaultKind]>([
		['HTTP 500', 'serverError'],
		['an nginx 502 page', 'badGatewayHtml'],
		['a dropped connection', 'dropConnection'],
		['JSON cut short', 'malformedJson'],
	])(
		'after %s, finds the one new email that matches every field sent: the list, the create, the list',
		async (_case, kind) => {
			context.sandbox.faults = [
				{ kind, afterApplying: true, route: 'POST automations/schedule/create' },
			];

			const { items, error, requests } = await context.run(createFromInput, {
				inputItems: [{ days: 5 }],
			});

			expect(error).toBeUndefined();
			expect(lines(requests)).toEqual([LIST, CREATE, LIST]);
			expect(emailsWaiting(5)).toHaveLength(1);
			expect(items).toEqual([emailItemOf(emailsWaiting(5)[0], DRAFT_UTR, 0)]);
		},
	);

	it('finds each item its own email when one of several answers on the automation is lost', async () => {
		context.sandbox.faults = [
			{
				kind: 'serverError',
				afterApplying: true,
				every: 2,
				times: 1,
				route: 'POST automations/schedule/create',
			},
		];

		const { items, error, requests } = await context.run(createFromInput, {
			inputItems: [{ days: 6 }, { days: 6 }, { days: 6 }],
		});

		expect(error).toBeUndefined();
		expect(lines(requests)).toEqual([LIST, CREATE, LIST, LIST, CREATE, LIST, LIST, CREATE, LIST]);
		expect(items).toEqual(
			emailsWaiting(6).map((email, itemIndex) => emailItemOf(email, DRAFT_UTR, itemIndex)),
		);
	});

	it('fails saying the email may exist when two new emails match every field sent', async () => {
		context.sandbox.faults = [
			{ kind: 'serverError', afterApplying: true, route: 'POST automations/schedule/create' },
		];
		context.afterEachRequest((request) => {
			if (request.path === '/api/automations/schedule/create')
				addEmailLike(context.sandbox, emailsWaiting(8)[0]);
		});

		const { items, error, requests } = await context.run(createFromInput, {
			inputItems: [{ days: 8 }],
		});

		expect(lines(requests)).toEqual([LIST, CREATE, LIST]);
		expect(items).toEqual([]);
		expect(error).toMatchObject({
			name: 'NodeApiError',
			message:
				'The email may exist: the answer to its create was lost (AllsTechnology answered POST automations/schedule/create with HTTP 500: Server Error)',
			description:
				"The automation's emails now hold 2 new emails that match what was sent, so which one is this item's cannot be told. Look for it with Get Many before running this item again: running it again may create a second email.",
		});
	});

	it('says it was not created when no new email is in the list afterwards', async () => {
		context.sandbox.faults = [
			{ kind: 'badGatewayHtml', route: 'POST automations/schedule/create' },
		];

		const { error, requests } = await context.run(createFromInput, { inputItems: [{ days: 9 }] });

		expect(lines(requests)).toEqual([LIST, CREATE, LIST]);
		expect(emailsWaiting(9)).toEqual([]);
		expect(error?.description).toBe(
			"The automation's emails, listed after this failure, hold no new email: it was not created, and this item can be run again.",
		);
	});
});
