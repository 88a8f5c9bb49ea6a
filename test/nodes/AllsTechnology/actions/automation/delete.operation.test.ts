import { DRAFT_UTR, expectKeysOnEveryRequest, jsonOf, locator, locatorById, useSandbox } from '../../fixture';

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
			{ method: 'DELETE', path: '/api/automations/delete', query: `utr=${DRAFT_UTR}`, contentType: undefined },
		]);
		expectKeysOnEveryRequest(context.sandbox);
		expect(jsonOf(items)).toEqual([{ json: { deleted: true, utr: DRAFT_UTR }, pairedItem: { item: 0 } }]);
		expect(context.sandbox.state.automations.find((automation) => automation.utr === DRAFT_UTR)?.deleted_at).not.toBeNull();
	});

	it('fails the second time naming the UTR sent and the kind of UTR the field takes', async () => {
		await context.run({ resource: 'automation', operation: 'delete', automation: locator(DRAFT_UTR) });
		const { error } = await context.run({ resource: 'automation', operation: 'delete', automation: locator(DRAFT_UTR) });

		expect(error).toMatchObject({
			name: 'NodeApiError',
			message: `No automation has the UTR ${DRAFT_UTR}: AllsTechnology answered "Record not found"`,
			description: expect.stringMatching(/^The Automation field takes an automation's UTR: .* Pick the automation From List, or map "automation_utr" instead\.$/),
		});
	});

	it('By ID: deletes the automation the list gives that ID', async () => {
		const { items, error, requests } = await context.run({ resource: 'automation', operation: 'delete', automation: locatorById('5') });

		expect(error).toBeUndefined();
		expect(requests).toEqual([
			{ method: 'GET', path: '/api/automations', query: '', contentType: undefined },
			{ method: 'DELETE', path: '/api/automations/delete', query: `utr=${DRAFT_UTR}`, contentType: undefined },
		]);
		expect(items).toEqual([{ json: { deleted: true, utr: DRAFT_UTR }, pairedItem: { item: 0 } }]);
	});
});
