/**
 * n8n's verification scan (`@n8n/scan-community-package`), offline: its own ESLint configuration and file
 * selection, over the packed tarball (the compiled `.js` and the published package.json) and over this
 * repository's sources (`package.json`, `nodes/`, `credentials/`), as it lints a package and the source its
 * provenance names. Only the provenance and download steps, which need the package published, are left out.
 */
import { mkdtempSync, rmSync } from 'fs';
import { createRequire } from 'module';
import { tmpdir } from 'os';
import { join } from 'path';
import type { ScanResult } from '@n8n/scan-community-package/scanner/scanner.mjs';
import { runCommand } from './processes';

/** The scanner's patterns for the published artifact, as in its analyzePackageByName. */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

export async function scanTarball(tarball: string): Promise<ScanResult> {
	const scanner = await loadScanner();
	const unpacked = mkdtempSync(join(tmpdir(), 'allstechnology-scan-'));
	try {
		await runCommand('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1'], {
			cwd: unpacked,
		});
		return await scanner.analyzePackage(unpacked, TARBALL_FILE_PATTERNS);
	} finally {
		rmSync(unpacked, { recursive: true, force: true });
	}
}

export async function scanSources(repoRoot: string): Promise<ScanResult> {
	const scanner = await loadScanner();
	return await scanner.analyzePackage(repoRoot, scanner.SOURCE_FILE_PATTERNS);
}

async function loadScanner() {
	// The scanner makes a download folder when loaded and leaves it behind unless its `tmp` is told to clean up.
	const scannerRequire = createRequire(require.resolve('@n8n/scan-community-package/package.json'));
	(scannerRequire('tmp') as { setGracefulCleanup(): void }).setGracefulCleanup();
	return await import('@n8n/scan-community-package/scanner/scanner.mjs');
}
