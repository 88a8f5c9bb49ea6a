/** The part of n8n's verification scanner (an untyped ES module) the e2e run calls. */
declare module '@n8n/scan-community-package/scanner/scanner.mjs' {
	export interface ScanResult {
		passed: boolean;
		message?: string;
		details?: string;
	}
	/** Lints the files matching `filePatterns` under `packageDir` with the scanner's ESLint configuration. */
	export function analyzePackage(packageDir: string, filePatterns?: string[]): Promise<ScanResult>;
	/** The source files the scanner lints: package.json, nodes/ and credentials/. */
	export const SOURCE_FILE_PATTERNS: string[];
}
