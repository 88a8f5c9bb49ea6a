import type { INodeProperties } from 'n8n-workflow';
import { nodeOptions } from '../../../../nodes/AllsTechnology/actions/common.descriptions';
import {
	DEFAULT_RETRY_POLICY,
	RateLimitGate,
	pause,
	retryPolicyFrom,
} from '../../../../nodes/shared/transport/retry';

describe('retryPolicyFrom', () => {
	it('takes the defaults for what is not set', () => {
		expect(retryPolicyFrom({})).toEqual(DEFAULT_RETRY_POLICY);
		expect(DEFAULT_RETRY_POLICY).toEqual({
			maxTries: 3,
			timeoutMs: 30_000,
			rateLimitWaitMs: 300_000,
		});
	});

	it('clamps values past the maximums instead of failing every request at once', () => {
		expect(retryPolicyFrom({ maxTries: 99, timeout: 10_000_000, rateLimitWait: 1e9 })).toEqual({
			maxTries: 10,
			timeoutMs: 600_000,
			rateLimitWaitMs: 3_600_000,
		});
	});

	it.each([[0], [-1], ['soon'], [null], [Number.NaN]])(
		'falls back to the default for %p',
		(value) => {
			expect(retryPolicyFrom({ maxTries: value, timeout: value })).toMatchObject({
				maxTries: 3,
				timeoutMs: 30_000,
			});
		},
	);

	it('takes a Rate Limit Wait of 0: a 429 then fails at once', () => {
		expect(retryPolicyFrom({ rateLimitWait: 0 }).rateLimitWaitMs).toBe(0);
	});
});

describe('RateLimitGate', () => {
	it('counts only the time it adds to what is already held back', () => {
		const gate = new RateLimitGate();

		expect(gate.holdBack(1000, 5000, 0)).toBe(true);
		// A second 429 at the same moment asking for less adds nothing.
		expect(gate.holdBack(500, 5000, 0)).toBe(true);
		expect(gate.budgetUsedMs).toBe(1000);
		expect(gate.holdBack(3000, 5000, 500)).toBe(true);
		expect(gate.budgetUsedMs).toBe(3500);
	});

	it("refuses, holding nothing, a wait past the run's budget", () => {
		const gate = new RateLimitGate();
		gate.holdBack(4000, 5000, 0);

		expect(gate.holdBack(2000, 5000, 4000)).toBe(false);
		expect(gate.budgetUsedMs).toBe(4000);
		expect(gate.holdBack(1000, 5000, 4000)).toBe(true);
	});
});

describe('pause', () => {
	it('ends at once, answering false, when the run is stopped', async () => {
		const stop = new AbortController();
		const paused = pause(60_000, stop.signal);
		stop.abort();

		await expect(paused).resolves.toBe(false);
	});

	it('does not start when the run is already stopped', async () => {
		await expect(pause(60_000, AbortSignal.abort())).resolves.toBe(false);
	});

	it('answers true after the wait', async () => {
		await expect(pause(1, new AbortController().signal)).resolves.toBe(true);
	});
});

describe('the Options the user sees', () => {
	it("show the transport's defaults", () => {
		const options = Object.fromEntries(
			(nodeOptions.options as INodeProperties[]).map((option) => [option.name, option.default]),
		);

		expect([
			options.maxTries,
			Number(options.timeout) * 1000,
			Number(options.rateLimitWait) * 1000,
		]).toEqual([
			DEFAULT_RETRY_POLICY.maxTries,
			DEFAULT_RETRY_POLICY.timeoutMs,
			DEFAULT_RETRY_POLICY.rateLimitWaitMs,
		]);
	});
});
