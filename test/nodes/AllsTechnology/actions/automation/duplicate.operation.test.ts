import type { FaultKind } from '../../../../../sandbox/server';
import {
	DRAFT_UTR,
	UUID,
	expectKeysOnEveryRequest,
	locator,
	locatorById,
	useSandbox,
} from '../../fixture';
import { automationItemOf, itemOf, lines } from '../createRuns';

const context = useSandbox();
const duplicate = {
	resource: 'automation',
	operation: 'duplicate',
	automation: locator(DRAFT_UTR),
	simplify: false,
};

const LIST = 'GET automations';
const DUPLICATE = `GET automations/duplicate?utr=${DRAFT_UTR}`;

/** The automations that are not in the seed: the copies the tests made. */
function copies() {
	return context.sandbox.state.automations.filter(
		(automation) => automation.id > 45 && automation.deleted_at === null,
	);
}

describe('automation: Duplicate', () => {
	it('lists the automations, sends GET automations/duplicate?utr= and returns the copy, read back', async () => {
		const { items, error, requests } = await context.run(duplicate);

		expect(error).toBeUndefined();
		const copyUtr = items[0].json.utr as string;
		expect(copyUtr).toMatch(UUID);
		expect(copyUtr).not.toBe(DRAFT_UTR);
		expect(requests).toEqual([
			{ method: 'GET', path: '/api/automations', query: '', contentType: undefined },
			{
				method: 'GET',
				path: '/api/automations/duplicate',
				query: `utr=${DRAFT_UTR}`,
				contentType: undefined,
			},
			{
				method: 'GET',
				path: '/api/automations/details',
				query: `utr=${copyUtr}`,
				contentType: undefined,
			},
		]);
		expectKeysOnEveryRequest(context.sandbox);
		expect(items).toEqual([automationItemOf(copies()[0], 0)]);
	});

	it('By ID: finds the original in the one list the run reads before its first duplicate, and simplifies by default', async () => {
		const { items, error, requests } = await context.run({
			resource: 'automation',
			operation: 'duplicate',
			automation: locatorById(5),
		});

		expect(error).toBeUndefined();
		const copy = copies()[0];
		expect(lines(requests)).toEqual([LIST, DUPLICATE, `GET automations/details?utr=${copy.utr}`]);
		expect(items).toEqual([
			itemOf(
				{
					id: copy.id,
					utr: copy.utr,
					automation_name: 'Test Automation',
					status: 'draft',
					live_at: null,
					total_delivered: 0,
					total_unique_opens: 0,
					total_bounces: 0,
					total_unsubscribe: 0,
				},
				0,
			),
		]);
	});

	it("is a success item with the copy's UTR and a notice when reading it back fails, so nobody duplicates twice", async () => {
		let copyUtr = '';
		context.afterEachRequest((request) => {
			if (request.path !== '/api/automations/duplicate') return;
			copyUtr = (request.response as { message: { utr: string } }).message.utr;
			context.sandbox.state.automations.find(
				(automation) => automation.utr === copyUtr,
			)!.deleted_at = '2024-01-01T00:00:00.000000Z';
		});

		const { items, error, requests } = await context.run(duplicate);

		expect(error).toBeUndefined();
		expect(lines(requests)).toEqual([LIST, DUPLICATE, `GET automations/details?utr=${copyUtr}`]);
		expect(items).toEqual([
			itemOf(
				{
					utr: copyUtr,
					notice: `Created, but reading it back failed: No automation has the UTR ${copyUtr}: AllsTechnology answered "Record Not Found". Read it with Get.`,
				},
				0,
			),
		]);
	});

	it('fails an unknown UTR naming it and the kind of UTR the field takes, without a read-back', async () => {
		const { error, requests } = await context.run({
			resource: 'automation',
			operation: 'duplicate',
			automation: locator('00000000-0000-11ee-0000-000000000000'),
		});

		expect(lines(requests)).toEqual([
			LIST,
			'GET automations/duplicate?utr=00000000-0000-11ee-0000-000000000000',
		]);
		expect(error).toMatchObject({
			name: 'NodeApiError',
			message:
				'No automation has the UTR 00000000-0000-11ee-0000-000000000000: AllsTechnology answered "Record not found"',
			description: expect.stringMatching(/^The Automation field takes an automation's UTR: /),
		});
	});

	describe('when the answer is lost', () => {
		it.each<[string, FaultKind]>([
			['HTTP 500', 'serverError'],
			['a dropped connection', 'dropConnection'],
		])(
			"after %s, finds the copy as the one new automation with the original's name and settings",
			async (_case, kind) => {
				context.sandbox.faults = [
					{ kind, afterApplying: true, route: 'GET automations/duplicate' },
				];

				const { items, error, requests } = await context.run(duplicate);

				expect(error).toBeUndefined();
				expect(lines(requests)).toEqual([LIST, DUPLICATE, LIST]);
				expect(copies()).toHaveLength(1);
				expect(copies()[0]).toMatchObject({
					automation_name: 'Test Automation',
					automation_for: 3,
					unsubscribe_group_id: '3',
				});
				expect(items).toEqual([automationItemOf(copies()[0], 0)]);
			},
		);

		it('fails saying the copy may exist when the new automation does not look like a copy of the original', async () => {
			context.sandbox.faults = [
				{ kind: 'serverError', afterApplying: true, route: 'GET automations/duplicate' },
			];
			context.afterEachRequest((request) => {
				if (request.path === '/api/automations/duplicate')
					copies()[0].automation_name = 'Test Automation (copy)';
			});

			const { error, requests } = await context.run(duplicate);

			expect(lines(requests)).toEqual([LIST, DUPLICATE, LIST]);
			expect(error).toMatchObject({
				message:
					'The automation may exist: the answer to its create was lost (AllsTechnology answered GET automations/duplicate with HTTP 500: Server Error)',
				description:
					"The account's automations now hold 1 new automation, none of which matches what was sent. Look for it with Get Many before running this item again: running it again may create a second automation.",
			});
		});

		it('says no copy was made when no new automation is in the list afterwards', async () => {
			context.sandbox.faults = [{ kind: 'dropConnection', route: 'GET automations/duplicate' }];

			const { error, requests } = await context.run(duplicate);

			expect(lines(requests)).toEqual([LIST, DUPLICATE, LIST]);
			expect(copies()).toEqual([]);
			expect(error?.description).toBe(
				"The account's automations, listed after this failure, hold no new automation: it was not created, and this item can be run again.",
			);
		});
	});
});
