import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { automationStatus, listAutomations, listSchedules } from '../helpers/records';
import { UTR_PATTERN } from '../helpers/validation';

function matches(text: string, filter: string | undefined): boolean {
	return !filter || text.toLowerCase().includes(filter.trim().toLowerCase());
}

/** A field as text to show, or `fallback` when the API left it out or sent something else. */
function textOr(value: unknown, fallback: string): string {
	return typeof value === 'string' && value.trim() ? value.trim() : fallback;
}

/** Only records with a UTR can be picked: any other value would fail the run that uses it. */
function hasUtr(record: IDataObject): boolean {
	return typeof record.utr === 'string' && UTR_PATTERN.test(record.utr);
}

/** Automations whose name contains the filter, newest first, each marked live or draft. */
export async function searchAutomations(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const automations = await listAutomations.call(this);
	const results = automations
		.filter(hasUtr)
		.map((automation) => ({ automation, name: textOr(automation.automation_name, 'Unnamed automation') }))
		.filter(({ name }) => matches(name, filter))
		.sort((a, b) => Number(b.automation.id) - Number(a.automation.id))
		.map(({ automation, name }) => ({
			name: `${name} (${automationStatus(automation) === 'live' ? 'Live' : 'Draft'})`,
			value: String(automation.utr),
		}));
	return { results };
}

function describeWait(schedule: IDataObject): string | undefined {
	if (schedule.waiting_type === 'instantly') return 'sent instantly';
	const period = Number(schedule.waiting_period);
	if (!['hours', 'days'].includes(String(schedule.waiting_type)) || !Number.isFinite(period)) return undefined;
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

function chosenAutomationUtr(context: ILoadOptionsFunctions): string {
	let value: unknown;
	try {
		value = context.getNodeParameter('automation', '', { extractValue: true });
	} catch (error) {
		// An expression on the input data has no value in the editor, before the workflow runs.
		throw new NodeOperationError(context.getNode(), 'The Automation field is an expression the list cannot work out', {
			description: `${(error as Error).message}. Pick the automation From List or By UTR to see its emails, or enter the schedule's UTR By UTR.`,
		});
	}
	const automationUtr = typeof value === 'string' ? value.trim() : '';
	if (!UTR_PATTERN.test(automationUtr)) {
		throw new NodeOperationError(context.getNode(), 'Choose the automation first', {
			description: 'The list shows the emails of the automation in the Automation field. Or enter the schedule\'s UTR By UTR.',
		});
	}
	return automationUtr;
}

/** The emails of the automation chosen in the Automation field, by subject and wait. */
export async function searchSchedules(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const schedules = await listSchedules.call(this, chosenAutomationUtr(this));
	const results = schedules
		.filter(hasUtr)
		.map((schedule) => ({ schedule, subject: textOr(schedule.subject, 'No subject') }))
		.filter(({ subject }) => matches(subject, filter))
		.map(({ schedule, subject }) => {
			const wait = describeWait(schedule);
			return {
				name: wait ? `${subject} (${wait})` : subject,
				value: String(schedule.utr),
				url: webAddress(schedule.design_url),
			};
		});
	return { results };
}
