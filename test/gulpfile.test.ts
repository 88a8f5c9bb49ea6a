import { readdirSync } from 'fs';
import { join } from 'path';
import type { Readable } from 'stream';

const ROOT = join(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { assetGlobs } = require('../gulpfile') as { assetGlobs: string[] };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { src } = require('gulp') as { src: (globs: string[], options: object) => Readable };

/** The files `gulp build:assets` copies into dist/, by the path they get there. */
async function copiedToDist(): Promise<string[]> {
	const paths: string[] = [];
	for await (const file of src(assetGlobs, { cwd: ROOT, base: ROOT, read: false })) {
		paths.push(join('dist', (file as { relative: string }).relative));
	}
	return paths.sort();
}

describe('gulp build:assets', () => {
	it("copies every output schema into dist/, beside the node's .js, in the folders n8n looks them up in", async () => {
		const schemaDir = 'nodes/AllsTechnology/__schema__';
		const schemas = readdirSync(join(ROOT, schemaDir), { recursive: true, encoding: 'utf8' })
			.filter((file) => file.endsWith('.json'))
			.map((file) => join('dist', schemaDir, file));
		expect(schemas.length).toBe(11);

		const copied = await copiedToDist();
		expect(copied).toEqual(expect.arrayContaining(schemas));
		expect(copied).toEqual(
			expect.arrayContaining([
				'dist/nodes/AllsTechnology/AllsTechnology.node.json',
				'dist/nodes/AllsTechnologyTrigger/AllsTechnologyTrigger.node.json',
				'dist/icons/allstechnology.svg',
			]),
		);
	});
});
