import http from 'http';
import type { AddressInfo } from 'net';
import { NodeApiError } from 'n8n-workflow';
import { runLoadOptions } from '../../engine/load-options';
import { ALL_EVENTS, TRIGGER_TYPE, expectOneListRequest, triggerEngine, useTriggerSandbox } from './fixture';

const context = useTriggerSandbox();

function loadAutomations(secretKey?: string) {
	context.sandbox.clearRequests();
	return runLoadOptions(triggerEngine(context.sandbox, { secretKey }), {
		type: TRIGGER_TYPE,
		method: 'getAutomations',
		currentNodeParameters: { triggerOn: ['statsChanged'] },
		path: 'options.automations',
	});
}

describe('AllsTechnology Trigger: the Automations option’s list', () => {
	it('lists every automation by name and ID, valued by UTR, with its status', async () => {
		await expect(loadAutomations()).resolves.toEqual([
			{ name: 'Black Friday Follow-up (ID 8)', value: 'e84968d2-8dcd-11ee-9b77-b42e9970e591', description: 'Live, UTR e84968d2-8dcd-11ee-9b77-b42e9970e591' },
			{ name: 'Onboarding Drip (ID 6)', value: 'e9c7ff00-8d1c-11ee-91c4-b42e9970e592', description: 'Not live, UTR e9c7ff00-8d1c-11ee-91c4-b42e9970e592' },
			{ name: 'Re-engagement Campaign (ID 45)', value: '405420d2-9407-11ee-8a8b-b42e9970e591', description: 'Not live, UTR 405420d2-9407-11ee-8a8b-b42e9970e591' },
			{ name: 'Test Automation (ID 3)', value: '4dce63f6-8825-11ee-a739-b42e9970e591', description: 'Live, UTR 4dce63f6-8825-11ee-a739-b42e9970e591' },
			{ name: 'Test Automation (ID 5)', value: 'e9c7ff00-8d1c-11ee-91c4-b42e9970e591', description: 'Not live, UTR e9c7ff00-8d1c-11ee-91c4-b42e9970e591' },
			{ name: 'Webinar Reminders (ID 44)', value: '5dcbb0d2-935b-11ee-a9a4-b42e9970e591', description: 'Not live, UTR 5dcbb0d2-935b-11ee-a9a4-b42e9970e591' },
			{ name: 'Welcome Series (ID 1)', value: '381da846-8780-11ee-835d-b42e9970e591', description: 'Not live, UTR 381da846-8780-11ee-835d-b42e9970e591' },
		]);
		expectOneListRequest(context.sandbox.requests);
	});

	it('gives no options for an account without automations ("Record Not Found")', async () => {
		for (const automation of context.sandbox.state.automations) automation.deleted_at = '2024-03-01T04:00:00.000000Z';

		await expect(loadAutomations()).resolves.toEqual([]);
	});

	it('shows the API’s message when the list cannot be loaded', async () => {
		await expect(loadAutomations('wrong')).rejects.toMatchObject({ name: 'NodeApiError', message: 'Invalid public key or secret key' });
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

		await expect(polled).rejects.toThrow('AllsTechnology answered GET automations with something the node does not know');
		await expect(polled).rejects.toBeInstanceOf(NodeApiError);
		expect(context.nodeState).toEqual(recorded);
		expect((await context.poll({ triggerOn: ALL_EVENTS })).events).toBeNull();
	});
});
