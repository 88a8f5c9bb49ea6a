/** Route keys of the sandbox's paths, shared by the server and the fault injection. */

/** The route key of a request path: '/api//automations/' → 'automations'; undefined outside /api/. */
export function routeKeyOf(rawPath: string): string | undefined {
	let path = rawPath;
	const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(path);
	if (absolute !== null) path = path.slice(absolute[0].length);
	path = path.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
	const match = /^\/api\/(.+)$/.exec(path);
	return match === null ? undefined : match[1];
}

/** A Fault's `route`: 'POST automations/create' (method and route key) or 'automations/create' (any method). */
export const FAULT_ROUTE = /^(?:([A-Z]+) +)?([^\s?#]+)$/;

/** True when the request's method and route key are those of `route` (a string FAULT_ROUTE accepts). */
export function matchesRoute(route: string, method: string, path: string): boolean {
	const parsed = FAULT_ROUTE.exec(route);
	if (parsed === null) return false;
	const [, routeMethod, routeKey] = parsed;
	return (
		(routeMethod === undefined || routeMethod === method) &&
		routeKeyOf(path) === routeKey.replace(/^\/+|\/+$/g, '')
	);
}
