import type { Kysely } from 'kysely';
import { withId } from '../core/db/migration-helpers.js';

// The reply composer (issue 18 point 3). An article keeps the markdown the agent wrote beside the safe HTML and the
// plain text made from it (older articles have none and show as before), and the CC/BCC addresses its mail went to.
// Drafts: one per ticket and agent, saved while typing, so a reload or another device finds the text again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ticket_articles').addColumn('body_markdown', 'text').execute();
  await db.schema.alterTable('ticket_articles').addColumn('cc', 'text').execute();
  await db.schema.alterTable('ticket_articles').addColumn('bcc', 'text').execute();
  await withId(db, db.schema.createTable('ticket_reply_drafts'))
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('reply'))
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('cc', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('bcc', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status_after', 'text', (c) => c.notNull().defaultTo(''))
    // JSON [{sha256, filename, size}]: files already in the file store, attached when the reply is sent.
    .addColumn('attachments', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // One draft per ticket and agent; the page reads it by exactly these.
  await db.schema.createIndex('ticket_reply_drafts_owner').on('ticket_reply_drafts').columns(['tenant_id', 'ticket_id', 'user_id']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ticket_reply_drafts').execute();
  await db.schema.alterTable('ticket_articles').dropColumn('bcc').execute();
  await db.schema.alterTable('ticket_articles').dropColumn('cc').execute();
  await db.schema.alterTable('ticket_articles').dropColumn('body_markdown').execute();
}
