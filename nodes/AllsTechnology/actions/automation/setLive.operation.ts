import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { automationLocator } from '../common.descriptions';
import { changeAutomationStatus } from '../statusChange';

export const description: INodeProperties[] = [
	automationLocator({ show: { resource: ['automation'], operation: ['setLive'] } }),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await changeAutomationStatus.call(this, itemIndex, 'automations/set-live');
}
