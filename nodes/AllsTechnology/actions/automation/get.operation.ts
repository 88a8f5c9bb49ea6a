import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { readAutomation } from '../../helpers/records';
import { automationLocator, getAutomationUtr } from '../common.descriptions';

export const description: INodeProperties[] = [
	automationLocator({ show: { resource: ['automation'], operation: ['get'] } }),
];

export const prepare = getAutomationUtr;

export async function execute(this: IExecuteFunctions, itemIndex: number, utr: string): Promise<IDataObject> {
	return await readAutomation.call(this, utr, itemIndex);
}
