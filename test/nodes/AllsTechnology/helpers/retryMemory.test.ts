import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import {
	onceAcrossRetries,
	idsSentByEarlierTries,
} from '../../../../nodes/AllsTechnology/helpers/retryMemory';

const node = {
	id: 'node',
	name: 'AllsTechnology',
	type: 'n8n-nodes-allstechnology.allsTechnology',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
let executions = 0;
/** One entry of n8n's execution stack per execution here: the object every try of a run of the node is given. */
const executeDataByExecution = new Map<string, object>();

/** A run of the node as onceAcrossRetries sees it: a new context object for every try, as n8n's Retry On Fail makes. */
function runOf(
	executionId: string | undefined,
	runIndex = 0,
	nodeName = node.name,
): IExecuteFunctions {
	if (executionId !== undefined && !executeDataByExecution.has(executionId))
		executeDataByExecution.set(executionId, { node });
	return {
		getExecutionId: () => executionId,
		getExecuteData: () =>
			executionId === undefined ? undefined : executeDataByExecution.get(executionId),
		getNode: () => ({ ...node, name: nodeName }),
		getWorkflowDataProxy: () => ({ $runIndex: runIndex }),
	} as unknown as IExecuteFunctions;
}

function creator() {
	let made = 0;
	const create = jest.fn(async (): Promise<IDataObject> => ({ utr: `utr-${++made}` }));
	return create;
}

/** A delete's or a pause's last try, failed after it may have reached the API: what the transport marks mayHaveApplied. */
function mayHaveAppliedError(): NodeApiError {
	const error = new NodeApiError(
		node as never,
		{ message: 'lost' },
		{ message: 'AllsTechnology answered DELETE automations/delete with HTTP 500', httpCode: '500' },
	);
	error.context.mayHaveApplied = true;
	return error;
}

function mayExistError(): NodeApiError {
	const error = new NodeApiError(
		node as never,
		{ message: 'lost' },
		{ message: 'The automation may exist: lost', description: 'Look for it.', httpCode: '502' },
	);
	error.context.outcomeUnknown = true;
	return error;
}

describe('onceAcrossRetries: what each item of an execution did', () => {
	let executionId: string;
	beforeEach(() => {
		executionId = `execution-${++executions}`;
	});
	afterEach(() => {
		jest.restoreAllMocks();
	});

	it('returns what an item made on a retry of the same run, without creating again', async () => {
		const create = creator();

		expect(await onceAcrossRetries(runOf(executionId), 0, create)).toEqual({ utr: 'utr-1' });
		expect(await onceAcrossRetries(runOf(executionId), 0, create)).toEqual({ utr: 'utr-1' });
		expect(create).toHaveBeenCalledTimes(1);
	});

	it('returns a copy, so a later node changing the output does not change what a retry returns', async () => {
		const made = await onceAcrossRetries(runOf(executionId), 0, creator());
		made.utr = 'changed';

		expect(await onceAcrossRetries(runOf(executionId), 0, creator())).toEqual({ utr: 'utr-1' });
	});

	it('keeps items, runs, nodes and executions apart', async () => {
		const create = creator();
		await onceAcrossRetries(runOf(executionId), 0, create);

		await onceAcrossRetries(runOf(executionId), 1, create);
		await onceAcrossRetries(runOf(executionId, 1), 0, create);
		await onceAcrossRetries(runOf(executionId, 0, 'Another Node'), 0, create);
		await onceAcrossRetries(runOf(`${executionId}-other`), 0, create);
		expect(create).toHaveBeenCalledTimes(5);
	});

	it('fails an item whose create may exist again with the same error, without creating', async () => {
		await expect(
			onceAcrossRetries(runOf(executionId), 0, async () => {
				throw mayExistError();
			}),
		).rejects.toThrow('The automation may exist: lost');

		const create = creator();
		const retried = onceAcrossRetries(runOf(executionId), 0, create);
		await expect(retried).rejects.toMatchObject({
			message: 'The automation may exist: lost',
			description: 'Look for it.',
			httpCode: '502',
		});
		await expect(retried).rejects.toBeInstanceOf(NodeApiError);
		expect(create).not.toHaveBeenCalled();
	});

	it('creates again an item whose create failed without having happened', async () => {
		await expect(
			onceAcrossRetries(runOf(executionId), 0, async () => {
				throw new NodeApiError(
					node as never,
					{ message: 'refused' },
					{ message: 'The automation name field is required.' },
				);
			}),
		).rejects.toThrow('The automation name field is required.');

		const create = creator();
		expect(await onceAcrossRetries(runOf(executionId), 0, create)).toEqual({ utr: 'utr-1' });
		expect(create).toHaveBeenCalledTimes(1);
	});

	it('tells a retry of an item whose request may have gone through unanswered, and keeps telling it', async () => {
		const seen: boolean[] = [];
		const failWith = (error: Error) => async (earlierTryUncertain: boolean) => {
			seen.push(earlierTryUncertain);
			throw error;
		};
		const refused = new NodeApiError(
			node as never,
			{ message: 'refused' },
			{ message: 'Record not found', httpCode: '404' },
		);

		await expect(
			onceAcrossRetries(runOf(executionId), 0, failWith(mayHaveAppliedError())),
		).rejects.toThrow('HTTP 500');
		await expect(onceAcrossRetries(runOf(executionId), 0, failWith(refused))).rejects.toThrow(
			'Record not found',
		);
		const done = jest.fn(async (earlierTryUncertain: boolean) => ({
			deleted: true,
			earlierTryUncertain,
		}));
		expect(await onceAcrossRetries(runOf(executionId), 0, done)).toEqual({
			deleted: true,
			earlierTryUncertain: true,
		});

		expect(seen).toEqual([false, true]);
		expect(done).toHaveBeenCalledTimes(1);
	});

	it('tells nothing to a retry after a refusal, nor to another item, run or execution', async () => {
		const refused = new NodeApiError(
			node as never,
			{ message: 'refused' },
			{ message: 'Record not found', httpCode: '404' },
		);
		await expect(
			onceAcrossRetries(runOf(executionId), 0, async () => {
				throw mayHaveAppliedError();
			}),
		).rejects.toThrow('HTTP 500');
		await expect(
			onceAcrossRetries(runOf(executionId), 1, async () => {
				throw refused;
			}),
		).rejects.toThrow('Record not found');
		const told = jest.fn(async (earlierTryUncertain: boolean) => ({ earlierTryUncertain }));

		expect(await onceAcrossRetries(runOf(executionId), 1, told)).toEqual({
			earlierTryUncertain: false,
		});
		expect(await onceAcrossRetries(runOf(executionId), 2, told)).toEqual({
			earlierTryUncertain: false,
		});
		expect(await onceAcrossRetries(runOf(executionId, 1), 0, told)).toEqual({
			earlierTryUncertain: false,
		});
		expect(await onceAcrossRetries(runOf(`${executionId}-other`), 0, told)).toEqual({
			earlierTryUncertain: false,
		});
	});

	it('remembers nothing where n8n gives no execute data', async () => {
		const create = creator();
		await onceAcrossRetries(runOf(undefined), 0, create);
		await onceAcrossRetries(runOf(undefined), 0, create);

		expect(create).toHaveBeenCalledTimes(2);
	});

	it("keeps a run's outcomes however many other executions remember theirs meanwhile", async () => {
		const create = creator();
		await onceAcrossRetries(runOf(executionId), 0, create);
		for (let other = 0; other < 20_001; other++)
			await onceAcrossRetries(runOf(`${executionId}-other-${other % 4}`), other, creator());

		expect(await onceAcrossRetries(runOf(executionId), 0, create)).toEqual({ utr: 'utr-1' });
		expect(create).toHaveBeenCalledTimes(1);
	});

	it("keeps a run's outcomes however long the run takes", async () => {
		const now = Date.now();
		const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
		const create = creator();
		await onceAcrossRetries(runOf(executionId), 0, create);

		clock.mockReturnValue(now + 24 * 60 * 60 * 1000);
		expect(await onceAcrossRetries(runOf(executionId), 0, create)).toEqual({ utr: 'utr-1' });
		expect(create).toHaveBeenCalledTimes(1);
	});
});

describe('idsSentByEarlierTries: the IDs Delete Many sent in earlier tries of the run', () => {
	it('is shared by the tries of one run, and by nothing else', () => {
		idsSentByEarlierTries(runOf('delete-run')).add(8);

		expect([...idsSentByEarlierTries(runOf('delete-run'))]).toEqual([8]);
		expect([...idsSentByEarlierTries(runOf('delete-run', 1))]).toEqual([]);
		expect([...idsSentByEarlierTries(runOf('another-execution'))]).toEqual([]);
		idsSentByEarlierTries(runOf(undefined)).add(8);
		expect([...idsSentByEarlierTries(runOf(undefined))]).toEqual([]);
	});
});
