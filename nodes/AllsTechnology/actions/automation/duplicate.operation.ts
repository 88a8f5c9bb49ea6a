import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { onceAcrossRetries } from '../../helpers/retryMemory';
import { automationCreatesOf, listedAs, lostAnswerOf, readCreatedAutomation } from '../../helpers/creates';
import { utrKey, utrKeyOf } from '../../helpers/records';
import { apiRequest } from '../../transport';
import { automationLocator, getAutomationUtr } from '../common.descriptions';
import type { Effect } from '../operation';

export const description: INodeProperties[] = [
	automationLocator({ show: { resource: ['automation'], operation: ['duplicate'] } }),
];

export const effect: Effect = { verb: 'created', noun: 'automation' };

export function prepare(this: IExecuteFunctions, itemIndex: number): { utr: string } {
	return { utr: getAutomationUtr.call(this, itemIndex) };
}

/**
 * The fields a copy keeps. The docs say nothing of the copy's record; the sandbox's copy keeps every setting and the
 * name. Should the API name its copies otherwise, a lost answer ends as "may exist", never as "not created": that
 * is told only when no new automation appeared at all.
 */
const KEPT_BY_A_COPY = ['automation_name', 'automation_type', 'automation_for', 'automation_for_table', 'unsubscribe_group_id'];

function copyOf(original: IDataObject | undefined): (automation: IDataObject) => boolean {
	return (automation) =>
		original !== undefined &&
		KEPT_BY_A_COPY.every((field) => listedAs(automation[field], original[field]));
}

export async function execute(this: IExecuteFunctions, itemIndex: number, { utr }: { utr: string }): Promise<IDataObject> {
	return await onceAcrossRetries(this, itemIndex, async () => {
		const creates = automationCreatesOf(this);
		const before = await creates.listedBefore(itemIndex);
		let copyUtr: string;
		try {
			// A GET that creates a copy: sending it twice would make two.
			copyUtr = await creates.send(itemIndex, async () =>
				await apiRequest.call(
					this,
					{ method: 'GET', endpoint: 'automations/duplicate', utr, repeatable: false },
					itemIndex,
				),
			);
		} catch (error) {
			const lost = lostAnswerOf(this, error, itemIndex);
			const original = before.find((automation) => utrKeyOf(automation) === utrKey(utr));
			return await creates.lookFor(itemIndex, lost, copyOf(original));
		}
		return await readCreatedAutomation(this, itemIndex, copyUtr);
	});
}
