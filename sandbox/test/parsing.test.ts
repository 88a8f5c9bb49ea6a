/** Body parsing (multipart, urlencoded, JSON), what the log records of it, and robustness against bad bodies. */
import FormDataPackage from 'form-data';

import { addPhpField, InputBag, parseBody, parseHeaderValue } from '../body';
import { call, formData, KEYS, rawRequest } from './helpers';
import { Sandbox, startSandbox } from '../server';

const CREATE_FIELDS = {
	type: 'welcome',
	automation_for: 'segments_25',
	automation_name: 'Parsed Automation',
	unsubscribe_group_id: '4',
};

/** A multipart body written by hand, with CRLF line breaks unless told otherwise. */
function multipart(
	boundary: string,
	parts: string[],
	options: { eol?: string; preamble?: string; epilogue?: string } = {},
): string {
	const eol = options.eol ?? '\r\n';
	const preamble = options.preamble === undefined ? '' : options.preamble + eol;
	return (
		preamble +
		parts.map((part) => `--${boundary}${eol}${part}${eol}`).join('') +
		`--${boundary}--` +
		(options.epilogue ?? eol)
	);
}

function textPart(name: string, value: string, eol = '\r\n'): string {
	return `Content-Disposition: form-data; name="${name}"${eol}${eol}${value}`;
}

