/**
 * One-time, side-effect-free preparation of n8n-core's dependency-injection container.
 *
 * n8n-core 2.41 pulls services from `@n8n/di`'s Container while it executes:
 * - every node execution context does `Container.get(InstanceSettings)`, whose real constructor
 *   reads (or creates!) `~/.n8n/config` with an encryption key;
 * - node errors go through `Container.get(ErrorReporter)`, which logs them via
 *   `Container.get(Logger)` (a winston console logger).
 * We put a fixed in-memory InstanceSettings and a silent Logger into the container before any of that
 * runs. n8n-core has its own nested copies of `@n8n/di` and `@n8n/backend-common`, so both are
 * resolved from n8n-core's location: the top-level copies are other versions with another Container.
 */
import { createHash } from 'crypto';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { InstanceSettings } from 'n8n-core';
import { LoggerProxy } from 'n8n-workflow';
import type { Logger as WorkflowLogger } from 'n8n-workflow';

interface DiContainer {
	get<T>(type: unknown): T;
	set<T>(type: unknown, instance: T): void;
	has(type: unknown): boolean;
}

type LogFn = (message: string, metadata?: unknown) => void;

let prepared = false;

/** Loads a module the way n8n-core resolves it (its nested copy if it has one). */
export function requireFromN8nCore<T>(moduleName: string): T {
	const coreDir = dirname(require.resolve('n8n-core'));
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(require.resolve(moduleName, { paths: [coreDir] })) as T;
}

/** The DI container n8n-core itself uses. */
export function getCoreContainer(): DiContainer {
	return requireFromN8nCore<{ Container: DiContainer }>('@n8n/di').Container;
}

function makeLogger(verbose: boolean): WorkflowLogger & { scoped: () => unknown } {
	const noop: LogFn = () => undefined;
	const log =
		(level: string): LogFn =>
		(message, metadata) => {
			// eslint-disable-next-line no-console
			console.log(`[n8n ${level}] ${message}`, metadata ?? '');
		};
	const logger = {
		error: verbose ? log('error') : noop,
		warn: verbose ? log('warn') : noop,
		info: verbose ? log('info') : noop,
		debug: verbose ? log('debug') : noop,
		scoped: () => logger,
	};
	return logger;
}

/**
 * Idempotent. Set `N8N_ENGINE_DEBUG=1` to see n8n's own log lines instead of silencing them.
 */
export function prepareEngine(): void {
	if (prepared) return;
	prepared = true;

	const verbose = !!process.env.N8N_ENGINE_DEBUG;
	const Container = getCoreContainer();
	const { Logger } = requireFromN8nCore<{ Logger: { prototype: object } }>('@n8n/backend-common');

	const logger = Object.assign(Object.create(Logger.prototype) as object, makeLogger(verbose));
	Container.set(Logger, logger);
	LoggerProxy.init(logger as WorkflowLogger);

	const encryptionKey = 'n8n-engine-test-encryption-key';
	const settings = Object.create(InstanceSettings.prototype) as object;
	const ownProps: Record<string, unknown> = {
		n8nFolder: join(tmpdir(), 'n8n-engine-test'),
		encryptionKey,
		instanceId: createHash('sha256').update(encryptionKey).digest('hex'),
		hmacSignatureSecret: createHash('sha256')
			.update(`hmac-signature:${encryptionKey}`)
			.digest('hex'),
		instanceType: 'main',
		instanceRole: 'leader',
		isLeader: true,
		isFollower: false,
		isWorker: false,
		isMultiMain: false,
		isSingleMain: true,
		hostId: 'main-engine-test',
		fsStorageMigrated: true,
		settings: { encryptionKey, fsStorageMigrated: true },
	};
	for (const [key, value] of Object.entries(ownProps)) {
		Object.defineProperty(settings, key, { value, writable: true, enumerable: true });
	}
	Container.set(InstanceSettings, settings);
}
