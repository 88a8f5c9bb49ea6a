/**
 * The node as n8n's AI features read it: the AI Workflow Builder (builderHint, and the SDK code of its patterns, run
 * here through n8n's engine), an AI agent using the node as a tool (the tool description n8n gives the model), and
 * the hints n8n's editor shows (their display conditions evaluated as the editor evaluates them).
 */
import { validateNodeDescription } from 'n8n-core/dist/nodes-loader/validate-node-description';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodePropertyOptions,
	INodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeHelpers, Workflow } from 'n8n-workflow';
import * as automation from '../../../nodes/AllsTechnology/actions/automation';
import * as automationSchedule from '../../../nodes/AllsTechnology/actions/automationSchedule';
import { AllsTechnology } from '../../../nodes/AllsTechnology/AllsTechnology.node';
import { AllsTechnologyTrigger } from '../../../nodes/AllsTechnologyTrigger/AllsTechnologyTrigger.node';
import packageJson from '../../../package.json';
import { createNodeTypes, runWorkflow } from '../../engine';
import type { EngineWorkflow } from '../../engine';
import { DRAFT_UTR, NODE_TYPE, engineFor, locator, useSandbox } from './fixture';

const context = useSandbox();
const { description } = new AllsTechnology();
const OPERATIONS = {
	automation: automation.operations,
	automationSchedule: automationSchedule.operations,
};
const TOOL_DESCRIPTIONS = {
	automation: automation.toolDescriptions,
	automationSchedule: automationSchedule.toolDescriptions,
};
/** The operations an agent should not run without the user asking: they cannot be undone, or start or stop sending. */
const DESTRUCTIVE = [
	'automation delete',
	'automation deleteMany',
	'automation pause',
	'automation setLive',
	'automationSchedule delete',
];
const everyOperation = Object.entries(OPERATIONS).flatMap(([resource, operations]) =>
	Object.keys(operations).map((operation) => ({ resource, operation })),
);

function operationProperty(resource: string): INodeProperties {
	const found = description.properties.find(
		(property) =>
			property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource),
	);
	if (!found) throw new Error(`no operation property for ${resource}`);
	return found;
}

/** Every string under a `builderHint` key, anywhere in the description. */
function builderHintTexts(value: unknown, inHint = false): string[] {
	if (typeof value === 'string') return inHint ? [value] : [];
	if (Array.isArray(value)) return value.flatMap((entry) => builderHintTexts(entry, inHint));
	if (value === null || typeof value !== 'object') return [];
	return Object.entries(value).flatMap(([key, entry]) =>
		builderHintTexts(entry, inHint || key === 'builderHint'),
	);
}

