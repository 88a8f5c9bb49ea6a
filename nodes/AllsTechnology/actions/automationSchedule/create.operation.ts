import type { IDataObject, IExecuteFunctions, INodeProperties, NodeApiError } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { onceAcrossRetries } from '../../helpers/retryMemory';
import {
	createdWithNotice,
	judgeLostCreate,
	listedAs,
	lostAnswerOf,
	mayExist,
	oneAtATimeOn,
} from '../../helpers/creates';
import { asItemError } from '../../../shared/errors';
import { fetchLookup } from '../../helpers/lookups';
import { automationUtrOf, explainNotFound, listSchedules } from '../../helpers/records';
import { scheduleOutput } from '../../../shared/records';
import { utrKeyOf } from '../../../shared/identifiers';
import {
	optionalText,
	requireOneOf,
	requirePositiveInteger,
	requireText,
} from '../../helpers/validation';
import { apiRequest, multipartBody } from '../../../shared/transport';
import type { RecordRef } from '../../helpers/parameters';
import { getAutomationRef, readSimplify } from '../../helpers/parameters';
import { SIMPLIFIED_SCHEDULE, automationLocator, simplifyOption } from '../common.descriptions';
import type { Effect } from '../operation';
import type { CreateScheduleForm } from '../../../shared/interfaces';

const WAITING_TYPES = ['instantly', 'hours', 'days'] as const;

const properties: INodeProperties[] = [
	automationLocator(),
	{
		displayName: 'Sender ID',
		name: 'senderId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 2',
		description:
			'The ID of the sender the email goes out from, a whole number. AllsTechnology\'s API docs say it comes from their sender list, an endpoint they do not document, so the node has no list to pick from: the "sender_id" of an email you already have (Automation Schedule → Get Many) shows one in use.',
		builderHint: {
			propertyHint:
				"No list of senders can be looked up: use the ID the user gives, or placeholder('Sender ID'). Never invent one.",
		},
	},
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Welcome aboard',
		description: 'The subject line of the email',
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
	},
	{
		displayName: 'Waiting Period',
		name: 'waitingPeriod',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		required: true,
		description:
			'How many hours or days to wait, a whole number. For Instantly the API expects 1, which the node sends.',
		displayOptions: { show: { waitingType: ['hours', 'days'] } },
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
		builderHint: {
			propertyHint:
				"The user picks it from the account's templates: use placeholder('Template') unless they gave an ID.",
		},
	},
	{
		displayName: 'Preview Image',
		name: 'previewImg',
		type: 'string',
		default: '',
		placeholder: 'e.g. verify_email.png',
		description:
			"The file name of the email's preview image. Leave empty to use the chosen template's own preview image, looked up when the node runs.",
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Optional fields of the new email: its design as HTML or as JSON',
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
	simplifyOption(SIMPLIFIED_SCHEDULE),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['automationSchedule'], operation: ['create'] } },
	properties,
);

export const effect: Effect = { verb: 'created', noun: 'email' };

interface ScheduleParams {
	automation: RecordRef;
	senderId: number;
	subject: string;
	waitingType: (typeof WAITING_TYPES)[number];
	waitingPeriod: number;
	templateId: number;
	/** Undefined: the template's own, looked up when the item runs. */
	previewImg: string | undefined;
	templateHtml: string | undefined;
	templateJson: string | undefined;
	simplify: boolean;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): ScheduleParams {
	const automation = getAutomationRef.call(this, itemIndex);
	const senderId = requirePositiveInteger(
		this,
		itemIndex,
		'Sender ID',
		this.getNodeParameter('senderId', itemIndex),
	);
	const subject = requireText(
		this,
		itemIndex,
		'Subject',
		this.getNodeParameter('subject', itemIndex),
	);
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
			: requirePositiveInteger(
					this,
					itemIndex,
					'Waiting Period',
					this.getNodeParameter('waitingPeriod', itemIndex),
				);
	const templateId = requirePositiveInteger(
		this,
		itemIndex,
		'Template Name or ID',
		this.getNodeParameter('templateId', itemIndex),
	);
	const previewImg = optionalText(
		this,
		itemIndex,
		'Preview Image',
		this.getNodeParameter('previewImg', itemIndex, ''),
	);
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const templateHtml = optionalText(
		this,
		itemIndex,
		'Template HTML',
		additionalFields.templateHtml,
	);
	const templateJson = optionalText(
		this,
		itemIndex,
		'Template JSON',
		additionalFields.templateJson,
	);
	if (templateHtml !== undefined && templateJson !== undefined) {
		throw new NodeOperationError(
			this.getNode(),
			'Template HTML and Template JSON are both set: the API takes one or the other',
			{
				itemIndex,
				description: 'Remove one of the two from Additional Fields.',
			},
		);
	}
	const simplify = readSimplify.call(this, itemIndex);
	return {
		automation,
		senderId,
		subject,
		waitingType,
		waitingPeriod,
		templateId,
		previewImg,
		templateHtml,
		templateJson,
		simplify,
	};
}

