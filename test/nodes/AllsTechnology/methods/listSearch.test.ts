import type { INodeListSearchItems } from 'n8n-workflow';
import { LIST_TTL_MS } from '../../../../nodes/shared/listCache';
import { PAGE_SIZE } from '../../../../nodes/shared/editorLists';
import { runListSearch } from '../../../engine/load-options';
import { SANDBOX_PUBLIC_KEY, SANDBOX_SECRET_KEY } from '../../../../sandbox/server';
import { DRAFT_UTR, LIVE_UTR, NODE_TYPE, engineFor, locator, useSandbox } from '../fixture';

// The lists' cache reads this clock, so a test moves time past the cache's TTL without waiting for it.
let mockNow = 0;
jest.mock('../../../../nodes/shared/listCache', () => {
	const actual = jest.requireActual('../../../../nodes/shared/listCache');
	return { ...actual, editorListCache: new actual.ListCache(actual.LIST_TTL_MS, () => mockNow) };
});

const context = useSandbox();
beforeEach(() => {
	// Each test starts after whatever an earlier test's lists left in the cache has expired.
	mockNow += LIST_TTL_MS;
});

interface SearchOptions {
	filter?: string;
	paginationToken?: string;
	parameters?: object;
	keys?: { publicKey?: string; secretKey?: string; baseUrl?: string };
	withoutCredential?: boolean;
}

/** The editor's request for a list: `filter` is what is typed, as n8n sends it on each keystroke. */
function ask(method: string, options: SearchOptions = {}) {
	return runListSearch(engineFor(context.sandbox, options.keys), {
		type: NODE_TYPE,
		method,
		filter: options.filter,
		paginationToken: options.paginationToken,
		withoutCredential: options.withoutCredential,
		currentNodeParameters: {
			resource: 'automationSchedule',
			operation: 'delete',
			...options.parameters,
		},
	});
}

function search(method: string, options: SearchOptions & { secretKey?: string } = {}) {
	context.sandbox.clearRequests();
	return ask(method, { ...options, keys: { secretKey: options.secretKey } });
}

/** The automation list requests the sandbox received, with the keys each carried. */
function listRequests() {
	return context.sandbox.requests
		.filter((request) => request.path === '/api/automations')
		.map((request) => ({
			request: `${request.method} ${request.path}?${request.rawQuery}`,
			publicKey: request.headers.publickey,
			secretKey: request.headers.secretkey,
		}));
}

const LIST_REQUEST = {
	request: 'GET /api/automations?',
	publicKey: SANDBOX_PUBLIC_KEY,
	secretKey: SANDBOX_SECRET_KEY,
};

const entry = (name: string, utr: string): INodeListSearchItems => ({
	name,
	value: utr,
	description: `UTR ${utr}`,
});
const SEED_LIST = [
	entry(
		'Re-engagement Campaign (Draft, ID 45, created 2023-12-06)',
		'405420d2-9407-11ee-8a8b-b42e9970e591',
	),
	entry(
		'Webinar Reminders (Draft, ID 44, created 2023-12-05)',
		'5dcbb0d2-935b-11ee-a9a4-b42e9970e591',
	),
	entry(
		'Black Friday Follow-up (Live, ID 8, created 2023-11-28)',
		'e84968d2-8dcd-11ee-9b77-b42e9970e591',
	),
	entry(
		'Onboarding Drip (Draft, ID 6, created 2023-11-27)',
		'e9c7ff00-8d1c-11ee-91c4-b42e9970e592',
	),
	entry('Test Automation (Draft, ID 5, created 2023-11-27)', DRAFT_UTR),
	entry('Test Automation (Live, ID 3, created 2023-11-21)', LIVE_UTR),
	entry('Welcome Series (Draft, ID 1, created 2023-11-20)', '381da846-8780-11ee-835d-b42e9970e591'),
];

