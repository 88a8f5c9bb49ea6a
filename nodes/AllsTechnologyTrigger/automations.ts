import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { automationChoices, chooseCredentialFirst, credentialChosen } from '../shared/editorLists';

/** The Automation Names or IDs option: the account's automations as the action's Automation list shows them. */
export async function getAutomations(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	if (!credentialChosen(this)) return chooseCredentialFirst('your automations');
	// n8n asks for a dropdown's options once each time it opens: each time is a search session of its own.
	return await automationChoices(this, true);
}
