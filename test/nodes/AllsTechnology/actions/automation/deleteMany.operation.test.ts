import { IDS_PER_REQUEST } from '../../../../../nodes/AllsTechnology/actions/automation/deleteMany.operation';
import { runNode } from '../../../../engine';
import type { Fault, RecordedRequest } from '../../../../../sandbox/server';
import { SANDBOX_SECRET_KEY } from '../../../../../sandbox/server';
import {
	NODE_TYPE,
	engineFor,
	expectKeysOnEveryRequest,
	expectNoSecretIn,
	jsonOf,
	useSandbox,
} from '../../fixture';

const context = useSandbox();
const deleteMany = { resource: 'automation', operation: 'deleteMany' };
const fromInput = { ...deleteMany, automationIds: '={{ $json.ids }}' };
/** One try a request, so that a fault on a request is its answer. */
const oneTry = { options: { maxTries: 1 } };

const LIST = { method: 'GET', path: '/api/automations', query: '', contentType: undefined };

/** A bulk delete as the docs write it: strIds[0]=…&strIds[1]=…, urlencoded. */
function bulkDelete(ids: number[]) {
	return {
		method: 'POST',
		path: '/api/automations/bulk-delete',
		query: '',
		contentType: 'application/x-www-form-urlencoded',
		fields: Object.fromEntries(ids.map((id, index) => [`strIds[${index}]`, String(id)])),
		rawBody: ids.map((id, index) => `strIds%5B${index}%5D=${id}`).join('&'),
	};
}

const isBulkDelete = (request: RecordedRequest) => request.path === '/api/automations/bulk-delete';
const isList = (request: RecordedRequest) =>
	request.method === 'GET' && request.path === '/api/automations';
/** The n-th request that `match` passes answers 500 Server Error, once. */
function serverErrorOn(match: (request: RecordedRequest) => boolean, nth: number): Fault {
	return { kind: 'serverError', match, every: nth, times: 1 };
}

function range(first: number, count: number): number[] {
	return Array.from({ length: count }, (_, offset) => first + offset);
}

/** Consecutive IDs as the error descriptions write them: "1000–1899". */
function span(ids: number[]): string {
	return `${ids[0]}–${ids[ids.length - 1]}`;
}

/** The IDs of the account's automations seeded for the tests of many requests start here. */
const FIRST = 1000;
/** The IDs of the first, second and third full bulk delete of IDs from FIRST on. */
const [FULL_1, FULL_2, FULL_3] = [0, 1, 2].map((index) =>
	range(FIRST + index * IDS_PER_REQUEST, IDS_PER_REQUEST),
);
/** How many IDs of the second bulk delete the first item of a two-item run holds. */
const SPILL = 200;

/** Adds live automations with these IDs to the account. */
function seedAutomations(ids: number[]) {
	const [template] = context.sandbox.state.automations;
	for (const id of ids) {
		context.sandbox.state.automations.push({
			...template,
			id,
			utr: `00000000-0000-11ee-0000-${String(id).padStart(12, '0')}`,
		});
	}
}

function isDeleted(id: number) {
	return (
		context.sandbox.state.automations.find((automation) => automation.id === id)?.deleted_at !==
		null
	);
}

/** The transport's words for the sandbox's 500 Server Error. */
const BULK_DELETE_500 =
	'AllsTechnology answered POST automations/bulk-delete with HTTP 500: Server Error';
const LIST_500 = 'AllsTechnology answered GET automations with HTTP 500: Server Error';
const FINISH =
	'Run the node again with the same IDs to finish: it deletes what is left and reports the IDs already deleted as not found.';