describe('list search: searchAutomations', () => {
	it('lists every automation newest first, valued by UTR, each named with its status, ID and creation day', async () => {
		const result = await search('searchAutomations');

		expect(listRequests()).toEqual([LIST_REQUEST]);
		expect(context.sandbox.requests).toHaveLength(1);
		expect(result).toEqual({ results: SEED_LIST });
	});

	it('tells two automations of one name apart by status, ID and creation day', async () => {
		const { results } = await search('searchAutomations', { filter: 'test automation' });

		expect(results.map((result) => result.name)).toEqual([
			'Test Automation (Draft, ID 5, created 2023-11-27)',
			'Test Automation (Live, ID 3, created 2023-11-21)',
		]);
	});

	it('keeps the automations whose name contains the filter, ignoring case and the spaces around it', async () => {
		const { results } = await search('searchAutomations', { filter: ' ONBOARD ' });

		expect(results).toEqual([SEED_LIST[3]]);
	});

	it('finds an automation by its ID or creation day as shown, or by its whole UTR pasted', async () => {
		expect((await search('searchAutomations', { filter: 'id 44' })).results).toEqual([
			SEED_LIST[1],
		]);
		expect((await search('searchAutomations', { filter: '2023-11-27' })).results).toEqual([
			SEED_LIST[3],
			SEED_LIST[4],
		]);
		expect((await search('searchAutomations', { filter: LIVE_UTR.toUpperCase() })).results).toEqual(
			[SEED_LIST[5]],
		);
		// A part of a UTR is not searched: its hex digits would match most automations.
		expect((await search('searchAutomations', { filter: 'e9c7ff00' })).results).toEqual([]);
	});

	it('lists nothing for an account without automations', async () => {
		for (const automation of context.sandbox.state.automations)
			automation.deleted_at = '2024-01-01T00:00:00.000000Z';

		await expect(search('searchAutomations')).resolves.toEqual({ results: [] });
	});

	it("shows the API's message when the list cannot be loaded", async () => {
		await expect(
			search('searchAutomations', { secretKey: 'wrong-secret-key' }),
		).rejects.toMatchObject({
			name: 'NodeApiError',
			message: 'Invalid public key or secret key',
			description: expect.stringMatching(/^Check the public key and secret key/),
		});
	});
});

describe('list search: one download per search session', () => {
	const KEYSTROKES = ['w', 'we', 'wel', 'welc', 'welco'];

	beforeEach(() => context.sandbox.clearRequests());

	it('opening the list and typing five letters sends one list request', async () => {
		const opened = await ask('searchAutomations');
		const typed = [];
		for (const filter of KEYSTROKES)
			typed.push((await ask('searchAutomations', { filter })).results);

		expect(listRequests()).toEqual([LIST_REQUEST]);
		expect(opened.results).toEqual(SEED_LIST);
		expect(typed).toEqual([
			[SEED_LIST[1], SEED_LIST[2], SEED_LIST[6]],
			[SEED_LIST[1], SEED_LIST[6]],
			[SEED_LIST[6]],
			[SEED_LIST[6]],
			[SEED_LIST[6]],
		]);
	});

	it('five keystrokes sent together while the list downloads share its one download', async () => {
		const answers = await Promise.all(
			KEYSTROKES.map((filter) => ask('searchAutomations', { filter })),
		);

		expect(listRequests()).toEqual([LIST_REQUEST]);
		expect(answers.map(({ results }) => results.length)).toEqual([3, 2, 1, 1, 1]);
	});

	it('a keystroke within the TTL reads the download; one at the TTL downloads again, and sees the account as it is now', async () => {
		await ask('searchAutomations');
		mockNow += LIST_TTL_MS - 1;
		context.sandbox.state.automations.find((automation) => automation.id === 1)!.automation_name =
			'Welcome Back';
		expect((await ask('searchAutomations', { filter: 'welcome' })).results).toEqual([SEED_LIST[6]]);
		expect(listRequests()).toHaveLength(1);

		mockNow += 1;
		const { results } = await ask('searchAutomations', { filter: 'welcome' });

		expect(listRequests()).toEqual([LIST_REQUEST, LIST_REQUEST]);
		expect(results.map((result) => result.name)).toEqual([
			'Welcome Back (Draft, ID 1, created 2023-11-20)',
		]);
	});

	it('opening the list again starts a new session: it downloads, so a change made meanwhile shows', async () => {
		await ask('searchAutomations', { filter: 'welcome' });
		context.sandbox.state.automations.find((automation) => automation.id === 1)!.automation_name =
			'Welcome Back';

		const { results } = await ask('searchAutomations');

		expect(listRequests()).toEqual([LIST_REQUEST, LIST_REQUEST]);
		expect(results[6].name).toBe('Welcome Back (Draft, ID 1, created 2023-11-20)');
	});

	it('another credential gets its own download, under its own keys', async () => {
		await ask('searchAutomations');
		// The same account through another spelling of its Base URL is another credential.
		const other = await ask('searchAutomations', {
			filter: 'welcome',
			keys: { baseUrl: `${context.sandbox.baseUrl}/` },
		});
		await ask('searchAutomations', { filter: 'welcome' });

		expect(listRequests()).toEqual([LIST_REQUEST, LIST_REQUEST]);
		expect(other.results).toEqual([SEED_LIST[6]]);
	});

	it('a credential with another secret key never reads the list another one downloaded', async () => {
		await ask('searchAutomations');

		await expect(
			ask('searchAutomations', { filter: 'welcome', keys: { secretKey: 'wrong-secret-key' } }),
		).rejects.toMatchObject({
			message: 'Invalid public key or secret key',
		});
		expect(listRequests()).toEqual([
			LIST_REQUEST,
			{ ...LIST_REQUEST, secretKey: 'wrong-secret-key' },
		]);
	});

	it('a download that fails is not kept: the next keystroke downloads again', async () => {
		context.sandbox.faults.push({
			kind: 'fixedBody',
			times: 1,
			body: { status: 'failed', errors: 'Something went wrong' },
		});

		await expect(ask('searchAutomations', { filter: 'w' })).rejects.toMatchObject({
			name: 'NodeApiError',
			message: 'Something went wrong',
		});
		const { results } = await ask('searchAutomations', { filter: 'we' });

		expect(listRequests()).toEqual([LIST_REQUEST, LIST_REQUEST]);
		expect(results).toEqual([SEED_LIST[1], SEED_LIST[6]]);
	});
});

