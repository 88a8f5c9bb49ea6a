/**
 * The AllsTechnology automation API's envelope, records and forms, as its docs show them: the field names and value
 * types of their example requests and responses. The node and the trigger name fields by these types, though they
 * never trust an answer to hold them (it is read as an IDataObject and checked); the sandbox serves them.
 */

/** The answer to every request that succeeded: an object for reads and creates, a sentence for actions. */
export interface SuccessEnvelope<Message> {
	status: 'success';
	message: Message;
}

/** The answer to every request that failed: a sentence ("Record not found"), or each field's messages. */
export interface FailedEnvelope {
	status: 'failed';
	errors: string | Record<string, string[]>;
}

export type Envelope<Message> = SuccessEnvelope<Message> | FailedEnvelope;

/** One automation, as Get Automation Details answers it. */
export interface AutomationRecord {
	id: number;
	user_id: number;
	/** The targeted contact type ID or segment ID; null when it targets nothing. */
	automation_for: number | null;
	/** The targeted table, null together with `automation_for`. */
	automation_for_table: 'contacts_' | 'segments_' | null;
	automation_name: string;
	exit_criteria: number;
	/** A string in the docs' example, e.g. "3". */
	unsubscribe_group_id: string | null;
	/** A number: the docs do not say which is which type. */
	automation_type: number;
	utr: string;
	/** 0 draft, 1 live. */
	status: number;
	/** When it went live, "2023-11-28 12:16:59", or null. */
	live_at: string | null;
	total_triggered: number;
	total_delivered: number;
	total_unique_opens: number;
	total_opens: number;
	total_bounces: number;
	total_unsubscribe: number;
	deleted_at: string | null;
	/** "2023-11-21T04:20:29.000000Z" */
	created_at: string;
	updated_at: string;
}

/** One automation as Get All Automation lists it: with the number of its emails. */
export interface ListedAutomationRecord extends AutomationRecord {
	automation_schedule_count: number;
}

/** One email of an automation (a schedule), as Get Automation Schedules lists it. */
export interface ScheduleRecord {
	id: number;
	user_id: number;
	automation_id: number;
	sender_id: number;
	subject: string;
	waiting_period: number;
	waiting_type: 'instantly' | 'days' | 'hours';
	/** The schedule's own UTR, not its automation's. */
	utr: string;
	template_id: number;
	preview_img: string;
	template_json: string | null;
	template_html: string | null;
	created_at: string;
	updated_at: string;
	/** `<base URL>/user/automations/schedule/email/design/{utr}` */
	design_url: string;
	/** `<base URL>/assets/sample_template/{preview_img}` */
	image: string;
}

/** The `message` of each automation endpoint's success, by its path below the base URL. */
export interface SuccessMessages {
	automations: { automations: ListedAutomationRecord[] };
	'automations/create': { utr: string };
	'automations/duplicate': { utr: string };
	'automations/details': { automation: AutomationRecord };
	'automations/pause': string;
	'automations/set-live': string;
	'automations/delete': string;
	'automations/bulk-delete': string;
	'automations/schedule': { automation_schedules: ScheduleRecord[] };
	'automations/schedule/create': string;
	'automations/schedule/delete': string;
}

export type AutomationEndpoint = keyof SuccessMessages;

/** The lists an automation refers to, known only by path and their answer's first key, if that. */
export type LookupEndpoint =
	| 'contacts-type'
	| 'segment/list'
	| 'get-design/template'
	| 'unsubscribes-groups';

/** Create Automation's multipart form. */
export type CreateAutomationForm = {
	type: 'welcome' | 'custom';
	/** `contacts_{contact type ID}` or `segments_{segment ID}`. */
	automation_for?: string;
	automation_name: string;
	unsubscribe_group_id: number;
};

/** Create Automation Schedule's multipart form: `utr` is the automation's. */
export type CreateScheduleForm = {
	utr: string;
	sender_id: number;
	subject: string;
	/** 1 for an email sent instantly. */
	waiting_period: number;
	waiting_type: ScheduleRecord['waiting_type'];
	template_id: number;
	preview_img: string;
	/** Set this or `template_html`, not both. */
	template_json?: string;
	template_html?: string;
};
