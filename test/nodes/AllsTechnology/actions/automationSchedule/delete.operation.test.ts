import { DRAFT_UTR, LIVE_UTR, expectKeysOnEveryRequest, jsonOf, locator, useSandbox } from '../../fixture';

const context = useSandbox();
const SCHEDULE_UTR = '5a24b56e-89de-11ee-ae43-b42e9970e591'; // the docs' schedule 10, of automation 5

describe('automation schedule: Delete', () => {
	it('sends DELETE automations/schedule/delete?utr= with the schedule\'s UTR', async () => {
		const { items, error, requests } = await context.run({
			resource: 'automationSchedule',
			operation: 'delete',
			schedule: locator(SCHEDULE_UTR),
		});

		expect(error).toBeUndefined();
		expect(requests).toEqual([
			{ method: 'DELETE', path: '/api/automations/schedule/delete', query: `utr=${SCHEDULE_UTR}`, contentType: undefined },
		]);
		expectKeysOnEveryRequest(context.sandbox);
		expect(jsonOf(items)).toEqual([{ json: { deleted: true, utr: SCHEDULE_UTR }, pairedItem: { item: 0 } }]);
		expect(context.sandbox.state.schedules.some((schedule) => schedule.utr === SCHEDULE_UTR)).toBe(false);
	});

	it('checks the schedule belongs to the automation when one is given', async () => {
		const { items, requests } = await context.run({
			resource: 'automationSchedule',
			operation: 'delete',
			automation: locator(DRAFT_UTR),
			schedule: locator(SCHEDULE_UTR),
		});

		expect(requests.map((request) => `${request.method} ${request.path}?${request.query}`)).toEqual([
			`GET /api/automations/schedule?utr=${DRAFT_UTR}`,
			`DELETE /api/automations/schedule/delete?utr=${SCHEDULE_UTR}`,
		]);
		expect(items[0].json).toEqual({ deleted: true, utr: SCHEDULE_UTR });
	});

	it('deletes nothing when the schedule belongs to another automation', async () => {
		const { error, requests } = await context.run({
			resource: 'automationSchedule',
			operation: 'delete',
			automation: locator(LIVE_UTR),
			schedule: locator(SCHEDULE_UTR),
		});

		expect(requests.map((request) => request.method)).toEqual(['GET']);
		expect(error).toMatchObject({ name: 'NodeOperationError' });
		expect(error?.message).toBe(
			`Schedule ${SCHEDULE_UTR} is not one of the emails of automation ${LIVE_UTR}; nothing was deleted`,
		);
	});

	it('fails with "Record not found" for an unknown schedule', async () => {
		const { error } = await context.run({
			resource: 'automationSchedule',
			operation: 'delete',
			schedule: locator(LIVE_UTR),
		});

		expect(error).toMatchObject({ name: 'NodeApiError' });
		expect(error?.message).toBe('Record not found');
	});
});
