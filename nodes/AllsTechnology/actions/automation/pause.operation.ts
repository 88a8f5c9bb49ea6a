import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { automationLocator } from '../common.descriptions';
import { changeAutomationStatus } from '../statusChange';

const displayOptions = { show: { resource: ['automation'], operation: ['pause'] } };

export const description: INodeProperties[] = [
	{
		displayName: "Only a live automation can be paused: pausing a draft fails with the API's message",
		name: 'pauseNotice',
		type: 'notice',
		default: '',
		displayOptions,
	},
	automationLocator(displayOptions),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await changeAutomationStatus.call(this, itemIndex, 'automations/pause');
}
