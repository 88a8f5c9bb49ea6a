import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { automationStatus, listAutomations } from '../AllsTechnology/helpers/records';

/** The account's automations for the Automation Names or IDs option: name and ID to read, the UTR as the value. */
export async function getAutomations(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const automations = await listAutomations.call(this);
	return automations
		.filter((automation) => typeof automation.utr === 'string')
		.map((automation) => ({
			name: `${String(automation.automation_name ?? 'Unnamed')} (ID ${String(automation.id)})`,
			value: automation.utr as string,
			description: `${automationStatus(automation) === 'live' ? 'Live' : 'Not live'}, UTR ${String(automation.utr)}`,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}
