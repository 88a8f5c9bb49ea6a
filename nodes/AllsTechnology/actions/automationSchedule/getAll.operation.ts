import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { listSchedules } from '../../helpers/records';
import { automationLocator, getAutomationUtr, getManyOptions, pickFields, shapeList } from '../common.descriptions';

const displayOptions = { show: { resource: ['automationSchedule'], operation: ['getAll'] } };

const SIMPLIFIED_FIELDS = [
	'id',
	'utr',
	'automation_id',
	'subject',
	'waiting_type',
	'waiting_period',
	'sender_id',
	'template_id',
	'preview_img',
	'design_url',
] as const;

export const description: INodeProperties[] = [
	automationLocator(displayOptions),
	...getManyOptions(
		displayOptions,
		'ID, UTR, automation ID, subject, waiting type and period, sender ID, template ID, preview image and design URL, without the template HTML and JSON',
	),
];

export function simplifySchedule(record: IDataObject): IDataObject {
	return pickFields(record, SIMPLIFIED_FIELDS);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const schedules = await listSchedules.call(this, getAutomationUtr.call(this, itemIndex), itemIndex);
	return shapeList.call(this, itemIndex, schedules, simplifySchedule);
}
