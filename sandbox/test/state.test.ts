/** State changes, validation rules and reset() of the sandbox. */
import { call, expectRecentTimestamp, formData, ISO_TIMESTAMP } from './helpers';
import { AutomationRecord, createSeedState, Sandbox, startSandbox, UTR_PATTERN } from '../server';
import { timeOfUuid } from '../utr';

const UTR_3 = '4dce63f6-8825-11ee-a739-b42e9970e591'; // live, 3 schedules
const UTR_5 = 'e9c7ff00-8d1c-11ee-91c4-b42e9970e591'; // draft, 3 schedules
const UTR_1 = '381da846-8780-11ee-835d-b42e9970e591'; // draft, welcome, 1 schedule
const UTR_45 = '405420d2-9407-11ee-8a8b-b42e9970e591'; // draft, no unsubscribe group, no schedules

type Body = { status: string; message?: unknown; errors?: unknown };

describe('sandbox state', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	beforeEach(() => sandbox.reset());
	afterAll(async () => {
		await sandbox.close();
	});

	const automation = (id: number): AutomationRecord | undefined =>
		sandbox.state.automations.find((record) => record.id === id);
	const byUtr = (utr: string): AutomationRecord | undefined =>
		sandbox.state.automations.find((record) => record.utr === utr);
	const listIds = async (): Promise<number[]> => {
		const answer = await call(sandbox, 'GET', 'automations');
		return (
			answer.body as { message: { automations: Array<{ id: number }> } }
		).message.automations.map((record) => record.id);
	};
	const create = async (
		fields: Record<string, string>,
	): Promise<{ status: number; body: Body }> => {
		const answer = await call(sandbox, 'POST', 'automations/create', { body: formData(fields) });
		return { status: answer.status, body: answer.body as Body };
	};
	const createdUtr = (body: Body): string => (body.message as { utr: string }).utr;
	const scheduleIds = async (utr: string): Promise<number[] | Body> => {
		const answer = await call(sandbox, 'GET', `automations/schedule?utr=${utr}`);
		const body = answer.body as Body;
		if (body.status !== 'success') return body;
		return (
			body.message as { automation_schedules: Array<{ id: number }> }
		).automation_schedules.map((record) => record.id);
	};

	describe('seed', () => {
		it('holds the documented records and the ones the examples need', () => {
			expect(
				sandbox.state.automations.map((record) => [
					record.id,
					record.utr,
					record.status,
					record.unsubscribe_group_id,
				]),
			).toEqual([
				[1, UTR_1, 0, '3'],
				[3, UTR_3, 1, '3'],
				[5, UTR_5, 0, '3'],
				[6, 'e9c7ff00-8d1c-11ee-91c4-b42e9970e592', 0, '4'],
				[8, 'e84968d2-8dcd-11ee-9b77-b42e9970e591', 1, '3'],
				[44, '5dcbb0d2-935b-11ee-a9a4-b42e9970e591', 0, '4'],
				[45, UTR_45, 0, null],
			]);
			expect(sandbox.state.schedules.filter((record) => record.automation_id === 3)).toHaveLength(
				3,
			);
			expect(
				sandbox.state.schedules
					.filter((record) => record.automation_id === 5)
					.map((record) => record.id),
			).toEqual([10, 11, 12]);
			expect(sandbox.state.templates.find((record) => record.id === 2)?.preview_img).toBe(
				'verify_email.png',
			);
			expect(sandbox.state.unsubscribeGroups.some((record) => record.id === 3)).toBe(true);
		});

		it('uses UTRs whose version-1 timestamps are the records’ created_at (as the docs’ UTRs do)', () => {
			// Skipped: the docs' own data (automation 6's utr is the docs' Duplicate example; automation 5's schedules
			// were created with it, but schedule 10's utr, from the docs, is older).
			const records = [
				...sandbox.state.automations.filter((record) => record.id !== 6),
				...sandbox.state.schedules.filter((record) => record.automation_id !== 5),
			];
			expect(records).toHaveLength(14);
			for (const record of records) {
				expect(record.utr).toMatch(UTR_PATTERN);
				const created = Date.parse(record.created_at);
				expect({
					utr: record.utr,
					drift: Math.abs(timeOfUuid(record.utr) - created) < 1000,
				}).toEqual({ utr: record.utr, drift: true });
			}
			expect(new Set(sandbox.state.automations.map((record) => record.utr)).size).toBe(7);
			expect(new Set(sandbox.state.schedules.map((record) => record.utr)).size).toBe(
				sandbox.state.schedules.length,
			);
		});
	});

	describe('create automation', () => {
		it('lists the new automation first, with automation_schedule_count 0', async () => {
			const { body } = await create({
				type: 'welcome',
				automation_for: 'segments_25',
				automation_name: 'Newest',
				unsubscribe_group_id: '4',
			});
			const utr = createdUtr(body);
			const list = await call(sandbox, 'GET', 'automations');
			const first = (list.body as { message: { automations: Array<Record<string, unknown>> } })
				.message.automations[0];
			expect(first).toEqual({
				id: 46,
				user_id: 6790,
				automation_for: 25,
				automation_for_table: 'segments_',
				automation_name: 'Newest',
				exit_criteria: 1,
				unsubscribe_group_id: '4',
				automation_type: 1,
				utr,
				status: 0,
				live_at: null,
				total_triggered: 0,
				total_delivered: 0,
				total_unique_opens: 0,
				total_opens: 0,
				total_bounces: 0,
				total_unsubscribe: 0,
				deleted_at: null,
				created_at: first.created_at,
				updated_at: first.created_at,
				automation_schedule_count: 0,
			});
			expectRecentTimestamp(first.created_at);
			expect(Math.abs(timeOfUuid(utr) - Date.now())).toBeLessThan(60_000);
		});

		it('maps custom to automation_type 0 and welcome to 1; automation_for is optional', async () => {
			const custom = createdUtr(
				(await create({ type: 'custom', automation_name: 'C', unsubscribe_group_id: '3' })).body,
			);
			const welcome = createdUtr(
				(
					await create({
						type: 'welcome',
						automation_name: 'W',
						unsubscribe_group_id: '3',
						automation_for: '',
					})
				).body,
			);
			expect(byUtr(custom)).toMatchObject({
				automation_type: 0,
				automation_for: null,
				automation_for_table: null,
			});
			expect(byUtr(welcome)).toMatchObject({
				automation_type: 1,
				automation_for: null,
				automation_for_table: null,
			});
		});

		it('gives new automations increasing ids and unique UTRs', async () => {
			const utrs: string[] = [];
			for (let i = 0; i < 5; i++) {
				utrs.push(
					createdUtr(
						(await create({ type: 'custom', automation_name: `N${i}`, unsubscribe_group_id: '3' }))
							.body,
					),
				);
			}
			expect(new Set(utrs).size).toBe(5);
			expect(utrs.map((utr) => byUtr(utr)?.id)).toEqual([46, 47, 48, 49, 50]);
			expect((await listIds()).slice(0, 5)).toEqual([50, 49, 48, 47, 46]);
		});

		it('continues ids after soft-deleted records', async () => {
			await call(sandbox, 'POST', 'automations/bulk-delete', {
				body: formData({ 'strIds[0]': '45', 'strIds[1]': '44' }),
			});
			const utr = createdUtr(
				(
					await create({
						type: 'custom',
						automation_name: 'After delete',
						unsubscribe_group_id: '3',
					})
				).body,
			);
			expect(byUtr(utr)?.id).toBe(46);
		});

		it('validates every required field with Laravel messages', async () => {
			const { status, body } = await create({});
			expect(status).toBe(422);
			expect(body).toEqual({
				status: 'failed',
				errors: {
					type: ['The type field is required.'],
					automation_name: ['The automation name field is required.'],
					unsubscribe_group_id: ['The unsubscribe group id field is required.'],
				},
			});
		});

		it('refuses an unknown type, a non-integer group and a malformed target', async () => {
			const { status, body } = await create({
				type: 'building',
				automation_for: 'lists_3',
				automation_name: '   ',
				unsubscribe_group_id: '3.5',
			});
			expect(status).toBe(422);
			expect(body).toEqual({
				status: 'failed',
				errors: {
					type: ['The selected type is invalid.'],
					automation_for: ['The selected automation for is invalid.'],
					automation_name: ['The automation name field is required.'],
					unsubscribe_group_id: ['The unsubscribe group id must be an integer.'],
				},
			});
			expect(sandbox.state.automations).toHaveLength(7);
		});

		it('accepts Laravel integers and refuses the rest', async () => {
			for (const value of ['3', '+3', ' 3 ', '0', '-1']) {
				const { status } = await create({
					type: 'custom',
					automation_name: 'I',
					unsubscribe_group_id: value,
				});
				expect({ value, status }).toEqual({ value, status: 200 });
			}
			for (const value of ['03', '3.0', 'three', '1e3', '0x1']) {
				const { body } = await create({
					type: 'custom',
					automation_name: 'I',
					unsubscribe_group_id: value,
				});
				expect({ value, body }).toEqual({
					value,
					body: {
						status: 'failed',
						errors: { unsubscribe_group_id: ['The unsubscribe group id must be an integer.'] },
					},
				});
			}
			expect(
				sandbox.state.automations.slice(7).map((record) => record.unsubscribe_group_id),
			).toEqual(['3', '3', '3', '0', '-1']);
		});

		it('refuses arrays where text or a single value is expected', async () => {
			const answer = await call(sandbox, 'POST', 'automations/create', {
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({
					type: ['custom'],
					automation_name: { a: 1 },
					unsubscribe_group_id: 3.5,
				}),
			});
			expect(answer.body).toEqual({
				status: 'failed',
				errors: {
					type: ['The selected type is invalid.'],
					automation_name: ['The automation name must be a string.'],
					unsubscribe_group_id: ['The unsubscribe group id must be an integer.'],
				},
			});
		});
	});

	describe('duplicate', () => {
		it('creates a draft copy with a new id and utr, counters zeroed, and copies of the schedules', async () => {
			const answer = await call(sandbox, 'GET', `automations/duplicate?utr=${UTR_3}`);
			const utr = createdUtr(answer.body as Body);
			const original = automation(3) as AutomationRecord;
			const copy = byUtr(utr) as AutomationRecord;
			expect(copy).toEqual({
				...original,
				id: 46,
				utr,
				status: 0,
				live_at: null,
				total_triggered: 0,
				total_delivered: 0,
				total_unique_opens: 0,
				total_opens: 0,
				total_bounces: 0,
				total_unsubscribe: 0,
				created_at: copy.created_at,
				updated_at: copy.created_at,
			});
			expectRecentTimestamp(copy.created_at);

			const originals = sandbox.state.schedules.filter((record) => record.automation_id === 3);
			const copies = sandbox.state.schedules.filter((record) => record.automation_id === 46);
			expect(copies.map((record) => record.id)).toEqual([17, 18, 19]);
			copies.forEach((record, index) => {
				const source = originals[index];
				expect(record).toEqual({
					...source,
					id: 17 + index,
					automation_id: 46,
					utr: record.utr,
					created_at: copy.created_at,
					updated_at: copy.created_at,
					design_url: `${sandbox.baseUrl}/user/automations/schedule/email/design/${record.utr}`,
				});
				expect(record.utr).toMatch(UTR_PATTERN);
				expect(record.utr).not.toBe(source.utr);
			});
			expect(await scheduleIds(utr)).toEqual([17, 18, 19]);
			expect(await scheduleIds(UTR_3)).toEqual([7, 8, 9]);
			expect((await listIds())[0]).toBe(46);
			// The original is untouched.
			expect(automation(3)).toMatchObject({
				status: 1,
				live_at: '2023-11-28 12:16:59',
				total_opens: 16,
			});
		});

		it('answers Record not found for an unknown utr', async () => {
			const answer = await call(
				sandbox,
				'GET',
				'automations/duplicate?utr=e9c7ff00-8d1c-11ee-91c4-b42e9970e599',
			);
			expect(answer.status).toBe(404);
			expect(answer.body).toEqual({ status: 'failed', errors: 'Record not found' });
			expect(sandbox.state.automations).toHaveLength(7);
		});

		it('answers Record not found without a utr', async () => {
			const answer = await call(sandbox, 'GET', 'automations/duplicate');
			expect(answer.status).toBe(404);
			expect(answer.body).toEqual({ status: 'failed', errors: 'Record not found' });
		});
	});

	describe('delete', () => {
		it('soft-deletes: details then answers Record Not Found and every endpoint forgets the record', async () => {
			const deleted = await call(sandbox, 'DELETE', `automations/delete?utr=${UTR_5}`);
			expect(deleted.body).toEqual({ status: 'success', message: 'Deleted Successfully' });
			const record = automation(5) as AutomationRecord;
			expectRecentTimestamp(record.deleted_at);
			expect(record.updated_at).toBe(record.deleted_at);

			expect((await call(sandbox, 'GET', `automations/details?utr=${UTR_5}`)).body).toEqual({
				status: 'failed',
				errors: 'Record Not Found',
			});
			for (const path of [
				`automations/duplicate?utr=${UTR_5}`,
				`automations/pause?utr=${UTR_5}`,
				`automations/set-live?utr=${UTR_5}`,
				`automations/schedule?utr=${UTR_5}`,
			]) {
				const answer = await call(sandbox, 'GET', path);
				expect({ path, status: answer.status, body: answer.body }).toEqual({
					path,
					status: 404,
					body: { status: 'failed', errors: 'Record not found' },
				});
			}
			expect((await call(sandbox, 'DELETE', `automations/delete?utr=${UTR_5}`)).body).toEqual({
				status: 'failed',
				errors: 'Record not found',
			});
			expect(
				(
					await call(
						sandbox,
						'DELETE',
						'automations/schedule/delete?utr=5a24b56e-89de-11ee-ae43-b42e9970e591',
					)
				).body,
			).toEqual({
				status: 'failed',
				errors: 'Record not found',
			});
			const schedule = await call(sandbox, 'POST', 'automations/schedule/create', {
				body: formData({
					utr: UTR_5,
					sender_id: '2',
					subject: 'S',
					waiting_period: '1',
					waiting_type: 'instantly',
					template_id: '2',
					preview_img: 'verify_email.png',
				}),
			});
			expect(schedule.body).toEqual({ status: 'failed', errors: 'Record not found' });
			expect(
				(
					await call(sandbox, 'POST', 'automations/bulk-delete', {
						body: formData({ 'strIds[0]': '5' }),
					})
				).body,
			).toEqual({
				status: 'failed',
				errors: 'Record not found',
			});
			expect(await listIds()).toEqual([45, 44, 8, 6, 3, 1]);
			// Still in the state, with its schedules.
			expect(sandbox.state.automations).toHaveLength(7);
			expect(sandbox.state.schedules.filter((record) => record.automation_id === 5)).toHaveLength(
				3,
			);
		});

		it('answers Record not found without a utr', async () => {
			expect((await call(sandbox, 'DELETE', 'automations/delete')).body).toEqual({
				status: 'failed',
				errors: 'Record not found',
			});
		});
	});

	describe('bulk delete', () => {
		const bulk = (body: string | FormData, contentType?: string) =>
			call(sandbox, 'POST', 'automations/bulk-delete', {
				headers: contentType === undefined ? {} : { 'Content-Type': contentType },
				body,
			});
		const urlencoded = 'application/x-www-form-urlencoded';
		const deletedIds = (): number[] =>
			sandbox.state.automations
				.filter((record) => record.deleted_at !== null)
				.map((record) => record.id);

		it('deletes the ids that exist and ignores the others', async () => {
			const answer = await bulk('strIds[0]=8&strIds[1]=999&strIds[2]=abc', urlencoded);
			expect(answer.body).toEqual({ status: 'success', message: 'Deleted Successfully' });
			expect(deletedIds()).toEqual([8]);
		});

		it('takes strIds[] (no indexes), percent-encoded or raw', async () => {
			expect((await bulk('strIds%5B%5D=8&strIds[]=44', urlencoded)).body).toEqual({
				status: 'success',
				message: 'Deleted Successfully',
			});
			expect(deletedIds()).toEqual([8, 44]);
			expect(sandbox.requests[0].fields).toEqual({ 'strIds[]': '44' });
		});

		it('takes strIds from multipart and from JSON', async () => {
			expect((await bulk(formData({ 'strIds[0]': '5', 'strIds[1]': '6' }))).status).toBe(200);
			expect((await bulk(JSON.stringify({ strIds: [1, '45'] }), 'application/json')).status).toBe(
				200,
			);
			expect(deletedIds()).toEqual([1, 5, 6, 45]);
		});

		it('answers Record not found when no id exists', async () => {
			const answer = await bulk('strIds[0]=1000&strIds[1]=2000', urlencoded);
			expect(answer.status).toBe(404);
			expect(answer.body).toEqual({ status: 'failed', errors: 'Record not found' });
		});

		it('requires strIds, as an array', async () => {
			const missing = await bulk('other=1', urlencoded);
			expect(missing.status).toBe(422);
			expect(missing.body).toEqual({
				status: 'failed',
				errors: { strIds: ['The str ids field is required.'] },
			});
			const empty = await bulk(JSON.stringify({ strIds: [] }), 'application/json');
			expect(empty.body).toEqual({
				status: 'failed',
				errors: { strIds: ['The str ids field is required.'] },
			});
			const scalar = await bulk('strIds=8', urlencoded);
			expect(scalar.status).toBe(422);
			expect(scalar.body).toEqual({
				status: 'failed',
				errors: { strIds: ['The str ids must be an array.'] },
			});
			const noBody = await call(sandbox, 'POST', 'automations/bulk-delete');
			expect(noBody.body).toEqual({
				status: 'failed',
				errors: { strIds: ['The str ids field is required.'] },
			});
			expect(deletedIds()).toEqual([]);
		});
	});

	describe('set live', () => {
		it('sets a draft live: status 1, live_at in UTC+6, updated_at in UTC', async () => {
			const answer = await call(sandbox, 'GET', `automations/set-live?utr=${UTR_5}`);
			expect(answer.body).toEqual({ status: 'success', message: 'Automation has been set live' });
			const record = automation(5) as AutomationRecord;
			expect(record.status).toBe(1);
			expect(record.live_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
			expectRecentTimestamp(record.updated_at);
			const liveAtAsUtc =
				Date.parse(`${(record.live_at as string).replace(' ', 'T')}Z`) - 6 * 3600 * 1000;
			expect(liveAtAsUtc).toBe(Date.parse(record.updated_at));
		});

		it('refuses an automation without unsubscribe group and changes nothing', async () => {
			const before = { ...automation(45) };
			const answer = await call(sandbox, 'GET', `automations/set-live?utr=${UTR_45}`);
			expect(answer.status).toBe(400);
			expect(answer.body).toEqual({
				status: 'failed',
				errors: 'Unsubscribe group require to live automation',
			});
			expect(automation(45)).toEqual(before);
		});

		it('leaves an automation that is already live as it is', async () => {
			const before = { ...automation(3) };
			expect((await call(sandbox, 'GET', `automations/set-live?utr=${UTR_3}`)).body).toEqual({
				status: 'success',
				message: 'Automation has been set live',
			});
			expect(automation(3)).toEqual(before);
		});

		it('answers Record not found for an unknown or missing utr', async () => {
			expect((await call(sandbox, 'GET', 'automations/set-live?utr=x')).body).toEqual({
				status: 'failed',
				errors: 'Record not found',
			});
			expect((await call(sandbox, 'GET', 'automations/set-live')).body).toEqual({
				status: 'failed',
				errors: 'Record not found',
			});
		});
	});

	describe('pause', () => {
		it('pauses a live automation: status 0, live_at kept', async () => {
			expect((await call(sandbox, 'GET', `automations/pause?utr=${UTR_3}`)).body).toEqual({
				status: 'success',
				message: 'Automation Paused Successfully',
			});
			const record = automation(3) as AutomationRecord;
			expect(record).toMatchObject({ status: 0, live_at: '2023-11-28 12:16:59' });
			expectRecentTimestamp(record.updated_at);
		});

		it('refuses a draft', async () => {
			const before = { ...automation(5) };
			const answer = await call(sandbox, 'GET', `automations/pause?utr=${UTR_5}`);
			expect(answer.status).toBe(400);
			expect(answer.body).toEqual({
				status: 'failed',
				errors: 'We allow pause only live automation',
			});
			expect(automation(5)).toEqual(before);
		});

		it('pauses, refuses a second pause, then sets live again', async () => {
			await call(sandbox, 'GET', `automations/pause?utr=${UTR_3}`);
			expect((await call(sandbox, 'GET', `automations/pause?utr=${UTR_3}`)).body).toEqual({
				status: 'failed',
				errors: 'We allow pause only live automation',
			});
			expect((await call(sandbox, 'GET', `automations/set-live?utr=${UTR_3}`)).body).toEqual({
				status: 'success',
				message: 'Automation has been set live',
			});
			expect(automation(3)?.status).toBe(1);
			expect(automation(3)?.live_at).not.toBe('2023-11-28 12:16:59');
		});
	});

	describe('details', () => {
		it('omits automation_schedule_count and answers Record Not Found without a utr', async () => {
			const answer = await call(sandbox, 'GET', `automations/details?utr=${UTR_45}`);
			expect(answer.body).toEqual({ status: 'success', message: { automation: automation(45) } });
			expect((await call(sandbox, 'GET', 'automations/details')).body).toEqual({
				status: 'failed',
				errors: 'Record Not Found',
			});
			expect((await call(sandbox, 'GET', 'automations/details?utr=')).body).toEqual({
				status: 'failed',
				errors: 'Record Not Found',
			});
		});
	});

	describe('schedules', () => {
		const validSchedule = {
			utr: UTR_1,
			sender_id: '7',
			subject: 'Second email',
			waiting_period: '2',
			waiting_type: 'hours',
			template_id: '3',
			preview_img: 'newsletter.png',
		};

		it('counts schedules in the list and follows creation and deletion', async () => {
			const count = async (): Promise<number> => {
				const answer = await call(sandbox, 'GET', 'automations');
				const records = (
					answer.body as {
						message: { automations: Array<{ id: number; automation_schedule_count: number }> };
					}
				).message.automations;
				return records.find((record) => record.id === 1)?.automation_schedule_count as number;
			};
			expect(await count()).toBe(1);
			expect(
				(
					await call(sandbox, 'POST', 'automations/schedule/create', {
						body: formData(validSchedule),
					})
				).body,
			).toEqual({ status: 'success', message: 'Schedule Added' });
			expect(await count()).toBe(2);
			const created = sandbox.state.schedules[sandbox.state.schedules.length - 1];
			expect(created).toMatchObject({
				id: 17,
				automation_id: 1,
				sender_id: 7,
				waiting_period: 2,
				waiting_type: 'hours',
				template_id: 3,
				template_json: null,
				template_html: null,
			});
			expect(created.created_at).toMatch(ISO_TIMESTAMP);
			expect(await scheduleIds(UTR_1)).toEqual([1, 17]);
			expect(
				(await call(sandbox, 'DELETE', `automations/schedule/delete?utr=${created.utr}`)).body,
			).toEqual({ status: 'success', message: 'Deleted Successfully' });
			expect(await count()).toBe(1);
			expect(await scheduleIds(UTR_1)).toEqual([1]);
			expect(
				(await call(sandbox, 'DELETE', `automations/schedule/delete?utr=${created.utr}`)).body,
			).toEqual({ status: 'failed', errors: 'Record not found' });
		});

		it('answers Record not found for an automation without schedules', async () => {
			const answer = await call(sandbox, 'GET', `automations/schedule?utr=${UTR_45}`);
			expect(answer.status).toBe(404);
			expect(answer.body).toEqual({ status: 'failed', errors: 'Record not found' });
		});

		it('validates every field with Laravel messages', async () => {
			const answer = await call(sandbox, 'POST', 'automations/schedule/create', {
				body: formData({ template_json: '{}' }),
			});
			expect(answer.status).toBe(422);
			expect(answer.body).toEqual({
				status: 'failed',
				errors: {
					utr: ['The utr field is required.'],
					sender_id: ['The sender id field is required.'],
					subject: ['The subject field is required.'],
					waiting_period: ['The waiting period field is required.'],
					waiting_type: ['The waiting type field is required.'],
					template_id: ['The template id field is required.'],
					preview_img: ['The preview img field is required.'],
				},
			});
		});

		it('refuses non-integers and an unknown waiting type', async () => {
			const answer = await call(sandbox, 'POST', 'automations/schedule/create', {
				body: formData({
					...validSchedule,
					sender_id: 'two',
					waiting_period: '1.5',
					waiting_type: 'weeks',
					template_id: 'x',
				}),
			});
			expect(answer.body).toEqual({
				status: 'failed',
				errors: {
					sender_id: ['The sender id must be an integer.'],
					waiting_period: ['The waiting period must be an integer.'],
					waiting_type: ['The selected waiting type is invalid.'],
					template_id: ['The template id must be an integer.'],
				},
			});
			expect(sandbox.state.schedules).toHaveLength(11);
		});

		it('answers Record not found for an unknown automation utr once the fields are valid', async () => {
			const answer = await call(sandbox, 'POST', 'automations/schedule/create', {
				body: formData({ ...validSchedule, utr: 'unknown' }),
			});
			expect(answer.status).toBe(404);
			expect(answer.body).toEqual({ status: 'failed', errors: 'Record not found' });
		});

		it('accepts every waiting type, template_json alone, and a urlencoded body', async () => {
			for (const waitingType of ['instantly', 'days', 'hours']) {
				const answer = await call(sandbox, 'POST', 'automations/schedule/create', {
					headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams({
						...validSchedule,
						waiting_type: waitingType,
						template_json: '{"a":1}',
					}).toString(),
				});
				expect(answer.body).toEqual({ status: 'success', message: 'Schedule Added' });
			}
			expect(
				sandbox.state.schedules
					.slice(-3)
					.map((record) => [record.waiting_type, record.template_json, record.template_html]),
			).toEqual([
				['instantly', '{"a":1}', null],
				['days', '{"a":1}', null],
				['hours', '{"a":1}', null],
			]);
		});
	});

	describe('reset()', () => {
		it('restores the seed records in place, clears the requests and keeps references valid', async () => {
			const state = sandbox.state;
			const automations = sandbox.state.automations;
			await create({ type: 'custom', automation_name: 'Temp', unsubscribe_group_id: '3' });
			await call(sandbox, 'DELETE', `automations/delete?utr=${UTR_3}`);
			await call(
				sandbox,
				'DELETE',
				'automations/schedule/delete?utr=5a24b56e-89de-11ee-ae43-b42e9970e591',
			);
			sandbox.state.templates.length = 0;
			expect(sandbox.requests).toHaveLength(3);

			sandbox.reset();
			expect(sandbox.requests).toHaveLength(0);
			expect(sandbox.state).toBe(state);
			expect(sandbox.state.automations).toBe(automations);
			expect(sandbox.state).toEqual(createSeedState(sandbox.baseUrl));
			expect(await listIds()).toEqual([45, 44, 8, 6, 5, 3, 1]);
			// Ids start again from the seed.
			const utr = createdUtr(
				(await create({ type: 'custom', automation_name: 'Again', unsubscribe_group_id: '3' }))
					.body,
			);
			expect(byUtr(utr)?.id).toBe(46);
		});

		it('gives independent copies: mutating the state does not change the seed', async () => {
			sandbox.state.automations[0].automation_name = 'Changed';
			sandbox.reset();
			expect(sandbox.state.automations[0].automation_name).toBe('Welcome Series');
		});
	});
});
