import { execFileSync } from 'child_process';
import {
	copyFileSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	statSync,
	symlinkSync,
} from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { environmentOutsideRepo, runCommand } from '../../e2e/processes';

const repoRoot = join(__dirname, '..', '..');

/**
 * Builds and packs a copy of the files git sees (committed or new, not ignored), as the publish workflow does in
 * a fresh checkout: what an earlier build left in this clone's dist/ cannot hide a file from the build or add one.
 */
async function packAsPublished(copy: string): Promise<string[]> {
	const listed = execFileSync(
		'git',
		['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
		{
			cwd: repoRoot,
			encoding: 'utf8',
		},
	);
	// Listed but not files: one deleted in the working tree, until the deletion is committed, and a symlinked
	// node_modules, which .gitignore's `node_modules/` (directories only) does not ignore.
	const isFile = (path: string) =>
		statSync(join(repoRoot, path), { throwIfNoEntry: false })?.isFile() ?? false;
	for (const file of listed.split('\0').filter((path) => path && isFile(path))) {
		mkdirSync(dirname(join(copy, file)), { recursive: true });
		copyFileSync(join(repoRoot, file), join(copy, file));
	}
	symlinkSync(join(repoRoot, 'node_modules'), join(copy, 'node_modules'), 'dir');
	const env = environmentOutsideRepo();
	await runCommand('npm', ['run', 'build'], { cwd: copy, env });
	const [packed] = JSON.parse(
		await runCommand('npm', ['pack', '--dry-run', '--json'], { cwd: copy, env }),
	) as Array<{
		files: Array<{ path: string }>;
	}>;
	return packed.files.map(({ path }) => path);
}

describe('the npm tarball', () => {
	const copy = mkdtempSync(join(tmpdir(), 'allstechnology-pack-'));
	let paths: string[] = [];

	beforeAll(async () => {
		paths = await packAsPublished(copy);
	}, 180_000);

	afterAll(() => rmSync(copy, { recursive: true, force: true }));

	it('holds dist/, README.md, LICENSE.md, CHANGELOG.md and package.json, and nothing else', () => {
		const topLevel = new Set(paths.map((path) => (path.startsWith('dist/') ? 'dist/' : path)));
		expect([...topLevel].sort()).toEqual([
			'CHANGELOG.md',
			'LICENSE.md',
			'README.md',
			'dist/',
			'package.json',
		]);
	});

	it('holds in dist/ the compiled code, its type declarations, the codex files and the icons: no sources, source maps or screenshots', () => {
		const kinds = new Set(
			paths
				.filter((path) => path.startsWith('dist/'))
				.map((path) => /(\.d\.ts|\.[^./]+)$/.exec(path)?.[1]),
		);
		expect([...kinds].sort()).toEqual(['.d.ts', '.js', '.json', '.svg']);
	});

	it('holds no compiled file that points at a source map', () => {
		const pointing = paths.filter(
			(path) =>
				path.endsWith('.js') && readFileSync(join(copy, path), 'utf8').includes('sourceMappingURL'),
		);
		expect(pointing).toEqual([]);
	});

	it('holds every file that package.json names: the nodes and the credential for n8n, and main if there is one', () => {
		const manifest = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8'));
		const named: string[] = [
			...manifest.n8n.nodes,
			...manifest.n8n.credentials,
			...(manifest.main ? [manifest.main] : []),
		];
		expect(named.filter((file) => !paths.includes(file))).toEqual([]);
	});
});