describe('for the AI Workflow Builder', () => {
	it("passes the check n8n's loader runs on every node: no builderHint on the resource or operation property", () => {
		expect(() => validateNodeDescription(description)).not.toThrow();
		const hinted = structuredClone(description);
		hinted.properties.find((property) => property.name === 'operation')!.builderHint = {
			propertyHint: 'x',
		};
		expect(() => validateNodeDescription(hinted)).toThrow(
			'builderHint on the "operation" discriminator property',
		);
	});

	it.each(everyOperation)(
		'$resource $operation: its option has a builderHint for the builder',
		({ resource, operation }) => {
			const option = operationProperty(resource).options?.find(
				(candidate) => 'value' in candidate && candidate.value === operation,
			);
			expect(
				(option as INodePropertyOptions | undefined)?.builderHint?.propertyHint?.length,
			).toBeGreaterThan(40);
		},
	);

	it('writes no wire-format expression or connection type into a hint, as n8n forbids', () => {
		const texts = builderHintTexts(description);
		expect(texts.length).toBeGreaterThan(15);
		for (const text of texts) {
			expect(text).not.toMatch(/={{/);
			expect(text).not.toMatch(/\bai_(agent|languageModel|memory|tool|outputParser)\b/);
		}
	});

	it('says at node level which UTR each field takes; the node and the trigger name each other as related', () => {
		expect(description.builderHint?.searchHint).toMatch(/automation_utr/);
		const trigger = new AllsTechnologyTrigger().description;
		expect(description.builderHint?.relatedNodes).toEqual([
			{ nodeType: `${packageJson.name}.${trigger.name}`, relationHint: expect.any(String) },
		]);
		expect(trigger.builderHint?.relatedNodes).toEqual([
			{ nodeType: NODE_TYPE, relationHint: expect.any(String) },
		]);
		expect(trigger.builderHint?.searchHint).toMatch(/automation\.utr/);
		expect(() => validateNodeDescription(trigger)).not.toThrow();
		expect(builderHintTexts(trigger).join(' ')).not.toMatch(/={{/);
	});

	it('names only modes the Automation and Schedule fields have', () => {
		const modesOf = (name: string) =>
			description.properties
				.find((property) => property.name === name)
				?.modes?.map((mode) => mode.name);
		expect(modesOf('schedule')).toEqual(modesOf('automation'));
		const named = builderHintTexts(description).flatMap((text) =>
			[...text.matchAll(/\bmode:? '(\w+)'/gi)].map((match) => match[1]),
		);
		expect(new Set(named)).toEqual(new Set(['list', 'utr', 'id']));
		for (const mode of named) expect(modesOf('automation')).toContain(mode);
	});

	it.each([
		'automation',
		'schedule',
		'senderId',
		'templateId',
		'unsubscribeGroupId',
		'automationIds',
	])('%s: the parameter has a builderHint saying what to put there', (name) => {
		const hinted = description.properties.filter((property) => property.name === name);
		expect(hinted.length).toBeGreaterThan(0);
		for (const property of hinted)
			expect(property.builderHint?.propertyHint.length).toBeGreaterThan(40);
	});

	it('tells the builder to map automation_utr into Automation after an email, and never to invent a UTR or a sender', () => {
		const automationHint = description.properties.find((property) => property.name === 'automation')
			?.builderHint?.propertyHint;
		expect(automationHint).toMatch(/automation_utr/);
		expect(automationHint).toMatch(/Never invent a UTR/);
		expect(
			description.properties.find((property) => property.name === 'senderId')?.builderHint
				?.propertyHint,
		).toMatch(/Never invent/);
	});

	describe('the pattern it gives for "add an email to my welcome automation and set it live"', () => {
		/** The pattern's SDK code, run with stand-ins of the SDK's functions that build the workflow as n8n stores it. */
		function workflowOfPattern(): EngineWorkflow {
			const pattern = description.builderHint?.extraTypeDefContent?.[0].content ?? '';
			const code = /(const start[\s\S]*?)<\/pattern>/.exec(pattern)?.[1];
			if (!code) throw new Error('the pattern has no SDK code');
			const nodes: INode[] = [];
			const node = ({
				type,
				version,
				config,
			}: {
				type: string;
				version: number;
				config: IDataObject;
			}): INode => {
				const built: INode = {
					id: String(nodes.length),
					name: String(config.name),
					type,
					typeVersion: version,
					position: [nodes.length * 200, 0],
					parameters: (config.parameters ?? {}) as INodeParameters,
				};
				if (config.executeOnce) built.executeOnce = true;
				// What the builder's newCredential() leaves for the user to choose.
				if (type === NODE_TYPE)
					built.credentials = { allsTechnologyApi: { id: '1', name: 'AllsTechnology account' } };
				nodes.push(built);
				return built;
			};
			// What the user fills in for the placeholders: the sandbox's unsubscribe group, a sender and a template.
			const filledIn: Record<string, number> = {
				'Unsubscribe group': 3,
				'Sender ID': 2,
				Template: 2,
			};
			const placeholder = (label: string) => {
				if (!(label in filledIn)) throw new Error(`unexpected placeholder ${label}`);
				return filledIn[label];
			};
			const expr = (text: string) => `=${text}`;
			const chain: INode[] = [];
			const builder = {
				add: (step: INode) => (chain.push(step), builder),
				to: (step: INode) => (chain.push(step), builder),
			};
			const workflow = () => builder;
			// eslint-disable-next-line @typescript-eslint/no-implied-eval
			new Function(
				'node',
				'trigger',
				'expr',
				'placeholder',
				'workflow',
				code.replace('export default', 'return'),
			)(node, node, expr, placeholder, workflow);
			const connections = Object.fromEntries(
				chain
					.slice(0, -1)
					.map((from, index) => [
						from.name,
						{ main: [[{ node: chain[index + 1].name, type: NodeConnectionTypes.Main, index: 0 }]] },
					]),
			);
			return { nodes, connections, settings: { executionOrder: 'v1' } };
		}

		it('uses only parameters the node has, for the operation it names', () => {
			const { nodes } = workflowOfPattern();
			const ours = nodes.filter((step) => step.type === NODE_TYPE);
			expect(
				ours.map((step) => `${step.parameters.resource} ${step.parameters.operation}`),
			).toEqual(['automation create', 'automationSchedule create', 'automation setLive']);
			for (const step of ours) {
				// With its defaults filled in, as n8n loads a node; a parameter the operation does not have is dropped.
				const known = NodeHelpers.getNodeParameters(
					description.properties,
					step.parameters,
					true,
					false,
					step,
					description,
				);
				expect(Object.keys(known ?? {})).toEqual(
					expect.arrayContaining(Object.keys(step.parameters)),
				);
			}
		});

		it("runs in n8n's engine: the email goes to the new automation, and Set Live sets that automation live, once", async () => {
			const { outputs, error } = await runWorkflow(engineFor(context.sandbox), workflowOfPattern());

			expect(error).toBeUndefined();
			const created = outputs['Create Automation'][0].json;
			const email = outputs['Add Welcome Email'][0].json;
			const { sandbox } = context;
			const automationRecord = sandbox.state.automations.find(
				(record) => record.utr === created.utr,
			);
			expect(automationRecord).toMatchObject({ automation_name: 'Welcome series', status: 1 });
			expect(
				sandbox.state.schedules.filter(
					(schedule) => schedule.automation_id === automationRecord?.id,
				),
			).toEqual([
				expect.objectContaining({
					utr: email.utr,
					subject: 'Welcome aboard',
					sender_id: 2,
					template_id: 2,
				}),
			]);
			expect(
				sandbox.requests
					.filter((request) => request.path === '/api/automations/set-live')
					.map((request) => request.rawQuery),
			).toEqual([`utr=${String(created.utr)}`]);
		});
	});
});

/** The tool variant n8n makes of a node that is usableAsTool: the same description, its name ending in "Tool". */
function asTool(): INodeType {
	return { description: { ...structuredClone(description), name: `${description.name}Tool` } };
}

function nodeOf(type: string, parameters: INodeParameters, nodeType: INodeType): INode {
	const node: INode = {
		id: '1',
		name: 'AllsTechnology',
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	const engine = engineFor(context.sandbox);
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: createNodeTypes({ ...engine, nodeTypes: { [type]: nodeType } }),
	});
	return workflow.getNode(node.name)!;
}

describe("as an AI agent's tool", () => {
	it('is usable as a tool, and has its own tool description, so n8n adds no "Set Automatically" one', () => {
		expect(description.usableAsTool).toBe(true);
		expect(description.properties.some((property) => property.name === 'toolDescription')).toBe(
			true,
		);
		expect(Object.keys(TOOL_DESCRIPTIONS.automation).sort()).toEqual(
			Object.keys(OPERATIONS.automation).sort(),
		);
		expect(Object.keys(TOOL_DESCRIPTIONS.automationSchedule).sort()).toEqual(
			Object.keys(OPERATIONS.automationSchedule).sort(),
		);
	});

	it.each(everyOperation)(
		'$resource $operation: n8n tells the model what the operation does',
		({ resource, operation }) => {
			const toolType = `${NODE_TYPE}Tool`;
			const tool = nodeOf(toolType, { resource, operation }, asTool());
			const told = NodeHelpers.getToolDescriptionForNode(tool, asTool());
			expect(told).toBe(
				(TOOL_DESCRIPTIONS as Record<string, Record<string, string>>)[resource][operation],
			);
			expect(told).toMatch(/AllsTechnology/);
			expect(told.startsWith('DESTRUCTIVE')).toBe(DESTRUCTIVE.includes(`${resource} ${operation}`));
			// The node itself, outside an agent, has no such parameter.
			expect(
				nodeOf(NODE_TYPE, { resource, operation }, new AllsTechnology()).parameters,
			).not.toHaveProperty('toolDescription');
		},
	);

	it('tells the model which UTR Set Live takes', () => {
		expect(TOOL_DESCRIPTIONS.automation.setLive).toMatch(/automation_utr/);
		expect(TOOL_DESCRIPTIONS.automationSchedule.create).toMatch(/automation_utr/);
		expect(TOOL_DESCRIPTIONS.automation.deleteMany).toMatch(/numeric IDs/);
	});
});

describe("hints n8n's editor shows", () => {
	/** As n8n's editor decides which of a node type's hints to show, from the node's parameters and input items. */
	function hintsShown(parameters: INodeParameters, input: INodeExecutionData[]): string[] {
		const node = nodeOf(NODE_TYPE, parameters, new AllsTechnology());
		const engine = engineFor(context.sandbox);
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: createNodeTypes(engine),
		});
		return (description.hints ?? [])
			.filter((hint) => {
				try {
					let shown = workflow.expression.getParameterValue(
						hint.displayCondition!,
						null,
						0,
						0,
						node.name,
						input,
						'manual',
						{},
					);
					if (typeof shown === 'string' && shown.trim() === 'true') shown = true;
					return shown === true;
				} catch {
					// The editor shows a hint whose condition fails (as $input does before the input has data) as not applying.
					return false;
				}
			})
			.map((hint) => hint.message);
	}

	const UTR_HINT = /Map "automation_utr"/;
	const ID_HINT = /numeric IDs/;

	async function outputOf(parameters: INodeParameters): Promise<INodeExecutionData[]> {
		const { items, error } = await context.run(parameters);
		expect(error).toBeUndefined();
		return items;
	}

	it("warns when Set Live reads the utr of an email, the email's own, and not when it reads automation_utr", async () => {
		const emails = await outputOf({
			resource: 'automationSchedule',
			operation: 'create',
			automation: locator(DRAFT_UTR),
			senderId: 2,
			subject: 'Hint email',
			waitingType: 'instantly',
			templateId: 2,
		});
		const setLive = (value: string) => ({
			resource: 'automation',
			operation: 'setLive',
			automation: locator(value),
		});

		for (const readsUtr of [
			'={{ $json.utr }}',
			'={{ $json["utr"] }}',
			"={{ $('Add Email').item.json.utr }}",
		]) {
			expect(hintsShown(setLive(readsUtr), emails)).toEqual([expect.stringMatching(UTR_HINT)]);
		}
		expect(hintsShown(setLive('={{ $json.automation_utr }}'), emails)).toEqual([]);
		expect(hintsShown({ ...setLive(''), automation: '={{ $json.utr }}' }, emails)).toEqual([
			expect.stringMatching(UTR_HINT),
		]);
	});

	it("does not warn when the utr read is an automation's", async () => {
		const automations = await outputOf({
			resource: 'automation',
			operation: 'get',
			automation: locator(DRAFT_UTR),
		});
		const addEmail = {
			resource: 'automationSchedule',
			operation: 'getAll',
			automation: locator('={{ $json.utr }}'),
		};
		expect(hintsShown(addEmail, automations)).toEqual([]);
		expect(hintsShown(addEmail, [])).toEqual([]);
	});

	describe("n8n's own hints for Get Many, which the node's parameter names and operation values bring", () => {
		/** The parameters as n8n's editor holds them: every displayed one, defaults included. */
		const asEditorHolds = (parameters: INodeParameters) =>
			NodeHelpers.getNodeParameters(
				description.properties,
				parameters,
				true,
				false,
				nodeOf(NODE_TYPE, parameters, new AllsTechnology()),
				description,
			)!;
		/** n8n 2.40.7's editor, after a run: "Limit of N items reached. There may be more items…", when this holds. */
		const limitReached = (parameters: INodeParameters, output: INodeExecutionData[]) =>
			Boolean(parameters.limit) && output.length === parameters.limit;

		it.each([
			['automation', {}],
			['automationSchedule', { automation: locator(DRAFT_UTR) }],
		])(
			'%s Get Many: "Limit of N items reached" when a list is cut at Limit, not with Return All',
			async (resource, extra) => {
				const cut = asEditorHolds({ resource, operation: 'getAll', limit: 2, ...extra });
				expect(limitReached(cut, await outputOf(cut))).toBe(true);

				const whole = asEditorHolds({ resource, operation: 'getAll', returnAll: true, ...extra });
				expect(whole).not.toHaveProperty('limit');
				expect(limitReached(whole, await outputOf(whole))).toBe(false);
			},
		);

		it('"runs once for each input item, use Execute Once": n8n gives it to operations named getAll', () => {
			expect(operationProperty('automation').options).toContainEqual(
				expect.objectContaining({ name: 'Get Many', value: 'getAll' }),
			);
			expect(operationProperty('automationSchedule').options).toContainEqual(
				expect.objectContaining({ name: 'Get Many', value: 'getAll' }),
			);
		});
	});

	it('warns when Delete Many is given UTRs, typed or mapped, and not when given IDs', () => {
		const deleteMany = (automationIds: string) => ({
			resource: 'automation',
			operation: 'deleteMany',
			automationIds,
		});
		const input = [{ json: { id: 5, utr: DRAFT_UTR } }];
		expect(hintsShown(deleteMany(DRAFT_UTR), input)).toEqual([expect.stringMatching(ID_HINT)]);
		expect(hintsShown(deleteMany('={{ $json.utr }}'), input)).toEqual([
			expect.stringMatching(ID_HINT),
		]);
		expect(hintsShown(deleteMany('={{ $json.id }}'), input)).toEqual([]);
		expect(hintsShown(deleteMany('8, 44'), input)).toEqual([]);
	});
});
