/**
 * The sandbox's initial records: the vendor docs' examples plus a few plausible others, and the lookup lists.
 *
 * The docs' own records, reproduced field for field:
 * - automation 5, utr e9c7ff00-8d1c-11ee-91c4-b42e9970e591, draft (List and Details examples);
 * - automation 3, utr 4dce63f6-8825-11ee-a739-b42e9970e591, live (List example; Pause, Set Live, Delete examples);
 * - schedule 10 of automation 5, utr 5a24b56e-89de-11ee-ae43-b42e9970e591 (Get Automation Schedules example;
 *   the docs elide template_json/template_html as "...": the values here are invented).
 *
 * Records added so every request example of the docs has something to act on:
 * - automation 1, utr 381da846-8780-11ee-835d-b42e9970e591 (Create Automation Schedule example);
 * - automation 6, utr e9c7ff00-8d1c-11ee-91c4-b42e9970e592 (Duplicate example: one digit off automation 5's utr,
 *   probably a typo in the docs, seeded so the example replays successfully);
 * - automations 8 and 44 (Bulk Delete example, strIds 8 and 44);
 * - automation 45 with unsubscribe_group_id null (the Set Live failure "Unsubscribe group require to live
 *   automation"), and no schedules.
 * Not seeded on purpose: the Delete Automation Schedule example passes an automation's utr
 * (4dce63f6-…, automation 3) where a schedule utr belongs; it answers the documented "Record not found".
 *
 * Every invented UTR is a version-1 UUID whose timestamp is the record's created_at, like the docs' ones.
 */
import type {
	AutomationRecord,
	ContactRecord,
	ContactTypeRecord,
	ReservedFieldRecord,
	SandboxState,
	ScheduleRecord,
	SegmentRecord,
	TemplateRecord,
	UnsubscribeGroupRecord,
} from './types';

/** The owner of every seeded record (the docs' examples all have user_id 6790). */
export const SEED_USER_ID = 6790;

/** Schedules without the two URLs, which depend on the sandbox's base URL. */
export type SeedSchedule = Omit<ScheduleRecord, 'design_url' | 'image'>;

function automation(
	fields: Pick<AutomationRecord, 'id' | 'utr' | 'automation_name' | 'created_at'> &
		Partial<AutomationRecord>,
): AutomationRecord {
	return {
		id: fields.id,
		user_id: SEED_USER_ID,
		automation_for: fields.automation_for === undefined ? 3 : fields.automation_for,
		automation_for_table:
			fields.automation_for_table === undefined ? 'contacts_' : fields.automation_for_table,
		automation_name: fields.automation_name,
		exit_criteria: fields.exit_criteria ?? 1,
		unsubscribe_group_id:
			fields.unsubscribe_group_id === undefined ? '3' : fields.unsubscribe_group_id,
		automation_type: fields.automation_type ?? 0,
		utr: fields.utr,
		status: fields.status ?? 0,
		live_at: fields.live_at ?? null,
		total_triggered: fields.total_triggered ?? 0,
		total_delivered: fields.total_delivered ?? 0,
		total_unique_opens: fields.total_unique_opens ?? 0,
		total_opens: fields.total_opens ?? 0,
		total_bounces: fields.total_bounces ?? 0,
		total_unsubscribe: fields.total_unsubscribe ?? 0,
		deleted_at: fields.deleted_at ?? null,
		created_at: fields.created_at,
		updated_at: fields.updated_at ?? fields.created_at,
	};
}

