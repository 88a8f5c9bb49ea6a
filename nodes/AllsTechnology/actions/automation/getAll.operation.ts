import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest } from '../../transport';
import { asItemError } from '../../helpers/items';
import { isRecordNotFound, listUnder } from '../../helpers/records';
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

export const description: INodeProperties[] = getManyOptions(
	displayOptions,
	'ID, UTR, name, status ("draft" or "live"), live since, number of emails, and the delivered, unique opens, bounces and unsubscribes totals',
);

export function simplifyAutomation(record: IDataObject): IDataObject {
	const simplified = pickFields(record, SIMPLIFIED_FIELDS);
	if ('status' in record) simplified.status = Number(record.status) === 1 ? 'live' : 'draft';
	return simplified;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	let automations: IDataObject[];
	try {
		const message = await apiRequest.call(this, { method: 'GET', endpoint: 'automations' }, itemIndex);
		automations = listUnder(message, 'automations');
	} catch (error) {
		// The API answers an account without automations with "Record Not Found" instead of an empty list.
		if (!isRecordNotFound(error)) throw asItemError(this, error, itemIndex);
		automations = [];
	}
	return shapeList.call(this, itemIndex, automations, simplifyAutomation);
}
