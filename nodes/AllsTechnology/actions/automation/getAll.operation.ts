import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { automationStatus, listAutomations } from '../../helpers/records';
import { getManyOptions, pickFields, shapeList } from '../common.descriptions';

const displayOptions = { show: { resource: ['automation'], operation: ['getAll'] } };

const SIMPLIFIED_FIELDS = [
	'id',
	'utr',
	'automation_name',
	'status',
	'live_at',
	'automation_schedule_count',
	'total_delivered',
	'total_unique_opens',
	'total_bounces',
	'total_unsubscribe',
] as const;

/**
 * The docs give automation_type as a number without its meaning: 0 is taken as custom (the docs' example, an
 * automation made through the API, has 0) and 1 as welcome.
 */
const AUTOMATION_TYPE_CODES: Record<string, number> = { custom: 0, welcome: 1 };

const filters: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
	description: 'Filters applied by the node to the whole list; Limit counts what is left',
	options: [
		{
			displayName: 'Name Contains',
			name: 'nameContains',
			type: 'string',
			default: '',
			placeholder: 'e.g. welcome',
			description: 'Only automations whose name contains this text, ignoring case',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: [
				{ name: 'Draft', value: 'draft' },
				{ name: 'Live', value: 'live' },
			],
			default: 'live',
			description: 'Only draft (not sending) or only live (sending) automations',
		},
		{
			displayName: 'Type',
			name: 'type',
			type: 'options',
			options: [
				{ name: 'Custom', value: 'custom' },
				{ name: 'Welcome', value: 'welcome' },
			],
			default: 'custom',
			description: 'Only custom or only welcome automations',
		},
	],
};

export const description: INodeProperties[] = getManyOptions(
	displayOptions,
	'ID, UTR, name, status ("draft" or "live"), live since, number of emails, and the delivered, unique opens, bounces and unsubscribes totals',
	[filters],
);

function matchesFilters(automation: IDataObject, chosen: IDataObject): boolean {
	const nameContains = String(chosen.nameContains ?? '').trim().toLowerCase();
	if (nameContains && !String(automation.automation_name ?? '').toLowerCase().includes(nameContains)) return false;
	if (chosen.status && automationStatus(automation) !== chosen.status) return false;
	if (chosen.type && Number(automation.automation_type) !== AUTOMATION_TYPE_CODES[String(chosen.type)]) return false;
	return true;
}

export function simplifyAutomation(record: IDataObject): IDataObject {
	const simplified = pickFields(record, SIMPLIFIED_FIELDS);
	if ('status' in record) simplified.status = automationStatus(record);
	return simplified;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const chosen = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const automations = (await listAutomations.call(this, itemIndex)).filter((automation) =>
		matchesFilters(automation, chosen),
	);
	return shapeList.call(this, itemIndex, automations, simplifyAutomation);
}