const SEED_AUTOMATIONS: readonly AutomationRecord[] = [
	automation({
		id: 1,
		automation_for: 10,
		automation_name: 'Welcome Series',
		automation_type: 1,
		utr: '381da846-8780-11ee-835d-b42e9970e591',
		created_at: '2023-11-20T08:38:46.000000Z',
		updated_at: '2023-11-20T08:41:15.000000Z',
	}),
	// The docs' record, exactly.
	automation({
		id: 3,
		automation_name: 'Test Automation',
		utr: '4dce63f6-8825-11ee-a739-b42e9970e591',
		status: 1,
		live_at: '2023-11-28 12:16:59',
		total_triggered: 3,
		total_delivered: 3,
		total_unique_opens: 2,
		total_opens: 16,
		total_bounces: 0,
		total_unsubscribe: 1,
		created_at: '2023-11-21T04:20:29.000000Z',
		updated_at: '2023-11-28T06:16:59.000000Z',
	}),
	// The docs' record, exactly.
	automation({
		id: 5,
		automation_name: 'Test Automation',
		utr: 'e9c7ff00-8d1c-11ee-91c4-b42e9970e591',
		created_at: '2023-11-27T12:03:01.000000Z',
	}),
	automation({
		id: 6,
		automation_for: 25,
		automation_for_table: 'segments_',
		automation_name: 'Onboarding Drip',
		unsubscribe_group_id: '4',
		utr: 'e9c7ff00-8d1c-11ee-91c4-b42e9970e592',
		created_at: '2023-11-27T12:03:01.000000Z',
		updated_at: '2023-11-27T12:20:44.000000Z',
	}),
	automation({
		id: 8,
		automation_name: 'Black Friday Follow-up',
		utr: 'e84968d2-8dcd-11ee-9b77-b42e9970e591',
		status: 1,
		live_at: '2023-11-28 15:30:00',
		total_triggered: 120,
		total_delivered: 117,
		total_unique_opens: 64,
		total_opens: 98,
		total_bounces: 3,
		total_unsubscribe: 2,
		created_at: '2023-11-28T09:10:00.000000Z',
		updated_at: '2023-11-28T09:30:00.000000Z',
	}),
	automation({
		id: 44,
		automation_for: 26,
		automation_for_table: 'segments_',
		automation_name: 'Webinar Reminders',
		unsubscribe_group_id: '4',
		utr: '5dcbb0d2-935b-11ee-a9a4-b42e9970e591',
		created_at: '2023-12-05T10:45:12.000000Z',
		updated_at: '2023-12-05T10:52:47.000000Z',
	}),
	automation({
		id: 45,
		automation_for: 10,
		automation_name: 'Re-engagement Campaign',
		unsubscribe_group_id: null,
		utr: '405420d2-9407-11ee-8a8b-b42e9970e591',
		created_at: '2023-12-06T07:15:36.000000Z',
	}),
];

const HTML = (title: string, body: string): string =>
	`<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${body}</p></body></html>`;

const JSON_DESIGN = (text: string): string =>
	JSON.stringify({
		body: { rows: [{ columns: [{ contents: [{ type: 'text', values: { text } }] }] }] },
	});

function schedule(
	fields: Pick<
		SeedSchedule,
		| 'id'
		| 'automation_id'
		| 'subject'
		| 'waiting_period'
		| 'waiting_type'
		| 'utr'
		| 'template_id'
		| 'preview_img'
		| 'created_at'
	> &
		Partial<SeedSchedule>,
): SeedSchedule {
	return {
		id: fields.id,
		user_id: SEED_USER_ID,
		automation_id: fields.automation_id,
		sender_id: fields.sender_id ?? 2,
		subject: fields.subject,
		waiting_period: fields.waiting_period,
		waiting_type: fields.waiting_type,
		utr: fields.utr,
		template_id: fields.template_id,
		preview_img: fields.preview_img,
		template_json:
			fields.template_json === undefined ? JSON_DESIGN(fields.subject) : fields.template_json,
		template_html:
			fields.template_html === undefined
				? HTML(fields.subject, 'Hello {{first_name}},')
				: fields.template_html,
		created_at: fields.created_at,
		updated_at: fields.updated_at ?? fields.created_at,
	};
}

