import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { automationOutput } from '../../../shared/records';
import { perRun } from '../../../shared/transport/perRun';
import { automationUtrOf, listedAutomation, readAutomation } from '../../helpers/records';
import type { RecordRef } from '../../helpers/parameters';
import { getAutomationRef, readSimplify } from '../../helpers/parameters';
import {
	MAX_IN_FLIGHT,
	SIMPLIFIED_AUTOMATION,
	automationLocator,
	simplifyOption,
} from '../common.descriptions';

const properties: INodeProperties[] = [automationLocator(), simplifyOption(SIMPLIFIED_AUTOMATION)];

export const description = updateDisplayOptions(
	{ show: { resource: ['automation'], operation: ['get'] } },
	properties,
);

const fromListByRun = new WeakMap<object, boolean>();

/**
 * Whether the run's Gets take their automations from one list (Options → One List for Many Gets): with more items
 * than requests in flight, one list costs less than a round trip for every ten items.
 */
function fromList(context: IExecuteFunctions): boolean {
	return perRun(
		fromListByRun,
		context,
		() =>
			context.getInputData().length > MAX_IN_FLIGHT &&
			context.getNodeParameter('options.oneListForManyGets', 0, true) === true,
	);
}

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
	const listed = fromList(this) ? await listedAutomation.call(this, utr, itemIndex) : undefined;
	return automationOutput(listed ?? (await readAutomation.call(this, utr, itemIndex)), simplify);
}
