import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Text columns the database fills with a default when omitted. */
type DefaultedText = ColumnType<string, string | undefined, string>;
type DefaultedNumber = ColumnType<number, number | undefined, number>;

export interface TenantsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  locale: DefaultedText;
  primary_color: DefaultedText;
  accent_color: DefaultedText;
  logo_file: string | null;
  mail_from_name: string | null;
  mail_from_address: string | null;
  smtp_url: string | null;
  settings: DefaultedText;
  created_at: DefaultedText;
  /** IANA zone in which the tenant's dates are shown and read (migration 0005). */
  time_zone: DefaultedText;
}

export interface TenantHostsTable { host: string; tenant_id: number }

export interface TenantPluginsTable {
  tenant_id: number;
  plugin_id: string;
  enabled: number;
  settings: DefaultedText;
  updated_at: DefaultedText;
}

export type StaffRole = 'operator' | 'admin' | 'supervisor' | 'agent';
export type PortalRole = 'customer' | 'requester' | 'business_partner' | 'supplier' | 'staff';
export type GroupLevel = 'first' | 'second' | 'third' | 'expert';

export interface UsersTable {
  id: Generated<number>;
  tenant_id: number | null;
  email: string;
  name: string;
  role: StaffRole;
  password_hash: string | null;
  locale: string | null;
  active: DefaultedNumber;
  notify_by_mail: DefaultedNumber;
  created_at: DefaultedText;
  /** Personal signature with placeholders (0021b-signatures). */
  signature: ColumnType<string | null, string | null | undefined, string | null>;
  /** 1: a daily mail of the reminders due that day, in the tenant's morning (migration 0024). */
  reminder_digest: DefaultedNumber;
  /** The tenant-local day ('2026-03-29') the last digest was sent for. */
  reminder_digest_day: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface OrganisationsTable {
  id: Generated<number>;
  tenant_id: number;
  name: string;
  number: string | null;
  email_domains: DefaultedText;
  phone: string | null;
  address: string | null;
  notes: string | null;
  created_at: DefaultedText;
}

export interface PeopleTable {
  id: Generated<number>;
  tenant_id: number;
  organisation_id: number | null;
  name: string;
  email: string | null;
  phone: string | null;
  portal_role: ColumnType<PortalRole, PortalRole | undefined, PortalRole>;
  is_org_manager: DefaultedNumber;
  password_hash: string | null;
  locale: string | null;
  active: DefaultedNumber;
  created_at: DefaultedText;
}

export interface SupportGroupsTable {
  id: Generated<number>;
  tenant_id: number;
  name: string;
  level: GroupLevel;
  email: string | null;
  created_at: DefaultedText;
  /** The group's signature with placeholders (0021b-signatures). */
  signature: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface GroupMembersTable { tenant_id: number; group_id: number; user_id: number }

export interface ContractsTable {
  id: Generated<number>;
  tenant_id: number;
  organisation_id: number;
  name: string;
  number: string;
  valid_from: string | null;
  valid_to: string | null;
  created_at: DefaultedText;
}

export interface SessionsTable {
  id: string;
  tenant_id: number | null;
  user_id: number | null;
  person_id: number | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string | null;
  ip: string | null;
}

/** The operator's seat limits of a tenant (migration 0013); no row or a null limit means unlimited. */
export interface LicenceSeatsTable {
  tenant_id: number;
  agent_seats: number | null;
  portal_seats: number | null;
  /** What a portal sign-in beyond the limit meets: 'refuse', or 'warn' (allowed, shown as over the limit). */
  portal_policy: DefaultedText;
  /** How many minutes after its last request a session still counts as signed in. */
  window_minutes: DefaultedNumber;
  updated_at: string;
}

/** Per tenant day (in the tenant's zone) the most staff and portal users signed in at once. */
export interface LicenceSeatPeaksTable {
  tenant_id: number;
  day: string;
  agents_peak: DefaultedNumber;
  portal_peak: DefaultedNumber;
}

export interface LoginAttemptsTable { key: string; failures: number; window_start: string; locked_until: string | null }
export interface UsedTokensTable { jti: string; expires_at: string }
/** A short link's token (its SHA-256, base64url) and what it opens; see core/auth/signed-links.ts. */
export interface LinkTokensTable { token_hash: string; purpose: string; subject: string; tenant_id: number | null; extra: string; created_at: string; expires_at: string }
/** A named lease (e.g. the IMAP watcher of one mailbox): held by `owner` until `expires_at` unless renewed. */
export interface LeasesTable { key: string; owner: string; expires_at: string }
/** A fixed-window request counter shared by every instance. */
export interface RateLimitsTable { key: string; count: number; reset_at: string }

export interface ApiTokensTable {
  id: Generated<number>;
  tenant_id: number;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: DefaultedText;
  last_used_at: string | null;
}

export interface MailOutboxTable {
  id: Generated<number>;
  tenant_id: number | null;
  to_address: string;
  from_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  headers: DefaultedText;
  status: 'stored' | 'sent' | 'failed';
  error: string | null;
  message_id: string | null;
  created_at: DefaultedText;
  sent_at: string | null;
  /** JSON [{filename, contentType, content (base64)}] or null (migration 0007). */
  attachments: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  tenant_id: number | null;
  actor_user_id: number | null;
  actor_label: string;
  action: string;
  target: string | null;
  details: DefaultedText;
  ip: string | null;
  created_at: DefaultedText;
}

export interface JobsTable {
  id: Generated<number>;
  name: string;
  tenant_id: number | null;
  unique_key: string | null;
  payload: DefaultedText;
  rrule: string | null;
  run_at: string;
  status: ColumnType<'queued' | 'running' | 'done' | 'failed', 'queued' | undefined, 'queued' | 'running' | 'done' | 'failed'>;
  attempts: DefaultedNumber;
  max_attempts: DefaultedNumber;
  last_error: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_run_at: string | null;
  created_at: DefaultedText;
}

export interface FilesTable {
  tenant_id: number;
  sha256: string;
  size: number;
  mime_type: string;
  created_at: DefaultedText;
}

export interface TicketCountersTable { tenant_id: number; year: number; last_value: number }

export type TicketStatus = 'new' | 'open' | 'waiting' | 'solved' | 'closed';
export type TicketChannel = 'phone' | 'mail' | 'web' | 'fax' | 'monitoring' | 'chat' | 'in_person';

export interface TicketsTable {
  id: Generated<number>;
  tenant_id: number;
  number: string;
  subject: string;
  description: DefaultedText;
  status: TicketStatus;
  priority: DefaultedNumber;
  category: string | null;
  channel: ColumnType<TicketChannel, TicketChannel | undefined, TicketChannel>;
  organisation_id: number | null;
  requester_id: number | null;
  contract_id: number | null;
  assignee_id: number | null;
  group_id: number | null;
  custom_fields: DefaultedText;
  created_at: string;
  updated_at: string;
  first_response_at: string | null;
  solved_at: string | null;
  closed_at: string | null;
  deleted_at: string | null;
  /** Why a closed ticket was closed when it was not the normal way: merged into another, or spam. */
  close_reason: TicketCloseReason | null;
  /** For close_reason 'merged': the ticket it was merged into (the survivor). */
  merged_into_id: number | null;
  /** Sum of the articles' time spent, kept in the article's transaction (0021c-time-spent). */
  time_spent_minutes: DefaultedNumber;
  /** A waiting ticket's wake-up instant (ISO, UTC): then it goes back to open and its agent is told (migration 0024). */
  waiting_until: ColumnType<string | null, string | null | undefined, string | null>;
  /** Raised by one in the transaction of every change (ticket-unit.ts); forms send it back (ticket-stale-fields.ts). */
  version: DefaultedNumber;
}

export type TicketCloseReason = 'merged' | 'spam';

export type ArticleKind = 'reply' | 'note' | 'customer';

export interface TicketArticlesTable {
  id: Generated<number>;
  tenant_id: number;
  ticket_id: number;
  kind: ArticleKind;
  channel: ColumnType<TicketChannel, TicketChannel | undefined, TicketChannel>;
  author_user_id: number | null;
  author_person_id: number | null;
  author_label: string;
  body_text: string;
  body_html: string | null;
  message_id: string | null;
  created_at: string;
  /** Minutes the agent spent on this reply or note (0021c-time-spent). */
  time_spent_minutes: ColumnType<number | null, number | null | undefined, number | null>;
  /** What the agent wrote in the composer (markdown); body_html and body_text are made from it (migration 0022). */
  body_markdown: ColumnType<string | null, string | null | undefined, string | null>;
  /** Comma-separated addresses the reply's mail also went to (migration 0022). */
  cc: ColumnType<string | null, string | null | undefined, string | null>;
  bcc: ColumnType<string | null, string | null | undefined, string | null>;
}

/** An agent's unsent reply or note on a ticket, saved while typing (migration 0022). */
export interface TicketReplyDraftsTable {
  id: Generated<number>;
  tenant_id: number;
  ticket_id: number;
  user_id: number;
  kind: DefaultedText;
  body: DefaultedText;
  cc: DefaultedText;
  bcc: DefaultedText;
  status_after: DefaultedText;
  attachments: DefaultedText;
  updated_at: string;
}

export interface TicketAttachmentsTable {
  id: Generated<number>;
  tenant_id: number;
  ticket_id: number;
  article_id: number | null;
  sha256: string;
  filename: string;
  mime_type: string;
  size: number;
  content_id: string | null;
  created_at: DefaultedText;
}

export interface TicketHistoryTable {
  id: Generated<number>;
  tenant_id: number;
  ticket_id: number;
  actor_user_id: number | null;
  actor_person_id: number | null;
  actor_label: string;
  action: string;
  field: string | null;
  old_value: string | null;
  new_value: string | null;
  note: string | null;
  created_at: string;
  /** The ticket's version this line produced (null for lines older than versions). */
  version: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface TicketCategoriesTable {
  id: Generated<number>;
  tenant_id: number;
  name: string;
  position: DefaultedNumber;
  active: DefaultedNumber;
}

export type CustomFieldType = 'text' | 'number' | 'date' | 'select' | 'checkbox';

export interface TicketFieldsTable {
  id: Generated<number>;
  tenant_id: number;
  /** Whose field: 'ticket' (the core's) or a record kind a plugin declares (e.g. 'device'). */
  record_kind: DefaultedText;
  key: string;
  label: string;
  type: CustomFieldType;
  /** JSON array of choices (select). */
  options: DefaultedText;
  required: DefaultedNumber;
  /** JSON array of what the field is limited to (a ticket's category names, a kind's own scopes); empty means all. */
  categories: DefaultedText;
  position: DefaultedNumber;
  active: DefaultedNumber;
}

export interface MacrosTable {
  id: Generated<number>;
  tenant_id: number;
  user_id: number | null;
  name: string;
  body: DefaultedText;
  article_kind: ColumnType<'reply' | 'note', 'reply' | 'note' | undefined, 'reply' | 'note'>;
  set_status: TicketStatus | null;
  set_priority: number | null;
  set_group_id: number | null;
  created_at: DefaultedText;
}

/** A text module: a snippet inserted with `::keyword`; personal (user_id), for a group (group_id) or everyone. */
export interface TextModulesTable {
  id: Generated<number>;
  tenant_id: number;
  user_id: number | null;
  group_id: number | null;
  name: string;
  keyword: string;
  body: string;
  created_at: DefaultedText;
}

export interface SavedViewsTable {
  id: Generated<number>;
  tenant_id: number;
  user_id: number;
  group_id: number | null;
  name: string;
  query: string;
  created_at: DefaultedText;
}

/** The kinds the core sends; plugins send kinds of their own (`<plugin id>.<name>`, declared in definePlugin), so the column is text. */
export type NotificationKind = 'assigned' | 'forwarded' | 'customer_reply' | 'mention' | 'waiting_due' | 'todo_due';

export interface NotificationsTable {
  id: Generated<number>;
  tenant_id: number;
  user_id: number;
  ticket_id: number | null;
  kind: string;
  actor_label: string;
  summary: string;
  /** The message key and parameters (JSON, see core/notifications/notification-text.ts), rendered in the reader's language; null on rows from before migration 0026. */
  message: ColumnType<string | null, string | null | undefined, string | null>;
  read_at: string | null;
  created_at: string;
}

export type TimelineKind = 'announcement' | 'solution' | 'idea_status' | 'system';
export type TimelineAudience = 'everyone' | 'staff' | 'group' | 'organisations';

export interface TimelinePostsTable {
  id: Generated<number>;
  tenant_id: number;
  kind: TimelineKind;
  audience: TimelineAudience;
  group_id: number | null;
  title: string;
  body: string;
  link: string | null;
  ticket_id: number | null;
  author_user_id: number | null;
  author_label: string;
  pinned: DefaultedNumber;
  expires_at: string | null;
  like_count: DefaultedNumber;
  comment_count: DefaultedNumber;
  created_at: string;
  updated_at: string;
}

export interface TimelinePostOrganisationsTable { tenant_id: number; post_id: number; organisation_id: number }
export interface TimelineLikesTable { tenant_id: number; post_id: number; liker: string; created_at: string }
export interface TimelineCommentsTable { id: Generated<number>; tenant_id: number; post_id: number; author: string; author_label: string; body: string; created_at: string }
export interface TimelineSeenTable { tenant_id: number; reader: string; last_seen_post_id: number }

/** Hotline statistics per tenant, calendar day, group (0: none) and measure (migration 0012; core/statistics/hotline-aggregate.ts). */
export interface HotlineDaysTable { tenant_id: number; day: string; group_id: number; measure: string; tickets: number }
/** The same per calendar month ('YYYY-MM'). */
export interface HotlineMonthsTable { tenant_id: number; month: string; group_id: number; measure: string; tickets: number }
/** Hotline statistics right now: per tenant, group (0: none) and status. */
export interface HotlineNowTable { tenant_id: number; group_id: number; status: TicketStatus; tickets: number }
/** When, and with which time zone, a tenant's hotline aggregate was last rebuilt. */
export interface HotlineBuildsTable { tenant_id: number; time_zone: string; rebuilt_at: string }

/** A staff member's card in the support directory (migration 0015); shown only while `listed`. */
export interface DirectoryProfilesTable {
  user_id: number;
  tenant_id: number;
  listed: DefaultedNumber;
  job_title: string | null;
  /** E.164 ("+49301234567"), normalised with the tenant's phone country when saved. */
  phone: string | null;
  mobile: string | null;
  /** A sip:/sips: URI. */
  sip: string | null;
  /** Comma-separated language codes ("de,en"). */
  languages: DefaultedText;
  /** The member's own setting: 'available', 'busy', 'away' or 'off'. */
  availability: DefaultedText;
  /** A file of the tenant's file store (sha256). */
  photo_file: string | null;
  updated_at: string;
}

/** Per tenant: the country of national phone numbers and what portal users see of the directory. */
export interface DirectorySettingsTable {
  tenant_id: number;
  phone_country: DefaultedText;
  portal_visible: DefaultedNumber;
  portal_fields: DefaultedText;
  portal_callback: DefaultedNumber;
  updated_at: string;
}

/** Per ticket (not deleted) what the KPI reports read (migration 0014; core/statistics/kpi-facts.ts). */
export interface KpiFactsTable {
  tenant_id: number;
  ticket_id: number;
  created_at: string;
  first_response_at: string | null;
  first_response_seconds: number | null;
  first_response_business: number | null;
  /** The first response's calendar day in the tenant's zone ('YYYY-MM-DD'). */
  first_response_day: string | null;
  first_solved_at: string | null;
  resolved_at: string | null;
  resolution_seconds: number | null;
  resolution_business: number | null;
  resolved_day: string | null;
  reopen_count: number;
  agent_id: number | null;
  group_id: number | null;
  organisation_id: number | null;
  category: string | null;
  channel: string;
}
/** When a tenant's KPI facts were last rebuilt. */
export interface KpiBuildsTable { tenant_id: number; time_zone: string; rebuilt_at: string }
export type KpiFrequency = 'weekly' | 'monthly';
/** A staff user's periodic KPI mail. */
export interface KpiSubscriptionsTable {
  id: Generated<number>;
  tenant_id: number;
  user_id: number;
  frequency: KpiFrequency;
  group_by: string;
  /** The last period mailed ('2026-03-23' for a week starting then, '2026-03' for a month). */
  last_period: string | null;
  last_sent_at: string | null;
  created_at: string;
}

/** Live tickets per tenant, status, assignee (0: none) and group (0: none) (migration 0016; core/tickets/ticket-counters.ts). */
export interface TicketLiveCountsTable { tenant_id: number; status: TicketStatus; assignee_id: number; group_id: number; tickets: number }
/** When a tenant's ticket counters were last recounted. */
export interface TicketCountBuildsTable { tenant_id: number; recounted_at: string }

/** A staff user's personal to-do (migration 0024b; core/todos). */
export interface TodosTable {
  id: Generated<number>;
  tenant_id: number;
  user_id: number;
  title: string;
  due_at: string | null;
  ticket_id: number | null;
  remind_by_mail: DefaultedNumber;
  done_at: string | null;
  reminded_at: string | null;
  created_at: string;
}

export type TicketLinkKind = 'related' | 'parent' | 'duplicate';
/** A link between two tickets of a tenant (migration 0025; core/tickets/ticket-links.ts): from is the parent of / a duplicate of / related to to. */
export interface TicketLinksTable {
  id: Generated<number>;
  tenant_id: number;
  from_ticket_id: number;
  to_ticket_id: number;
  kind: TicketLinkKind;
  created_by: number | null;
  created_at: string;
}

/** A tenant's tag (migration 0025b; core/tickets/ticket-tags.ts); name_key is the lower-cased name. */
export interface TagsTable { id: Generated<number>; tenant_id: number; name: string; name_key: string; created_at: string }
export interface TicketTagsTable { tenant_id: number; ticket_id: number; tag_id: number }

export interface MetaTable { key: string; value: string }

export interface DB {
  meta: MetaTable;
  tenants: TenantsTable;
  tenant_hosts: TenantHostsTable;
  tenant_plugins: TenantPluginsTable;
  users: UsersTable;
  organisations: OrganisationsTable;
  people: PeopleTable;
  support_groups: SupportGroupsTable;
  group_members: GroupMembersTable;
  contracts: ContractsTable;
  sessions: SessionsTable;
  licence_seats: LicenceSeatsTable;
  licence_seat_peaks: LicenceSeatPeaksTable;
  login_attempts: LoginAttemptsTable;
  used_tokens: UsedTokensTable;
  link_tokens: LinkTokensTable;
  leases: LeasesTable;
  rate_limits: RateLimitsTable;
  api_tokens: ApiTokensTable;
  mail_outbox: MailOutboxTable;
  audit_log: AuditLogTable;
  jobs: JobsTable;
  files: FilesTable;
  ticket_counters: TicketCountersTable;
  tickets: TicketsTable;
  ticket_articles: TicketArticlesTable;
  ticket_reply_drafts: TicketReplyDraftsTable;
  ticket_attachments: TicketAttachmentsTable;
  ticket_history: TicketHistoryTable;
  ticket_categories: TicketCategoriesTable;
  ticket_fields: TicketFieldsTable;
  macros: MacrosTable;
  text_modules: TextModulesTable;
  saved_views: SavedViewsTable;
  notifications: NotificationsTable;
  timeline_posts: TimelinePostsTable;
  timeline_post_organisations: TimelinePostOrganisationsTable;
  timeline_likes: TimelineLikesTable;
  timeline_comments: TimelineCommentsTable;
  timeline_seen: TimelineSeenTable;
  hotline_days: HotlineDaysTable;
  hotline_months: HotlineMonthsTable;
  hotline_now: HotlineNowTable;
  hotline_builds: HotlineBuildsTable;
  directory_profiles: DirectoryProfilesTable;
  directory_settings: DirectorySettingsTable;
  kpi_facts: KpiFactsTable;
  kpi_builds: KpiBuildsTable;
  kpi_subscriptions: KpiSubscriptionsTable;
  ticket_live_counts: TicketLiveCountsTable;
  ticket_count_builds: TicketCountBuildsTable;
  todos: TodosTable;
  ticket_links: TicketLinksTable;
  tags: TagsTable;
  ticket_tags: TicketTagsTable;
}

export type Tenant = Selectable<TenantsTable>;
export type User = Selectable<UsersTable>;
export type Person = Selectable<PeopleTable>;
export type Organisation = Selectable<OrganisationsTable>;
export type SupportGroup = Selectable<SupportGroupsTable>;
export type Contract = Selectable<ContractsTable>;
export type Ticket = Selectable<TicketsTable>;
export type NewTicket = Insertable<TicketsTable>;
export type TicketArticle = Selectable<TicketArticlesTable>;
export type TicketAttachment = Selectable<TicketAttachmentsTable>;
export type TicketHistoryEntry = Selectable<TicketHistoryTable>;
export type TicketField = Selectable<TicketFieldsTable>;
export type Macro = Selectable<MacrosTable>;
export type TextModule = Selectable<TextModulesTable>;
export type TicketUpdate = Updateable<TicketsTable>;
