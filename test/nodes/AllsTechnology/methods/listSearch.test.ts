import { runListSearch } from '../../../engine/load-options';
import { DRAFT_UTR, LIVE_UTR, NODE_TYPE, engineFor, locator, useSandbox } from '../fixture';

const context = useSandbox();

function search(method: string, options: { filter?: string; parameters?: object; secretKey?: string } = {}) {
	context.sandbox.clearRequests();
	return runListSearch(engineFor(context.sandbox, { secretKey: options.secretKey }), {
		type: NODE_TYPE,
		method,
		filter: options.filter,
		currentNodeParameters: { resource: 'automationSchedule', operation: 'delete', ...options.parameters },
	});
}

describe('list search: searchAutomations', () => {
	it('lists every automation newest first, named with live or draft, valued by UTR', async () => {
		const { results } = await search('searchAutomations');

		expect(context.sandbox.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/automations']);
		expect(results).toEqual([
			{ name: 'Re-engagement Campaign (Draft)', value: '405420d2-9407-11ee-8a8b-b42e9970e591' },
			{ name: 'Webinar Reminders (Draft)', value: '5dcbb0d2-935b-11ee-a9a4-b42e9970e591' },
			{ name: 'Black Friday Follow-up (Live)', value: 'e84968d2-8dcd-11ee-9b77-b42e9970e591' },
			{ name: 'Onboarding Drip (Draft)', value: 'e9c7ff00-8d1c-11ee-91c4-b42e9970e592' },
			{ name: 'Test Automation (Draft)', value: DRAFT_UTR },
			{ name: 'Test Automation (Live)', value: LIVE_UTR },
			{ name: 'Welcome Series (Draft)', value: '381da846-8780-11ee-835d-b42e9970e591' },
		]);
	});

	it('keeps the automations whose name contains the filter, ignoring case', async () => {
		const { results } = await search('searchAutomations', { filter: 'ONBOARD' });

		expect(results).toEqual([{ name: 'Onboarding Drip (Draft)', value: 'e9c7ff00-8d1c-11ee-91c4-b42e9970e592' }]);
	});

	it('lists nothing for an account without automations', async () => {
		for (const automation of context.sandbox.state.automations) automation.deleted_at = '2024-01-01T00:00:00.000000Z';

		await expect(search('searchAutomations')).resolves.toEqual({ results: [] });
	});

	it('shows the API\'s message when the list cannot be loaded', async () => {
		await expect(search('searchAutomations', { secretKey: 'wrong-secret-key' })).rejects.toMatchObject({
			name: 'NodeApiError',
			message: 'Invalid public key or secret key',
			description: expect.stringMatching(/^Check the public key and secret key/),
		});
	});
});

describe('list search: searchSchedules', () => {
	it('lists the emails of the chosen automation by subject and wait, linking each design', async () => {
		const { results } = await search('searchSchedules', { parameters: { automation: locator(LIVE_UTR) } });

		expect(context.sandbox.requests.map((request) => `${request.method} ${request.path}?${request.rawQuery}`)).toEqual([
			`GET /api/automations/schedule?utr=${LIVE_UTR}`,
		]);
		const design = (utr: string) => `${context.sandbox.baseUrl}/user/automations/schedule/email/design/${utr}`;
		expect(results).toEqual([
			{ name: 'How is your days goes to (sent instantly)', value: 'ccbaecd2-8826-11ee-ad51-b42e9970e591', url: design('ccbaecd2-8826-11ee-ad51-b42e9970e591') },
			{ name: 'Did you see our latest offers? (after 2 days)', value: '24f1eed2-8827-11ee-8f7e-b42e9970e591', url: design('24f1eed2-8827-11ee-8f7e-b42e9970e591') },
			{ name: 'A last reminder (after 12 hours)', value: '55d223d2-8827-11ee-ba09-b42e9970e591', url: design('55d223d2-8827-11ee-ba09-b42e9970e591') },
		]);
	});

	it('keeps the emails whose subject contains the filter; takes the automation picked from its own list', async () => {
		const { results } = await search('searchSchedules', {
			filter: 'reminder',
			parameters: { automation: { __rl: true, mode: 'list', value: LIVE_UTR, cachedResultName: 'Test Automation (Live)' } },
		});

		expect(results.map((result) => result.value)).toEqual(['55d223d2-8827-11ee-ba09-b42e9970e591']);
	});

	it('lists nothing for an automation without emails', async () => {
		const { results } = await search('searchSchedules', { parameters: { automation: locator('405420d2-9407-11ee-8a8b-b42e9970e591') } });

		expect(results).toEqual([]);
	});

	it('asks for the automation first when none is chosen, sending nothing', async () => {
		await expect(search('searchSchedules', { parameters: { automation: locator('') } })).rejects.toMatchObject({
			message: 'Choose the automation first',
		});
		expect(context.sandbox.requests).toEqual([]);
	});

	it('shows the API\'s message for an unknown automation', async () => {
		await expect(
			search('searchSchedules', { parameters: { automation: locator('00000000-0000-11ee-0000-000000000000') } }),
		).rejects.toMatchObject({ name: 'NodeApiError', message: 'Record Not Found' });
	});
});
