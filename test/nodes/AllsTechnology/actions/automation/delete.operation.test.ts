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

describe('automation: Delete', () => {
	it('sends DELETE automations/delete?utr= and returns { deleted, utr }', async () => {
		const { items, error, requests } = await context.run({
			resource: 'automation',
			operation: 'delete',
			automation: locator(DRAFT_UTR),
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([
			{
				method: 'DELETE',
				path: '/api/automations/delete',
				query: `utr=${DRAFT_UTR}`,
				contentType: undefined,
			},
		]);
		expectKeysOnEveryRequest(context.sandbox);
		expect(jsonOf(items)).toEqual([
			{ json: { deleted: true, utr: DRAFT_UTR }, pairedItem: { item: 0 } },
		]);
		expect(
			context.sandbox.state.automations.find((automation) => automation.utr === DRAFT_UTR)
				?.deleted_at,
		).not.toBeNull();
	});

	it('fails the second time naming the UTR sent and the kind of UTR the field takes', async () => {
		await context.run({
			resource: 'automation',
			operation: 'delete',
			automation: locator(DRAFT_UTR),
		});
		const { error } = await context.run({
			resource: 'automation',
			operation: 'delete',
			automation: locator(DRAFT_UTR),
		});

		expect(error).toMatchObject({
			name: 'NodeApiError',
			message: `No automation has the UTR ${DRAFT_UTR}: AllsTechnology answered "Record not found"`,
			description: expect.stringMatching(
				/^The Automation field takes an automation's UTR: .* Pick the automation From List, or map "automation_utr" instead\.$/,
			),
		});
	});

	it('By ID: deletes the automation the list gives that ID', async () => {
		const { items, error, requests } = await context.run({
			resource: 'automation',
			operation: 'delete',
			automation: locatorById('5'),
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([
			{ method: 'GET', path: '/api/automations', query: '', contentType: undefined },
			{
				method: 'DELETE',
				path: '/api/automations/delete',
				query: `utr=${DRAFT_UTR}`,
				contentType: undefined,
			},
		]);
		expect(items).toEqual([{ json: { deleted: true, utr: DRAFT_UTR }, pairedItem: { item: 0 } }]);
	});

	it("By ID: an ID two of the list's automations share deletes neither and says so, naming both UTRs", async () => {
		const live = context.sandbox.state.automations.find(
			(automation) => automation.utr === LIVE_UTR,
		);
		if (live) live.id = 5;

		const { error, requests } = await context.run({
			resource: 'automation',
			operation: 'delete',
			automation: locatorById(5),
		});

		expect(requests).toEqual([
			{ method: 'GET', path: '/api/automations', query: '', contentType: undefined },
		]);
		expect(error).toMatchObject({
			name: 'NodeOperationError',
			message: 'The ID 5 is shared by 2 automations in this account, so it names none of them',
			description: `Their UTRs: ${LIVE_UTR}, ${DRAFT_UTR}. Pick the automation From List or By UTR.`,
		});
		expect(error?.context.itemIndex).toBe(0);
		expect(
			context.sandbox.state.automations.every((automation) => automation.deleted_at === null),
		).toBe(true);
	});

	it('By ID under Retry On Fail: a retry that no longer finds the ID, after a try whose answer was lost, says that try may have deleted it', async () => {
		context.sandbox.faults.push({
			kind: 'serverError',
			afterApplying: true,
			route: 'automations/delete',
			times: 1,
		});

		const { error, requests } = await context.run(
			{
				resource: 'automation',
				operation: 'delete',
				automation: locatorById(5),
				options: { maxTries: 1 },
			},
			{ retryOnFail: { maxTries: 2, waitBetweenTries: 1 } },
		);

		expect(requests.map(({ method, path, query }) => `${method} ${path}?${query}`)).toEqual([
			'GET /api/automations?',
			`DELETE /api/automations/delete?utr=${DRAFT_UTR}`,
			'GET /api/automations?',
		]);
		expect(error).toMatchObject({
			name: 'NodeOperationError',
			message: 'No automation has the ID 5 in this account',
			description:
				'An earlier try of this item may have deleted it: its answer was lost. Check with Get Many. The ID is the whole number in the "id" field of Get Many. Check it, or pick the automation From List.',
		});
	});
});
