import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions, IPollFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { asItemError } from '../AllsTechnology/helpers/items';
import { isRecordNotFound } from '../AllsTechnology/helpers/records';
import type { ApiMessage } from '../AllsTechnology/transport';
import { apiRequest } from '../AllsTechnology/transport';
import { LIVE_STATUS } from './events';

/** Every automation of the account, as GET automations lists them. */
export async function listAccountAutomations(this: IPollFunctions | ILoadOptionsFunctions): Promise<IDataObject[]> {
	let message: ApiMessage;
	try {
		message = await apiRequest.call(this, { method: 'GET', endpoint: 'automations' });
	} catch (error) {
		// The API answers an account without automations with "Record Not Found" instead of an empty list.
		if (isRecordNotFound(error)) return [];
		throw asItemError(this, error, undefined);
	}
	const automations = typeof message === 'object' ? message.automations : undefined;
	// Read as an empty list, an answer without the list would report every automation as deleted.
	if (!Array.isArray(automations)) {
		throw new NodeApiError(this.getNode(), { message: 'No automations array in the answer' }, {
			message: 'AllsTechnology answered the automation list without its "automations" array',
			description: 'Check the Base URL in the credential. The trigger records nothing from this answer and tries again at its next poll.',
		});
	}
	return automations.filter((record): record is IDataObject => typeof record === 'object' && record !== null);
}

/** The account's automations for the Automation Names or IDs option: name and ID to read, the UTR as the value. */
export async function getAutomations(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const automations = await listAccountAutomations.call(this);
	return automations
		.filter((automation) => typeof automation.utr === 'string')
		.map((automation) => ({
			name: `${String(automation.automation_name ?? 'Unnamed')} (ID ${String(automation.id)})`,
			value: automation.utr as string,
			description: `${Number(automation.status) === LIVE_STATUS ? 'Live' : 'Not live'}, UTR ${String(automation.utr)}`,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}
