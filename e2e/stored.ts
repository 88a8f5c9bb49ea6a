/** What a run left on disk, to look for what must not be there (the secret key). */
import { readFileSync, readdirSync, statSync } from 'fs';
import { join } from 'path';

/** Every `.log` file under `folder` (the runs' own logs and n8n's output), outside node_modules. */
export function logFiles(folder: string): string[] {
	return filesUnder(folder).filter(
		(file) => file.endsWith('.log') && !file.includes('node_modules'),
	);
}

/**
 * What n8n itself keeps in `<userFolder>/.n8n`: its database (saved executions, credentials encrypted), its config,
 * execution data and binary data stored as files. The installed packages (`nodes/`) are left out.
 */
export function n8nDataFiles(userFolder: string): string[] {
	const dataFolder = join(userFolder, '.n8n');
	return filesUnder(dataFolder).filter((file) => !file.startsWith(join(dataFolder, 'nodes/')));
}

/** Those of `files` whose bytes hold `text`. */
export function filesHolding(files: string[], text: string): string[] {
	const needle = Buffer.from(text);
	return files.filter((file) => readFileSync(file).includes(needle));
}

function filesUnder(folder: string): string[] {
	return readdirSync(folder, { recursive: true, encoding: 'utf8' })
		.map((entry) => join(folder, entry))
		.filter((file) => statSync(file, { throwIfNoEntry: false })?.isFile() === true);
}