/** The template's own preview image, from the template list. */
async function previewImageOf(
	this: IExecuteFunctions,
	itemIndex: number,
	templateId: number,
): Promise<string> {
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

/**
 * The API answers "Schedule Added" without the new email's UTR, so the automation's emails are listed before and
 * after: the new email is the one that was not there before and that shows every field sent (all but `utr`, the
 * automation's, are in the list). Creates on one automation go one at a time, so a run's other creates are
 * never in between; another workflow's may be, and then which email is this item's may not be told.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	params: ScheduleParams,
): Promise<IDataObject> {
	return await onceAcrossRetries(this, itemIndex, async () => {
		const automationUtr = await automationUtrOf.call(this, itemIndex, params.automation);
		const previewImg =
			params.previewImg ?? (await previewImageOf.call(this, itemIndex, params.templateId));
		const fields: CreateScheduleForm = {
			utr: automationUtr,
			sender_id: params.senderId,
			subject: params.subject,
			waiting_period: params.waitingPeriod,
			waiting_type: params.waitingType,
			template_id: params.templateId,
			preview_img: previewImg,
			template_json: params.templateJson,
			template_html: params.templateHtml,
		};
		const sent = Object.entries(fields).filter(([field]) => field !== 'utr');
		const newEmails = (before: IDataObject[], after: IDataObject[]) => {
			const known = new Set(before.map(utrKeyOf));
			const fresh = after.filter((email) => !known.has(utrKeyOf(email)));
			return {
				knownBefore: known.size,
				listedAfter: after.length,
				fresh,
				matching: fresh.filter((email) =>
					sent.every(([field, value]) => listedAs(email[field], value)),
				),
			};
		};

		const created = await oneAtATimeOn(this, itemIndex, automationUtr, async () => {
			const before = await listSchedules.call(this, automationUtr, itemIndex);
			let lost: NodeApiError | undefined;
			try {
				await apiRequest.call(
					this,
					{ method: 'POST', endpoint: 'automations/schedule/create', body: multipartBody(fields) },
					itemIndex,
				);
			} catch (error) {
				lost = lostAnswerOf(
					this,
					explainNotFound(this, error, 'automation', automationUtr, itemIndex),
					itemIndex,
				);
			}

			const readWith = "Read the automation's emails with Get Many.";
			let after: IDataObject[];
			try {
				after = await listSchedules.call(this, automationUtr, itemIndex);
			} catch (listError) {
				const reason = asItemError(this, listError, itemIndex).message;
				if (lost)
					throw mayExist(
						this,
						itemIndex,
						lost,
						'email',
						`Listing the automation's emails to find it failed too: ${reason}.`,
					);
				return createdWithNotice(
					{ automation_utr: automationUtr },
					`reading it back failed: ${reason}`,
					readWith,
				);
			}
			const emails = newEmails(before, after);
			if (lost)
				return judgeLostCreate(this, itemIndex, lost, 'email', "The automation's emails", emails);
			return emails.matching.length === 1
				? emails.matching[0]
				: createdWithNotice(
						{ automation_utr: automationUtr },
						`which of the automation's emails is the new one could not be told: ${emails.matching.length} new emails match what was sent`,
						readWith,
					);
		});
		return scheduleOutput(created, automationUtr, params.simplify);
	});
}
