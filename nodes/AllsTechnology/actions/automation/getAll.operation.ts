import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { automationOutput, automationStatus, listAutomations } from '../../../shared/records';
import { optionalOneOf, optionalText } from '../../helpers/validation';
import type { ListShape } from '../../helpers/parameters';
import { readListShape, shapeList } from '../../helpers/parameters';
import { SIMPLIFIED_AUTOMATION, getManyOptions } from '../common.descriptions';

/**
 * The docs give automation_type as a number without its meaning: 0 is taken as custom (the docs' example, an
 * automation made through the API, has 0) and 1 as welcome.
 */
const AUTOMATION_TYPE_CODES = { custom: 0, welcome: 1 } as const;

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

const properties: INodeProperties[] = getManyOptions(SIMPLIFIED_AUTOMATION, [filters]);

export const description = updateDisplayOptions(
	{ show: { resource: ['automation'], operation: ['getAll'] } },
	properties,
);

interface Filters {
	/** Lower-cased and trimmed. */
	nameContains?: string;
	status?: 'draft' | 'live';
	type?: keyof typeof AUTOMATION_TYPE_CODES;
}

function readFilters(this: IExecuteFunctions, itemIndex: number): Filters {
	const chosen = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	// An expression such as {{ $json.year }} gives a number: its digits are the text to look for.
	const nameContains =
		typeof chosen.nameContains === 'number' ? String(chosen.nameContains) : chosen.nameContains;
	return {
		nameContains: optionalText(this, itemIndex, 'Name Contains', nameContains)
			?.trim()
			.toLowerCase(),
		status: optionalOneOf(this, itemIndex, 'Status', chosen.status, ['draft', 'live'] as const),
		type: optionalOneOf(this, itemIndex, 'Type', chosen.type, ['custom', 'welcome'] as const),
	};
}

function matchesFilters(automation: IDataObject, filters: Filters): boolean {
	const { nameContains, status, type } = filters;
	if (
		nameContains &&
		!String(automation.automation_name ?? '')
			.toLowerCase()
			.includes(nameContains)
	)
		return false;
	if (status && automationStatus(automation) !== status) return false;
	if (type && Number(automation.automation_type) !== AUTOMATION_TYPE_CODES[type]) return false;
	return true;
}

interface Params {
	filters: Filters;
	shape: ListShape;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): Params {
	return { filters: readFilters.call(this, itemIndex), shape: readListShape.call(this, itemIndex) };
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ filters, shape }: Params,
): Promise<IDataObject[]> {
	const automations = (await listAutomations.call(this, itemIndex)).filter((automation) =>
		matchesFilters(automation, filters),
	);
	return shapeList(automations, shape, automationOutput);
}