describe('list search: pages', () => {
	/** The account with `count` automations more than the seed, IDs 1001 up, named "Bulk n". */
	function addAutomations(count: number) {
		const [template] = context.sandbox.state.automations;
		for (let index = 1; index <= count; index++) {
			const id = 1000 + index;
			context.sandbox.state.automations.push({
				...template,
				id,
				automation_name: `Bulk ${index}`,
				utr: `00000000-0000-11ee-0000-${String(id).padStart(12, '0')}`,
			});
		}
	}

	it(`gives the editor ${PAGE_SIZE} automations a page and a token for the next, all from one download`, async () => {
		addAutomations(2 * PAGE_SIZE - 7 + 20);
		context.sandbox.clearRequests();

		const first = await ask('searchAutomations');
		const second = await ask('searchAutomations', { paginationToken: first.paginationToken });
		const third = await ask('searchAutomations', { paginationToken: second.paginationToken });

		expect(listRequests()).toEqual([LIST_REQUEST]);
		expect(first.paginationToken).toBe(String(PAGE_SIZE));
		expect(second.paginationToken).toBe(String(2 * PAGE_SIZE));
		expect(third.paginationToken).toBeUndefined();
		expect([first, second, third].map(({ results }) => results.length)).toEqual([
			PAGE_SIZE,
			PAGE_SIZE,
			20,
		]);
		const names = [first, second, third].flatMap(({ results }) =>
			results.map((result) => result.name),
		);
		expect(names.slice(0, 2)).toEqual([
			'Bulk 113 (Draft, ID 1113, created 2023-11-20)',
			'Bulk 112 (Draft, ID 1112, created 2023-11-20)',
		]);
		expect(names.slice(-7)).toEqual(SEED_LIST.map((result) => result.name));
		expect(new Set(names).size).toBe(2 * PAGE_SIZE + 20);
	});

	it('pages the filtered automations, the filter sent with each page', async () => {
		addAutomations(PAGE_SIZE + 1);
		context.sandbox.clearRequests();

		const first = await ask('searchAutomations', { filter: 'bulk' });
		const second = await ask('searchAutomations', {
			filter: 'bulk',
			paginationToken: first.paginationToken,
		});

		expect(listRequests()).toEqual([LIST_REQUEST]);
		expect(first.results).toHaveLength(PAGE_SIZE);
		expect(first.paginationToken).toBe(String(PAGE_SIZE));
		expect(second).toEqual({
			results: [expect.objectContaining({ name: 'Bulk 1 (Draft, ID 1001, created 2023-11-20)' })],
		});
	});

	it('gives no token when everything fits on one page', async () => {
		expect(await ask('searchAutomations')).not.toHaveProperty('paginationToken');
	});
});

describe('list search: before a credential is chosen', () => {
	it.each([
		['searchAutomations', {}],
		['searchSchedules', { automation: locator(LIVE_UTR) }],
		['searchSchedules', { automation: locator('') }],
	])(
		'%s answers an empty list instead of failing, and sends nothing',
		async (method, parameters) => {
			context.sandbox.clearRequests();

			await expect(ask(method, { parameters, withoutCredential: true })).resolves.toEqual({
				results: [],
			});
			expect(context.sandbox.requests).toEqual([]);
		},
	);
});

