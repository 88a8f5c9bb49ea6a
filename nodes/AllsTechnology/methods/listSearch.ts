import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { listSchedules } from '../helpers/records';
import { toPositiveInteger, utrKey, utrKeyOf, UTR_PATTERN } from '../../shared/identifiers';
import { listAutomations } from '../../shared/records';
import {
	automationChoices,
	credentialChosen,
	oncePerUtr,
	opensList,
	searchPage,
	sessionList,
	textOr,
} from '../../shared/editorLists';

/** The account's automations whose shown name (status, ID and creation day included) holds the filter, or whose UTR it is. */
export async function searchAutomations(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	if (!credentialChosen(this)) return { results: [] };
	return searchPage(
		await automationChoices(this, opensList(filter, paginationToken)),
		filter,
		paginationToken,
	);
}

function describeWait(schedule: IDataObject): string | undefined {
	if (schedule.waiting_type === 'instantly') return 'sent instantly';
	const period = Number(schedule.waiting_period);
	if (!['hours', 'days'].includes(String(schedule.waiting_type)) || !Number.isFinite(period))
		return undefined;
	return `after ${period} ${String(schedule.waiting_type)}`;
}

/** The editor opens a result's link: only a web address, never a `javascript:` or `data:` one from the answer. */
function webAddress(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	try {
		return ['http:', 'https:'].includes(new URL(value).protocol) ? value : undefined;
	} catch {
		return undefined;
	}
}

/** The UTR of the automation chosen By ID, found in the account's list, downloaded once per search session. */
async function utrOfAutomationId(
	context: ILoadOptionsFunctions,
	id: number,
	fresh: boolean,
): Promise<string> {
	const [found, ...others] = await sessionList(context, `automation id ${id}`, fresh, async () =>
		(await listAutomations.call(context))
			.filter((automation) => Number(automation.id) === id && utrKeyOf(automation) !== '')
			.map((automation) => ({ name: `ID ${id}`, value: String(automation.utr).trim() })),
	);
	if (!found || others.length) {
		throw new NodeOperationError(
			context.getNode(),
			found
				? `The ID ${id} is shared by ${others.length + 1} automations`
				: `No automation has the ID ${id}`,
			{
				description: 'Pick the automation From List or By UTR to see its emails.',
			},
		);
	}
	return String(found.value);
}

async function chosenAutomationUtr(
	context: ILoadOptionsFunctions,
	fresh: boolean,
): Promise<string> {
	let value: unknown;
	try {
		value = context.getNodeParameter('automation', '', { extractValue: true });
	} catch (error) {
		// An expression on the input data has no value in the editor, before the workflow runs.
		throw new NodeOperationError(
			context.getNode(),
			'The Automation field is an expression the list cannot work out',
			{
				description: `${(error as Error).message}. Pick the automation From List or By UTR to see its emails, or enter the schedule's UTR By UTR.`,
			},
		);
	}
	const id = toPositiveInteger(value);
	if (id !== undefined) return await utrOfAutomationId(context, id, fresh);
	const automationUtr = typeof value === 'string' ? value.trim() : '';
	if (!UTR_PATTERN.test(automationUtr)) {
		throw new NodeOperationError(context.getNode(), 'Choose the automation first', {
			description:
				"The list shows the emails of the automation in the Automation field. Or enter the schedule's UTR By UTR.",
		});
	}
	return automationUtr;
}

/** The emails of the automation chosen in the Automation field, by subject and wait. */
export async function searchSchedules(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	if (!credentialChosen(this)) return { results: [] };
	const automationUtr = await chosenAutomationUtr(this, opensList(filter, paginationToken));
	const emails = await sessionList(
		this,
		`schedules ${utrKey(automationUtr)}`,
		opensList(filter, paginationToken),
		async () =>
			oncePerUtr(await listSchedules.call(this, automationUtr)).map((schedule) => {
				const subject = textOr(schedule.subject, 'No subject');
				const wait = describeWait(schedule);
				return {
					name: wait ? `${subject} (${wait})` : subject,
					value: String(schedule.utr),
					url: webAddress(schedule.design_url),
				};
			}),
	);
	return searchPage(emails, filter, paginationToken);
}
