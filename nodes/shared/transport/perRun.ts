/**
 * The value a run of the node keeps in `values`, made on first use. n8n gives each run of a node its own context
 * object, and drops it with the run: keyed by it in a WeakMap, the value lives exactly as long.
 */
export function perRun<T>(values: WeakMap<object, T>, run: object, make: () => T): T {
	let value = values.get(run);
	if (value === undefined) {
		value = make();
		values.set(run, value);
	}
	return value;
}
