import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { automationUtrOf, listSchedules } from '../../helpers/records';
import { scheduleOutput } from '../../../shared/records';
import type { ListShape, RecordRef } from '../../helpers/parameters';
import { getAutomationRef, readListShape, shapeList } from '../../helpers/parameters';
import { SIMPLIFIED_SCHEDULE, automationLocator, getManyOptions } from '../common.descriptions';

const properties: INodeProperties[] = [automationLocator(), ...getManyOptions(SIMPLIFIED_SCHEDULE)];

export const description = updateDisplayOptions(
	{ show: { resource: ['automationSchedule'], operation: ['getAll'] } },
	properties,
);

interface Params {
	automation: RecordRef;
	shape: ListShape;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): Params {
	return {
		automation: getAutomationRef.call(this, itemIndex),
		shape: readListShape.call(this, itemIndex),
	};
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ automation, shape }: Params,
): Promise<IDataObject[]> {
	const automationUtr = await automationUtrOf.call(this, itemIndex, automation);
	const schedules = await listSchedules.call(this, automationUtr, itemIndex);
	return shapeList(schedules, shape, (schedule, simplify) =>
		scheduleOutput(schedule, automationUtr, simplify),
	);
}
