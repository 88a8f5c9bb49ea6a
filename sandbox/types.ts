/**
 * Record types of the AllsTechnology automation API sandbox. The automation and schedule records are the node's own
 * (nodes/shared/interfaces.ts), as the vendor's docs show them; the sandbox stores them so, an automation soft-deleted
 * with `deleted_at` set, and its choices of their values (automation_type 0 custom and 1 welcome, live_at on UTC+06:00)
 * are listed in sandbox/README.md. The lookup records below, which the docs show only in part, are the sandbox's.
 */
import type { AutomationRecord, ScheduleRecord } from '../nodes/shared/interfaces';

export type { AutomationRecord, ScheduleRecord };

export interface ContactTypeRecord {
	id: number;
	user_id: number;
	name: string;
	created_at: string;
	updated_at: string;
}

export interface SegmentRecord {
	id: number;
	user_id: number;
	name: string;
	created_at: string;
	updated_at: string;
}

export interface TemplateRecord {
	id: number;
	template_name: string;
	preview_img: string;
}

export interface UnsubscribeGroupRecord {
	id: number;
	user_id: number;
	name: string;
}

export interface ContactRecord {
	id: number;
	user_id: number;
	contact_type_id: number;
	email: string;
	first_name: string;
	last_name: string;
	created_at: string;
	updated_at: string;
}

export interface ReservedFieldRecord {
	id: number;
	field_name: string;
	field_key: string;
}

/** The sandbox's live data. Arrays are mutated in place (also by reset()), so references stay valid. */
export interface SandboxState {
	/** Every automation, soft-deleted ones included (with `deleted_at` set). */
	automations: AutomationRecord[];
	/** Every schedule (deleting a schedule removes it from this array). */
	schedules: ScheduleRecord[];
	contactTypes: ContactTypeRecord[];
	segments: SegmentRecord[];
	templates: TemplateRecord[];
	unsubscribeGroups: UnsubscribeGroupRecord[];
	contacts: ContactRecord[];
	reservedFields: ReservedFieldRecord[];
}
