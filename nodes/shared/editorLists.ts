import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';
import { automationStatus, listAutomations } from './records';
import { utrKeyOf, UTR_PATTERN, toPositiveInteger } from './identifiers';
import { CREDENTIAL_TYPE } from './transport/request';
import { accountKeyOf, editorListCache } from './listCache';

/** How many entries of a list the editor gets at a time; it asks for the next page when scrolled to the end. */
export const PAGE_SIZE = 50;

/**
 * Whether the node has a credential to list with. n8n asks for a dropdown's options before one is chosen, and
 * getCredentials() would then throw, which n8n's server logs with its stack trace.
 */
export function credentialChosen(context: ILoadOptionsFunctions): boolean {
	return Boolean(context.getNode().credentials?.[CREDENTIAL_TYPE]);
}

/** A dropdown's only option before a credential is chosen: greyed out by n8n, so it cannot be picked. */
export function chooseCredentialFirst(listed: string): INodePropertyOptions[] {
	return [
		{
			name: `Choose a credential to see ${listed}`,
			value: '',
			disabled: true,
			description:
				'Select or create an AllsTechnology API credential above, then open this list again',
		},
	];
}

/**
 * The entries of one of the account's lists for a search session. The editor opens a list with neither filter nor
 * page (`fresh`): that request downloads it, and the keystrokes and pages that follow within LIST_TTL_MS read that
 * download instead of the whole list again.
 */
export async function sessionList(
	context: ILoadOptionsFunctions,
	list: string,
	fresh: boolean,
	load: () => Promise<INodeListSearchItems[]>,
): Promise<INodeListSearchItems[]> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	return await editorListCache.get(`${accountKeyOf(credentials)} ${list}`, load, fresh);
}

/** Whether a search session begins: the editor's first request for a list, with no filter typed and no page. */
export function opensList(
	filter: string | undefined,
	paginationToken: string | undefined,
): boolean {
	return !filter?.trim() && !paginationToken;
}

/**
 * The page at `paginationToken` (the offset of its first entry) of the entries whose name holds the filter, or
 * whose value is it (a UTR pasted whole: a part of one would match most entries by their hex digits).
 */
export function searchPage(
	entries: INodeListSearchItems[],
	filter: string | undefined,
	paginationToken: string | undefined,
): INodeListSearchResult {
	const typed = filter?.trim().toLowerCase() ?? '';
	const found = typed
		? entries.filter(
				(entry) =>
					entry.name.toLowerCase().includes(typed) || String(entry.value).toLowerCase() === typed,
			)
		: entries;
	const offset = /^\d+$/.test(paginationToken ?? '') ? Number(paginationToken) : 0;
	const next = offset + PAGE_SIZE;
	return {
		results: found.slice(offset, next),
		...(next < found.length ? { paginationToken: String(next) } : {}),
	};
}

/** A field as text to show, or `fallback` when the API left it out or sent something else. */
export function textOr(value: unknown, fallback: string): string {
	return typeof value === 'string' && value.trim() ? value.trim() : fallback;
}

/** Only records with a UTR can be picked: any other value would fail the run that uses it. */
function hasUtr(record: IDataObject): boolean {
	return typeof record.utr === 'string' && UTR_PATTERN.test(record.utr);
}

/** The records of a list once each, by UTR (the first listed): the editor tells its entries apart by value. */
export function oncePerUtr(records: IDataObject[]): IDataObject[] {
	const recordByUtr = new Map<string, IDataObject>();
	for (const record of records) {
		if (hasUtr(record) && !recordByUtr.has(utrKeyOf(record)))
			recordByUtr.set(utrKeyOf(record), record);
	}
	return [...recordByUtr.values()];
}

/** The day a record was created, as the API writes it (`2023-11-21T04:20:29.000000Z` → `2023-11-21`, UTC). */
function createdOn(record: IDataObject): string | undefined {
	return typeof record.created_at === 'string'
		? /^\d{4}-\d{2}-\d{2}/.exec(record.created_at)?.[0]
		: undefined;
}

/**
 * The account's automations as the Automation field's list and the trigger's Automations option show them: newest
 * first, valued by UTR, each named with its status, ID and creation day, so two of one name are told apart.
 */
export async function automationChoices(
	context: ILoadOptionsFunctions,
	fresh: boolean,
): Promise<INodeListSearchItems[]> {
	return await sessionList(context, 'automations', fresh, async () =>
		oncePerUtr(await listAutomations.call(context))
			.sort((a, b) => (toPositiveInteger(b.id) ?? 0) - (toPositiveInteger(a.id) ?? 0))
			.map((automation) => {
				const id = toPositiveInteger(automation.id);
				const created = createdOn(automation);
				const details = [
					automationStatus(automation) === 'live' ? 'Live' : 'Draft',
					...(id !== undefined ? [`ID ${id}`] : []),
					...(created ? [`created ${created}`] : []),
				];
				return {
					name: `${textOr(automation.automation_name, 'Unnamed automation')} (${details.join(', ')})`,
					value: String(automation.utr),
					description: `UTR ${String(automation.utr)}`,
				};
			}),
	);
}
