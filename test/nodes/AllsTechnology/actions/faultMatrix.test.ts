/**
 * Nothing lost, nothing duplicated: every operation under every fault the sandbox can inject, with three input
 * items and Continue On Fail. Each input item gets its output (one item, or its list for Get Many), paired with
 * it; successes are the right records; failures name their cause; no create runs twice.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import type { Fault } from '../../../../sandbox/server';
import { locator, useSandbox } from '../fixture';

const context = useSandbox();

/** Automations 1, 5 and 6 (drafts with an unsubscribe group) and three schedules of automation 5. */
const UTRS = [
	'381da846-8780-11ee-835d-b42e9970e591',
	'e9c7ff00-8d1c-11ee-91c4-b42e9970e591',
	'e9c7ff00-8d1c-11ee-91c4-b42e9970e592',
];
const SCHEDULE_UTRS = [
	'5a24b56e-89de-11ee-ae43-b42e9970e591',
	'e9cbef92-8d1c-11ee-bb18-b42e9970e591',
];

interface Case {
	parameters: INodeParameters;
	inputItems: Array<{ utr?: string; ids?: string }>;
	/** What the operation makes, so that sending it twice would make two. */
	creates?: 'automations' | 'schedules';
	/** How many output items a successful input item gives (Get Many gives a list). */
	itemsPerInput?: (inputIndex: number) => number;
	prepare?: () => void;
}

const fromInput = locator('={{ $json.utr }}');
const byUtr = UTRS.map((utr) => ({ utr }));

const operations: Record<string, Case> = {
	'automation Get Many': {
		parameters: { resource: 'automation', operation: 'getAll', returnAll: true },
		inputItems: [{}, {}, {}],
		itemsPerInput: () => 7,
	},
	'automation Get': {
		parameters: { resource: 'automation', operation: 'get', automation: fromInput },
		inputItems: byUtr,
	},
	'automation Create': {
		parameters: {
			resource: 'automation',
			operation: 'create',
			type: 'custom',
			automationName: '={{ "Made by item " + $itemIndex }}',
			unsubscribeGroupId: 3,
		},
		inputItems: [{}, {}, {}],
		creates: 'automations',
	},
	'automation Duplicate': {
		parameters: { resource: 'automation', operation: 'duplicate', automation: fromInput },
		inputItems: byUtr,
		creates: 'automations',
	},
	'automation Pause': {
		parameters: { resource: 'automation', operation: 'pause', automation: fromInput },
		inputItems: byUtr,
		prepare: () => {
			for (const automation of context.sandbox.state.automations)
				if (UTRS.includes(automation.utr)) automation.status = 1;
		},
	},
	'automation Set Live': {
		parameters: { resource: 'automation', operation: 'setLive', automation: fromInput },
		inputItems: byUtr,
	},
	'automation Delete': {
		parameters: { resource: 'automation', operation: 'delete', automation: fromInput },
		inputItems: byUtr,
	},
	'automation Delete Many': {
		parameters: {
			resource: 'automation',
			operation: 'deleteMany',
			automationIds: '={{ $json.ids }}',
		},
		inputItems: [{ ids: '8' }, { ids: '44' }, { ids: '45' }],
	},
	'schedule Get Many': {
		parameters: {
			resource: 'automationSchedule',
			operation: 'getAll',
			automation: fromInput,
			returnAll: true,
		},
		inputItems: byUtr,
		itemsPerInput: (inputIndex) => [1, 3, 1][inputIndex],
	},
	'schedule Create': {
		parameters: {
			resource: 'automationSchedule',
			operation: 'create',
			automation: fromInput,
			senderId: 2,
			subject: '={{ "Email of item " + $itemIndex }}',
			waitingType: 'instantly',
			templateId: 2,
			previewImg: 'verify_email.png',
		},
		inputItems: byUtr,
		creates: 'schedules',
	},
	'schedule Delete': {
		parameters: { resource: 'automationSchedule', operation: 'delete', schedule: fromInput },
		inputItems: [...SCHEDULE_UTRS, '55d223d2-8827-11ee-ba09-b42e9970e591'].map((utr) => ({ utr })),
	},
};

