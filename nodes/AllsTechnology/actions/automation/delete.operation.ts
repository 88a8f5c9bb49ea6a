import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { deleteByUtr } from '../../helpers/records';
import { automationLocator, getAutomationUtr } from '../common.descriptions';

export const description: INodeProperties[] = [
	automationLocator({ show: { resource: ['automation'], operation: ['delete'] } }),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const utr = getAutomationUtr.call(this, itemIndex);
	await deleteByUtr.call(this, 'automations/delete', utr, itemIndex);
	return { deleted: true, utr };
}
