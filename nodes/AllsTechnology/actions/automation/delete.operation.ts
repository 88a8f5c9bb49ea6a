import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { deleteByUtr } from '../../helpers/records';
import { automationLocator, getAutomationUtr } from '../common.descriptions';
import type { Effect } from '../operation';

export const description: INodeProperties[] = [
	automationLocator({ show: { resource: ['automation'], operation: ['delete'] } }),
];

export const effect: Effect = { verb: 'deleted', noun: 'automation' };

export const prepare = getAutomationUtr;

export async function execute(this: IExecuteFunctions, itemIndex: number, utr: string): Promise<IDataObject> {
	await deleteByUtr.call(this, 'automations/delete', utr, itemIndex);
	return { deleted: true, utr };
}
