/**
 * Replays every request example of the vendor's docs (the curl samples: method, path, query, headers, form
 * fields; the other languages send the same) against the sandbox, and compares the answers with the docs'
 * example responses wherever the seed makes them comparable.
 */
import FormDataPackage from 'form-data';

import {
	DOCS_AUTOMATION_3,
	DOCS_AUTOMATION_5,
	bodyInit,
	docsUrl,
	expectRecentTimestamp,
	formData,
	KEYS,
	send,
} from './helpers';
import { Sandbox, startSandbox, UTR_PATTERN } from '../server';

const MISSING_KEYS_BODY = {
	status: 'failed',
	errors: {
		PublicKey: ['The public key field is required.'],
		SecretKey: ['The secret key field is required.'],
	},
};

/** The curl sample's headers, with the sandbox's keys in place of YOUR_PUBLIC_KEY / YOUR_SECRET_KEY. */
const CURL_HEADERS = { PublicKey: KEYS.PublicKey, SecretKey: KEYS.SecretKey };

describe('the docs request examples, replayed', () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	beforeEach(() => sandbox.reset());
	afterAll(async () => {
		await sandbox.close();
	});

	it('answers on a base URL with no trailing slash, 127.0.0.1 and the chosen port', () => {
		expect(sandbox.baseUrl).toBe(`http://127.0.0.1:${sandbox.port}/api`);
		expect(sandbox.port).toBeGreaterThan(0);
	});

	describe('Get All Automation — GET BASE_URL/automations', () => {
		it('answers the docs example records (5 then 3), newest first', async () => {
			const answer = await send(docsUrl(sandbox, 'automations'), {
				method: 'GET',
				headers: CURL_HEADERS,
			});
			expect(answer.status).toBe(200);
			expect(answer.headers.get('content-type')).toBe('application/json');
			const body = answer.body as {
				status: string;
				message: { automations: Array<{ id: number }> };
			};
			expect(body.status).toBe('success');
			expect(Object.keys(body.message)).toEqual(['automations']);
			expect(body.message.automations.map((record) => record.id)).toEqual([45, 44, 8, 6, 5, 3, 1]);
			expect(body.message.automations[4]).toEqual({
				...DOCS_AUTOMATION_5,
				automation_schedule_count: 3,
			});
			expect(body.message.automations[5]).toEqual({
				...DOCS_AUTOMATION_3,
				automation_schedule_count: 3,
			});
			// Field order as in the docs.
			expect(Object.keys(body.message.automations[4])).toEqual([
				...Object.keys(DOCS_AUTOMATION_5),
				'automation_schedule_count',
			]);
		});

		it('records the request as sent (double slash kept in the path)', async () => {
			await send(docsUrl(sandbox, 'automations'), { method: 'GET', headers: CURL_HEADERS });
			expect(sandbox.requests).toHaveLength(1);
			const request = sandbox.requests[0];
			expect(request.method).toBe('GET');
			expect(request.path).toBe('/api//automations');
			expect(request.rawQuery).toBe('');
			expect(request.query).toEqual({});
			expect(request.headers.publickey).toBe(KEYS.PublicKey);
			expect(request.headers.secretkey).toBe(KEYS.SecretKey);
			expect(request.bodyEncoding).toBe('none');
			expect(request.contentType).toBeUndefined();
			expect(request.rawBody).toBe('');
			expect(request.fields).toEqual({});
			expect(request.status).toBe(200);
			expect((request.response as { status: string }).status).toBe('success');
		});

		it('answers the documented failure body when there is no automation', async () => {
			for (const record of sandbox.state.automations)
				record.deleted_at = '2024-01-01T00:00:00.000000Z';
			const answer = await send(docsUrl(sandbox, 'automations'), {
				method: 'GET',
				headers: CURL_HEADERS,
			});
			expect(answer).toMatchObject({
				status: 404,
				body: { status: 'failed', errors: 'Record Not Found' },
			});
			expect(answer.body).toEqual({ status: 'failed', errors: 'Record Not Found' });
		});
	});

	describe('Create Automation — POST BASE_URL/automations/create', () => {
		const CURL_FORM = {
			type: 'custom',
			automation_for: 'contacts_3',
			automation_name: 'Api Automation',
			unsubscribe_group_id: '3',
		};

		it('answers {status: success, message: {utr}} and stores the documented record', async () => {
			const answer = await send(docsUrl(sandbox, 'automations/create'), {
				method: 'POST',
				headers: CURL_HEADERS,
				body: formData(CURL_FORM),
			});
			expect(answer.status).toBe(200);
			const utr = (answer.body as { message: { utr: string } }).message.utr;
			expect(answer.body).toEqual({ status: 'success', message: { utr } });
			expect(utr).toMatch(UTR_PATTERN);

			const request = sandbox.requests[0];
			expect(request.path).toBe('/api//automations/create');
			expect(request.contentType).toBe('multipart/form-data');
			expect(request.bodyEncoding).toBe('multipart');
			expect(request.fields).toEqual(CURL_FORM);

			const stored = sandbox.state.automations.find((record) => record.utr === utr);
			expect(stored).toEqual({
				id: 46,
				user_id: 6790,
				automation_for: 3,
				automation_for_table: 'contacts_',
				automation_name: 'Api Automation',
				exit_criteria: 1,
				unsubscribe_group_id: '3',
				automation_type: 0,
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
				created_at: stored?.created_at,
				updated_at: stored?.created_at,
			});
			expectRecentTimestamp(stored?.created_at);
		});

		it('takes the same form from the form-data package (the Node sample uses request formData)', async () => {
			const form = new FormDataPackage();
			for (const [name, value] of Object.entries(CURL_FORM)) form.append(name, value);
			const answer = await send(docsUrl(sandbox, 'automations/create'), {
				method: 'POST',
				headers: { ...CURL_HEADERS, ...form.getHeaders() },
				body: bodyInit(form.getBuffer()),
			});
			const utr = (answer.body as { message: { utr: string } }).message.utr;
			expect(answer).toMatchObject({ status: 200 });
			expect(answer.body).toEqual({ status: 'success', message: { utr } });
			expect(sandbox.requests[0].bodyEncoding).toBe('multipart');
			expect(sandbox.requests[0].fields).toEqual(CURL_FORM);
		});

		it('answers the documented failure without automation_name', async () => {
			const { automation_name: _omitted, ...withoutName } = CURL_FORM;
			const answer = await send(docsUrl(sandbox, 'automations/create'), {
				method: 'POST',
				headers: CURL_HEADERS,
				body: formData(withoutName),
			});
			expect(answer.status).toBe(422);
			expect(answer.body).toEqual({
				status: 'failed',
				errors: { automation_name: ['The automation name field is required.'] },
			});
		});
	});

	describe('Duplicate Automation — GET BASE_URL/automations/duplicate?utr=', () => {
		it('copies the docs example utr and answers {utr} of the copy', async () => {
			const answer = await send(
				docsUrl(sandbox, 'automations/duplicate?utr=e9c7ff00-8d1c-11ee-91c4-b42e9970e592'),
				{
					method: 'GET',
					headers: CURL_HEADERS,
				},
			);
			const utr = (answer.body as { message: { utr: string } }).message.utr;
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({ status: 'success', message: { utr } });
			expect(utr).toMatch(UTR_PATTERN);
			expect(utr).not.toBe('e9c7ff00-8d1c-11ee-91c4-b42e9970e592');
			expect(sandbox.requests[0].query).toEqual({ utr: 'e9c7ff00-8d1c-11ee-91c4-b42e9970e592' });
			expect(sandbox.requests[0].rawQuery).toBe('utr=e9c7ff00-8d1c-11ee-91c4-b42e9970e592');
		});

		it('answers the documented failure (missing keys) without the headers', async () => {
			const answer = await send(
				docsUrl(sandbox, 'automations/duplicate?utr=e9c7ff00-8d1c-11ee-91c4-b42e9970e592'),
			);
			expect(answer.status).toBe(401);
			expect(answer.body).toEqual(MISSING_KEYS_BODY);
			expect(sandbox.state.automations).toHaveLength(7);
		});
	});

	describe('Get Automation Details — GET BASE_URL/automations/details?utr=', () => {
		it('answers the docs example body exactly', async () => {
			const answer = await send(
				docsUrl(sandbox, 'automations/details?utr=e9c7ff00-8d1c-11ee-91c4-b42e9970e591'),
				{
					method: 'GET',
					headers: CURL_HEADERS,
				},
			);
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({
				status: 'success',
				message: { automation: DOCS_AUTOMATION_5 },
			});
			expect(
				Object.keys((answer.body as { message: { automation: object } }).message.automation),
			).toEqual(Object.keys(DOCS_AUTOMATION_5));
		});

		it('answers the documented failure for an unknown utr', async () => {
			const answer = await send(
				docsUrl(sandbox, 'automations/details?utr=00000000-0000-11ee-8000-000000000000'),
				{
					headers: CURL_HEADERS,
				},
			);
			expect(answer.status).toBe(404);
			expect(answer.body).toEqual({ status: 'failed', errors: 'Record Not Found' });
		});
	});

	describe('Pause Automation — GET BASE_URL/automations/pause?utr=', () => {
		it('pauses the docs example (live) automation', async () => {
			const answer = await send(
				docsUrl(sandbox, 'automations/pause?utr=4dce63f6-8825-11ee-a739-b42e9970e591'),
				{
					method: 'GET',
					headers: CURL_HEADERS,
				},
			);
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({ status: 'success', message: 'Automation Paused Successfully' });
			expect(sandbox.state.automations.find((record) => record.id === 3)?.status).toBe(0);
		});

		it('answers the documented failure for an unknown utr', async () => {
			const answer = await send(
				docsUrl(sandbox, 'automations/pause?utr=00000000-0000-11ee-8000-000000000000'),
				{
					headers: CURL_HEADERS,
				},
			);
			expect(answer.status).toBe(404);
			expect(answer.body).toEqual({ status: 'failed', errors: 'Record not found' });
		});
	});

	describe('Set Live Automation — GET BASE_URL/automations/set-live?utr=', () => {
		it('answers the documented success for the docs example utr', async () => {
			const answer = await send(
				docsUrl(sandbox, 'automations/set-live?utr=4dce63f6-8825-11ee-a739-b42e9970e591'),
				{
					method: 'GET',
					headers: CURL_HEADERS,
				},
			);
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({ status: 'success', message: 'Automation has been set live' });
		});

		it('answers the documented failure for an automation without unsubscribe group', async () => {
			const answer = await send(
				docsUrl(sandbox, 'automations/set-live?utr=405420d2-9407-11ee-8a8b-b42e9970e591'),
				{
					headers: CURL_HEADERS,
				},
			);
			expect(answer.status).toBe(400);
			expect(answer.body).toEqual({
				status: 'failed',
				errors: 'Unsubscribe group require to live automation',
			});
		});
	});

	describe('Delete Automation — DELETE BASE_URL/automations/delete?utr=', () => {
		it('answers the documented success, then the documented failure for the same utr', async () => {
			const url = docsUrl(sandbox, 'automations/delete?utr=4dce63f6-8825-11ee-a739-b42e9970e591');
			const first = await send(url, { method: 'DELETE', headers: CURL_HEADERS });
			expect(first.status).toBe(200);
			expect(first.body).toEqual({ status: 'success', message: 'Deleted Successfully' });
			const second = await send(url, { method: 'DELETE', headers: CURL_HEADERS });
			expect(second.status).toBe(404);
			expect(second.body).toEqual({ status: 'failed', errors: 'Record not found' });
		});
	});

	describe('Bulk Delete Automation — POST BASE_URL/automations/bulk-delete', () => {
		it('takes the curl sample body (--data-urlencode keeps the brackets raw)', async () => {
			const answer = await send(docsUrl(sandbox, 'automations/bulk-delete'), {
				method: 'POST',
				headers: { ...CURL_HEADERS, 'Content-Type': 'application/x-www-form-urlencoded' },
				body: 'strIds[0]=8&strIds[1]=44',
			});
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({ status: 'success', message: 'Deleted Successfully' });
			expect(sandbox.requests[0].bodyEncoding).toBe('urlencoded');
			expect(sandbox.requests[0].fields).toEqual({ 'strIds[0]': '8', 'strIds[1]': '44' });
			const deleted = sandbox.state.automations
				.filter((record) => record.deleted_at !== null)
				.map((record) => record.id);
			expect(deleted).toEqual([8, 44]);
		});

		it('takes the Python / PHP / Ruby sample body (percent-encoded brackets), then fails on the same ids', async () => {
			const request = {
				method: 'POST',
				headers: { ...CURL_HEADERS, 'Content-Type': 'application/x-www-form-urlencoded' },
				body: 'strIds%5B0%5D=8&strIds%5B1%5D=44',
			};
			const first = await send(docsUrl(sandbox, 'automations/bulk-delete'), request);
			expect(first.status).toBe(200);
			expect(first.body).toEqual({ status: 'success', message: 'Deleted Successfully' });
			expect(sandbox.requests[0].rawBody).toBe('strIds%5B0%5D=8&strIds%5B1%5D=44');
			expect(sandbox.requests[0].fields).toEqual({ 'strIds[0]': '8', 'strIds[1]': '44' });
			const second = await send(docsUrl(sandbox, 'automations/bulk-delete'), request);
			expect(second.status).toBe(404);
			expect(second.body).toEqual({ status: 'failed', errors: 'Record not found' });
		});
	});

	describe('Get Automation Schedules — GET BASE_URL/automations/schedule?utr=', () => {
		it('answers the docs example schedule first, oldest first', async () => {
			const answer = await send(
				docsUrl(sandbox, 'automations/schedule?utr=e9c7ff00-8d1c-11ee-91c4-b42e9970e591'),
				{
					method: 'GET',
					headers: CURL_HEADERS,
				},
			);
			expect(answer.status).toBe(200);
			const body = answer.body as {
				status: string;
				message: { automation_schedules: Array<Record<string, unknown>> };
			};
			expect(body.status).toBe('success');
			expect(Object.keys(body.message)).toEqual(['automation_schedules']);
			expect(body.message.automation_schedules.map((record) => record.id)).toEqual([10, 11, 12]);
			// The docs elide template_json and template_html ("...").
			expect(body.message.automation_schedules[0]).toEqual({
				id: 10,
				user_id: 6790,
				automation_id: 5,
				sender_id: 2,
				subject: 'How is your days goes to',
				waiting_period: 1,
				waiting_type: 'instantly',
				utr: '5a24b56e-89de-11ee-ae43-b42e9970e591',
				template_id: 2,
				preview_img: 'verify_email.png',
				template_json: expect.any(String),
				template_html: expect.any(String),
				created_at: '2023-11-27T12:03:01.000000Z',
				updated_at: '2023-11-27T12:03:01.000000Z',
				design_url: `${sandbox.baseUrl}/user/automations/schedule/email/design/5a24b56e-89de-11ee-ae43-b42e9970e591`,
				image: `${sandbox.baseUrl}/assets/sample_template/verify_email.png`,
			});
			expect(Object.keys(body.message.automation_schedules[0])).toEqual([
				'id',
				'user_id',
				'automation_id',
				'sender_id',
				'subject',
				'waiting_period',
				'waiting_type',
				'utr',
				'template_id',
				'preview_img',
				'template_json',
				'template_html',
				'created_at',
				'updated_at',
				'design_url',
				'image',
			]);
		});

		it('answers the documented failure for an unknown utr', async () => {
			const answer = await send(
				docsUrl(sandbox, 'automations/schedule?utr=00000000-0000-11ee-8000-000000000000'),
				{
					headers: CURL_HEADERS,
				},
			);
			expect(answer.status).toBe(404);
			expect(answer.body).toEqual({ status: 'failed', errors: 'Record not found' });
		});
	});

	describe('Create Automation Schedule — POST BASE_URL/automations/schedule/create', () => {
		const CURL_FORM = {
			utr: '381da846-8780-11ee-835d-b42e9970e591',
			sender_id: '2',
			subject: 'Test Api Subject',
			waiting_period: '1',
			waiting_type: 'instantly',
			template_id: '2',
			preview_img: 'verify_email.png',
			template_json: 'abc',
			template_html: 'xyz',
		};

		it('answers "Schedule Added" and lists the new schedule last', async () => {
			const answer = await send(docsUrl(sandbox, 'automations/schedule/create'), {
				method: 'POST',
				headers: CURL_HEADERS,
				body: formData(CURL_FORM),
			});
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({ status: 'success', message: 'Schedule Added' });
			expect(sandbox.requests[0].bodyEncoding).toBe('multipart');
			expect(sandbox.requests[0].fields).toEqual(CURL_FORM);

			const list = await send(
				docsUrl(sandbox, 'automations/schedule?utr=381da846-8780-11ee-835d-b42e9970e591'),
				{
					headers: CURL_HEADERS,
				},
			);
			const schedules = (
				list.body as { message: { automation_schedules: Array<Record<string, unknown>> } }
			).message.automation_schedules;
			expect(schedules.map((record) => record.id)).toEqual([1, 17]);
			const created = schedules[1];
			expect(created).toEqual({
				id: 17,
				user_id: 6790,
				automation_id: 1,
				sender_id: 2,
				subject: 'Test Api Subject',
				waiting_period: 1,
				waiting_type: 'instantly',
				utr: created.utr,
				template_id: 2,
				preview_img: 'verify_email.png',
				template_json: 'abc',
				template_html: 'xyz',
				created_at: created.created_at,
				updated_at: created.created_at,
				design_url: `${sandbox.baseUrl}/user/automations/schedule/email/design/${created.utr as string}`,
				image: `${sandbox.baseUrl}/assets/sample_template/verify_email.png`,
			});
			expect(created.utr).toMatch(UTR_PATTERN);
			expectRecentTimestamp(created.created_at);
		});

		it('answers the documented failure without sender_id, subject and waiting_type', async () => {
			const { sender_id: _s, subject: _j, waiting_type: _w, ...rest } = CURL_FORM;
			const answer = await send(docsUrl(sandbox, 'automations/schedule/create'), {
				method: 'POST',
				headers: CURL_HEADERS,
				body: formData(rest),
			});
			expect(answer.status).toBe(422);
			expect(answer.body).toEqual({
				status: 'failed',
				errors: {
					sender_id: ['The sender id field is required.'],
					subject: ['The subject field is required.'],
					waiting_type: ['The waiting type field is required.'],
				},
			});
		});
	});

	describe('Delete Automation Schedule — DELETE BASE_URL/automations/schedule/delete?utr=', () => {
		it("answers the documented failure for the docs example (an automation's utr, not a schedule's)", async () => {
			const answer = await send(
				docsUrl(sandbox, 'automations/schedule/delete?utr=4dce63f6-8825-11ee-a739-b42e9970e591'),
				{
					method: 'DELETE',
					headers: CURL_HEADERS,
				},
			);
			expect(answer.status).toBe(404);
			expect(answer.body).toEqual({ status: 'failed', errors: 'Record not found' });
		});

		it('answers the documented success for a schedule utr from Get Automation Schedules', async () => {
			const answer = await send(
				docsUrl(sandbox, 'automations/schedule/delete?utr=5a24b56e-89de-11ee-ae43-b42e9970e591'),
				{
					method: 'DELETE',
					headers: CURL_HEADERS,
				},
			);
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({ status: 'success', message: 'Deleted Successfully' });
			expect(sandbox.state.schedules.some((record) => record.id === 10)).toBe(false);
		});
	});
});
