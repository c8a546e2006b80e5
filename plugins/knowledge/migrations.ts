import type { Kysely, Migration } from 'kysely';
import { withId } from '../../core/plugin-api.js';

const tenant = (c: any) => c.notNull().references('tenants.id').onDelete('cascade');
const entry = (c: any) => c.notNull().references('knowledge_entries.id').onDelete('cascade');

/** Run in name order, recorded in kysely_migration_knowledge; never edit one that has shipped, add the next. */
export const knowledgeMigrations: Record<string, Migration> = {
  '0001-knowledge': {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db, db.schema.createTable('knowledge_topics'))
        .addColumn('tenant_id', 'integer', tenant)
        .addColumn('parent_id', 'integer', (c) => c.references('knowledge_topics.id'))
        .addColumn('name_de', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('knowledge_topics_tenant').on('knowledge_topics').columns(['tenant_id', 'position']).execute();

      await withId(db, db.schema.createTable('knowledge_entries'))
        .addColumn('tenant_id', 'integer', tenant)
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('translation_of', 'integer', (c) => c.references('knowledge_entries.id').onDelete('set null'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('cause', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('steps', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('visibility', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('state_at', 'text', (c) => c.notNull())
        .addColumn('state_by', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
      // No index here starts with tenant_id: SQLite (without statistics) would prefer one to the primary key for
      // the scope's `tenant_id = ? and id in (…)`, reading a whole tenant to fetch a page of search hits.
      await db.schema.createIndex('knowledge_entries_updated').on('knowledge_entries').columns(['updated_at', 'tenant_id']).execute();

      await db.schema.createTable('knowledge_entry_topics')
        .addColumn('tenant_id', 'integer', tenant)
        .addColumn('entry_id', 'integer', entry)
        // No cascade: a topic in use cannot be deleted (the service says how often it is used).
        .addColumn('topic_id', 'integer', (c) => c.notNull().references('knowledge_topics.id'))
        .addPrimaryKeyConstraint('knowledge_entry_topics_pk', ['entry_id', 'topic_id'])
        .execute();
      await db.schema.createIndex('knowledge_entry_topics_topic').on('knowledge_entry_topics').columns(['topic_id', 'tenant_id']).execute();

      await db.schema.createTable('knowledge_entry_tags')
        .addColumn('tenant_id', 'integer', tenant)
        .addColumn('entry_id', 'integer', entry)
        .addColumn('tag', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('knowledge_entry_tags_pk', ['entry_id', 'tag'])
        .execute();

      await db.schema.createTable('knowledge_entry_organisations')
        .addColumn('tenant_id', 'integer', tenant)
        .addColumn('entry_id', 'integer', entry)
        .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('knowledge_entry_organisations_pk', ['entry_id', 'organisation_id'])
        .execute();

      await withId(db, db.schema.createTable('knowledge_entry_versions'))
        .addColumn('tenant_id', 'integer', tenant)
        .addColumn('entry_id', 'integer', entry)
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('cause', 'text', (c) => c.notNull())
        .addColumn('steps', 'text', (c) => c.notNull())
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('saved_at', 'text', (c) => c.notNull())
        .addColumn('saved_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('knowledge_entry_versions_entry').on('knowledge_entry_versions').columns(['entry_id', 'version']).unique().execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['knowledge_entry_versions', 'knowledge_entry_organisations', 'knowledge_entry_tags', 'knowledge_entry_topics', 'knowledge_entries', 'knowledge_topics']) {
        await db.schema.dropTable(table).execute();
      }
    },
  },
  '0002-knowledge-revisions': {
    async up(db: Kysely<unknown>): Promise<void> {
      // One row per tenant: bumped in the transaction of every entry change, so every instance's index can tell it is behind.
      await db.schema.createTable('knowledge_revisions')
        .addColumn('tenant_id', 'integer', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
        .addColumn('revision', 'integer', (c) => c.notNull())
        .execute();
      // Which entries each revision changed (no foreign key: a removed entry's change must stay readable).
      await db.schema.createTable('knowledge_changes')
        .addColumn('tenant_id', 'integer', tenant)
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('entry_id', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('knowledge_changes_pk', ['tenant_id', 'revision', 'entry_id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('knowledge_changes').execute();
      await db.schema.dropTable('knowledge_revisions').execute();
    },
  },
  '0003-knowledge-tickets': {
    async up(db: Kysely<unknown>): Promise<void> {
      // How often agents put an entry into a reply, and how often a ticket it went into was then solved.
      await db.schema.alterTable('knowledge_entries').addColumn('used_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('knowledge_entries').addColumn('solved_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      // The ticket an entry was taken from. No foreign key to tickets: the link outlives the ticket ("ticket deleted").
      await db.schema.createTable('knowledge_ticket_origins')
        .addColumn('tenant_id', 'integer', tenant)
        .addColumn('entry_id', 'integer', (c) => c.primaryKey().references('knowledge_entries.id').onDelete('cascade'))
        .addColumn('ticket_id', 'integer', (c) => c.notNull())
        .addColumn('ticket_number', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('knowledge_ticket_origins_ticket').on('knowledge_ticket_origins').columns(['ticket_id', 'tenant_id']).execute();
      // Which entries went into a ticket's replies (once each); `solved` once the ticket was solved after it.
      await db.schema.createTable('knowledge_ticket_uses')
        .addColumn('tenant_id', 'integer', tenant)
        .addColumn('ticket_id', 'integer', (c) => c.notNull())
        .addColumn('entry_id', 'integer', entry)
        .addColumn('used_at', 'text', (c) => c.notNull())
        .addColumn('solved', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('knowledge_ticket_uses_pk', ['ticket_id', 'entry_id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('knowledge_ticket_uses').execute();
      await db.schema.dropTable('knowledge_ticket_origins').execute();
      await db.schema.alterTable('knowledge_entries').dropColumn('solved_count').execute();
      await db.schema.alterTable('knowledge_entries').dropColumn('used_count').execute();
    },
  },
  '0004-knowledge-votes': {
    async up(db: Kysely<unknown>): Promise<void> {
      // "Was this helpful?": one vote per portal user and entry (voting again changes it), with an optional comment.
      await db.schema.createTable('knowledge_votes')
        .addColumn('tenant_id', 'integer', tenant)
        .addColumn('entry_id', 'integer', entry)
        .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
        .addColumn('helpful', 'integer', (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('voted_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('knowledge_votes_pk', ['entry_id', 'person_id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('knowledge_votes').execute();
    },
  },
  '0005-knowledge-files': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Files of an entry (bytes in core's file store by hash), with tags and the text extracted from PDF and Word files.
      await withId(db, db.schema.createTable('knowledge_files'))
        .addColumn('tenant_id', 'integer', tenant)
        .addColumn('entry_id', 'integer', entry)
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('filename', 'text', (c) => c.notNull())
        .addColumn('mime_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
        // none (nothing to extract), pending (the job will), done, failed (could not be read: the file stays, unsearched).
        .addColumn('text_status', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('knowledge_files_entry').on('knowledge_files').columns(['entry_id', 'tenant_id']).execute();
      await db.schema.createIndex('knowledge_files_pending').on('knowledge_files').columns(['text_status', 'tenant_id']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('knowledge_files').execute();
    },
  },
  '0006-knowledge-origin-credit': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Who is credited with an entry taken from a ticket (e.g. the submitter of an accepted proposal): shown to staff
      // beside the origin; null when nobody is named (an anonymous proposal, an entry an agent drafted).
      await db.schema.alterTable('knowledge_ticket_origins').addColumn('credited_to', 'text').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('knowledge_ticket_origins').dropColumn('credited_to').execute();
    },
  },
};
