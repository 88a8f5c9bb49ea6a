import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { onceAcrossRetries } from '../../helpers/retryMemory';
import { automationUtrOf, deleteByUtr, findSchedules, listSchedules } from '../../helpers/records';
import type { RecordRef } from '../../helpers/parameters';
import { getAutomationRef, getScheduleRef, isLeftEmpty } from '../../helpers/parameters';
import { automationLocator, scheduleLocator } from '../common.descriptions';
import type { Effect } from '../operation';

const properties: INodeProperties[] = [
	automationLocator(
		"Optional, but needed for a schedule given By ID. The automation the schedule belongs to. When set, the node first checks that the schedule is one of this automation's emails and deletes nothing otherwise.",
		false,
	),
	scheduleLocator,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['automationSchedule'], operation: ['delete'] } },
	properties,
);

export const effect: Effect = { verb: 'deleted', noun: 'email' };

interface Params {
	schedule: RecordRef;
	/** The automation the schedule must belong to, when one is given. */
	automation?: RecordRef;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): Params {
	const schedule = getScheduleRef.call(this, itemIndex);
	const automation = isLeftEmpty.call(this, itemIndex, 'automation')
		? undefined
		: getAutomationRef.call(this, itemIndex);
	if ('id' in schedule && !automation) {
		throw new NodeOperationError(
			this.getNode(),
			`Schedule ${schedule.id} is given By ID, and the Automation field is empty`,
			{
				itemIndex,
				description:
					"A schedule's ID is looked up among the emails of its automation: set Automation, or give the schedule By UTR.",
			},
		);
	}
	return { schedule, automation };
}

/**
 * Under n8n's Retry On Fail, an item deleted in an earlier try returns that output unsent: sent again, it would fail
 * "Record not found". After an earlier try whose answer was lost, "Record not found" means that try deleted it.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	params: Params,
): Promise<IDataObject> {
	return await onceAcrossRetries(
		this,
		itemIndex,
		async (earlierTryUncertain) =>
			await deleteSchedule.call(this, itemIndex, params, earlierTryUncertain),
	);
}

async function deleteSchedule(
	this: IExecuteFunctions,
	itemIndex: number,
	{ schedule, automation }: Params,
	earlierTryUncertain: boolean,
): Promise<IDataObject> {
	if (!automation) {
		// prepare() lets only a schedule By UTR through without its automation.
		const { utr } = schedule as { utr: string };
		await deleteByUtr.call(
			this,
			'automations/schedule/delete',
			utr,
			itemIndex,
			earlierTryUncertain,
		);
		return { deleted: true, utr };
	}
	const automationUtr = await automationUtrOf.call(
		this,
		itemIndex,
		automation,
		earlierTryUncertain,
	);
	const [found, ...others] = findSchedules(
		await listSchedules.call(this, automationUtr, itemIndex),
		schedule,
	);
	// By UTR the delete names the email itself; By ID, two emails with one ID leave the choice a guess.
	if ('id' in schedule && others.length) {
		throw new NodeOperationError(
			this.getNode(),
			`The ID ${schedule.id} is shared by ${others.length + 1} emails of automation ${automationUtr}, so it names none of them; nothing was deleted`,
			{
				itemIndex,
				description: `Their UTRs: ${[found, ...others].map((record) => String(record.utr).trim()).join(', ')}. Pick the schedule From List or By UTR.`,
			},
		);
	}
	if (!found) {
		const fix =
			"Pick the schedule from the automation's schedules (Get Many), or clear the Automation field.";
		throw new NodeOperationError(
			this.getNode(),
			'utr' in schedule
				? `Schedule ${schedule.utr} is not one of the emails of automation ${automationUtr}; nothing was deleted`
				: `No email of automation ${automationUtr} has the ID ${schedule.id}; nothing was deleted`,
			{
				itemIndex,
				// Whether the lost try had found it among the automation's emails is not known.
				description: earlierTryUncertain
					? `An earlier try of this item may have deleted it: its answer was lost. Check with Get Many. ${fix}`
					: fix,
			},
		);
	}
	const utr = 'utr' in schedule ? schedule.utr : String(found.utr).trim();
	await deleteByUtr.call(this, 'automations/schedule/delete', utr, itemIndex, earlierTryUncertain);
	return { deleted: true, utr, automation_utr: automationUtr };
}