const SEED_SCHEDULES: readonly SeedSchedule[] = [
	schedule({
		id: 1,
		automation_id: 1,
		subject: 'Welcome to AllsTechnology',
		waiting_period: 1,
		waiting_type: 'instantly',
		utr: '90cd4c52-8780-11ee-9a3c-b42e9970e591',
		template_id: 1,
		preview_img: 'welcome_email.png',
		template_json: null,
		created_at: '2023-11-20T08:41:15.000000Z',
	}),
	// Automation 3's three emails (its list count is 3); automation 5 looks like a duplicate of it.
	schedule({
		id: 7,
		automation_id: 3,
		subject: 'How is your days goes to',
		waiting_period: 1,
		waiting_type: 'instantly',
		utr: 'ccbaecd2-8826-11ee-ad51-b42e9970e591',
		template_id: 2,
		preview_img: 'verify_email.png',
		created_at: '2023-11-21T04:31:12.000000Z',
	}),
	schedule({
		id: 8,
		automation_id: 3,
		subject: 'Did you see our latest offers?',
		waiting_period: 2,
		waiting_type: 'days',
		utr: '24f1eed2-8827-11ee-8f7e-b42e9970e591',
		template_id: 3,
		preview_img: 'newsletter.png',
		created_at: '2023-11-21T04:33:40.000000Z',
	}),
	schedule({
		id: 9,
		automation_id: 3,
		subject: 'A last reminder',
		waiting_period: 12,
		waiting_type: 'hours',
		utr: '55d223d2-8827-11ee-ba09-b42e9970e591',
		template_id: 1,
		preview_img: 'welcome_email.png',
		template_html: null,
		created_at: '2023-11-21T04:35:02.000000Z',
	}),
	// The docs' schedule example, exactly (its template_json / template_html are elided in the docs).
	schedule({
		id: 10,
		automation_id: 5,
		subject: 'How is your days goes to',
		waiting_period: 1,
		waiting_type: 'instantly',
		utr: '5a24b56e-89de-11ee-ae43-b42e9970e591',
		template_id: 2,
		preview_img: 'verify_email.png',
		created_at: '2023-11-27T12:03:01.000000Z',
	}),
	schedule({
		id: 11,
		automation_id: 5,
		subject: 'Did you see our latest offers?',
		waiting_period: 2,
		waiting_type: 'days',
		utr: 'e9cbef92-8d1c-11ee-bb18-b42e9970e591',
		template_id: 3,
		preview_img: 'newsletter.png',
		created_at: '2023-11-27T12:03:01.000000Z',
	}),
	schedule({
		id: 12,
		automation_id: 5,
		subject: 'A last reminder',
		waiting_period: 12,
		waiting_type: 'hours',
		utr: 'e9cf4af2-8d1c-11ee-8c6d-b42e9970e591',
		template_id: 1,
		preview_img: 'welcome_email.png',
		template_html: null,
		created_at: '2023-11-27T12:03:01.000000Z',
	}),
	schedule({
		id: 13,
		automation_id: 6,
		sender_id: 3,
		subject: 'Getting started in three steps',
		waiting_period: 1,
		waiting_type: 'days',
		utr: '63077ad2-8d1f-11ee-ae90-b42e9970e591',
		template_id: 1,
		preview_img: 'welcome_email.png',
		created_at: '2023-11-27T12:20:44.000000Z',
	}),
	schedule({
		id: 14,
		automation_id: 8,
		subject: 'Your Black Friday discount is waiting',
		waiting_period: 1,
		waiting_type: 'instantly',
		utr: '89d0ba52-8dce-11ee-86f2-b42e9970e591',
		template_id: 3,
		preview_img: 'newsletter.png',
		created_at: '2023-11-28T09:14:31.000000Z',
	}),
	schedule({
		id: 15,
		automation_id: 44,
		sender_id: 3,
		subject: 'You are registered for the webinar',
		waiting_period: 1,
		waiting_type: 'instantly',
		utr: 'e77b7e52-935b-11ee-bc5e-b42e9970e591',
		template_id: 2,
		preview_img: 'verify_email.png',
		created_at: '2023-12-05T10:49:03.000000Z',
	}),
	schedule({
		id: 16,
		automation_id: 44,
		sender_id: 3,
		subject: 'The webinar starts soon',
		waiting_period: 6,
		waiting_type: 'hours',
		utr: '6cff2e52-935c-11ee-9d03-b42e9970e591',
		template_id: 2,
		preview_img: 'verify_email.png',
		created_at: '2023-12-05T10:52:47.000000Z',
	}),
];

const SEED_CONTACT_TYPES: readonly ContactTypeRecord[] = [
	{
		id: 3,
		user_id: SEED_USER_ID,
		name: 'Newsletter Subscribers',
		created_at: '2023-11-02T09:12:40.000000Z',
		updated_at: '2023-11-02T09:12:40.000000Z',
	},
	{
		id: 10,
		user_id: SEED_USER_ID,
		name: 'Customers',
		created_at: '2023-11-10T14:05:11.000000Z',
		updated_at: '2023-11-10T14:05:11.000000Z',
	},
	{
		id: 11,
		user_id: SEED_USER_ID,
		name: 'Webinar Leads',
		created_at: '2023-11-15T08:44:02.000000Z',
		updated_at: '2023-11-15T08:44:02.000000Z',
	},
];

