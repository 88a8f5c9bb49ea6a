import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { onceAcrossRetries } from '../../helpers/retryMemory';
import {
	automationCreatesOf,
	listedAs,
	lostAnswerOf,
	readCreatedAutomation,
} from '../../helpers/creates';
import { automationOutput } from '../../../shared/records';
import { automationUtrOf, explainNotFound } from '../../helpers/records';
import { utrKey, utrKeyOf } from '../../../shared/identifiers';
import { apiRequest } from '../../../shared/transport';
import type { RecordRef } from '../../helpers/parameters';
import { getAutomationRef, readSimplify } from '../../helpers/parameters';
import { SIMPLIFIED_AUTOMATION, automationLocator, simplifyOption } from '../common.descriptions';
import type { Effect } from '../operation';
import type { AutomationRecord } from '../../../shared/interfaces';

const properties: INodeProperties[] = [automationLocator(), simplifyOption(SIMPLIFIED_AUTOMATION)];

export const description = updateDisplayOptions(
	{ show: { resource: ['automation'], operation: ['duplicate'] } },
	properties,
);

export const effect: Effect = { verb: 'created', noun: 'automation' };

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

/**
 * The fields a copy keeps. The docs say nothing of the copy's record; the sandbox's copy keeps every setting and the
 * name. Should the API name its copies otherwise, a lost answer ends as "may exist", never as "not created": that
 * is told only when no new automation appeared at all.
 */
const KEPT_BY_A_COPY: ReadonlyArray<keyof AutomationRecord> = [
	'automation_name',
	'automation_type',
	'automation_for',
	'automation_for_table',
	'unsubscribe_group_id',
];

function copyOf(original: IDataObject | undefined): (automation: IDataObject) => boolean {
	return (automation) =>
		original !== undefined &&
		KEPT_BY_A_COPY.every((field) => listedAs(automation[field], original[field]));
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ automation, simplify }: Params,
): Promise<IDataObject> {
	const copy = await onceAcrossRetries(this, itemIndex, async () => {
		const creates = automationCreatesOf(this);
		const before = await creates.listedBefore(itemIndex);
		const utr = await automationUtrOf.call(this, itemIndex, automation);
		let copyUtr: string;
		try {
			// A GET that creates a copy: sending it twice would make two.
			copyUtr = await creates.send(
				itemIndex,
				async () =>
					await apiRequest.call(
						this,
						{ method: 'GET', endpoint: 'automations/duplicate', utr, repeatable: false },
						itemIndex,
					),
			);
		} catch (error) {
			const lost = lostAnswerOf(
				this,
				explainNotFound(this, error, 'automation', utr, itemIndex),
				itemIndex,
			);
			const original = before.find((listed) => utrKeyOf(listed) === utrKey(utr));
			return await creates.lookFor(itemIndex, lost, copyOf(original));
		}
		return await readCreatedAutomation(this, itemIndex, copyUtr);
	});
	return automationOutput(copy, simplify);
}
