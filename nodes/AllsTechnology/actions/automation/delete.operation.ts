import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { apiRequest } from '../../transport';
import { automationLocator, getAutomationUtr } from '../common.descriptions';

export const description: INodeProperties[] = [
	automationLocator({ show: { resource: ['automation'], operation: ['delete'] } }),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const utr = getAutomationUtr.call(this, itemIndex);
	await apiRequest.call(this, { method: 'DELETE', endpoint: 'automations/delete', utr }, itemIndex);
	return { deleted: true, utr };
}
