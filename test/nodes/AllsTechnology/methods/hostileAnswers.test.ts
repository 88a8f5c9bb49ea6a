/**
 * The editor's searchable lists and dropdowns against answers the docs do not show: records without a UTR, a name
 * or a usable ID, links that are not web addresses, and an Automation field the editor cannot work out.
 */
import type { INodeParameters } from 'n8n-workflow';
import { LIST_TTL_MS } from '../../../../nodes/shared/listCache';
import { runListSearch, runLoadOptions } from '../../../engine/load-options';
import { DRAFT_UTR, LIVE_UTR, NODE_TYPE, engineFor, locator, useSandbox } from '../fixture';

// The lists' cache reads this clock: each test moves it past the TTL, so no test reads a list an earlier one kept.
let mockNow = 0;
jest.mock('../../../../nodes/shared/listCache', () => {
	const actual = jest.requireActual('../../../../nodes/shared/listCache');
	return { ...actual, editorListCache: new actual.ListCache(actual.LIST_TTL_MS, () => mockNow) };
});

const context = useSandbox();
beforeEach(() => {
	mockNow += LIST_TTL_MS;
});
const SCHEDULE_UTR = 'ccbaecd2-8826-11ee-ad51-b42e9970e591';

function answerWith(message: unknown) {
	context.sandbox.faults.push({ kind: 'fixedBody', body: { status: 'success', message } });
}

function search(method: string, parameters: INodeParameters = {}, filter?: string) {
	context.sandbox.clearRequests();
	return runListSearch(engineFor(context.sandbox), {
		type: NODE_TYPE,
		method,
		filter,
		currentNodeParameters: { resource: 'automationSchedule', operation: 'delete', ...parameters },
	});
}

function load(method: string) {
	return runLoadOptions(engineFor(context.sandbox), {
		type: NODE_TYPE,
		method,
		currentNodeParameters: { resource: 'automation', operation: 'create' },
	});
}

describe('searchAutomations', () => {
	it('lists only automations with a UTR, each once, and names one without a name, an ID or a creation day', async () => {
		answerWith({
			automations: [
				{ id: 9, automation_name: 'No UTR', status: 1 },
				{ id: 8, automation_name: 'Not a UUID', utr: 'undefined' },
				[DRAFT_UTR],
				{
					id: 7,
					automation_name: { en: 'an object' },
					utr: DRAFT_UTR,
					status: 0,
					created_at: '2023-11-27T12:03:01.000000Z',
				},
				{ id: 'seven', automation_name: 'Listed twice', utr: DRAFT_UTR.toUpperCase(), status: 1 },
				{ utr: LIVE_UTR, status: 1, created_at: 'yesterday' },
			],
		});

		await expect(search('searchAutomations')).resolves.toEqual({
			results: [
				{
					name: 'Unnamed automation (Draft, ID 7, created 2023-11-27)',
					value: DRAFT_UTR,
					description: `UTR ${DRAFT_UTR}`,
				},
				{ name: 'Unnamed automation (Live)', value: LIVE_UTR, description: `UTR ${LIVE_UTR}` },
			],
		});
	});

	it('filters on the name it shows', async () => {
		answerWith({
			automations: [
				{ id: 6, utr: LIVE_UTR, status: 1 },
				{ id: 5, automation_name: 'Welcome', utr: DRAFT_UTR },
			],
		});

		const { results } = await search('searchAutomations', {}, 'UNNAMED');

		expect(results.map((result) => result.value)).toEqual([LIVE_UTR]);
	});

	it('takes a page token it did not give as the first page', async () => {
		answerWith({ automations: [{ id: 6, utr: LIVE_UTR, status: 1 }] });

		for (const paginationToken of ['-50', 'abc', '1e3', '']) {
			const { results } = await runListSearch(engineFor(context.sandbox), {
				type: NODE_TYPE,
				method: 'searchAutomations',
				paginationToken,
			});

			expect(results.map((result) => result.value)).toEqual([LIVE_UTR]);
		}
	});
});

describe('searchSchedules', () => {
	it('lists only emails with a UTR, names one without a subject or a known wait, and links web addresses only', async () => {
		answerWith({
			automation_schedules: [
				{ subject: 'No UTR', waiting_type: 'instantly' },
				{
					utr: SCHEDULE_UTR,
					subject: null,
					waiting_type: 'weeks',
					waiting_period: 2,
					design_url: 'javascript:alert(document.cookie)',
				},
				{
					utr: DRAFT_UTR,
					subject: 'Hello',
					waiting_type: 'days',
					waiting_period: 'two',
					design_url: 'data:text/html,<script>alert(1)</script>',
				},
				{
					utr: LIVE_UTR,
					subject: 'Linked',
					waiting_type: 'hours',
					waiting_period: 12,
					design_url: 'https://mail.allstechnology.com/design/1',
				},
			],
		});

		const { results } = await search('searchSchedules', { automation: locator(LIVE_UTR) });

		expect(results).toStrictEqual([
			{ name: 'No subject', value: SCHEDULE_UTR, url: undefined },
			{ name: 'Hello', value: DRAFT_UTR, url: undefined },
			{
				name: 'Linked (after 12 hours)',
				value: LIVE_UTR,
				url: 'https://mail.allstechnology.com/design/1',
			},
		]);
	});

	it('says the Automation field cannot be worked out in the editor when it is an expression on the input, sending nothing', async () => {
		await expect(
			search('searchSchedules', { automation: locator('={{ $json.utr }}') }),
		).rejects.toMatchObject({
			name: 'NodeOperationError',
			message: 'The Automation field is an expression the list cannot work out',
			description: expect.stringContaining('Pick the automation From List or By UTR'),
		});
		expect(context.sandbox.requests).toEqual([]);
	});

	it('takes an expression that needs no input, and an Automation saved as a plain UTR', async () => {
		for (const automation of [locator(`={{ "${LIVE_UTR}" }}`), LIVE_UTR]) {
			const { results } = await search('searchSchedules', { automation });

			expect(results).toHaveLength(3);
		}
	});
});

describe('dropdowns', () => {
	it('offers only records whose ID is a whole number above 0, once each', async () => {
		answerWith({
			unsubscribeGroups: [
				{ id: 'abc', name: 'Letters' },
				{ id: { nested: 1 }, name: 'Object' },
				{ id: 0, name: 'Zero' },
				{ id: 2.5, name: 'Fraction' },
				{ id: '7', name: 'Seven' },
				{ id: 7, name: 'Seven again' },
				{ id: 4 },
			],
		});

		await expect(load('getUnsubscribeGroups')).resolves.toEqual([
			{ name: 'ID 4', value: 4, description: 'Unsubscribe group ID 4' },
			{ name: 'Seven', value: 7, description: 'Unsubscribe group ID 7' },
		]);
	});

	it('builds targets from usable IDs only', async () => {
		context.sandbox.faults.push({
			kind: 'fixedBody',
			route: 'contacts-type',
			body: {
				status: 'success',
				message: {
					contactTypes: [
						{ id: 'x', name: 'Bad' },
						{ id: 3, name: 'Good' },
					],
				},
			},
		});

		const options = await load('getAutomationTargets');

		expect(options.map((option) => option.value)).toEqual([
			'contacts_3',
			'segments_25',
			'segments_26',
		]);
	});
});
