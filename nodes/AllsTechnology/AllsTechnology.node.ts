import type {
	IBuilderHint,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	NodeHint,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import * as automation from './actions/automation';
import * as automationSchedule from './actions/automationSchedule';
import { nodeOptions } from './actions/common.descriptions';
import { router } from './actions/router';
import { UTR_REGEX } from '../shared/identifiers';
import { allsTechnologyApiTest } from '../shared/credentialTest';
import { getAutomationTargets, getTemplates, getUnsubscribeGroups } from './methods/loadOptions';
import { searchAutomations, searchSchedules } from './methods/listSearch';

/**
 * The node as an AI agent's tool: n8n names the tool variant `allsTechnologyTool`, which `@tool` shows these to. Each
 * operation's description is the one written for a model; n8n's own Tool Description field, which would say only
 * "Set an automation live in AllsTechnology", is not added beside one the node has.
 */
function toolDescriptionsOf(
	resource: string,
	descriptions: Record<string, string>,
): INodeProperties[] {
	return Object.entries(descriptions).map(([operation, text]) => ({
		displayName: 'Description',
		name: 'toolDescription',
		type: 'string',
		typeOptions: { rows: 4 },
		default: text,
		required: true,
		description:
			'What the AI agent is told this tool does. It says which operations cannot be undone.',
		displayOptions: { show: { '@tool': [true], resource: [resource], operation: [operation] } },
	}));
}

/** For the AI Workflow Builder's type of each operation on the chain: the SDK code it writes, parameters and all. */
const CHAIN_PATTERN = `<patterns>
<pattern title="Create an automation, add an email to it, set it live">
The email names its automation by the utr of Create's output; Set Live by the automation_utr of the email's output, as the email's own utr is not the automation's.
const start = trigger({ type: 'n8n-nodes-base.manualTrigger', version: 1, config: { name: 'Start' } });
const createAutomation = node({
  type: 'n8n-nodes-allstechnology.allsTechnology',
  version: 1,
  config: {
    name: 'Create Automation',
    parameters: { resource: 'automation', operation: 'create', type: 'welcome', automationName: 'Welcome series', unsubscribeGroupId: placeholder('Unsubscribe group') },
  },
});
const addEmail = node({
  type: 'n8n-nodes-allstechnology.allsTechnology',
  version: 1,
  config: {
    name: 'Add Welcome Email',
    parameters: {
      resource: 'automationSchedule',
      operation: 'create',
      automation: { __rl: true, mode: 'utr', value: expr('{{ $json.utr }}') },
      senderId: placeholder('Sender ID'),
      subject: 'Welcome aboard',
      waitingType: 'instantly',
      templateId: placeholder('Template'),
    },
  },
});
const setLive = node({
  type: 'n8n-nodes-allstechnology.allsTechnology',
  version: 1,
  config: {
    name: 'Set Automation Live',
    executeOnce: true,
    parameters: { resource: 'automation', operation: 'setLive', automation: { __rl: true, mode: 'utr', value: expr('{{ $json.automation_utr }}') } },
  },
});
export default workflow('welcome-automation', 'Welcome automation').add(start).to(createAutomation).to(addEmail).to(setLive);
</pattern>
<pattern title="An automation the user already has">
Let the user pick it: automation: { __rl: true, mode: 'list', value: '' }. Or find it by name first with resource 'automation', operation 'getAll', filters: { nameContains: 'welcome' }, then automation: { __rl: true, mode: 'utr', value: expr('{{ $json.utr }}') } in the next node. Never invent a UTR.
</pattern>
</patterns>`;

const builderHint: IBuilderHint = {
	searchHint:
		'Email-marketing automations (welcome and custom email sequences) in AllsTechnology. Resource automation: Create, Get, Get Many (find one by name), Duplicate, Set Live, Pause, Delete, Delete Many. Resource automationSchedule: the emails of an automation (Create adds an email, Get Many, Delete). Records are named by UTR, a UUID in their utr field. To add an email and set an automation live: automation Create or Get Many, then automationSchedule Create (Automation: the utr of the automation), then automation Set Live (Automation: the automation_utr of the email just added, never its utr).',
	relatedNodes: [
		{
			nodeType: 'n8n-nodes-allstechnology.allsTechnologyTrigger',
			relationHint:
				'Starts a workflow when an automation is created, goes live, is paused or deleted, or its statistics grow',
		},
	],
	extraTypeDefContent: [
		{
			content: CHAIN_PATTERN,
			displayOptions: {
				show: { resource: ['automation'], operation: ['create', 'getAll', 'setLive'] },
			},
		},
		{
			content: CHAIN_PATTERN,
			displayOptions: { show: { resource: ['automationSchedule'], operation: ['create'] } },
		},
	],
};

/** An expression reading a record's own UTR: {{ $json.utr }}, {{ $json["utr"] }}, {{ $('Node').item.json.utr }}. */
const READS_UTR = String.raw`/json(\.utr\b|\[\s*["']utr["']\s*\])/`;

/** Shown by n8n's editor while their displayCondition holds, evaluated on the node's parameters and input items. */
const hints: NodeHint[] = [
	{
		message:
			'Automation reads "utr" from an email of an automation: that is the email\'s own UTR, and AllsTechnology answers "Record not found". Map "automation_utr", the UTR of its automation, instead.',
		type: 'warning',
		location: 'outputPane',
		whenToDisplay: 'always',
		displayCondition: `={{ ${READS_UTR}.test(String($rawParameter.automation?.value ?? $rawParameter.automation ?? "")) && $input.all().some((item) => item.json.automation_utr !== undefined) }}`,
	},
	{
		message:
			'Automation IDs takes the numeric IDs of the automations (the "id" field of Get Many), not their UTRs.',
		type: 'warning',
		location: 'outputPane',
		whenToDisplay: 'always',
		displayCondition: `={{ $parameter.resource === "automation" && $parameter.operation === "deleteMany" && (${READS_UTR}.test(String($rawParameter.automationIds ?? "")) || /${UTR_REGEX}/.test(String($rawParameter.automationIds ?? ""))) }}`,
	},
];

export class AllsTechnology implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AllsTechnology',
		name: 'allsTechnology',
		icon: {
			light: 'file:../../icons/allstechnology.svg',
			dark: 'file:../../icons/allstechnology.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Manage automations and their emails in AllsTechnology email marketing',
		defaults: { name: 'AllsTechnology' },
		usableAsTool: true,
		builderHint,
		hints,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'allsTechnologyApi', required: true, testedBy: 'allsTechnologyApiTest' }],
		properties: [
			...toolDescriptionsOf('automation', automation.toolDescriptions),
			...toolDescriptionsOf('automationSchedule', automationSchedule.toolDescriptions),
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Automation',
						value: 'automation',
						builderHint: {
							propertyHint:
								'An email sequence, named by its UTR (the utr field of its outputs); its emails are the Automation Schedule resource.',
						},
					},
					{
						name: 'Automation Schedule',
						value: 'automationSchedule',
						builderHint: {
							propertyHint:
								"The emails of an automation. Each has its own UTR (utr) and carries its automation's UTR as automation_utr.",
						},
					},
				],
				default: 'automation',
			},
			...automation.description,
			...automationSchedule.description,
			nodeOptions,
		],
	};

	methods = {
		credentialTest: { allsTechnologyApiTest },
		listSearch: { searchAutomations, searchSchedules },
		loadOptions: { getAutomationTargets, getTemplates, getUnsubscribeGroups },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
