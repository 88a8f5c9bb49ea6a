import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

/** What an operation did to the account, for the error that stops a run halfway: "item 0 created automation …". */
export interface Effect {
	verb: 'created' | 'deleted' | 'paused' | 'set live';
	noun: 'automation' | 'email';
}

/**
 * Runs once per input item; the router pairs what it returns with that item. `prepare` reads and checks the
 * item's parameters and sends nothing: for an operation with an `effect`, the router prepares every item before
 * the run's first request, so a bad item 9 stops the run before item 0 has changed anything; a read is prepared as
 * it goes out.
 */
export interface ItemOperation<Params = unknown> {
	description: INodeProperties[];
	/** Set for operations that change the account; the UTR of each output record names what was changed. */
	effect?: Effect;
	prepare(this: IExecuteFunctions, itemIndex: number): Params;
	execute(
		this: IExecuteFunctions,
		itemIndex: number,
		params: Params,
	): Promise<IDataObject | IDataObject[]>;
}

/** Runs once over all input items, for endpoints that take many items in one request. */
export interface BatchOperation {
	description: INodeProperties[];
	executeBatch(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]>;
}

export type Operation = ItemOperation | BatchOperation;
