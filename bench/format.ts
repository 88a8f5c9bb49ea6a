/** How the benchmarks print figures: times, sizes, ratios and Markdown tables. */

export const ms = (value: number) =>
	value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
/** MB = 10^6 bytes. */
export const mb = (bytes: number | undefined) =>
	bytes === undefined ? 'n/a' : `${Math.round(bytes / 1e6)} MB`;
export const ratio = (value: number) => `${value.toFixed(2)}×`;

export function table(header: string[], rows: string[][]): string {
	const widths = header.map((cell, column) =>
		Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
	);
	const line = (cells: string[]) =>
		`| ${cells.map((cell, column) => (cell ?? '').padEnd(widths[column])).join(' | ')} |`;
	return [
		line(header),
		`| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`,
		...rows.map(line),
	].join('\n');
}
