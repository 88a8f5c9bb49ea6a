import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { onceAcrossRetries } from '../../helpers/retryMemory';
import { deleteByUtr, listSchedules } from '../../helpers/records';
import { requireUtr } from '../../helpers/validation';
import { automationLocator, getScheduleUtr, scheduleLocator } from '../common.descriptions';
import type { Effect } from '../operation';

const displayOptions = { show: { resource: ['automationSchedule'], operation: ['delete'] } };

export const description: INodeProperties[] = [
	automationLocator(
		displayOptions,
		"Optional. The automation the schedule belongs to, by its UTR. When set, the node first checks that the schedule is one of this automation's emails and deletes nothing otherwise.",
		false,
	),
	scheduleLocator(displayOptions),
];

export const effect: Effect = { verb: 'deleted', noun: 'email' };

interface Params {
	utr: string;
	/** The automation the schedule must belong to, when one is given. */
	automationUtr?: string;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): Params {
	const utr = getScheduleUtr.call(this, itemIndex);
	const automation = this.getNodeParameter('automation', itemIndex, '', { extractValue: true });
	const automationGiven = !(
		automation === null ||
		automation === undefined ||
		(typeof automation === 'string' && automation.trim() === '')
	);
	return { utr, automationUtr: automationGiven ? requireUtr(this, itemIndex, 'Automation', automation) : undefined };
}

/**
 * Under n8n's Retry On Fail, an item deleted in an earlier try returns that output unsent: sent again, it would fail
 * "Record not found". After an earlier try whose answer was lost, "Record not found" means that try deleted it.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number, params: Params): Promise<IDataObject> {
	return await onceAcrossRetries(
		this,
		itemIndex,
		async (earlierTryUncertain) => await deleteSchedule.call(this, itemIndex, params, earlierTryUncertain),
	);
}

async function deleteSchedule(
	this: IExecuteFunctions,
	itemIndex: number,
	{ utr, automationUtr }: Params,
	earlierTryUncertain: boolean,
): Promise<IDataObject> {
	if (automationUtr !== undefined) {
		const schedules = await listSchedules.call(this, automationUtr, itemIndex);
		if (!schedules.some((schedule) => schedule.utr === utr)) {
			const fix = 'Pick the schedule from the automation\'s schedules (Get Many), or clear the Automation field.';
			throw new NodeOperationError(
				this.getNode(),
				`Schedule ${utr} is not one of the emails of automation ${automationUtr}; nothing was deleted`,
				{
					itemIndex,
					// Whether the lost try had found it among the automation's emails is not known.
					description: earlierTryUncertain
						? `An earlier try of this item may have deleted it: its answer was lost. Check with Get Many. ${fix}`
						: fix,
				},
			);
		}
	}
	await deleteByUtr.call(this, 'automations/schedule/delete', utr, itemIndex, earlierTryUncertain);
	return { deleted: true, utr };
}
