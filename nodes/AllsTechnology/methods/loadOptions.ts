import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import type { LookupEndpoint } from '../../shared/interfaces';
import { fetchLookup, labelOf } from '../helpers/lookups';
import { toPositiveInteger } from '../../shared/identifiers';
import { chooseCredentialFirst, credentialChosen } from '../../shared/editorLists';

function byName(a: INodePropertyOptions, b: INodePropertyOptions): number {
	return a.name.localeCompare(b.name);
}

/**
 * One option per record with an ID the API can take back (a whole number above 0; the first of a repeated ID):
 * any other ID would put an option in the list that fails the run, or sends nothing.
 */
async function optionsOf(
	context: ILoadOptionsFunctions,
	endpoint: LookupEndpoint,
	option: (record: IDataObject, id: number) => INodePropertyOptions,
): Promise<INodePropertyOptions[]> {
	const recordById = new Map<number, IDataObject>();
	for (const record of await fetchLookup.call(context, endpoint)) {
		const id = toPositiveInteger(record.id);
		if (id !== undefined && !recordById.has(id)) recordById.set(id, record);
	}
	return [...recordById].map(([id, record]) => option(record, id)).sort(byName);
}

export async function getUnsubscribeGroups(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	if (!credentialChosen(this)) return chooseCredentialFirst('your unsubscribe groups');
	return await optionsOf(this, 'unsubscribes-groups', (group, id) => ({
		name: labelOf(group),
		value: id,
		description: `Unsubscribe group ID ${id}`,
	}));
}

export async function getTemplates(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	if (!credentialChosen(this)) return chooseCredentialFirst('your templates');
	return await optionsOf(this, 'get-design/template', (template, id) => ({
		name: labelOf(template),
		value: id,
		description: `Template ID ${id}${typeof template.preview_img === 'string' && template.preview_img ? `, preview ${template.preview_img}` : ''}`,
	}));
}

/** Contact types (`contacts_{id}`) and segments (`segments_{id}`), labelled so the two are told apart. */
export async function getAutomationTargets(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	if (!credentialChosen(this)) return chooseCredentialFirst('your contact types and segments');
	const [contactTypes, segments] = await Promise.all([
		optionsOf(this, 'contacts-type', (contactType, id) => ({
			name: `Contact Type: ${labelOf(contactType)}`,
			value: `contacts_${id}`,
			description: `All contacts of contact type ID ${id}`,
		})),
		optionsOf(this, 'segment/list', (segment, id) => ({
			name: `Segment: ${labelOf(segment)}`,
			value: `segments_${id}`,
			description: `The contacts of segment ID ${id}`,
		})),
	]);
	return [...contactTypes, ...segments];
}
