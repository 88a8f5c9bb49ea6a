import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { automationLocator } from '../common.descriptions';
import { changeAutomationStatus } from '../statusChange';

const displayOptions = { show: { resource: ['automation'], operation: ['setLive'] } };

export const description: INodeProperties[] = [
	{
		displayName: "An automation goes live only with an unsubscribe group: set one when you create it",
		name: 'setLiveNotice',
		type: 'notice',
		default: '',
		displayOptions,
	},
	automationLocator(displayOptions),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await changeAutomationStatus.call(this, itemIndex, 'automations/set-live');
}
