import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { automationOutput } from '../../../shared/records';
import { automationUtrOf, readAutomation } from '../../helpers/records';
import type { RecordRef } from '../../helpers/parameters';
import { getAutomationRef, readSimplify } from '../../helpers/parameters';
import { SIMPLIFIED_AUTOMATION, automationLocator, simplifyOption } from '../common.descriptions';

const properties: INodeProperties[] = [automationLocator(), simplifyOption(SIMPLIFIED_AUTOMATION)];

export const description = updateDisplayOptions(
	{ show: { resource: ['automation'], operation: ['get'] } },
	properties,
);

interface Params {
	automation: RecordRef;
	simplify: boolean;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): Params {
	return {
		automation: getAutomationRef.call(this, itemIndex),
		simplify: readSimplify.call(this, itemIndex),
	};
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ automation, simplify }: Params,
): Promise<IDataObject> {
	const utr = await automationUtrOf.call(this, itemIndex, automation);
	return automationOutput(await readAutomation.call(this, utr, itemIndex), simplify);
}
