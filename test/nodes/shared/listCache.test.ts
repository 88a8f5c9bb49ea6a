import { ListCache, accountKeyOf } from '../../../nodes/shared/listCache';

const TTL_MS = 1_000;

function cacheWithClock() {
	const clock = { now: 0 };
	const cache = new ListCache<string[]>(TTL_MS, () => clock.now);
	const loads: string[] = [];
	const load = (key: string) => async () => {
		loads.push(key);
		return [`${key} #${loads.length}`];
	};
	return { clock, cache, loads, load };
}

describe('ListCache', () => {
	it('loads a key once until its TTL has passed since the load began', async () => {
		const { clock, cache, loads, load } = cacheWithClock();

		expect(await cache.get('a', load('a'))).toEqual(['a #1']);
		clock.now = TTL_MS - 1;
		expect(await cache.get('a', load('a'))).toEqual(['a #1']);
		clock.now = TTL_MS;
		expect(await cache.get('a', load('a'))).toEqual(['a #2']);
		expect(loads).toEqual(['a', 'a']);
	});

	it('keeps each key apart', async () => {
		const { cache, loads, load } = cacheWithClock();

		await cache.get('a', load('a'));
		expect(await cache.get('b', load('b'))).toEqual(['b #2']);
		expect(await cache.get('a', load('a'))).toEqual(['a #1']);
		expect(loads).toEqual(['a', 'b']);
	});

	it('loads again when asked for a fresh value, and keeps that one a TTL from then', async () => {
		const { clock, cache, loads, load } = cacheWithClock();

		await cache.get('a', load('a'));
		clock.now = 600;
		expect(await cache.get('a', load('a'), true)).toEqual(['a #2']);
		clock.now = 600 + TTL_MS - 1;
		expect(await cache.get('a', load('a'))).toEqual(['a #2']);
		expect(loads).toEqual(['a', 'a']);
	});

	it('gives the callers that ask during a load that load, and keeps no load that failed', async () => {
		const { cache } = cacheWithClock();
		let loads = 0;
		const failing = async () => {
			loads++;
			throw new Error(`load ${loads} failed`);
		};

		const together = await Promise.allSettled([cache.get('a', failing), cache.get('a', failing)]);
		expect(
			together.map((outcome) => outcome.status === 'rejected' && (outcome.reason as Error).message),
		).toEqual(['load 1 failed', 'load 1 failed']);
		await expect(cache.get('a', async () => ['loaded'])).resolves.toEqual(['loaded']);
		expect(loads).toBe(1);
	});

	it('a failed fresh load does not remove the value a later load of the key kept', async () => {
		const { cache } = cacheWithClock();
		let fail!: (error: Error) => void;
		const pending = cache.get(
			'a',
			async () => await new Promise<string[]>((_, reject) => (fail = reject)),
		);
		await cache.get('a', async () => ['newer'], true);

		fail(new Error('older load failed'));
		await expect(pending).rejects.toThrow('older load failed');
		await expect(cache.get('a', async () => ['not loaded'])).resolves.toEqual(['newer']);
	});
});

describe('accountKeyOf', () => {
	const credentials = {
		baseUrl: 'https://mail.allstechnology.com/api',
		publicKey: 'public-key-1234',
		secretKey: 'secret-key-5678',
	};

	it('is a SHA-256 digest that holds neither key nor the address', () => {
		const key = accountKeyOf(credentials);

		expect(key).toMatch(/^[0-9a-f]{64}$/);
		for (const value of Object.values(credentials)) expect(key).not.toContain(value);
	});

	it('is the same for the same credential, and another for another key or address', () => {
		expect(accountKeyOf({ ...credentials })).toBe(accountKeyOf(credentials));
		const others = [
			{ ...credentials, secretKey: 'secret-key-5679' },
			{ ...credentials, publicKey: 'public-key-1235' },
			{ ...credentials, baseUrl: 'https://mail.allstechnology.com/api/' },
			// The fields are kept apart: moving text from one to the next is another credential.
			{ ...credentials, publicKey: 'public-key-1234secret', secretKey: '-key-5678' },
		];
		const keys = new Set([credentials, ...others].map(accountKeyOf));
		expect(keys.size).toBe(others.length + 1);
	});
});
