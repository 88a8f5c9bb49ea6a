import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { readCreatedAutomation } from '../../helpers/records';
import { apiRequest } from '../../transport';
import { automationLocator, getAutomationUtr } from '../common.descriptions';

export const description: INodeProperties[] = [
	automationLocator({ show: { resource: ['automation'], operation: ['duplicate'] } }),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const utr = getAutomationUtr.call(this, itemIndex);
	// A GET that creates a copy: sending it twice would make two.
	const message = await apiRequest.call(
		this,
		{ method: 'GET', endpoint: 'automations/duplicate', utr, repeatable: false },
		itemIndex,
	);
	return await readCreatedAutomation.call(this, itemIndex, message);
}
