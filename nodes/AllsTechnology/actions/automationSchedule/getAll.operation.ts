import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { listSchedules } from '../../helpers/records';
import type { ListShape } from '../common.descriptions';
import { automationLocator, getAutomationUtr, getManyOptions, pickFields, readListShape, shapeList } from '../common.descriptions';

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

interface Params {
	automationUtr: string;
	shape: ListShape;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): Params {
	return { automationUtr: getAutomationUtr.call(this, itemIndex), shape: readListShape.call(this, itemIndex) };
}

export async function execute(this: IExecuteFunctions, itemIndex: number, { automationUtr, shape }: Params): Promise<IDataObject[]> {
	const schedules = await listSchedules.call(this, automationUtr, itemIndex);
	return shapeList(schedules, shape, simplifySchedule);
}
