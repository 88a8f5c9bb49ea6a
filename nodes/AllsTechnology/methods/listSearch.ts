import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { automationStatus, listAutomations, listSchedules } from '../helpers/records';
import { UTR_PATTERN } from '../helpers/validation';

function matches(text: unknown, filter: string | undefined): boolean {
	return !filter || String(text ?? '').toLowerCase().includes(filter.trim().toLowerCase());
}

/** Automations whose name contains the filter, newest first, each marked live or draft. */
export async function searchAutomations(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const automations = await listAutomations.call(this);
	const results = automations
		.filter((automation) => matches(automation.automation_name, filter))
		.sort((a, b) => Number(b.id) - Number(a.id))
		.map((automation) => ({
			name: `${String(automation.automation_name)} (${automationStatus(automation) === 'live' ? 'Live' : 'Draft'})`,
			value: String(automation.utr),
		}));
	return { results };
}

function describeWait(schedule: IDataObject): string {
	if (schedule.waiting_type === 'instantly') return 'sent instantly';
	return `after ${String(schedule.waiting_period)} ${String(schedule.waiting_type)}`;
}

/** The emails of the automation chosen in the Automation field, by subject and wait. */
export async function searchSchedules(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const automationUtr = String(this.getNodeParameter('automation', '', { extractValue: true }) ?? '').trim();
	if (!UTR_PATTERN.test(automationUtr)) {
		throw new NodeOperationError(this.getNode(), 'Choose the automation first', {
			description: 'The list shows the emails of the automation in the Automation field. Or enter the schedule\'s UTR By UTR.',
		});
	}
	const schedules = await listSchedules.call(this, automationUtr);
	const results = schedules
		.filter((schedule) => matches(schedule.subject, filter))
		.map((schedule: IDataObject) => ({
			name: `${String(schedule.subject)} (${describeWait(schedule)})`,
			value: String(schedule.utr),
			url: typeof schedule.design_url === 'string' ? schedule.design_url : undefined,
		}));
	return { results };
}