describe('automation: Delete Many', () => {
	it("lists the automations, sends the docs' body strIds[0]=8&strIds[1]=44 urlencoded, and lists them again", async () => {
		const { items, error, requests } = await context.run({ ...deleteMany, automationIds: '8, 44' });

		expect(error).toBeUndefined();
		expect(requests).toEqual([
			LIST,
			{
				method: 'POST',
				path: '/api/automations/bulk-delete',
				query: '',
				contentType: 'application/x-www-form-urlencoded',
				fields: { 'strIds[0]': '8', 'strIds[1]': '44' },
				rawBody: 'strIds%5B0%5D=8&strIds%5B1%5D=44',
			},
			LIST,
		]);
		expectKeysOnEveryRequest(context.sandbox);
		expect(jsonOf(items)).toEqual([
			{ json: { deleted: [8, 44], notFound: [] }, pairedItem: { item: 0 } },
		]);
		expect([isDeleted(8), isDeleted(44), isDeleted(5)]).toEqual([true, true, false]);
	});

	it('sends the IDs of all items in one request, each ID once, each item paired with its own IDs', async () => {
		const { items, requests } = await context.run(fromInput, {
			inputItems: [{ ids: 8 }, { ids: '44,5' }, { ids: [1, 8] }],
		});

		expect(requests).toEqual([LIST, bulkDelete([8, 44, 5, 1]), LIST]);
		expect(jsonOf(items)).toEqual([
			{ json: { deleted: [8], notFound: [] }, pairedItem: { item: 0 } },
			{ json: { deleted: [44, 5], notFound: [] }, pairedItem: { item: 1 } },
			{ json: { deleted: [1, 8], notFound: [] }, pairedItem: { item: 2 } },
		]);
	});

	it('reports IDs that do not exist as not found on their item, and does not send them', async () => {
		const { items, error, requests } = await context.run(fromInput, {
			inputItems: [{ ids: '8, 99' }, { ids: '900' }],
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([LIST, bulkDelete([8]), LIST]);
		expect(jsonOf(items)).toEqual([
			{ json: { deleted: [8], notFound: [99] }, pairedItem: { item: 0 } },
			{ json: { deleted: [], notFound: [900] }, pairedItem: { item: 1 } },
		]);
	});

	it('sends no delete when none of the IDs exists, and does not fail', async () => {
		const { items, error, requests } = await context.run({
			...deleteMany,
			automationIds: '900, 901',
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([LIST]);
		expect(jsonOf(items)).toEqual([
			{ json: { deleted: [], notFound: [900, 901] }, pairedItem: { item: 0 } },
		]);
	});

	it('deletes 10,000 IDs, one an input item, in 14 requests: the list, 12 bulk deletes of 900 IDs (the last of 100), the list', async () => {
		const ids = range(FIRST, 10_000);
		seedAutomations(ids);
		const chunks = range(0, Math.ceil(ids.length / IDS_PER_REQUEST)).map((index) =>
			ids.slice(index * IDS_PER_REQUEST, (index + 1) * IDS_PER_REQUEST),
		);

		const { items, error, requests } = await context.run(fromInput, {
			inputItems: ids.map((id) => ({ ids: id })),
		});

		expect(error).toBeUndefined();
		expect(chunks.map((chunk) => chunk.length)).toEqual([...new Array(11).fill(900), 100]);
		expect(requests).toEqual([LIST, ...chunks.map(bulkDelete), LIST]);
		expect(requests).toHaveLength(14);
		expect(jsonOf(items)).toEqual(
			ids.map((id, item) => ({ json: { deleted: [id], notFound: [] }, pairedItem: { item } })),
		);
		expect(ids.every(isDeleted)).toBe(true);
		// 10,000 items through n8n's engine are CPU work: 15 s and more on a loaded 2-CPU machine. Past the suite's
		// 20 s, jest would fail the test while its run goes on sending into the tests after it.
	}, 90_000);

	it('stops at a failing request saying which IDs were deleted and which not; the same Delete Many again sends only the rest', async () => {
		const ids = [...FULL_1, ...FULL_2];
		seedAutomations(ids);
		context.sandbox.faults.push(serverErrorOn(isBulkDelete, 2));
		const parameters = { ...fromInput, ...oneTry };

		const failed = await context.run(parameters, { inputItems: [{ ids }] });

		expect(failed.requests).toEqual([LIST, bulkDelete(FULL_1), bulkDelete(FULL_2), LIST]);
		expect(failed.error).toMatchObject({
			name: 'NodeApiError',
			message: `Deleted ${IDS_PER_REQUEST} of ${2 * IDS_PER_REQUEST} automations: ${BULK_DELETE_500}`,
			description: `Deleted (${IDS_PER_REQUEST}): ${span(FULL_1)}. Not deleted (${IDS_PER_REQUEST}): ${span(FULL_2)}. ${FINISH}`,
		});
		expect(failed.error?.context.itemIndex).toBe(0);
		expect(FULL_1.every(isDeleted)).toBe(true);
		expect(FULL_2.some(isDeleted)).toBe(false);

		context.sandbox.faults.length = 0;
		const again = await context.run(parameters, { inputItems: [{ ids }] });

		expect(again.error).toBeUndefined();
		expect(again.requests).toEqual([LIST, bulkDelete(FULL_2), LIST]);
		expect(jsonOf(again.items)).toEqual([
			{ json: { deleted: FULL_2, notFound: FULL_1 }, pairedItem: { item: 0 } },
		]);
		expect(ids.every(isDeleted)).toBe(true);
	});

	it('without Continue On Fail, sends no request after the failing one and says which IDs were not tried', async () => {
		const ids = [...FULL_1, ...FULL_2, ...FULL_3];
		seedAutomations(ids);
		context.sandbox.faults.push(serverErrorOn(isBulkDelete, 2));
		// Item 0 ends within the second bulk delete, which fails.
		const firstItemIds = ids.slice(0, IDS_PER_REQUEST + SPILL);

		const { error, requests } = await context.run(
			{ ...fromInput, ...oneTry },
			{ inputItems: [{ ids: firstItemIds }, { ids: [...ids.slice(firstItemIds.length), 99] }] },
		);

		expect(requests).toEqual([LIST, bulkDelete(FULL_1), bulkDelete(FULL_2), LIST]);
		expect(error).toMatchObject({
			name: 'NodeApiError',
			message: `Deleted ${IDS_PER_REQUEST} of ${3 * IDS_PER_REQUEST} automations: ${BULK_DELETE_500}`,
			description: `Deleted (${IDS_PER_REQUEST}): ${span(FULL_1)}. Not deleted (${IDS_PER_REQUEST}): ${span(FULL_2)}. Not tried, as the node stopped at the failure (${IDS_PER_REQUEST}): ${span(FULL_3)}. Not found before deleting (1): 99. ${FINISH}`,
		});
		expect(error?.context.itemIndex).toBe(0);
	});

	it('with Continue On Fail, fails only the items whose IDs were in the failing request, each saying which of its IDs were deleted', async () => {
		const ids = [...FULL_1, ...FULL_2];
		seedAutomations(ids);
		context.sandbox.faults.push(serverErrorOn(isBulkDelete, 2));
		// Item 0 ends within the second bulk delete, which fails; item 1 holds the rest of it.
		const [spilled, rest] = [FULL_2.slice(0, SPILL), FULL_2.slice(SPILL)];

		const { items, requests } = await context.run(
			{ ...fromInput, ...oneTry },
			{
				inputItems: [{ ids: [...FULL_1, ...spilled] }, { ids: rest }, { ids: [8] }],
				continueOnFail: true,
			},
		);

		expect(requests).toEqual([LIST, bulkDelete(FULL_1), bulkDelete(FULL_2), bulkDelete([8]), LIST]);
		expect(jsonOf(items)).toEqual([
			{
				json: {
					error: `Deleted ${IDS_PER_REQUEST} of ${IDS_PER_REQUEST + SPILL} automations: ${BULK_DELETE_500}`,
					description: `Deleted (${IDS_PER_REQUEST}): ${span(FULL_1)}. Not deleted (${SPILL}): ${span(spilled)}. ${FINISH}`,
					httpCode: '500',
				},
				pairedItem: { item: 0 },
			},
			{
				json: {
					error: `Deleted 0 of ${rest.length} automations: ${BULK_DELETE_500}`,
					description: `Not deleted (${rest.length}): ${span(rest)}. ${FINISH}`,
					httpCode: '500',
				},
				pairedItem: { item: 1 },
			},
			{ json: { deleted: [8], notFound: [] }, pairedItem: { item: 2 } },
		]);
	});

	it('with On Error set to the error output, sends the items not wholly deleted there', async () => {
		context.sandbox.faults.push(serverErrorOn(isBulkDelete, 2));
		seedAutomations(FULL_1);
		context.sandbox.clearRequests();

		const { items, errorItems, run } = await runNode(engineFor(context.sandbox), {
			type: NODE_TYPE,
			parameters: { ...fromInput, ...oneTry },
			inputItems: [{ ids: FULL_1 }, { ids: '8, 99' }],
			onError: 'continueErrorOutput',
		});

		expectNoSecretIn(run, SANDBOX_SECRET_KEY);
		expect(context.sandbox.requests.map((request) => request.path)).toEqual([
			'/api/automations',
			'/api/automations/bulk-delete',
			'/api/automations/bulk-delete',
			'/api/automations',
		]);
		expect(jsonOf(items)).toEqual([
			{ json: { deleted: FULL_1, notFound: [] }, pairedItem: { item: 0 } },
		]);
		expect(jsonOf(errorItems)).toEqual([
			{
				json: {
					ids: '8, 99',
					error: `Deleted 0 of 1 automation: ${BULK_DELETE_500}`,
					details: {
						description: `Not deleted (1): 8. Not found before deleting (1): 99. ${FINISH}`,
						httpCode: '500',
					},
				},
				pairedItem: { item: 1 },
			},
		]);
	});

	it('goes on after a request answered "Record not found" because its IDs went meanwhile', async () => {
		const ids = [...FULL_1, ...FULL_2];
		seedAutomations(ids);
		context.afterEachRequest((request) => {
			if (!isList(request)) return;
			context.afterEachRequest(() => undefined);
			for (const automation of context.sandbox.state.automations) {
				if (FULL_1.includes(automation.id)) automation.deleted_at = '2024-01-02T03:04:05.000000Z';
			}
		});

		const { items, error, requests } = await context.run(fromInput, { inputItems: [{ ids }] });

		expect(error).toBeUndefined();
		expect(requests).toEqual([LIST, bulkDelete(FULL_1), bulkDelete(FULL_2), LIST]);
		expect(context.sandbox.requests[1].response).toMatchObject({
			status: 'failed',
			errors: 'Record not found',
		});
		expect(context.sandbox.requests[2].response).toEqual({
			status: 'success',
			message: 'Deleted Successfully',
		});
		expect(jsonOf(items)).toEqual([
			{ json: { deleted: ids, notFound: [] }, pairedItem: { item: 0 } },
		]);
	});

	it('takes the list afterwards as the answer to a bulk delete that went through but failed to answer', async () => {
		context.sandbox.faults.push({ kind: 'serverError', match: isBulkDelete, afterApplying: true });

		const { items, error, requests } = await context.run({
			...deleteMany,
			automationIds: '8, 44',
			...oneTry,
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([LIST, bulkDelete([8, 44]), LIST]);
		expect(jsonOf(items)).toEqual([
			{ json: { deleted: [8, 44], notFound: [] }, pairedItem: { item: 0 } },
		]);
	});

	it('sends a bulk delete again after a 500, as deleting twice deletes nothing more', async () => {
		context.sandbox.faults.push(serverErrorOn(isBulkDelete, 1));

		const { items, error, requests } = await context.run({ ...deleteMany, automationIds: '8, 44' });

		expect(error).toBeUndefined();
		expect(requests).toEqual([LIST, bulkDelete([8, 44]), bulkDelete([8, 44]), LIST]);
		expect(jsonOf(items)).toEqual([
			{ json: { deleted: [8, 44], notFound: [] }, pairedItem: { item: 0 } },
		]);
	});

	it('says the outcome is unknown for the IDs sent when the list afterwards fails', async () => {
		context.sandbox.faults.push(serverErrorOn(isList, 2));

		const { items, requests } = await context.run(
			{ ...fromInput, ...oneTry },
			{ inputItems: [{ ids: '8, 44, 99' }, { ids: '900' }], continueOnFail: true },
		);

		expect(requests).toEqual([LIST, bulkDelete([8, 44]), LIST]);
		expect(jsonOf(items)).toEqual([
			{
				json: {
					error: `Sent 2 automations to be deleted, but listing them afterwards failed, so which were deleted is unknown: ${LIST_500}`,
					description: `Outcome unknown (2): 8, 44. Not found before deleting (1): 99. ${FINISH}`,
					httpCode: '500',
				},
				pairedItem: { item: 0 },
			},
			{ json: { deleted: [], notFound: [900] }, pairedItem: { item: 1 } },
		]);
	});

	it('sends no delete when the list before fails, and says none was deleted', async () => {
		context.sandbox.faults.push(serverErrorOn(isList, 1));

		const { error, requests } = await context.run({ ...deleteMany, automationIds: '8', ...oneTry });

		expect(requests).toEqual([LIST]);
		expect(error).toMatchObject({
			name: 'NodeApiError',
			message: `Could not list the automations before deleting, so none was deleted: ${LIST_500}`,
		});
		expect(isDeleted(8)).toBe(false);
	});

	it.each([
		['empty', ''],
		['a UTR instead of an ID', 'e9c7ff00-8d1c-11ee-91c4-b42e9970e591'],
		['negative', '-4'],
		['a float', '4.5'],
		['a list with an empty entry only', ' , '],
	])('refuses IDs that are %s before any request', async (_case, automationIds) => {
		const { error, requests } = await context.run(fromInput, {
			inputItems: [{ ids: '8' }, { ids: automationIds }],
		});

		expect(requests).toEqual([]);
		expect(error).toMatchObject({ name: 'NodeOperationError' });
		expect(error?.message).toMatch(/^The Automation IDs parameter is .*: it must be /);
		expect(error?.context.itemIndex).toBe(1);
	});

	it('with Continue On Fail, gives a bad item its error and still deletes the others in one request', async () => {
		const { items, requests } = await context.run(fromInput, {
			inputItems: [{ ids: '8' }, { ids: 'x' }, { ids: '44' }],
			continueOnFail: true,
		});

		expect(requests).toEqual([LIST, bulkDelete([8, 44]), LIST]);
		expect(jsonOf(items)).toEqual([
			{ json: { deleted: [8], notFound: [] }, pairedItem: { item: 0 } },
			{
				json: {
					error:
						'The Automation IDs parameter is "x": it must be automation IDs, whole numbers greater than 0, separated by commas',
					description: 'Fix "Automation IDs" for item 1 and run the node again.',
				},
				pairedItem: { item: 1 },
			},
			{ json: { deleted: [44], notFound: [] }, pairedItem: { item: 2 } },
		]);
	});
});
