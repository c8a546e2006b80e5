import type { ColumnType, Generated, Kysely } from 'kysely';
import { pluginDb, pluginScope, type DB, type TenantScope } from '../../core/plugin-api.js';

type Defaulted<T> = ColumnType<T, T | undefined, T>;

export type ImapTls = 'none' | 'starttls' | 'tls';
export type FilterRuleKind = 'address' | 'domain' | 'anyone';
/**
 * pending: stored, not yet matched; processing: claimed by an importer; open: waits for an agent;
 * ticket: opened a ticket; article: became an entry on a ticket; discarded: an agent dropped it (restorable).
 */
export type MailStatus = 'pending' | 'processing' | 'open' | 'ticket' | 'article' | 'discarded';

export interface HelpdeskMailboxesTable {
  id: Generated<number>;
  tenant_id: number;
  name: string;
  imap_host: string;
  imap_port: number;
  imap_tls: ImapTls;
  imap_user: string;
  imap_password: string;
  imap_folder: Defaulted<string>;
  smtp_url: string | null;
  from_address: string;
  from_name: string | null;
  active: Defaulted<number>;
  uid_validity: string | null;
  last_uid: Defaulted<number>;
  last_checked_at: string | null;
  last_error: string | null;
  created_at: Defaulted<string>;
}

export interface HelpdeskFilterRulesTable {
  id: Generated<number>;
  tenant_id: number;
  mailbox_id: number;
  kind: FilterRuleKind;
  value: Defaulted<string>;
  organisation_id: number | null;
  group_id: number | null;
  priority: number | null;
  category: string | null;
  created_at: Defaulted<string>;
}

export interface HelpdeskMailsTable {
  id: Generated<number>;
  tenant_id: number;
  mailbox_id: number | null;
  dedup_key: string;
  message_id: string | null;
  imap_uid: number | null;
  raw_sha256: string;
  size: number;
  status: Defaulted<MailStatus>;
  claim: string | null;
  claimed_at: string | null;
  from_address: string | null;
  from_name: string | null;
  subject: string | null;
  sent_at: string | null;
  in_reply_to: string | null;
  reference_ids: string | null;
  body_text: string | null;
  body_html: string | null;
  auto_kind: string | null;
  note: string | null;
  ticket_id: number | null;
  article_id: number | null;
  discarded_at: string | null;
  discarded_by: string | null;
  created_at: Defaulted<string>;
}

export interface HelpdeskMailPartsTable {
  id: Generated<number>;
  tenant_id: number;
  mail_id: number;
  sha256: string;
  filename: string;
  mime_type: string;
  size: number;
  content_id: string | null;
}

export interface HelpdeskThreadIdsTable {
  tenant_id: number;
  message_id: string;
  ticket_id: number;
  outgoing: Defaulted<number>;
  mailbox_id: number | null;
  created_at: Defaulted<string>;
}

export interface HelpdeskTicketLinksTable {
  id: Generated<number>;
  tenant_id: number;
  ticket_id: number;
  previous_ticket_id: number;
  created_at: Defaulted<string>;
}

export interface HelpdeskAutoRepliesTable {
  id: Generated<number>;
  tenant_id: number;
  recipient: string;
  ticket_id: number | null;
  sent_at: string;
}

export interface HelpdeskDB extends DB {
  helpdesk_mailboxes: HelpdeskMailboxesTable;
  helpdesk_filter_rules: HelpdeskFilterRulesTable;
  helpdesk_mails: HelpdeskMailsTable;
  helpdesk_mail_parts: HelpdeskMailPartsTable;
  helpdesk_thread_ids: HelpdeskThreadIdsTable;
  helpdesk_ticket_links: HelpdeskTicketLinksTable;
  helpdesk_auto_replies: HelpdeskAutoRepliesTable;
}

/** The core's database handle seen with the helpdesk's own tables (created by its migrations). */
export function helpdeskDb(db: Kysely<DB>): Kysely<HelpdeskDB> {
  return pluginDb<HelpdeskDB>(db);
}

/** One tenant's scope over the core's and the helpdesk's tables (outside a request: jobs, events, the CLI). */
export function helpdeskScope(db: Kysely<DB>, tenantId: number): TenantScope<HelpdeskDB> {
  return pluginScope<HelpdeskDB>(db, tenantId);
}
