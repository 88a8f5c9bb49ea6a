/**
 * The layout of nodes/ that issue 15 asks for, kept: the trigger shares nodes/shared/ with the node instead of
 * reaching into it, nothing under nodes/ imports the sandbox, common.descriptions.ts holds descriptions only, and
 * each operation's properties get their resource and operation from one updateDisplayOptions call.
 */
import { readFileSync, readdirSync } from 'fs';
import { join, relative, resolve } from 'path';
import * as automation from '../../nodes/AllsTechnology/actions/automation';
import * as automationSchedule from '../../nodes/AllsTechnology/actions/automationSchedule';

const ROOT = resolve(__dirname, '../..');

function sourcesUnder(folder: string): string[] {
	return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
		.filter((path) => path.endsWith('.ts'))
		.map((path) => join(folder, path));
}

/** Every module a file imports by a relative path, as a path from the repository's root. */
function importsOf(file: string): string[] {
	const text = readFileSync(join(ROOT, file), 'utf8');
	return [...text.matchAll(/from '(\.[^']*)'/g)].map(([, specifier]) =>
		relative(ROOT, resolve(ROOT, file, '..', specifier)),
	);
}

describe('the layout of nodes/', () => {
	it('the trigger imports the node only through nodes/shared/', () => {
		const reachingIn = sourcesUnder('nodes/AllsTechnologyTrigger').flatMap((file) =>
			importsOf(file)
				.filter((target) => target.startsWith('nodes/AllsTechnology/'))
				.map((target) => `${file} → ${target}`),
		);
		expect(reachingIn).toEqual([]);
	});

	it('nodes/shared/ imports neither node, and nothing under nodes/ or credentials/ imports the sandbox or the tests', () => {
		const shared = sourcesUnder('nodes/shared').flatMap((file) =>
			importsOf(file)
				.filter((target) => /^nodes\/AllsTechnology(Trigger)?\//.test(target))
				.map((target) => `${file} → ${target}`),
		);
		const outside = [...sourcesUnder('nodes'), ...sourcesUnder('credentials')].flatMap((file) =>
			importsOf(file)
				.filter((target) => !/^(nodes|credentials)\//.test(target))
				.map((target) => `${file} → ${target}`),
		);
		expect(shared).toEqual([]);
		expect(outside).toEqual([]);
	});

	it("the sandbox serves the node's record types, not copies of them", () => {
		expect(importsOf('sandbox/types.ts')).toEqual(['nodes/shared/interfaces']);
		expect(readFileSync(join(ROOT, 'sandbox/types.ts'), 'utf8')).not.toMatch(
			/interface (AutomationRecord|ScheduleRecord)\b/,
		);
	});

	it('common.descriptions.ts reads no parameter', () => {
		expect(
			readFileSync(join(ROOT, 'nodes/AllsTechnology/actions/common.descriptions.ts'), 'utf8'),
		).not.toMatch(/getNodeParameter|IExecuteFunctions/);
	});

	it.each([
		['automation', automation.operations],
		['automationSchedule', automationSchedule.operations],
	])(
		'every property of an operation of %s shows for that resource and operation alone',
		(resource, operations) => {
			for (const [operation, { description }] of Object.entries(operations)) {
				expect(description.length).toBeGreaterThan(0);
				for (const property of description) {
					expect([
						property.name,
						property.displayOptions?.show?.resource,
						property.displayOptions?.show?.operation,
					]).toEqual([property.name, [resource], [operation]]);
				}
			}
		},
	);

	it('no operation file sets the resource or operation of a property itself', () => {
		const bySelf = sourcesUnder('nodes/AllsTechnology/actions')
			.filter((file) => file.endsWith('.operation.ts'))
			.filter((file) => {
				const text = readFileSync(join(ROOT, file), 'utf8');
				return /resource: \[/.test(
					text.replace(
						/updateDisplayOptions\(\s*\{ show: \{ resource: \[[^\]]*\], operation: \[[^\]]*\] \} \},\s*properties,?\s*\)/,
						'',
					),
				);
			});
		expect(bySelf).toEqual([]);
	});
});