describe('list search: searchSchedules', () => {
	it('lists the emails of the chosen automation by subject and wait, linking each design', async () => {
		const { results } = await search('searchSchedules', {
			parameters: { automation: locator(LIVE_UTR) },
		});

		expect(
			context.sandbox.requests.map(
				(request) => `${request.method} ${request.path}?${request.rawQuery}`,
			),
		).toEqual([`GET /api/automations/schedule?utr=${LIVE_UTR}`]);
		const design = (utr: string) =>
			`${context.sandbox.baseUrl}/user/automations/schedule/email/design/${utr}`;
		expect(results).toEqual([
			{
				name: 'How is your days goes to (sent instantly)',
				value: 'ccbaecd2-8826-11ee-ad51-b42e9970e591',
				url: design('ccbaecd2-8826-11ee-ad51-b42e9970e591'),
			},
			{
				name: 'Did you see our latest offers? (after 2 days)',
				value: '24f1eed2-8827-11ee-8f7e-b42e9970e591',
				url: design('24f1eed2-8827-11ee-8f7e-b42e9970e591'),
			},
			{
				name: 'A last reminder (after 12 hours)',
				value: '55d223d2-8827-11ee-ba09-b42e9970e591',
				url: design('55d223d2-8827-11ee-ba09-b42e9970e591'),
			},
		]);
	});

	it('keeps the emails whose subject contains the filter; takes the automation picked from its own list', async () => {
		const { results } = await search('searchSchedules', {
			filter: 'reminder',
			parameters: {
				automation: {
					__rl: true,
					mode: 'list',
					value: LIVE_UTR,
					cachedResultName: 'Test Automation (Live)',
				},
			},
		});

		expect(results.map((result) => result.value)).toEqual(['55d223d2-8827-11ee-ba09-b42e9970e591']);
	});

	it('lists nothing for an automation without emails', async () => {
		const { results } = await search('searchSchedules', {
			parameters: { automation: locator('405420d2-9407-11ee-8a8b-b42e9970e591') },
		});

		expect(results).toEqual([]);
	});

	it('downloads the emails once a search session, per automation', async () => {
		const other = '5dcbb0d2-935b-11ee-a9a4-b42e9970e591';
		context.sandbox.clearRequests();
		const schedules = (automationUtr: string, filter?: string) =>
			ask('searchSchedules', { filter, parameters: { automation: locator(automationUtr) } });

		await schedules(LIVE_UTR);
		const typed = [];
		for (const filter of ['r', 're', 'rem'])
			typed.push((await schedules(LIVE_UTR, filter)).results.map((result) => result.value));
		await schedules(other, 'r');

		expect(
			context.sandbox.requests.map(
				(request) => `${request.method} ${request.path}?${request.rawQuery}`,
			),
		).toEqual([
			`GET /api/automations/schedule?utr=${LIVE_UTR}`,
			`GET /api/automations/schedule?utr=${other}`,
		]);
		expect(typed).toEqual([
			[
				'ccbaecd2-8826-11ee-ad51-b42e9970e591',
				'24f1eed2-8827-11ee-8f7e-b42e9970e591',
				'55d223d2-8827-11ee-ba09-b42e9970e591',
			],
			['55d223d2-8827-11ee-ba09-b42e9970e591'],
			['55d223d2-8827-11ee-ba09-b42e9970e591'],
		]);
	});

	it("lists the emails of an automation chosen By ID, found in the account's list", async () => {
		const byId = await search('searchSchedules', {
			parameters: { automation: { __rl: true, mode: 'id', value: '5' } },
		});
		const byUtr = await search('searchSchedules', {
			parameters: { automation: locator(DRAFT_UTR) },
		});

		expect(byId.results).toEqual(byUtr.results);
		expect(byId.results.length).toBeGreaterThan(0);
	});

	it('asks for the automation first when none is chosen, sending nothing', async () => {
		await expect(
			search('searchSchedules', { parameters: { automation: locator('') } }),
		).rejects.toMatchObject({
			message: 'Choose the automation first',
		});
		expect(context.sandbox.requests).toEqual([]);
	});

	it("shows the API's message for an unknown automation", async () => {
		await expect(
			search('searchSchedules', {
				parameters: { automation: locator('00000000-0000-11ee-0000-000000000000') },
			}),
		).rejects.toMatchObject({
			name: 'NodeApiError',
			message: expect.stringContaining('Record Not Found'),
		});
	});
});
