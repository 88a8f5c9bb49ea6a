import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { readCreatedAutomation } from '../../helpers/records';
import { optionalText, requireOneOf, requirePattern, requirePositiveInteger, requireText } from '../../helpers/validation';
import { apiRequest, multipartBody } from '../../transport';

const displayOptions = { show: { resource: ['automation'], operation: ['create'] } };
const AUTOMATION_TYPES = ['custom', 'welcome'] as const;

export const description: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: [
			{ name: 'Custom', value: 'custom', description: 'A custom automation' },
			{ name: 'Welcome', value: 'welcome', description: 'A welcome (building) automation' },
		],
		default: 'custom',
		required: true,
		description: 'The kind of automation to create',
		displayOptions,
	},
	{
		displayName: 'Automation Name',
		name: 'automationName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Welcome series',
		description: 'The name of the new automation',
		displayOptions,
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
		displayOptions,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Optional fields of the new automation',
		displayOptions,
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
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const type = requireOneOf(this, itemIndex, 'Type', this.getNodeParameter('type', itemIndex), AUTOMATION_TYPES);
	const name = requireText(this, itemIndex, 'Automation Name', this.getNodeParameter('automationName', itemIndex));
	const unsubscribeGroupId = requirePositiveInteger(
		this,
		itemIndex,
		'Unsubscribe Group Name or ID',
		this.getNodeParameter('unsubscribeGroupId', itemIndex),
	);
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const automationFor = optionalText(this, itemIndex, 'Target Name or ID', additionalFields.automationFor)
		? requirePattern(
				this,
				itemIndex,
				'Target Name or ID',
				additionalFields.automationFor,
				/^(contacts|segments)_\d+$/,
				'contacts_{contact type ID} or segments_{segment ID}, e.g. contacts_10',
			)
		: undefined;

	const message = await apiRequest.call(
		this,
		{
			method: 'POST',
			endpoint: 'automations/create',
			body: multipartBody({
				type,
				automation_for: automationFor,
				automation_name: name,
				unsubscribe_group_id: unsubscribeGroupId,
			}),
		},
		itemIndex,
	);
	return await readCreatedAutomation.call(this, itemIndex, message);
}
