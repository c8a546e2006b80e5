import type { ColumnType, Generated } from 'kysely';
import type { DB } from '../../core/plugin-api.js';

/** A topic: shared by every kind of entry; one level of nesting (a parent has no parent). */
export interface KnowledgeTopicsTable {
  id: Generated<number>;
  tenant_id: number;
  parent_id: number | null;
  name_de: string;
  name_en: string;
  position: number;
  /** 0/1: an archived topic keeps its assignments but is offered no more. */
  archived: number;
  created_at: string;
  updated_at: string;
}

export const ENTRY_KINDS = ['faq', 'doc', 'kb'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
export const ENTRY_STATES = ['draft', 'published', 'archived'] as const;
export type EntryState = (typeof ENTRY_STATES)[number];
/** internal: staff only; customers: every signed-in customer; organisations: customers of the named ones; public: anyone. */
export const VISIBILITIES = ['internal', 'customers', 'organisations', 'public'] as const;
export type Visibility = (typeof VISIBILITIES)[number];
export const ENTRY_LANGUAGES = ['de', 'en'] as const;
export type EntryLanguage = (typeof ENTRY_LANGUAGES)[number];

/**
 * One model for the three kinds: `title` is the FAQ question, the documentation title or the KB
 * problem; `body` the answer, description or solution; `cause` and `steps` only KB entries use.
 */
export interface KnowledgeEntriesTable {
  id: Generated<number>;
  tenant_id: number;
  kind: EntryKind;
  language: EntryLanguage;
  /** The entry this one translates (the other language); null when it has none. */
  translation_of: number | null;
  title: string;
  body: string;
  cause: string;
  steps: string;
  visibility: Visibility;
  state: EntryState;
  state_at: string;
  state_by: string;
  /** The current version's number: every save adds one. */
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  /** How often agents put it into a reply (once per ticket), and how many of those tickets were then solved. */
  used_count: Generated<number>;
  solved_count: Generated<number>;
}

export interface KnowledgeEntryTopicsTable { tenant_id: number; entry_id: number; topic_id: number }
export interface KnowledgeEntryTagsTable { tenant_id: number; entry_id: number; tag: string }
export interface KnowledgeEntryOrganisationsTable { tenant_id: number; entry_id: number; organisation_id: number }

/** Every saved text of an entry, the current one included (its number is the entry's `version`). */
export interface KnowledgeEntryVersionsTable {
  id: Generated<number>;
  tenant_id: number;
  entry_id: number;
  version: number;
  title: string;
  body: string;
  cause: string;
  steps: string;
  /** JSON array of the tags at that save. */
  tags: string;
  saved_at: string;
  saved_by: string;
}

/** A tenant's knowledge revision: bumped in the transaction of every entry change (indexes compare theirs with it). */
export interface KnowledgeRevisionsTable { tenant_id: number; revision: number }
/** The entries a revision changed: an index that is behind applies these, or rebuilds when they are pruned. */
export interface KnowledgeChangesTable { tenant_id: number; revision: number; entry_id: number }

/** The ticket an entry was taken from; the number kept so the link reads "ticket deleted" once the ticket is gone. */
export interface KnowledgeTicketOriginsTable { tenant_id: number; entry_id: number; ticket_id: number; ticket_number: string; credited_to: ColumnType<string | null, string | null | undefined, string | null> }
/** An entry that went into a ticket's reply (once per ticket); `solved` 0/1 once that ticket was solved afterwards. */
export interface KnowledgeTicketUsesTable { tenant_id: number; ticket_id: number; entry_id: number; used_at: string; solved: Generated<number> }

/** A portal user's "helpful / not helpful" (1/0) on an entry: one per person and entry. */
export interface KnowledgeVotesTable { tenant_id: number; entry_id: number; person_id: number; helpful: number; comment: string; voted_at: string }

export const FILE_TEXT_STATES = ['none', 'pending', 'done', 'failed'] as const;
export type FileTextStatus = (typeof FILE_TEXT_STATES)[number];
/** A file of an entry: its bytes in core's file store (by hash), its tags, and the text extracted from it (PDF, Word) by a job. */
export interface KnowledgeFilesTable {
  id: Generated<number>;
  tenant_id: number;
  entry_id: number;
  sha256: string;
  filename: string;
  mime_type: string;
  size: number;
  /** JSON array of the file's tags. */
  tags: string;
  text_status: FileTextStatus;
  /** The extracted text, at most FILE_TEXT_MAX characters ('' until extracted, or when there is none). */
  text: string;
  created_at: string;
  created_by: string;
}

/** The plugin's tables, declared once: the tenant scope (pluginScope<KnowledgeDB>) reaches them like the core's. */
export interface KnowledgeDB extends DB {
  knowledge_topics: KnowledgeTopicsTable;
  knowledge_entries: KnowledgeEntriesTable;
  knowledge_entry_topics: KnowledgeEntryTopicsTable;
  knowledge_entry_tags: KnowledgeEntryTagsTable;
  knowledge_entry_organisations: KnowledgeEntryOrganisationsTable;
  knowledge_entry_versions: KnowledgeEntryVersionsTable;
  knowledge_revisions: KnowledgeRevisionsTable;
  knowledge_changes: KnowledgeChangesTable;
  knowledge_ticket_origins: KnowledgeTicketOriginsTable;
  knowledge_ticket_uses: KnowledgeTicketUsesTable;
  knowledge_votes: KnowledgeVotesTable;
  knowledge_files: KnowledgeFilesTable;
}
