import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

/**
 * A stand-in for a trigger node: a regular node without inputs whose `execute` returns the items the
 * harness puts on the execution stack for it (the `triggerItems`). That is what n8n's WorkflowExecute
 * does with a real webhook node's output, and it needs no TriggersAndPollers / webhook server.
 */
export function createStubTrigger(
	typeName: string,
	displayName: string,
	version: number | number[],
): INodeType {
	return {
		description: {
			displayName,
			name: typeName,
			group: ['trigger'],
			version,
			description: 'Engine test stub: outputs the items the harness starts it with',
			defaults: { name: displayName },
			inputs: [],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const items = this.getInputData().map((item) => {
				const out: INodeExecutionData = { json: item.json };
				if (item.binary) out.binary = item.binary;
				return out;
			});
			return [items];
		},
	};
}

export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';
export const WEBHOOK_TYPE = 'n8n-nodes-base.webhook';
export const NO_OP_TYPE = 'n8n-nodes-base.noOp';

export function stubTriggerTypes(): Record<string, INodeType> {
	return {
		[MANUAL_TRIGGER_TYPE]: createStubTrigger(MANUAL_TRIGGER_TYPE, 'Manual Trigger', 1),
		[WEBHOOK_TYPE]: createStubTrigger(WEBHOOK_TYPE, 'Webhook', [1, 1.1, 2, 2.1]),
	};
}

/** n8n's No Operation node: passes its items on. Workflows use it as a placeholder; n8n's CredentialsTester borrows it. */
export function noOpNodeType(): INodeType {
	return {
		description: {
			displayName: 'No Operation, do nothing',
			name: NO_OP_TYPE,
			group: ['organization'],
			version: 1,
			description: 'No Operation',
			defaults: { name: 'No Operation, do nothing' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return [this.getInputData()];
		},
	};
}
