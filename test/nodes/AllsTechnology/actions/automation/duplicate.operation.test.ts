import { DRAFT_UTR, UUID, expectKeysOnEveryRequest, locator, useSandbox } from '../../fixture';

const context = useSandbox();

describe('automation: Duplicate', () => {
	it('sends GET automations/duplicate?utr= and returns the copy, read back', async () => {
		const { items, error, requests } = await context.run({
			resource: 'automation',
			operation: 'duplicate',
			automation: locator(DRAFT_UTR),
		});

		expect(error).toBeUndefined();
		const copyUtr = items[0].json.utr as string;
		expect(copyUtr).toMatch(UUID);
		expect(copyUtr).not.toBe(DRAFT_UTR);
		expect(requests).toEqual([
			{ method: 'GET', path: '/api/automations/duplicate', query: `utr=${DRAFT_UTR}`, contentType: undefined },
			{ method: 'GET', path: '/api/automations/details', query: `utr=${copyUtr}`, contentType: undefined },
		]);
		expectKeysOnEveryRequest(context.sandbox);
		const stored = context.sandbox.state.automations.find((automation) => automation.utr === copyUtr);
		expect(items).toEqual([{ json: { ...stored }, pairedItem: { item: 0 } }]);
	});

	it('says the copy exists when reading it back fails, so nobody duplicates twice', async () => {
		let copyUtr = '';
		context.afterEachRequest((request) => {
			if (request.path !== '/api/automations/duplicate') return;
			copyUtr = (request.response as { message: { utr: string } }).message.utr;
			context.sandbox.state.automations.find((automation) => automation.utr === copyUtr)!.deleted_at = '2024-01-01T00:00:00.000000Z';
		});

		const { error, requests } = await context.run({ resource: 'automation', operation: 'duplicate', automation: locator(DRAFT_UTR) });

		expect(requests.map((request) => request.path)).toEqual(['/api/automations/duplicate', '/api/automations/details']);
		expect(error).toMatchObject({
			name: 'NodeApiError',
			message: `The automation was created (UTR ${copyUtr}), but reading it back failed: Record Not Found`,
			description:
				'Do not run the node again for this item: the create went through. Read the record with a Get operation instead.',
		});
	});

	it('fails with "Record not found" for an unknown UTR, without a read-back', async () => {
		const { error, requests } = await context.run({
			resource: 'automation',
			operation: 'duplicate',
			automation: locator('00000000-0000-11ee-0000-000000000000'),
		});

		expect(requests).toHaveLength(1);
		expect(error).toMatchObject({ name: 'NodeApiError' });
		expect(error?.message).toMatch(/^Record not found$/i);
	});
});
