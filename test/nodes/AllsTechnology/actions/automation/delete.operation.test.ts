import { DRAFT_UTR, expectKeysOnEveryRequest, jsonOf, locator, useSandbox } from '../../fixture';

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

	it('fails with "Record not found" the second time', async () => {
		await context.run({ resource: 'automation', operation: 'delete', automation: locator(DRAFT_UTR) });
		const { error } = await context.run({ resource: 'automation', operation: 'delete', automation: locator(DRAFT_UTR) });

		expect(error).toMatchObject({ name: 'NodeApiError' });
		expect(error?.message).toBe('Record not found');
	});
});
