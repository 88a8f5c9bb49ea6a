/** Choice 20: form bodies are cut as PHP's max_input_vars (1,000) cuts them, silently. */
import { call, formData } from './helpers';
import { Sandbox, startSandbox } from '../server';

const FIRST_ID = 10_000;

function range(first: number, count: number): number[] {
	return Array.from({ length: count }, (_, offset) => first + offset);
}

function urlencoded(segments: string[]) {
	return {
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: segments.join('&'),
	};
}

const strIdsSegments = (ids: number[]) => ids.map((id, index) => `strIds%5B${index}%5D=${id}`);
const strIdsFields = (ids: number[]) =>
	Object.fromEntries(ids.map((id, index) => [`strIds[${index}]`, String(id)]));

describe('PHP max_input_vars on form bodies', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	beforeEach(() => {
		sandbox.reset();
		const [template] = sandbox.state.automations;
		for (const id of range(FIRST_ID, 1100)) {
			sandbox.state.automations.push({
				...template,
				id,
				utr: `00000000-0000-11ee-0000-${String(id).padStart(12, '0')}`,
			});
		}
	});
	afterAll(async () => {
		await sandbox.close();
	});

	const deletedIds = () =>
		sandbox.state.automations
			.filter((record) => record.id >= FIRST_ID && record.deleted_at !== null)
			.map((record) => record.id);

	it.each([
		['urlencoded', 1001, 1001],
		['urlencoded', 1002, 1001],
		['multipart', 1000, 1000],
		['multipart', 1001, 1000],
	])(
		'a %s bulk delete of %i ids deletes the first %i and answers as usual; the record keeps every field',
		async (encoding, sent, kept) => {
			const ids = range(FIRST_ID, sent);
			const body =
				encoding === 'urlencoded'
					? urlencoded(strIdsSegments(ids))
					: { body: formData(strIdsFields(ids)) };

			const answer = await call(sandbox, 'POST', 'automations/bulk-delete', body);

			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({ status: 'success', message: 'Deleted Successfully' });
			expect(deletedIds()).toEqual(ids.slice(0, kept));
			expect(sandbox.requests[0].bodyEncoding).toBe(encoding);
			expect(sandbox.requests[0].fields).toEqual(strIdsFields(ids));
		},
	);

	it('counts the empty segments of a urlencoded body, as PHP does', async () => {
		const ids = range(FIRST_ID, 1001);

		await call(
			sandbox,
			'POST',
			'automations/bulk-delete',
			urlencoded(['', '', ...strIdsSegments(ids)]),
		);

		expect(deletedIds()).toEqual(ids.slice(0, 999));
	});

	it('answers as if the fields past the limit had not been sent: strIds after 1,001 other fields is missing', async () => {
		const filler = Array.from({ length: 1001 }, (_, index) => `filler${index}=x`);

		const answer = await call(
			sandbox,
			'POST',
			'automations/bulk-delete',
			urlencoded([...filler, 'strIds%5B0%5D=8']),
		);

		expect(answer.status).toBe(422);
		expect(answer.body).toEqual({
			status: 'failed',
			errors: { strIds: ['The str ids field is required.'] },
		});
		expect(sandbox.state.automations.find((record) => record.id === 8)?.deleted_at).toBeNull();
	});

	it('does not cut a JSON body', async () => {
		const ids = range(FIRST_ID, 1100);

		const answer = await call(sandbox, 'POST', 'automations/bulk-delete', {
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ strIds: ids }),
		});

		expect(answer.status).toBe(200);
		expect(deletedIds()).toEqual(ids);
	});
});