describe('body parsing through the server', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	beforeEach(() => sandbox.reset());
	afterAll(async () => {
		await sandbox.close();
	});

	const created = (): Record<string, unknown> | undefined =>
		sandbox.state.automations.find(
			(record) => record.automation_name === 'Parsed Automation',
		) as unknown as Record<string, unknown>;

	it('multipart from the global FormData: recorded as multipart, fields as text parts', async () => {
		const answer = await call(sandbox, 'POST', 'automations/create', {
			body: formData(CREATE_FIELDS),
		});
		expect(answer.status).toBe(200);
		const request = sandbox.requests[0];
		expect(request.contentType).toBe('multipart/form-data');
		expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(request.bodyEncoding).toBe('multipart');
		expect(request.fields).toEqual(CREATE_FIELDS);
		expect(request.rawBody).toContain(
			'Content-Disposition: form-data; name="automation_name"\r\n\r\nParsed Automation\r\n',
		);
		expect(created()).toMatchObject({
			automation_for: 25,
			automation_for_table: 'segments_',
			automation_type: 1,
			unsubscribe_group_id: '4',
		});
	});

	it('multipart from the form-data package', async () => {
		const form = new FormDataPackage();
		for (const [name, value] of Object.entries(CREATE_FIELDS)) form.append(name, value);
		const answer = await call(sandbox, 'POST', 'automations/create', {
			headers: form.getHeaders(),
			body: form.getBuffer(),
		});
		expect(answer.status).toBe(200);
		expect(sandbox.requests[0].bodyEncoding).toBe('multipart');
		expect(sandbox.requests[0].fields).toEqual(CREATE_FIELDS);
		expect(created()).toMatchObject({ automation_name: 'Parsed Automation' });
	});

	it('multipart written by hand: quoted boundary, preamble, epilogue, escaped quotes, UTF-8, empty value, a file part', async () => {
		const boundary = 'b0und:ary with space';
		const body = multipart(
			boundary,
			[
				textPart('type', 'welcome'),
				'content-disposition: form-data; name=automation_for\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nsegments_25',
				textPart('automation_name', 'Parsed Automation'),
				textPart('unsubscribe_group_id', '4'),
				'Content-Disposition: form-data; name="odd \\"name\\"; semi"\r\n\r\nvalue; with "quotes"',
				textPart('note', 'Grüße — 日本'),
				textPart('empty', ''),
				'Content-Disposition: form-data; name="upload"; filename="design.json"\r\nContent-Type: application/octet-stream\r\n\r\nBINARY',
			],
			{ preamble: 'This is a preamble.', epilogue: '\r\nThis is an epilogue.\r\n' },
		);
		const [before, after] = body.split('BINARY');
		const answer = await call(sandbox, 'POST', 'automations/create', {
			headers: { 'Content-Type': `multipart/form-data; boundary="${boundary}"` },
			body: Buffer.concat([
				Buffer.from(before, 'utf8'),
				Buffer.from([0xff, 0xfe, 0x00]),
				Buffer.from(after, 'utf8'),
			]),
		});
		expect(answer.status).toBe(200);
		expect(sandbox.requests[0].bodyEncoding).toBe('multipart');
		expect(sandbox.requests[0].fields).toEqual({
			...CREATE_FIELDS,
			'odd "name"; semi': 'value; with "quotes"',
			note: 'Grüße — 日本',
			empty: '',
		});
		expect(created()).toMatchObject({ automation_for: 25, automation_name: 'Parsed Automation' });
	});

	it('multipart with bare LF line breaks', async () => {
		const body = multipart(
			'lfonly',
			Object.entries(CREATE_FIELDS).map(([name, value]) => textPart(name, value, '\n')),
			{ eol: '\n' },
		);
		const answer = await call(sandbox, 'POST', 'automations/create', {
			headers: { 'Content-Type': 'multipart/form-data; boundary=lfonly' },
			body,
		});
		expect(answer.status).toBe(200);
		expect(sandbox.requests[0].fields).toEqual(CREATE_FIELDS);
	});

	it('multipart values keep inner line breaks and leading dashes; the API input is trimmed', async () => {
		const html = '<p>\r\nline one\r\n--not-a-boundary\r\n</p>';
		const answer = await call(sandbox, 'POST', 'automations/schedule/create', {
			body: formData({
				utr: '381da846-8780-11ee-835d-b42e9970e591',
				sender_id: '2',
				subject: '  Padded subject  ',
				waiting_period: '3',
				waiting_type: 'days',
				template_id: '2',
				preview_img: 'verify_email.png',
				template_html: html,
			}),
		});
		expect(answer.body).toEqual({ status: 'success', message: 'Schedule Added' });
		expect(sandbox.requests[0].fields.template_html).toBe(html);
		expect(sandbox.requests[0].fields.subject).toBe('  Padded subject  ');
		const schedule = sandbox.state.schedules[sandbox.state.schedules.length - 1];
		expect(schedule).toMatchObject({
			subject: 'Padded subject',
			template_html: html,
			template_json: null,
			waiting_period: 3,
			waiting_type: 'days',
		});
	});

	it('urlencoded: raw and percent-encoded brackets, "+" as space, last repeated name wins in fields', async () => {
		const answer = await call(sandbox, 'POST', 'automations/create', {
			headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
			body: 'type=custom&automation_name=Parsed+Automation&unsubscribe_group_id=3&x%5B0%5D=a&x[1]=b&dup=1&dup=2&flag',
		});
		expect(answer.status).toBe(200);
		const request = sandbox.requests[0];
		expect(request.contentType).toBe('application/x-www-form-urlencoded');
		expect(request.bodyEncoding).toBe('urlencoded');
		expect(request.fields).toEqual({
			type: 'custom',
			automation_name: 'Parsed Automation',
			unsubscribe_group_id: '3',
			'x[0]': 'a',
			'x[1]': 'b',
			dup: '2',
			flag: '',
		});
		expect(created()).toMatchObject({
			automation_type: 0,
			automation_for: null,
			automation_for_table: null,
		});
	});

	it('JSON: top-level values stringified in fields, JSON types accepted by the API', async () => {
		const answer = await call(sandbox, 'POST', 'automations/create', {
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({
				type: 'custom',
				automation_name: 'Parsed Automation',
				unsubscribe_group_id: 3,
				automation_for: 'contacts_10',
				extra: { a: [1, null] },
				flag: true,
			}),
		});
		expect(answer.status).toBe(200);
		const request = sandbox.requests[0];
		expect(request.contentType).toBe('application/json');
		expect(request.bodyEncoding).toBe('json');
		expect(request.fields).toEqual({
			type: 'custom',
			automation_name: 'Parsed Automation',
			unsubscribe_group_id: '3',
			automation_for: 'contacts_10',
			extra: '{"a":[1,null]}',
			flag: 'true',
		});
		expect(created()).toMatchObject({
			unsubscribe_group_id: '3',
			automation_for: 10,
			automation_for_table: 'contacts_',
		});
	});

	it('JSON with a +json media type and a charset parameter', async () => {
		const answer = await call(sandbox, 'POST', 'automations/bulk-delete', {
			headers: { 'Content-Type': 'application/vnd.api+json; charset=utf-8' },
			body: '{"strIds":[8,"44"]}',
		});
		expect(answer.body).toEqual({ status: 'success', message: 'Deleted Successfully' });
		expect(sandbox.requests[0]).toMatchObject({
			contentType: 'application/vnd.api+json',
			bodyEncoding: 'json',
			fields: { strIds: '[8,"44"]' },
		});
	});

	it("records an unknown content type as 'other' with no fields", async () => {
		const answer = await call(sandbox, 'POST', 'automations/create', {
			headers: { 'Content-Type': 'text/plain' },
			body: 'type=custom',
		});
		expect(answer.status).toBe(422);
		expect(sandbox.requests[0]).toMatchObject({
			contentType: 'text/plain',
			bodyEncoding: 'other',
			rawBody: 'type=custom',
			fields: {},
		});
	});

	it("records a body without Content-Type as 'other', and an empty body as 'none'", async () => {
		await rawRequest(sandbox, {
			method: 'POST',
			path: '/api/automations/create',
			headers: KEYS,
			body: 'type=custom',
		});
		expect(sandbox.requests[0]).toMatchObject({
			contentType: undefined,
			bodyEncoding: 'other',
			rawBody: 'type=custom',
			fields: {},
		});
		await rawRequest(sandbox, {
			method: 'POST',
			path: '/api/automations/create',
			headers: { ...KEYS, 'Content-Type': 'application/x-www-form-urlencoded' },
			body: '',
		});
		expect(sandbox.requests[1]).toMatchObject({
			contentType: 'application/x-www-form-urlencoded',
			bodyEncoding: 'none',
			rawBody: '',
			fields: {},
		});
	});

	it('reads query parameters as input too (the body wins)', async () => {
		const answer = await call(
			sandbox,
			'POST',
			'automations/create?type=welcome&automation_name=From+query',
			{
				body: formData({ automation_name: 'Parsed Automation', unsubscribe_group_id: '3' }),
			},
		);
		expect(answer.status).toBe(200);
		expect(created()).toMatchObject({ automation_type: 1 });
		expect(
			sandbox.state.automations.some((record) => record.automation_name === 'From query'),
		).toBe(false);
	});

	describe('malformed bodies answer 400 with a failed body, and the server keeps serving', () => {
		const malformed: Array<{
			name: string;
			contentType: string;
			body: Buffer | string;
			error: string;
		}> = [
			{
				name: 'invalid JSON',
				contentType: 'application/json',
				body: '{"type": "custom",',
				error: 'The JSON body cannot be parsed: ',
			},
			{
				name: 'a JSON array',
				contentType: 'application/json',
				body: '[1,2]',
				error: 'The JSON body must be an object.',
			},
			{
				name: 'JSON null',
				contentType: 'application/json',
				body: 'null',
				error: 'The JSON body must be an object.',
			},
			{
				name: 'bad UTF-8 in JSON',
				contentType: 'application/json',
				body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
				error: 'The JSON body is not valid UTF-8.',
			},
			{
				name: 'bad UTF-8 in a urlencoded body',
				contentType: 'application/x-www-form-urlencoded',
				body: Buffer.from([0x61, 0x3d, 0xc3, 0x28]),
				error: 'The urlencoded body is not valid UTF-8.',
			},
			{
				name: 'bad percent-encoding',
				contentType: 'application/x-www-form-urlencoded',
				body: 'a=%zz',
				error: 'Malformed percent-encoding in the urlencoded body: "a=%zz".',
			},
			{
				name: 'percent-encoded bytes that are not UTF-8',
				contentType: 'application/x-www-form-urlencoded',
				body: 'strIds%5B0%5D=%FF',
				error: 'Malformed percent-encoding in the urlencoded body: "strIds%5B0%5D=%FF".',
			},
			{
				name: 'multipart without boundary',
				contentType: 'multipart/form-data',
				body: '--x\r\n\r\n--x--',
				error: 'The multipart body has no boundary parameter in its Content-Type.',
			},
			{
				name: 'multipart missing its boundary',
				contentType: 'multipart/form-data; boundary=abc',
				body: 'type=custom',
				error: 'The multipart body does not contain its boundary.',
			},
			{
				name: 'multipart without closing boundary',
				contentType: 'multipart/form-data; boundary=abc',
				body: '--abc\r\nContent-Disposition: form-data; name="a"\r\n\r\n1',
				error: 'The multipart body ends without its closing boundary.',
			},
			{
				name: 'multipart part without name',
				contentType: 'multipart/form-data; boundary=abc',
				body: '--abc\r\nContent-Disposition: form-data\r\n\r\n1\r\n--abc--\r\n',
				error: 'A multipart part has no Content-Disposition: form-data header with a name.',
			},
			{
				name: 'multipart part without headers end',
				contentType: 'multipart/form-data; boundary=abc',
				body: '--abc\r\nContent-Disposition: form-data; name="a"\r\n--abc--\r\n',
				error: 'A multipart part has no blank line after its headers.',
			},
			{
				name: 'multipart whose only boundary-like line is longer',
				contentType: 'multipart/form-data; boundary=abc',
				body: '--abcdef\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--abcdef--\r\n',
				error: 'The multipart body does not contain its boundary.',
			},
			{
				name: 'bad UTF-8 in a multipart text part',
				contentType: 'multipart/form-data; boundary=abc',
				body: Buffer.concat([
					Buffer.from('--abc\r\nContent-Disposition: form-data; name="type"\r\n\r\n'),
					Buffer.from([0xe2, 0x82]),
					Buffer.from('\r\n--abc--\r\n'),
				]),
				error: 'The multipart field "type" is not valid UTF-8.',
			},
		];

		for (const testCase of malformed) {
			it(testCase.name, async () => {
				const answer = await call(sandbox, 'POST', 'automations/create', {
					headers: { 'Content-Type': testCase.contentType },
					body: testCase.body,
				});
				expect(answer.status).toBe(400);
				expect((answer.body as { status: string }).status).toBe('failed');
				expect((answer.body as { errors: string }).errors.startsWith(testCase.error)).toBe(true);
				if (!testCase.error.endsWith(': '))
					expect(answer.body).toEqual({ status: 'failed', errors: testCase.error });
				expect(sandbox.requests[0].status).toBe(400);
				expect(sandbox.requests[0].fields).toEqual({});
				expect(sandbox.state.automations).toHaveLength(7);
				const after = await call(sandbox, 'GET', 'automations');
				expect(after.status).toBe(200);
			});
		}

		it('records bad UTF-8 with replacement characters in rawBody', async () => {
			await call(sandbox, 'POST', 'automations/bulk-delete', {
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: Buffer.from([0x61, 0x3d, 0xff]),
			});
			expect(sandbox.requests[0].rawBody).toBe('a=\ufffd');
			expect(sandbox.requests[0].bodyEncoding).toBe('urlencoded');
		});

		it('keeps field names such as __proto__ as plain fields (no prototype pollution)', async () => {
			const answer = await call(
				sandbox,
				'POST',
				'automations/create?__proto__[polluted]=q&constructor[x]=1',
				{
					headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
					body: '__proto__[polluted]=yes&__proto__=1&type=custom&automation_name=Parsed+Automation&unsubscribe_group_id=3',
				},
			);
			expect(answer.status).toBe(200);
			expect(({} as Record<string, unknown>).polluted).toBeUndefined();
			const request = sandbox.requests[0];
			expect(Object.keys(request.fields)).toEqual([
				'__proto__[polluted]',
				'__proto__',
				'type',
				'automation_name',
				'unsubscribe_group_id',
			]);
			expect(Object.getPrototypeOf(request.fields)).toBe(Object.prototype);
			expect(Object.keys(request.query)).toEqual(['__proto__[polluted]', 'constructor[x]']);
			const json = await call(sandbox, 'POST', 'automations/create', {
				headers: { 'Content-Type': 'application/json' },
				body: '{"__proto__":{"automation_name":"inherited"},"type":"custom","unsubscribe_group_id":3}',
			});
			expect(json.body).toEqual({
				status: 'failed',
				errors: { automation_name: ['The automation name field is required.'] },
			});
			expect(sandbox.requests[1].fields).toEqual({
				['__proto__']: '{"automation_name":"inherited"}',
				type: 'custom',
				unsubscribe_group_id: '3',
			});
		});

		it('answers 413 for a body over 10 MiB and keeps serving', async () => {
			const answer = await call(sandbox, 'POST', 'automations/create', {
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: 'automation_name=' + 'a'.repeat(10 * 1024 * 1024),
			});
			expect(answer.status).toBe(413);
			expect(answer.body).toEqual({
				status: 'failed',
				errors: 'The request body is larger than 10 MiB.',
			});
			expect(sandbox.requests[0]).toMatchObject({ status: 413, rawBody: '', fields: {} });
			expect((await call(sandbox, 'GET', 'automations')).status).toBe(200);
		});

		it('survives a throwing onRequest listener', async () => {
			const other = await startSandbox({
				onRequest: () => {
					throw new Error('listener failure');
				},
			});
			try {
				expect((await call(other, 'GET', 'automations')).status).toBe(200);
				expect((await call(other, 'GET', 'automations')).status).toBe(200);
				expect(other.requests.map((request) => request.status)).toEqual([200, 200]);
			} finally {
				await other.close();
			}
		});

		it('checks keys before the body', async () => {
			const answer = await call(sandbox, 'POST', 'automations/create', {
				keys: false,
				headers: { 'Content-Type': 'application/json' },
				body: '{',
			});
			expect(answer.status).toBe(401);
		});

		it('answers a broken HTTP request with 400 and keeps serving', async () => {
			const net = await import('net');
			const reply = await new Promise<string>((resolve, reject) => {
				const socket = net.connect(sandbox.port, '127.0.0.1', () =>
					socket.write('THIS IS NOT HTTP\r\n\r\n'),
				);
				let data = '';
				socket.on('data', (chunk) => (data += chunk.toString()));
				socket.on('end', () => resolve(data));
				socket.on('error', reject);
			});
			expect(reply.startsWith('HTTP/1.1 400 Bad Request')).toBe(true);
			expect(reply.endsWith('{"status":"failed","errors":"Malformed HTTP request."}')).toBe(true);
			expect((await call(sandbox, 'GET', 'automations')).status).toBe(200);
		});
	});
});

