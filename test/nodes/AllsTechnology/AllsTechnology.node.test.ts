import type { INodeProperties } from 'n8n-workflow';
import { AllsTechnology } from '../../../nodes/AllsTechnology/AllsTechnology.node';
import packageJson from '../../../package.json';

const { description } = new AllsTechnology();

function property(name: string, resource: string, operation: string): INodeProperties | undefined {
	return description.properties.find(
		(candidate) =>
			candidate.name === name &&
			(candidate.displayOptions?.show?.resource ?? [resource]).includes(resource) &&
			(candidate.displayOptions?.show?.operation ?? [operation]).includes(operation),
	);
}

function operationsOf(resource: string) {
	const operation = description.properties.find(
		(candidate) =>
			candidate.name === 'operation' &&
			candidate.displayOptions?.show?.resource?.includes(resource),
	);
	return (operation?.options ?? []).map((option) =>
		'value' in option ? [option.value, option.name] : [],
	);
}

describe('AllsTechnology node: the public contract saved workflows rely on', () => {
	it('has the type, version, display name and credential', () => {
		expect([description.name, description.displayName, description.version]).toEqual([
			'allsTechnology',
			'AllsTechnology',
			1,
		]);
		expect(description.credentials).toEqual([
			{ name: 'allsTechnologyApi', required: true, testedBy: 'allsTechnologyApiTest' },
		]);
		expect(packageJson.name).toBe('n8n-nodes-allstechnology');
		expect(packageJson.n8n.nodes).toEqual([
			'dist/nodes/AllsTechnology/AllsTechnology.node.js',
			'dist/nodes/AllsTechnologyTrigger/AllsTechnologyTrigger.node.js',
		]);
		expect(packageJson.n8n.credentials).toEqual([
			'dist/credentials/AllsTechnologyApi.credentials.js',
		]);
		expect(packageJson).not.toHaveProperty('dependencies');
		expect(packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});

	it('offers the resources and operations by their stored values', () => {
		expect(
			property('resource', '', '')?.options?.map((option) => 'value' in option && option.value),
		).toEqual(['automation', 'automationSchedule']);
		expect(operationsOf('automation')).toEqual([
			['create', 'Create'],
			['delete', 'Delete'],
			['deleteMany', 'Delete Many'],
			['duplicate', 'Duplicate'],
			['get', 'Get'],
			['getAll', 'Get Many'],
			['pause', 'Pause'],
			['setLive', 'Set Live'],
		]);
		expect(operationsOf('automationSchedule')).toEqual([
			['create', 'Create'],
			['delete', 'Delete'],
			['getAll', 'Get Many'],
		]);
	});

	it.each([
		['automation', 'get'],
		['automation', 'duplicate'],
		['automation', 'pause'],
		['automation', 'setLive'],
		['automation', 'delete'],
		['automationSchedule', 'getAll'],
		['automationSchedule', 'create'],
		['automationSchedule', 'delete'],
	])(
		'%s %s takes the automation as a resource locator: From List, By UTR (mode utr) and By ID (mode id, which saved workflows hold)',
		(resource, operation) => {
			const automation = property('automation', resource, operation);
			expect(automation?.type).toBe('resourceLocator');
			expect(automation?.modes?.map((mode) => [mode.name, mode.displayName])).toEqual([
				['list', 'From List'],
				['utr', 'By UTR'],
				['id', 'By ID'],
			]);
		},
	);

	it('names every other parameter as the contract says', () => {
		const names = (resource: string, operation: string) =>
			description.properties
				.filter(
					(candidate) =>
						candidate.displayOptions?.show?.resource?.includes(resource) &&
						candidate.displayOptions?.show?.operation?.includes(operation) &&
						// The tool variant's own Description (description.ai.test.ts) is no parameter of the node itself.
						!candidate.displayOptions.show['@tool'],
				)
				.map((candidate) =>
					candidate.type === 'collection'
						? `${candidate.name}{${(candidate.options as INodeProperties[]).map((option) => option.name).join(',')}}`
						: `${candidate.name}:${candidate.type}`,
				);

		expect(names('automation', 'getAll')).toEqual([
			'returnAll:boolean',
			'limit:number',
			'filters{nameContains,status,type}',
			'simplify:boolean',
		]);
		expect(property('limit', 'automation', 'getAll')?.default).toBe(50);
		expect(names('automation', 'create')).toEqual([
			'type:options',
			'automationName:string',
			'unsubscribeGroupId:options',
			'additionalFields{automationFor}',
			'simplify:boolean',
		]);
		expect(names('automation', 'deleteMany')).toEqual(['automationIds:string']);
		expect(names('automationSchedule', 'create')).toEqual([
			'automation:resourceLocator',
			'senderId:string',
			'subject:string',
			'waitingType:options',
			'waitingPeriod:number',
			'templateId:options',
			'previewImg:string',
			'additionalFields{templateHtml,templateJson}',
			'simplify:boolean',
		]);
		expect(property('waitingPeriod', 'automationSchedule', 'create')?.default).toBe(1);
		expect(
			property('waitingType', 'automationSchedule', 'create')
				?.options?.map((option) => 'value' in option && option.value)
				.sort(),
		).toEqual(['days', 'hours', 'instantly']);
		expect(
			property('schedule', 'automationSchedule', 'delete')?.modes?.map((mode) => mode.name),
		).toEqual(['list', 'utr', 'id']);
	});

	it('describes every parameter, for the editor and for an AI agent using the node as a tool, and gives every operation an action', () => {
		expect(description.usableAsTool).toBe(true);
		const undescribed: string[] = [];
		const visit = (properties: INodeProperties[], path: string) => {
			for (const parameter of properties) {
				if (parameter.type === 'notice') continue;
				if (!parameter.description?.trim()) undescribed.push(`${path}${parameter.name}`);
				if (parameter.type === 'collection')
					visit(parameter.options as INodeProperties[], `${path}${parameter.name}.`);
			}
		};
		visit(
			description.properties.filter(
				(parameter) => parameter.name !== 'resource' && parameter.name !== 'operation',
			),
			'',
		);
		expect(undescribed).toEqual([]);

		const operations = description.properties.filter((parameter) => parameter.name === 'operation');
		const withoutAction = operations.flatMap((parameter) =>
			(parameter.options ?? []).filter((option) => !('action' in option) || !option.action),
		);
		expect(withoutAction).toEqual([]);
	});

	it('offers the API\'s lookup lists as dropdowns named "… Name or ID"', () => {
		const dropdowns = description.properties
			.flatMap((parameter) =>
				parameter.type === 'collection' ? (parameter.options as INodeProperties[]) : [parameter],
			)
			.filter((parameter) => parameter.typeOptions?.loadOptionsMethod)
			.map((parameter) => [
				parameter.name,
				parameter.displayName,
				parameter.typeOptions?.loadOptionsMethod,
			]);
		expect(dropdowns).toEqual([
			['unsubscribeGroupId', 'Unsubscribe Group Name or ID', 'getUnsubscribeGroups'],
			['automationFor', 'Target Name or ID', 'getAutomationTargets'],
			['templateId', 'Template Name or ID', 'getTemplates'],
		]);
	});
});
