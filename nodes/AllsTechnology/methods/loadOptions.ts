import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import type { Lookup } from '../helpers/lookups';
import { fetchLookup, labelOf } from '../helpers/lookups';

function byName(a: INodePropertyOptions, b: INodePropertyOptions): number {
	return a.name.localeCompare(b.name);
}

async function optionsOf(
	context: ILoadOptionsFunctions,
	endpoint: Lookup,
	option: (record: IDataObject) => INodePropertyOptions,
): Promise<INodePropertyOptions[]> {
	return (await fetchLookup.call(context, endpoint)).map(option).sort(byName);
}

export async function getUnsubscribeGroups(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await optionsOf(this, 'unsubscribes-groups', (group) => ({
		name: labelOf(group),
		value: Number(group.id),
		description: `Unsubscribe group ID ${String(group.id)}`,
	}));
}

export async function getTemplates(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await optionsOf(this, 'get-design/template', (template) => ({
		name: labelOf(template),
		value: Number(template.id),
		description: `Template ID ${String(template.id)}${template.preview_img ? `, preview ${String(template.preview_img)}` : ''}`,
	}));
}

/** Contact types (`contacts_{id}`) and segments (`segments_{id}`), labelled so the two are told apart. */
export async function getAutomationTargets(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const [contactTypes, segments] = await Promise.all([
		optionsOf(this, 'contacts-type', (contactType) => ({
			name: `Contact Type: ${labelOf(contactType)}`,
			value: `contacts_${String(contactType.id)}`,
			description: `All contacts of contact type ID ${String(contactType.id)}`,
		})),
		optionsOf(this, 'segment/list', (segment) => ({
			name: `Segment: ${labelOf(segment)}`,
			value: `segments_${String(segment.id)}`,
			description: `The contacts of segment ID ${String(segment.id)}`,
		})),
	]);
	return [...contactTypes, ...segments];
}
