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
import {
	optionalText,
	requireOneOf,
	requirePattern,
	requirePositiveInteger,
	requireText,
} from '../../helpers/validation';
import { apiRequest, multipartBody } from '../../../shared/transport';
import { readSimplify } from '../../helpers/parameters';
import { SIMPLIFIED_AUTOMATION, simplifyOption } from '../common.descriptions';
import type { Effect } from '../operation';
import type { CreateAutomationForm } from '../../../shared/interfaces';

const AUTOMATION_TYPES = ['custom', 'welcome'] as const;

const properties: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: [
			{ name: 'Custom', value: 'custom', description: 'For any other series of emails' },
			{
				name: 'Welcome',
				value: 'welcome',
				description:
					'For a welcome series, the emails that greet new contacts (the AllsTechnology API calls this type a "building" automation)',
			},
		],
		default: 'custom',
		required: true,
		description:
			"The kind of automation to create: Welcome for a welcome series, Custom for any other. AllsTechnology's API docs name the two types and describe no other difference between them.",
	},
	{
		displayName: 'Automation Name',
		name: 'automationName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Welcome series',
		description: 'The name of the new automation',
	},
	{
		displayName: 'Unsubscribe Group Name or ID',
		name: 'unsubscribeGroupId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getUnsubscribeGroups' },
		default: '',
		required: true,
		description:
			'The unsubscribe group of the automation, a whole number ID; an automation needs one to be set live. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		builderHint: {
			propertyHint:
				"The user picks it from the account's unsubscribe groups: use placeholder('Unsubscribe group') unless they gave an ID.",
		},
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Optional fields of the new automation',
		options: [
			{
				displayName: 'Target Name or ID',
				name: 'automationFor',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getAutomationTargets' },
				default: '',
				description:
					'Who the automation targets: contacts_{contact type ID} (e.g. contacts_10) for a contact type, or segments_{segment ID} (e.g. segments_25) for a segment. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
		],
	},
	simplifyOption(SIMPLIFIED_AUTOMATION),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['automation'], operation: ['create'] } },
	properties,
);

export const effect: Effect = { verb: 'created', noun: 'automation' };

interface CreateParams {
	type: (typeof AUTOMATION_TYPES)[number];
	name: string;
	unsubscribeGroupId: number;
	automationFor: string | undefined;
	simplify: boolean;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): CreateParams {
	const type = requireOneOf(
		this,
		itemIndex,
		'Type',
		this.getNodeParameter('type', itemIndex),
		AUTOMATION_TYPES,
	);
	const name = requireText(
		this,
		itemIndex,
		'Automation Name',
		this.getNodeParameter('automationName', itemIndex),
	);
	const unsubscribeGroupId = requirePositiveInteger(
		this,
		itemIndex,
		'Unsubscribe Group Name or ID',
		this.getNodeParameter('unsubscribeGroupId', itemIndex),
	);
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const automationFor = optionalText(
		this,
		itemIndex,
		'Target Name or ID',
		additionalFields.automationFor,
	)
		? requirePattern(
				this,
				itemIndex,
				'Target Name or ID',
				additionalFields.automationFor,
				/^(contacts|segments)_\d+$/,
				'contacts_{contact type ID} or segments_{segment ID}, e.g. contacts_10',
			)
		: undefined;
	return {
		type,
		name,
		unsubscribeGroupId,
		automationFor,
		simplify: readSimplify.call(this, itemIndex),
	};
}

/**
 * Whether a listed automation is one this create made: the list shows the name, the unsubscribe group and the
 * target as sent. The type is left out: the docs do not say which `automation_type` number each type is.
 */
function madeBy(params: CreateParams): (automation: IDataObject) => boolean {
	return (automation) =>
		listedAs(automation.automation_name, params.name) &&
		listedAs(automation.unsubscribe_group_id, params.unsubscribeGroupId) &&
		listedAs(
			automation.automation_for_table &&
				automation.automation_for !== null &&
				automation.automation_for !== undefined
				? `${String(automation.automation_for_table)}${String(automation.automation_for)}`
				: undefined,
			params.automationFor,
		);
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	params: CreateParams,
): Promise<IDataObject> {
	const created = await onceAcrossRetries(this, itemIndex, async () => {
		const creates = automationCreatesOf(this);
		await creates.listedBefore(itemIndex);
		let utr: string;
		try {
			utr = await creates.send(
				itemIndex,
				async () =>
					await apiRequest.call(
						this,
						{
							method: 'POST',
							endpoint: 'automations/create',
							body: multipartBody({
								type: params.type,
								automation_for: params.automationFor,
								automation_name: params.name,
								unsubscribe_group_id: params.unsubscribeGroupId,
							} satisfies CreateAutomationForm),
						},
						itemIndex,
					),
			);
		} catch (error) {
			const lost = lostAnswerOf(this, error, itemIndex);
			return await creates.lookFor(itemIndex, lost, madeBy(params));
		}
		return await readCreatedAutomation(this, itemIndex, utr);
	});
	return automationOutput(created, params.simplify);
}
