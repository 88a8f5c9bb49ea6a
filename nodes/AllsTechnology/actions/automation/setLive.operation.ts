import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { automationLocator, getAutomationUtr } from '../common.descriptions';
import type { Effect } from '../operation';
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

export const effect: Effect = { verb: 'set live', noun: 'automation' };

export const prepare = getAutomationUtr;

export async function execute(this: IExecuteFunctions, itemIndex: number, utr: string): Promise<IDataObject> {
	return await changeAutomationStatus.call(this, itemIndex, utr, 'automations/set-live');
}
