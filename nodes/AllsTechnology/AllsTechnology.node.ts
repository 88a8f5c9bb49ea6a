import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import * as automation from './actions/automation';
import * as automationSchedule from './actions/automationSchedule';
import { nodeOptions } from './actions/common.descriptions';
import { router } from './actions/router';
import { allsTechnologyApiTest } from './methods/credentialTest';
import { getAutomationTargets, getTemplates, getUnsubscribeGroups } from './methods/loadOptions';
import { searchAutomations, searchSchedules } from './methods/listSearch';

export class AllsTechnology implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AllsTechnology',
		name: 'allsTechnology',
		icon: { light: 'file:../../icons/allstechnology.svg', dark: 'file:../../icons/allstechnology.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Manage automations and their emails in AllsTechnology email marketing',
		defaults: { name: 'AllsTechnology' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'allsTechnologyApi', required: true, testedBy: 'allsTechnologyApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Automation', value: 'automation' },
					{ name: 'Automation Schedule', value: 'automationSchedule' },
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
