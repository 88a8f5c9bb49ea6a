/**
 * Record types of the AllsTechnology automation API sandbox.
 * Field names, order and value types follow the vendor's example responses (in its docs of the Automation API).
 */

/** One automation, as stored. The list endpoint adds `automation_schedule_count`; details answers it as is. */
export interface AutomationRecord {
	id: number;
	user_id: number;
	/** The targeted contact type id or segment id, or null when the automation targets nothing yet. */
	automation_for: number | null;
	/** 'contacts_' or 'segments_', or null together with `automation_for`. */
	automation_for_table: 'contacts_' | 'segments_' | null;
	automation_name: string;
	exit_criteria: number;
	/** A string such as "3", as in the docs' example, or null. */
	unsubscribe_group_id: string | null;
	/** 0 custom, 1 welcome (sandbox choice). */
	automation_type: number;
	utr: string;
	/** 0 draft, 1 live. */
	status: number;
	/** "YYYY-MM-DD HH:MM:SS" (UTC+06:00, as the docs' example implies) or null. */
	live_at: string | null;
	total_triggered: number;
	total_delivered: number;
	total_unique_opens: number;
	total_opens: number;
	total_bounces: number;
	total_unsubscribe: number;
	/** Set (ISO, "2023-11-27T12:03:01.000000Z") when soft-deleted; the record is then unknown to every endpoint. */
	deleted_at: string | null;
	created_at: string;
	updated_at: string;
}

/** One automation email (schedule), as stored and as listed. */
export interface ScheduleRecord {
	id: number;
	user_id: number;
	automation_id: number;
	sender_id: number;
	subject: string;
	waiting_period: number;
	waiting_type: 'instantly' | 'days' | 'hours';
	utr: string;
	template_id: number;
	preview_img: string;
	template_json: string | null;
	template_html: string | null;
	created_at: string;
	updated_at: string;
	/** `<baseUrl>/user/automations/schedule/email/design/{utr}` */
	design_url: string;
	/** `<baseUrl>/assets/sample_template/{preview_img}` */
	image: string;
}

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