const SEED_SEGMENTS: readonly SegmentRecord[] = [
	{
		id: 25,
		user_id: SEED_USER_ID,
		name: 'Opened in the last 30 days',
		created_at: '2023-11-12T10:00:00.000000Z',
		updated_at: '2023-11-12T10:00:00.000000Z',
	},
	{
		id: 26,
		user_id: SEED_USER_ID,
		name: 'Registered for a webinar',
		created_at: '2023-11-30T16:21:09.000000Z',
		updated_at: '2023-11-30T16:21:09.000000Z',
	},
];

const SEED_TEMPLATES: readonly TemplateRecord[] = [
	{ id: 1, template_name: 'Welcome Email', preview_img: 'welcome_email.png' },
	{ id: 2, template_name: 'Verify Email', preview_img: 'verify_email.png' },
	{ id: 3, template_name: 'Monthly Newsletter', preview_img: 'newsletter.png' },
];

const SEED_UNSUBSCRIBE_GROUPS: readonly UnsubscribeGroupRecord[] = [
	{ id: 3, user_id: SEED_USER_ID, name: 'All Marketing Emails' },
	{ id: 4, user_id: SEED_USER_ID, name: 'Event Announcements' },
];

const SEED_CONTACTS: readonly ContactRecord[] = [
	{
		id: 101,
		user_id: SEED_USER_ID,
		contact_type_id: 3,
		email: 'ada@example.com',
		first_name: 'Ada',
		last_name: 'Lovelace',
		created_at: '2023-11-02T09:15:00.000000Z',
		updated_at: '2023-11-02T09:15:00.000000Z',
	},
	{
		id: 102,
		user_id: SEED_USER_ID,
		contact_type_id: 3,
		email: 'alan@example.com',
		first_name: 'Alan',
		last_name: 'Turing',
		created_at: '2023-11-02T09:16:30.000000Z',
		updated_at: '2023-11-02T09:16:30.000000Z',
	},
	{
		id: 103,
		user_id: SEED_USER_ID,
		contact_type_id: 10,
		email: 'grace@example.com',
		first_name: 'Grace',
		last_name: 'Hopper',
		created_at: '2023-11-10T14:07:45.000000Z',
		updated_at: '2023-11-10T14:07:45.000000Z',
	},
];

const SEED_RESERVED_FIELDS: readonly ReservedFieldRecord[] = [
	{ id: 1, field_name: 'First Name', field_key: 'first_name' },
	{ id: 2, field_name: 'Last Name', field_key: 'last_name' },
	{ id: 3, field_name: 'Email', field_key: 'email' },
	{ id: 4, field_name: 'Phone', field_key: 'phone' },
];

/** `design_url` as the docs write it: BASE_URL/user/automations/schedule/email/design/{schedule utr}. */
export function designUrl(baseUrl: string, utr: string): string {
	return `${baseUrl}/user/automations/schedule/email/design/${utr}`;
}

/** `image` as the docs write it: BASE_URL/assets/sample_template/{preview_img}. */
export function imageUrl(baseUrl: string, previewImg: string): string {
	return `${baseUrl}/assets/sample_template/${previewImg}`;
}

/** Adds `design_url` and `image` (in the docs' field order) to a schedule. */
export function withScheduleUrls(fields: SeedSchedule, baseUrl: string): ScheduleRecord {
	return {
		...fields,
		design_url: designUrl(baseUrl, fields.utr),
		image: imageUrl(baseUrl, fields.preview_img),
	};
}

/** A fresh, independent copy of the seed data; `baseUrl` (no trailing slash) fills the schedules' URLs. */
export function createSeedState(baseUrl: string): SandboxState {
	return {
		automations: SEED_AUTOMATIONS.map((record) => ({ ...record })),
		schedules: SEED_SCHEDULES.map((record) => withScheduleUrls({ ...record }, baseUrl)),
		contactTypes: SEED_CONTACT_TYPES.map((record) => ({ ...record })),
		segments: SEED_SEGMENTS.map((record) => ({ ...record })),
		templates: SEED_TEMPLATES.map((record) => ({ ...record })),
		unsubscribeGroups: SEED_UNSUBSCRIBE_GROUPS.map((record) => ({ ...record })),
		contacts: SEED_CONTACTS.map((record) => ({ ...record })),
		reservedFields: SEED_RESERVED_FIELDS.map((record) => ({ ...record })),
	};
}
