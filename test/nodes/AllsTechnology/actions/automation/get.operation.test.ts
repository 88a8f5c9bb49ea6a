import type { NodeApiError } from 'n8n-workflow';
import { DOCS_AUTOMATION_5, DRAFT_UTR, expectKeysOnEveryRequest, jsonOf, locator, useSandbox } from '../../fixture';

const context = useSandbox();

describe('automation: Get', () => {
	it('sends GET automations/details?utr= and returns the automation record', async () => {
		const { items, error, requests } = await context.run({
			resource: 'automation',
			operation: 'get',
			automation: locator(DRAFT_UTR),
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([
			{ method: 'GET', path: '/api/automations/details', query: `utr=${DRAFT_UTR}`, contentType: undefined },
		]);
		expectKeysOnEveryRequest(context.sandbox);
		expect(jsonOf(items)).toEqual([
			{
				json: DOCS_AUTOMATION_5,
				pairedItem: { item: 0 },
			},
		]);
	});

	it('takes the UTR from an expression and trims it', async () => {
		const { items, requests } = await context.run(
			{ resource: 'automation', operation: 'get', automation: locator('={{ " " + $json.utr + " " }}') },
			{ inputItems: [{ utr: DRAFT_UTR }] },
		);

		expect(requests.map((request) => request.query)).toEqual([`utr=${DRAFT_UTR}`]);
		expect(items[0].json.id).toBe(5);
	});

	it('fails with the API\'s "Record Not Found" for an unknown UTR', async () => {
		const { error, requests } = await context.run({
			resource: 'automation',
			operation: 'get',
			automation: locator('00000000-0000-11ee-0000-000000000000'),
		});

		expect(requests).toHaveLength(1);
		expect(error).toMatchObject({ name: 'NodeApiError' });
		expect(error?.message).toBe('Record Not Found');
		expect((error as NodeApiError).httpCode).toBe('404');
	});

	it.each([
		['not a UUID', 'abc'],
		['empty', ''],
		['a UUID with a query appended', `${DRAFT_UTR}&utr=x`],
	])('refuses a UTR that is %s before any request', async (_case, utr) => {
		const { error, requests } = await context.run(
			{ resource: 'automation', operation: 'get', automation: locator('={{ $json.utr }}') },
			{ inputItems: [{ utr }] },
		);

		expect(requests).toEqual([]);
		expect(error).toMatchObject({ name: 'NodeOperationError' });
		expect(error?.message).toMatch(/^The Automation parameter is .*: it must be a UTR, a UUID/);
		expect(error?.context.itemIndex).toBe(0);
	});
});
