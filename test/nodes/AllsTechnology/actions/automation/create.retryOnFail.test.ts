import { useSandbox } from '../../fixture';
import {
	CREATE_FROM_INPUT,
	ONE_AT_A_TIME,
	addAutomationLike,
	automationItemOf,
	automationsNamed,
	isCreateOf,
	itemOf,
	lines,
} from '../createRuns';

const context = useSandbox();

const NAMES = ['Retry 1', 'Retry 2', 'Retry 3', 'Retry 4'];
const inputItems = NAMES.map((name) => ({ name }));
const LIST = 'GET automations';
const CREATE = 'POST automations/create';
// n8n reads a Wait Between Tries of 0 as its default, 1000 ms.
const retryOnFail = { maxTries: 2, waitBetweenTries: 1 };

function createdPerName() {
	return NAMES.map((name) => automationsNamed(context.sandbox, name));
}

function createRequestsPerName() {
	return NAMES.map((name) => context.sandbox.requests.filter(isCreateOf(name)).length);
}

function detailsOf(name: string) {
	return `GET automations/details?utr=${automationsNamed(context.sandbox, name)[0].utr}`;
}

describe('automation: Create with Settings → Retry On Fail', () => {
	it('4 creates, one answered HTTP 500 after it was made: exactly 4 automations, the 4 items, one POST each', async () => {
		context.sandbox.faults = [
			{ kind: 'serverError', afterApplying: true, match: isCreateOf('Retry 3') },
		];

		const { items, error } = await context.run(CREATE_FROM_INPUT, { inputItems, retryOnFail });

		expect(error).toBeUndefined();
		const created = createdPerName();
		expect(created.map((automations) => automations.length)).toEqual([1, 1, 1, 1]);
		expect(items).toEqual(
			created.map(([automation], itemIndex) => automationItemOf(automation, itemIndex)),
		);
		expect(createRequestsPerName()).toEqual([1, 1, 1, 1]);
	});

	it('sends again only the create that did not happen: the items made in the first try come back without a request', async () => {
		// Not made: the endpoint never runs, and the list afterwards shows nothing new.
		context.sandbox.faults = [{ kind: 'serverError', times: 1, match: isCreateOf('Retry 4') }];

		const { items, error, requests } = await context.run(
			{ ...CREATE_FROM_INPUT, options: ONE_AT_A_TIME },
			{ inputItems, retryOnFail },
		);

		expect(error).toBeUndefined();
		expect(lines(requests)).toEqual([
			// The first try: three made, the fourth failed and was looked for.
			LIST,
			CREATE,
			detailsOf('Retry 1'),
			CREATE,
			detailsOf('Retry 2'),
			CREATE,
			detailsOf('Retry 3'),
			CREATE,
			LIST,
			// The second: only the fourth, after the new run's own list.
			LIST,
			CREATE,
			detailsOf('Retry 4'),
		]);
		expect(createRequestsPerName()).toEqual([1, 1, 1, 2]);
		const created = createdPerName();
		expect(created.map((automations) => automations.length)).toEqual([1, 1, 1, 1]);
		expect(items).toEqual(
			created.map(([automation], itemIndex) => automationItemOf(automation, itemIndex)),
		);
	});

	it('does not send again a create that may exist: the retry fails it with the same message, without a request', async () => {
		context.sandbox.faults = [
			{ kind: 'serverError', afterApplying: true, match: isCreateOf('Retry 2') },
		];
		context.afterEachRequest((request) => {
			if (isCreateOf('Retry 2')(request))
				addAutomationLike(context.sandbox, automationsNamed(context.sandbox, 'Retry 2')[0]);
		});

		const { items, error, requests } = await context.run(
			{ ...CREATE_FROM_INPUT, options: ONE_AT_A_TIME },
			{ inputItems, retryOnFail },
		);

		// The first try stops at item 1; the second sends nothing at all.
		expect(lines(requests)).toEqual([LIST, CREATE, detailsOf('Retry 1'), CREATE, LIST]);
		expect(items).toEqual([]);
		expect(error).toMatchObject({
			name: 'NodeApiError',
			message:
				'The automation may exist: the answer to its create was lost (AllsTechnology answered POST automations/create with HTTP 500: Server Error)',
		});
		expect(error?.description).toMatch(
			/^The account's automations now hold 2 new automations that match what was sent, so which one is this item's cannot be told\. Look for it with Get Many before running this item again: running it again may create a second automation\./,
		);
		expect(createRequestsPerName()).toEqual([1, 1, 0, 0]);
	});

	it("returns a created item's notice again on the retry when its read-back had failed", async () => {
		context.sandbox.faults = [{ kind: 'serverError', times: 1, match: isCreateOf('Retry 2') }];
		context.afterEachRequest((request) => {
			if (isCreateOf('Retry 1')(request))
				automationsNamed(context.sandbox, 'Retry 1')[0].deleted_at = '2024-01-01T00:00:00.000000Z';
		});

		const { items, error } = await context.run(
			{ ...CREATE_FROM_INPUT, options: ONE_AT_A_TIME },
			{ inputItems: inputItems.slice(0, 2), retryOnFail },
		);

		expect(error).toBeUndefined();
		const unread = context.sandbox.state.automations.find(
			(automation) => automation.automation_name === 'Retry 1',
		)!;
		expect(items).toEqual([
			itemOf(
				{
					utr: unread.utr,
					notice: `Created, but reading it back failed: No automation has the UTR ${unread.utr}: AllsTechnology answered "Record Not Found". Read it with Get.`,
				},
				0,
			),
			automationItemOf(automationsNamed(context.sandbox, 'Retry 2')[0], 1),
		]);
		expect(createRequestsPerName()).toEqual([1, 2, 0, 0]);
	});

	it('with On Error → Continue, where n8n runs the node again when the first item failed: only that item is sent again', async () => {
		context.sandbox.faults = [{ kind: 'serverError', times: 1, match: isCreateOf('Retry 1') }];

		const { items, error } = await context.run(
			{ ...CREATE_FROM_INPUT, options: ONE_AT_A_TIME },
			{ inputItems: inputItems.slice(0, 2), retryOnFail, onError: 'continueRegularOutput' },
		);

		expect(error).toBeUndefined();
		expect(createRequestsPerName()).toEqual([2, 1, 0, 0]);
		const created = createdPerName().slice(0, 2);
		expect(created.map((automations) => automations.length)).toEqual([1, 1]);
		expect(items).toEqual(
			created.map(([automation], itemIndex) => automationItemOf(automation, itemIndex)),
		);
	});
});