describe('body parser units', () => {
	it('parses header parameters: quoted, escaped, extended', () => {
		expect(parseHeaderValue('Multipart/Form-Data; Boundary="a;b"; charset=utf-8')).toEqual({
			type: 'multipart/form-data',
			params: { boundary: 'a;b', charset: 'utf-8' },
		});
		expect(
			parseHeaderValue('form-data; name="a\\"b"; filename*=UTF-8\'\'%C3%A9t%C3%A9.txt'),
		).toEqual({
			type: 'form-data',
			params: { name: 'a"b', filename: 'été.txt' },
		});
		expect(parseHeaderValue(undefined)).toEqual({ type: '', params: {} });
	});

	it('nests bracketed names as PHP does', () => {
		const bag: InputBag = {};
		addPhpField(bag, 'strIds[0]', '8');
		addPhpField(bag, 'strIds[1]', '44');
		addPhpField(bag, 'list[]', 'a');
		addPhpField(bag, 'list[]', 'b');
		addPhpField(bag, 'deep[x][]', '1');
		addPhpField(bag, 'plain', 'p');
		addPhpField(bag, '[odd]', 'kept literally');
		expect(bag).toEqual({
			strIds: { 0: '8', 1: '44' },
			list: { 0: 'a', 1: 'b' },
			deep: { x: { 0: '1' } },
			plain: 'p',
			'[odd]': 'kept literally',
		});
	});

	it('treats a line starting with the boundary but longer as content or preamble, not as a delimiter', () => {
		const body =
			'--abcdef\r\npreamble\r\n--abc\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--abcdef\r\ny\r\n--abc \t\r\nContent-Disposition: form-data; name="b"\r\n\r\n2\r\n--abc--';
		expect(parseBody(Buffer.from(body), 'multipart/form-data; boundary=abc')).toEqual({
			encoding: 'multipart',
			fields: { a: 'x\r\n--abcdef\r\ny', b: '2' },
			input: { a: 'x\r\n--abcdef\r\ny', b: '2' },
		});
	});

	it('parses a part without headers as an error, and a part with only a blank line', () => {
		expect(
			parseBody(Buffer.from('--abc\r\n\r\nvalue\r\n--abc--'), 'multipart/form-data; boundary=abc')
				.error,
		).toBe('A multipart part has no Content-Disposition: form-data header with a name.');
	});

	it('parses an empty multipart body (closing delimiter only)', () => {
		expect(parseBody(Buffer.from('--abc--\r\n'), 'multipart/form-data; boundary=abc')).toEqual({
			encoding: 'multipart',
			fields: {},
			input: {},
		});
	});
});
