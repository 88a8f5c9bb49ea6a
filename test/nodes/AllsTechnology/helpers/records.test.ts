/**
 * helpers/records.ts through the node's operations, against the sandbox: a details answer about another automation
 * is refused for its item, before anything is sent on the strength of it.
 */
import { DRAFT_UTR, LIVE_UTR, jsonOf, locator, useSandbox } from '../fixture';

const context = useSandbox();
const fromInput = locator('={{ $json.utr }}');
const WRONG_RECORD =
	'A cache or proxy in front of the API may be ignoring the query string: check the Base URL in the credential.';

/** Answers the details of `askedUtr` with a record whose UTR is `answeredUtr`. */
function answerDetailsOf(askedUtr: string, answeredUtr: string) {
	context.sandbox.faults.push({
		kind: 'fixedBody',
		route: 'GET automations/details',
		match: (request) => request.rawQuery === `utr=${askedUtr}`,
		body: { status: 'success', message: { automation: { id: 3, utr: answeredUtr, status: 1 } } },
	});
}

describe('readAutomation: an answer about another automation', () => {
	it('fails that item only, naming both UTRs, with Continue On Fail', async () => {
		answerDetailsOf(DRAFT_UTR, LIVE_UTR);

		const { items, error, requests } = await context.run(
			{ resource: 'automation', operation: 'get', automation: fromInput },
			{ inputItems: [{ utr: DRAFT_UTR }, { utr: LIVE_UTR }], continueOnFail: true },
		);

		expect(error).toBeUndefined();
		expect(requests.map((request) => `${request.method} ${request.path}?${request.query}`)).toEqual(
			[
				`GET /api/automations/details?utr=${DRAFT_UTR}`,
				`GET /api/automations/details?utr=${LIVE_UTR}`,
			],
		);
		expect(jsonOf(items)).toEqual([
			{
				json: {
					error: `AllsTechnology answered Get for automation ${DRAFT_UTR} with automation ${LIVE_UTR}'s record`,
					description: WRONG_RECORD,
				},
				pairedItem: { item: 0 },
			},
			{ json: expect.objectContaining({ utr: LIVE_UTR }), pairedItem: { item: 1 } },
		]);
	});

	it('is the same automation when the UTR differs only in case and surrounding spaces', async () => {
		const written = ` ${DRAFT_UTR.toUpperCase()}\t`;
		answerDetailsOf(DRAFT_UTR, written);

		const { items, error } = await context.run({
			resource: 'automation',
			operation: 'get',
			automation: locator(DRAFT_UTR),
		});

		expect(error).toBeUndefined();
		expect(jsonOf(items)).toEqual([
			{ json: { id: 3, utr: written, status: 'live' }, pairedItem: { item: 0 } },
		]);
	});

	it('quotes a long answered UTR cut to 100 characters', async () => {
		answerDetailsOf(DRAFT_UTR, 'x'.repeat(5000));

		const { error } = await context.run({
			resource: 'automation',
			operation: 'get',
			automation: locator(DRAFT_UTR),
		});

		expect(error).toMatchObject({
			name: 'NodeApiError',
			message: `AllsTechnology answered Get for automation ${DRAFT_UTR} with automation ${'x'.repeat(100)}…'s record`,
			description: WRONG_RECORD,
		});
	});

	it("gives Pause no false success: after a lost answer, another automation's draft record is not this one paused", async () => {
		context.sandbox.faults.push({
			kind: 'serverError',
			route: 'GET automations/pause',
			afterApplying: true,
			times: 1,
		});
		context.sandbox.faults.push({
			kind: 'fixedBody',
			route: 'GET automations/details',
			body: { status: 'success', message: { automation: { id: 3, utr: DRAFT_UTR, status: 0 } } },
		});

		const { error, requests } = await context.run({
			resource: 'automation',
			operation: 'pause',
			automation: locator(LIVE_UTR),
		});

		expect(requests.map((request) => `${request.method} ${request.path}?${request.query}`)).toEqual(
			[
				`GET /api/automations/pause?utr=${LIVE_UTR}`,
				`GET /api/automations/pause?utr=${LIVE_UTR}`,
				`GET /api/automations/details?utr=${LIVE_UTR}`,
			],
		);
		expect(error).toMatchObject({
			name: 'NodeApiError',
			message: `AllsTechnology answered Get for automation ${LIVE_UTR} with automation ${DRAFT_UTR}'s record`,
		});
	});
});
