import { runLoadOptions } from '../../../engine/load-options';
import { NODE_TYPE, engineFor, useSandbox } from '../fixture';

const context = useSandbox();

function load(method: string, secretKey?: string) {
	context.sandbox.clearRequests();
	return runLoadOptions(engineFor(context.sandbox, { secretKey }), {
		type: NODE_TYPE,
		method,
		currentNodeParameters: { resource: 'automation', operation: 'create' },
	});
}

describe('load options', () => {
	it('getUnsubscribeGroups lists the groups by name, valued by numeric ID', async () => {
		await expect(load('getUnsubscribeGroups')).resolves.toEqual([
			{ name: 'All Marketing Emails', value: 3, description: 'Unsubscribe group ID 3' },
			{ name: 'Event Announcements', value: 4, description: 'Unsubscribe group ID 4' },
		]);
		expect(context.sandbox.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'GET /api/unsubscribes-groups',
		]);
	});

	it('getTemplates lists the templates by name, valued by numeric ID', async () => {
		await expect(load('getTemplates')).resolves.toEqual([
			{
				name: 'Monthly Newsletter',
				value: 3,
				description: 'Template ID 3, preview newsletter.png',
			},
			{ name: 'Verify Email', value: 2, description: 'Template ID 2, preview verify_email.png' },
			{ name: 'Welcome Email', value: 1, description: 'Template ID 1, preview welcome_email.png' },
		]);
	});

	it('getAutomationTargets lists contact types as contacts_{id} and segments as segments_{id}, told apart', async () => {
		const options = await load('getAutomationTargets');

		expect(context.sandbox.requests.map((request) => request.path).sort()).toEqual([
			'/api/contacts-type',
			'/api/segment/list',
		]);
		expect(options).toEqual([
			{
				name: 'Contact Type: Customers',
				value: 'contacts_10',
				description: 'All contacts of contact type ID 10',
			},
			{
				name: 'Contact Type: Newsletter Subscribers',
				value: 'contacts_3',
				description: 'All contacts of contact type ID 3',
			},
			{
				name: 'Contact Type: Webinar Leads',
				value: 'contacts_11',
				description: 'All contacts of contact type ID 11',
			},
			{
				name: 'Segment: Opened in the last 30 days',
				value: 'segments_25',
				description: 'The contacts of segment ID 25',
			},
			{
				name: 'Segment: Registered for a webinar',
				value: 'segments_26',
				description: 'The contacts of segment ID 26',
			},
		]);
	});

	it.each(['getUnsubscribeGroups', 'getTemplates', 'getAutomationTargets'])(
		'%s gives no options for an empty account',
		async (method) => {
			const { state } = context.sandbox;
			for (const list of [
				state.unsubscribeGroups,
				state.templates,
				state.contactTypes,
				state.segments,
			])
				list.length = 0;

			await expect(load(method)).resolves.toEqual([]);
		},
	);

	it.each(['getUnsubscribeGroups', 'getTemplates', 'getAutomationTargets'])(
		"%s shows the API's message when the list cannot be loaded",
		async (method) => {
			await expect(load(method, 'wrong-secret-key')).rejects.toMatchObject({
				name: 'NodeApiError',
				message: 'Invalid public key or secret key',
			});
		},
	);

	it.each([
		['getUnsubscribeGroups', 'your unsubscribe groups'],
		['getTemplates', 'your templates'],
		['getAutomationTargets', 'your contact types and segments'],
	])(
		'%s before a credential is chosen answers only a hint that cannot be picked, sending nothing',
		async (method, listed) => {
			context.sandbox.clearRequests();

			const options = await runLoadOptions(engineFor(context.sandbox), {
				type: NODE_TYPE,
				method,
				currentNodeParameters: { resource: 'automation', operation: 'create' },
				withoutCredential: true,
			});

			expect(options).toEqual([
				{
					name: `Choose a credential to see ${listed}`,
					value: '',
					disabled: true,
					description:
						'Select or create an AllsTechnology API credential above, then open this list again',
				},
			]);
			expect(context.sandbox.requests).toEqual([]);
		},
	);
});
