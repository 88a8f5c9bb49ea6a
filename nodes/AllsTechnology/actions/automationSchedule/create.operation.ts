import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { fetchLookup } from '../../helpers/lookups';
import { listSchedules, readBack } from '../../helpers/records';
import { optionalText, requireOneOf, requirePositiveInteger, requireText } from '../../helpers/validation';
import { apiRequest, multipartBody } from '../../transport';
import { automationLocator, getAutomationUtr } from '../common.descriptions';

const displayOptions = { show: { resource: ['automationSchedule'], operation: ['create'] } };
const WAITING_TYPES = ['instantly', 'hours', 'days'] as const;

export const description: INodeProperties[] = [
	automationLocator(displayOptions),
	{
		displayName: 'Sender ID',
		name: 'senderId',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 0,
		required: true,
		description: 'The ID of the sender the email goes out from, a whole number from your AllsTechnology sender list',
		displayOptions,
	},
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Welcome aboard',
		description: 'The subject line of the email',
		displayOptions,
	},
	{
		displayName: 'Waiting Type',
		name: 'waitingType',
		type: 'options',
		options: [
			{ name: 'Days', value: 'days', description: 'Wait a number of days before sending' },
			{ name: 'Hours', value: 'hours', description: 'Wait a number of hours before sending' },
			{ name: 'Instantly', value: 'instantly', description: 'Send without waiting' },
		],
		default: 'instantly',
		required: true,
		description: 'How long the automation waits before it sends this email',
		displayOptions,
	},
	{
		displayName: 'Waiting Period',
		name: 'waitingPeriod',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		required: true,
		description: 'How many hours or days to wait, a whole number. For Instantly the API expects 1, which the node sends.',
		displayOptions: { show: { ...displayOptions.show, waitingType: ['hours', 'days'] } },
	},
	{
		displayName: 'Template Name or ID',
		name: 'templateId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getTemplates' },
		default: '',
		required: true,
		description:
			'The design template of the email, a whole number ID. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions,
	},
	{
		displayName: 'Preview Image',
		name: 'previewImg',
		type: 'string',
		default: '',
		placeholder: 'e.g. verify_email.png',
		description:
			"The file name of the email's preview image. Leave empty to use the chosen template's own preview image, looked up when the node runs.",
		displayOptions,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Optional fields of the new email: its design as HTML or as JSON',
		displayOptions,
		options: [
			{
				displayName: 'Template HTML',
				name: 'templateHtml',
				type: 'string',
				typeOptions: { rows: 6 },
				default: '',
				description: 'The design as HTML. Set this or Template JSON, not both.',
			},
			{
				displayName: 'Template JSON',
				name: 'templateJson',
				type: 'string',
				typeOptions: { rows: 6 },
				default: '',
				description: "The design as the editor's JSON. Set this or Template HTML, not both.",
			},
		],
	},
];

/**
 * The API answers "Schedule Added" without the new schedule's UTR, so the automation's schedules are read before
 * and after, and the new one is the one that was not there before.
 */
function findNewSchedule(before: IDataObject[], after: IDataObject[], subject: string): IDataObject | undefined {
	const known = new Set(before.map((schedule) => schedule.utr));
	const added = after.filter((schedule) => !known.has(schedule.utr));
	// Another workflow may add a schedule to the same automation at the same moment: prefer ours by subject, newest last.
	const ours = added.filter((schedule) => schedule.subject === subject);
	return (ours.length ? ours : added).pop();
}

/** The Preview Image parameter, or when empty the template's own preview image from the template list. */
async function previewImageOf(this: IExecuteFunctions, itemIndex: number, templateId: number): Promise<string> {
	const previewImg = optionalText(this, itemIndex, 'Preview Image', this.getNodeParameter('previewImg', itemIndex, ''));
	if (previewImg !== undefined) return previewImg;
	const template = (await fetchLookup.call(this, 'get-design/template', itemIndex)).find(
		(record) => Number(record.id) === templateId,
	);
	if (typeof template?.preview_img !== 'string' || !template.preview_img.trim()) {
		throw new NodeOperationError(
			this.getNode(),
			template
				? `Template ${templateId} has no preview image in the template list`
				: `Template ${templateId} is not in the template list`,
			{ itemIndex, description: 'Choose a template from the list, or fill in Preview Image.' },
		);
	}
	return template.preview_img.trim();
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const automationUtr = getAutomationUtr.call(this, itemIndex);
	const senderId = requirePositiveInteger(this, itemIndex, 'Sender ID', this.getNodeParameter('senderId', itemIndex));
	const subject = requireText(this, itemIndex, 'Subject', this.getNodeParameter('subject', itemIndex));
	const waitingType = requireOneOf(
		this,
		itemIndex,
		'Waiting Type',
		this.getNodeParameter('waitingType', itemIndex),
		WAITING_TYPES,
	);
	const waitingPeriod =
		waitingType === 'instantly'
			? 1
			: requirePositiveInteger(this, itemIndex, 'Waiting Period', this.getNodeParameter('waitingPeriod', itemIndex));
	const templateId = requirePositiveInteger(
		this,
		itemIndex,
		'Template Name or ID',
		this.getNodeParameter('templateId', itemIndex),
	);
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const templateHtml = optionalText(this, itemIndex, 'Template HTML', additionalFields.templateHtml);
	const templateJson = optionalText(this, itemIndex, 'Template JSON', additionalFields.templateJson);
	if (templateHtml !== undefined && templateJson !== undefined) {
		throw new NodeOperationError(this.getNode(), 'Template HTML and Template JSON are both set: the API takes one or the other', {
			itemIndex,
			description: 'Remove one of the two from Additional Fields.',
		});
	}

	const previewImg = await previewImageOf.call(this, itemIndex, templateId);
	const before = await listSchedules.call(this, automationUtr, itemIndex);
	const message = await apiRequest.call(
		this,
		{
			method: 'POST',
			endpoint: 'automations/schedule/create',
			body: multipartBody({
				utr: automationUtr,
				sender_id: senderId,
				subject,
				waiting_period: waitingPeriod,
				waiting_type: waitingType,
				template_id: templateId,
				preview_img: previewImg,
				template_json: templateJson,
				template_html: templateHtml,
			}),
		},
		itemIndex,
	);
	const after = await readBack(this, itemIndex, `The schedule was added to automation ${automationUtr}`, async () =>
		await listSchedules.call(this, automationUtr, itemIndex),
	);
	return findNewSchedule(before, after, subject) ?? { created: true, automationUtr, message: String(message) };
}