/** Every other request is hit, so a request that may be repeated gets through on its second try. */
const faults: Record<string, Fault[]> = {
	'429 with Retry-After': [{ kind: 'rateLimit', every: 2, retryAfter: '1' }],
	'500 before applying': [{ kind: 'serverError', every: 2 }],
	'500 after applying': [{ kind: 'serverError', every: 2, afterApplying: true }],
	'HTML 502 page': [{ kind: 'badGatewayHtml', every: 2 }],
	'dropped connection after applying': [{ kind: 'dropConnection', every: 2, afterApplying: true }],
	'malformed JSON after applying': [{ kind: 'malformedJson', every: 2, afterApplying: true }],
	'latency 60 ms': [{ kind: 'latency', ms: 60 }],
	'slow body': [{ kind: 'slowBody', ms: 150 }],
};

const rows: string[] = [];
afterAll(() => {
	process.stdout.write(
		`\nFault matrix (3 input items each; lost and duplicates must be 0)\n${rows.join('\n')}\n`,
	);
});

/** Records the operation made: ids above the seed's (45 for automations, 16 for schedules). */
function countCreated(kind: Case['creates']): number {
	const { automations, schedules } = context.sandbox.state;
	if (kind === 'automations') return automations.filter((automation) => automation.id > 45).length;
	if (kind === 'schedules') return schedules.filter((schedule) => schedule.id > 16).length;
	return 0;
}

describe.each(Object.entries(faults))('under %s', (faultName, injected) => {
	it.each(Object.entries(operations))(
		'%s loses no item and duplicates nothing',
		async (operationName, operation) => {
			operation.prepare?.();
			const createdBefore = countCreated(operation.creates);
			context.sandbox.faults.push(...injected.map((fault) => ({ ...fault })));

			// One item at a time, so that which try meets which fault is the same on every run.
			const parameters = {
				...operation.parameters,
				options: { batching: { batch: { batchSize: 1 } } },
			};
			const { items, error } = await context.run(parameters, {
				inputItems: operation.inputItems,
				continueOnFail: true,
			});

			expect(error).toBeUndefined();
			const byInput = new Map<number, INodeExecutionData[]>();
			for (const item of items) {
				const paired = item.pairedItem as { item: number };
				byInput.set(paired.item, [...(byInput.get(paired.item) ?? []), item]);
			}
			let failed = 0;
			operation.inputItems.forEach((_input, inputIndex) => {
				const output = byInput.get(inputIndex) ?? [];
				const failure = output.find((item) => item.json.error !== undefined);
				if (failure) {
					failed++;
					expect(output).toHaveLength(1);
					expect(String(failure.json.error)).toMatch(
						/AllsTechnology|Too Many Attempts|rate-limiting/,
					);
					if (operation.creates)
						expect(String(failure.json.description)).toMatch(
							/did not send it again|may have been created|create went through|was not created/,
						);
				} else {
					expect(output).toHaveLength(operation.itemsPerInput?.(inputIndex) ?? 1);
				}
			});
			const lost = operation.inputItems.length - byInput.size;
			const created = countCreated(operation.creates) - createdBefore;
			const succeededCreates = operation.creates ? operation.inputItems.length - failed : 0;
			// A create answered with a fault after it was applied exists although its item failed: never more than one each.
			const duplicates = Math.max(0, created - operation.inputItems.length);
			expect(lost).toBe(0);
			expect(duplicates).toBe(0);
			if (operation.creates) expect(created).toBeGreaterThanOrEqual(succeededCreates);
			// Only the creates may fail: what is safe to repeat got through on its next try.
			if (!operation.creates && operationName !== 'automation Delete Many') expect(failed).toBe(0);
			rows.push(
				`${faultName.padEnd(34)} ${operationName.padEnd(22)} in 3  out ${String(items.length).padStart(2)}  failed ${failed}  lost ${lost}  duplicates ${duplicates}`,
			);
		},
	);
});
