/**
 * What n8n's queue mode needs besides n8n, from Debian's packages (installed with apt-get when missing), each on
 * a loopback port of its own with its data in the run's folder: Redis, which holds the queue, and PostgreSQL, the
 * database the main and the workers share.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'fs';
import * as net from 'net';
import { join } from 'path';
import type { Server } from '../processes';
import { ensureDebianPackage, freePort, runCommand, startServer, waitFor } from '../processes';

const REDIS_SERVER = '/usr/bin/redis-server';
/** Debian keeps each PostgreSQL major version's programs in /usr/lib/postgresql/<version>/bin. */
const POSTGRES_VERSIONS = '/usr/lib/postgresql';
/** PostgreSQL refuses to run as root; as root, this run starts it as the user Debian's package creates. */
const POSTGRES_USER = 'postgres';

export interface Redis {
	port: number;
	stop(): Promise<void>;
}

/** `redis-server` in the foreground, without persistence, its log in `folder`. */
export async function startRedis(folder: string): Promise<Redis> {
	await ensureDebianPackage(REDIS_SERVER, 'redis-server');
	mkdirSync(folder, { recursive: true });
	const port = await freePort();
	const args = [
		'--port',
		String(port),
		'--bind',
		'127.0.0.1',
		'--dir',
		folder,
		'--save',
		'',
		'--appendonly',
		'no',
	];
	const server: Server = startServer(REDIS_SERVER, args, {
		cwd: folder,
		logFile: join(folder, 'redis.log'),
	});
	await waitFor(
		() => redisAnswersPing(port),
		30_000,
		() => `redis-server did not answer PING on port ${port}:\n${server.output()}`,
	);
	return { port, stop: () => server.stop() };
}

async function redisAnswersPing(port: number): Promise<true | undefined> {
	const reply = await redisCommand(port, ['PING']).catch(() => undefined);
	return reply === '+PONG' ? true : undefined;
}

/** Sends one command and returns the first line of the reply as Redis sends it: `+PONG`, `:3` (an integer). */
export async function redisCommand(port: number, args: string[]): Promise<string> {
	const request = `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
	return await new Promise((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
		socket.setTimeout(5000, () =>
			socket.destroy(new Error(`Redis did not answer ${args[0]} within 5 s`)),
		);
		socket.once('data', (data) => {
			resolve(data.toString().split('\r\n')[0]);
			socket.end();
		});
		socket.once('error', reject);
		socket.once('close', () =>
			reject(new Error(`Redis closed the connection without answering ${args[0]}`)),
		);
	});
}

export interface Postgres {
	port: number;
	user: string;
	database: string;
	/** Runs SQL with psql; each row of the result as its columns' text. */
	query(sql: string): Promise<string[][]>;
	stop(): Promise<void>;
}

/**
 * A new cluster (`initdb`) in `folder`, started with `pg_ctl` on a free port, with a database for n8n. Trust
 * authentication: it listens on 127.0.0.1 only and lives as long as the run.
 */
export async function startPostgres(folder: string): Promise<Postgres> {
	const bin = await postgresBinDir();
	const asPostgres = await postgresUserCommand(folder);
	const dataDir = join(folder, 'data');
	const port = await freePort();
	const user = 'n8n';
	const database = 'n8n';
	const run = (program: string, args: string[]) => {
		const [command, ...rest] = [...asPostgres, join(bin, program), ...args];
		return runCommand(command, rest, {
			cwd: folder,
			logFile: join(folder, 'commands.log'),
			timeoutMs: 2 * 60_000,
		});
	};

	await run('initdb', [
		'--pgdata',
		dataDir,
		'--username',
		user,
		'--auth',
		'trust',
		'--encoding',
		'UTF8',
		'--no-locale',
	]);
	const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${folder}`;
	await run('pg_ctl', [
		'start',
		'--pgdata',
		dataDir,
		'--log',
		join(folder, 'postgres.log'),
		'--wait',
		'--timeout',
		'60',
		'-o',
		serverOptions,
	]);
	let stopped: Promise<void> | undefined;
	const stop = () =>
		(stopped ??= run('pg_ctl', ['stop', '--pgdata', dataDir, '--mode', 'fast', '--wait']).then(
			() => undefined,
		));

	const psql = (db: string, sql: string) =>
		runCommand(
			join(bin, 'psql'),
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				user,
				'-d',
				db,
				'-X',
				'-A',
				'-t',
				'-F',
				'\t',
				'-v',
				'ON_ERROR_STOP=1',
				'-c',
				sql,
			],
			{
				cwd: folder,
				timeoutMs: 60_000,
			},
		);
	try {
		await psql('postgres', `CREATE DATABASE ${database}`);
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		port,
		user,
		database,
		stop,
		async query(sql) {
			const output = await psql(database, sql);
			return output
				.split('\n')
				.filter((line) => line !== '')
				.map((line) => line.split('\t'));
		},
	};
}

/** The newest PostgreSQL installed, Debian's `postgresql` package installed first when there is none. */
async function postgresBinDir(): Promise<string> {
	const installed = () =>
		existsSync(POSTGRES_VERSIONS)
			? readdirSync(POSTGRES_VERSIONS)
					.filter((version) => existsSync(join(POSTGRES_VERSIONS, version, 'bin', 'initdb')))
					.sort((a, b) => Number(b) - Number(a))
			: [];
	if (installed().length === 0) await ensureDebianPackage(POSTGRES_VERSIONS, 'postgresql');
	const [newest] = installed();
	if (!newest)
		throw new Error(`Debian's postgresql package left no initdb under ${POSTGRES_VERSIONS}`);
	return join(POSTGRES_VERSIONS, newest, 'bin');
}

/**
 * The command prefix that runs PostgreSQL's programs: none for an ordinary user; as root, `runuser` to the
 * postgres user, who is given `folder` (and may pass through its parent, the run's folder).
 */
async function postgresUserCommand(folder: string): Promise<string[]> {
	mkdirSync(folder, { recursive: true, mode: 0o700 });
	if (process.getuid?.() !== 0) return [];
	const [uid, gid] = await Promise.all(
		['-u', '-g'].map(async (flag) =>
			Number((await runCommand('id', [flag, POSTGRES_USER], { cwd: folder })).trim()),
		),
	);
	chownSync(folder, uid, gid);
	chmodSync(join(folder, '..'), 0o711);
	return ['runuser', '-u', POSTGRES_USER, '--'];
}
