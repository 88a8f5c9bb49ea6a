/**
 * Two projects. `npm test` runs "engine": the node, the trigger and the credential through n8n's engine against
 * the sandbox, the package and the workflows, within 90 s on a 2-CPU machine. `npm run test:all` (and .ci/run)
 * adds "extended": the suites that take minutes by design, listed in EXTENDED. `npx jest <file>` runs a file of
 * either.
 */

/** Paths from the repository's root; a folder ends with a slash. */
const EXTENDED = [
	// The sandbox's own tests: the API double the node's tests run against, not the node.
	'sandbox/test/',
	// Every operation under every fault the sandbox injects (some 90 s).
	'test/nodes/AllsTechnology/actions/faultMatrix.test.ts',
	// fast-check's generated inputs, hundreds of runs per property.
	'test/nodes/AllsTechnology/actions/hostileInput.test.ts',
	// Retry-After and backoff waited out on the real clock (some 50 s), with the waits' milliseconds asserted:
	// npm test depends on no timing. test/nodes/shared/transport/retry.test.ts checks the arithmetic.
	'test/nodes/shared/transport/retries.test.ts',
];

const shared = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test', '<rootDir>/sandbox'],
	transform: {
		// tsconfig.test.json has isolatedModules: ts-jest only transpiles; `npx tsc -p tsconfig.test.json` type-checks.
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
};

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** @type {import('jest').Config} */
module.exports = {
	testTimeout: 20000,
	// Jest's default, one worker fewer than the CPUs, runs the files one at a time on a 2-CPU machine; much of a
	// file's time is spent waiting (the sandbox's latency, Retry-After), so two at a time halve the run.
	maxWorkers: '100%',
	projects: [
		{
			...shared,
			displayName: 'engine',
			testMatch: ['**/*.test.ts'],
			testPathIgnorePatterns: [
				'/node_modules/',
				...EXTENDED.map((path) => `^<rootDir>/${escapeRegExp(path)}`),
			],
		},
		{
			...shared,
			displayName: 'extended',
			testMatch: EXTENDED.map(
				(path) => `<rootDir>/${path}${path.endsWith('/') ? '**/*.test.ts' : ''}`,
			),
		},
	],
};
