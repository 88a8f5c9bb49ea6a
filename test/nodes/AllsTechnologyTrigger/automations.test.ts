import http from 'http';
import type { AddressInfo } from 'net';
import { NodeApiError } from 'n8n-workflow';
import { runListSearch, runLoadOptions } from '../../engine/load-options';
import { NODE_TYPE } from '../AllsTechnology/fixture';
import {
	ALL_EVENTS,
	TRIGGER_TYPE,
	expectOneListRequest,
	triggerEngine,
	useTriggerSandbox,
} from './fixture';

const context = useTriggerSandbox();

function loadAutomations(secretKey?: string, withoutCredential = false) {
	context.sandbox.clearRequests();
	return runLoadOptions(triggerEngine(context.sandbox, { secretKey }), {
		type: TRIGGER_TYPE,
		method: 'getAutomations',
		currentNodeParameters: { triggerOn: ['statsChanged'] },
		path: 'options.automations',
		withoutCredential,
	});
}

describe('AllsTechnology Trigger: the Automations option’s list', () => {
	it('lists every automation as the action’s Automation list does: newest first, valued by UTR, named with status, ID and creation day', async () => {
		const engine = triggerEngine(context.sandbox);
		const options = await loadAutomations();
		const { results } = await runListSearch(engine, {
			type: NODE_TYPE,
			method: 'searchAutomations',
			currentNodeParameters: { resource: 'automation', operation: 'get' },
		});

		expect(options).toEqual([
			{
				name: 'Re-engagement Campaign (Draft, ID 45, created 2023-12-06)',
				value: '405420d2-9407-11ee-8a8b-b42e9970e591',
				description: 'UTR 405420d2-9407-11ee-8a8b-b42e9970e591',
			},
			{
				name: 'Webinar Reminders (Draft, ID 44, created 2023-12-05)',
				value: '5dcbb0d2-935b-11ee-a9a4-b42e9970e591',
				description: 'UTR 5dcbb0d2-935b-11ee-a9a4-b42e9970e591',
			},
			{
				name: 'Black Friday Follow-up (Live, ID 8, created 2023-11-28)',
				value: 'e84968d2-8dcd-11ee-9b77-b42e9970e591',
				description: 'UTR e84968d2-8dcd-11ee-9b77-b42e9970e591',
			},
			{
				name: 'Onboarding Drip (Draft, ID 6, created 2023-11-27)',
				value: 'e9c7ff00-8d1c-11ee-91c4-b42e9970e592',
				description: 'UTR e9c7ff00-8d1c-11ee-91c4-b42e9970e592',
			},
			{
				name: 'Test Automation (Draft, ID 5, created 2023-11-27)',
				value: 'e9c7ff00-8d1c-11ee-91c4-b42e9970e591',
				description: 'UTR e9c7ff00-8d1c-11ee-91c4-b42e9970e591',
			},
			{
				name: 'Test Automation (Live, ID 3, created 2023-11-21)',
				value: '4dce63f6-8825-11ee-a739-b42e9970e591',
				description: 'UTR 4dce63f6-8825-11ee-a739-b42e9970e591',
			},
			{
				name: 'Welcome Series (Draft, ID 1, created 2023-11-20)',
				value: '381da846-8780-11ee-835d-b42e9970e591',
				description: 'UTR 381da846-8780-11ee-835d-b42e9970e591',
			},
		]);
		expect(results).toEqual(options);
	});

	it('downloads the list each time the dropdown opens: n8n asks once an opening', async () => {
		await loadAutomations();
		expectOneListRequest(context.sandbox.requests);
		context.sandbox.state.automations.find((automation) => automation.id === 1)!.automation_name =
			'Welcome Back';

		const options = await loadAutomations();

		expectOneListRequest(context.sandbox.requests);
		expect(options[6].name).toBe('Welcome Back (Draft, ID 1, created 2023-11-20)');
	});

	it('gives no options for an account without automations ("Record Not Found")', async () => {
		for (const automation of context.sandbox.state.automations)
			automation.deleted_at = '2024-03-01T04:00:00.000000Z';

		await expect(loadAutomations()).resolves.toEqual([]);
	});

	it('shows the API’s message when the list cannot be loaded', async () => {
		await expect(loadAutomations('wrong')).rejects.toMatchObject({
			name: 'NodeApiError',
			message: 'Invalid public key or secret key',
		});
	});

	it('before a credential is chosen answers only a hint that cannot be picked, sending nothing', async () => {
		await expect(loadAutomations(undefined, true)).resolves.toEqual([
			{
				name: 'Choose a credential to see your automations',
				value: '',
				disabled: true,
				description:
					'Select or create an AllsTechnology API credential above, then open this list again',
			},
		]);
		expect(context.sandbox.requests).toEqual([]);
	});
});

describe('AllsTechnology Trigger: an answer without the automation list', () => {
	// A success without `automations`, as a misconfigured proxy might give: read as an empty list it would
	// report every automation as deleted.
	const server = http.createServer((_, response) => {
		response.writeHead(200, { 'Content-Type': 'application/json' });
		response.end(JSON.stringify({ status: 'success', message: 'OK' }));
	});
	let baseUrl = '';
	beforeAll(async () => {
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
	});
	afterAll(async () => {
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	});

	it('fails the poll and keeps the state, so no automation is reported deleted', async () => {
		await context.poll({ triggerOn: ALL_EVENTS });
		const recorded = context.nodeState;

		const polled = context.poll({ triggerOn: ALL_EVENTS }, { keys: { baseUrl } });

		await expect(polled).rejects.toThrow(
			'AllsTechnology answered GET automations with something the node does not know',
		);
		await expect(polled).rejects.toBeInstanceOf(NodeApiError);
		expect(context.nodeState).toEqual(recorded);
		expect((await context.poll({ triggerOn: ALL_EVENTS })).events).toBeNull();
	});
});
