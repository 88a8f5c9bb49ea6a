import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { automationUtrOf, explainNotFound } from '../../helpers/records';
import type { RecordRef } from '../../helpers/parameters';
import { getAutomationRef } from '../../helpers/parameters';
import { automationLocator } from '../common.descriptions';
import type { Effect } from '../operation';
import { changeAutomationStatus } from '../statusChange';

const properties: INodeProperties[] = [
	{
		displayName:
			'An automation goes live only with an unsubscribe group: set one when you create it',
		name: 'setLiveNotice',
		type: 'notice',
		default: '',
	},
	automationLocator(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['automation'], operation: ['setLive'] } },
	properties,
);

export const effect: Effect = { verb: 'set live', noun: 'automation' };

export const prepare = getAutomationRef;

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	automation: RecordRef,
): Promise<IDataObject> {
	const utr = await automationUtrOf.call(this, itemIndex, automation);
	try {
		return await changeAutomationStatus.call(this, itemIndex, utr, 'automations/set-live');
	} catch (error) {
		throw explainNotFound(this, error, 'automation', utr, itemIndex);
	}
}
