/**
 * Shared by the tests of Get Automation and its "One List for Many Gets" (not a test file): the two requests a Get
 * sends, its parameters for one Get per input item, and enough automations for the list to be used.
 */
import type { INodeParameters } from 'n8n-workflow';
import type { Fault, Sandbox } from '../../../../../sandbox/server';
import { locator } from '../../fixture';

/** The request for one automation's details, by its UTR, as the sandbox records it. */
export function detailsRequest(utr: string) {
	return {
		method: 'GET',
		path: '/api/automations/details',
		query: `utr=${utr}`,
		contentType: undefined,
	};
}

/** The request for the whole list of automations (By ID's look-up, and One List for Many Gets). */
export const LIST_REQUEST = {
	method: 'GET',
	path: '/api/automations',
	query: '',
	contentType: undefined,
};

/** A UTR no automation has. */
export const UNKNOWN_UTR = '00000000-0000-11ee-0000-000000000000';

/** Orders requests by their query: the Gets of a run go out together and may reach the API in any order. */
export function byQuery(a: { query: string }, b: { query: string }): number {
	return a.query.localeCompare(b.query);
}

/** One details request for each input item, ordered by query (compare with the requests sorted `byQuery`). */
export function detailsRequestsOf(inputItems: Array<{ utr: string }>) {
	return inputItems.map(({ utr }) => detailsRequest(utr)).sort(byQuery);
}

/** The list was sent first, then one details request for each of `inputItems`, in any order. */
export function expectListThenDetailsOf(
	requests: Array<{ query: string }>,
	inputItems: Array<{ utr: string }>,
) {
	expect(requests[0]).toEqual(LIST_REQUEST);
	expect(requests.slice(1).sort(byQuery)).toEqual(detailsRequestsOf(inputItems));
}

/** The body of a list answer holding `automations` (any value, to answer with a hostile one). */
export function listAnswer(automations: unknown) {
	return { status: 'success', message: { automations } };
}

/** A fault: the list is answered with `automations` (any value), whatever the account holds. */
export function listAnsweredWith(automations: unknown): Fault {
	return { kind: 'fixedBody', route: 'GET automations', body: listAnswer(automations) };
}

/**
 * The seed's automations, and more made like the first (ids 101 on) until there are `count`, as input items:
 * the first `count` automations' UTRs. More than 10 Gets in one run read the one list.
 */
export function automationsAsInput(sandbox: Sandbox, count: number): Array<{ utr: string }> {
	const { automations } = sandbox.state;
	for (let id = 101; automations.length < count; id++) {
		automations.push({
			...automations[0],
			id,
			utr: `00000000-0000-11ee-0000-${String(id).padStart(12, '0')}`,
			automation_name: `Automation ${id}`,
			total_delivered: id,
		});
	}
	return automations.slice(0, count).map(({ utr }) => ({ utr }));
}

/** Twelve automations as input items: 12 Gets, two more than the requests in flight at once. */
export function twelveAutomations(sandbox: Sandbox): Array<{ utr: string }> {
	return automationsAsInput(sandbox, 12);
}

/** Get Automation for each input item, the UTR from the item's `utr`; Simplify off unless asked. */
export function getEach(options: INodeParameters = {}, simplify = false): INodeParameters {
	return {
		resource: 'automation',
		operation: 'get',
		automation: locator('={{ $json.utr }}'),
		simplify,
		options,
	};
}
