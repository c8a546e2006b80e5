import type { Kysely, Migration } from 'kysely';
import { withId } from '../../core/plugin-api.js';

/** '0003-connect-remote-sessions': remote-support sessions on tickets, their secret sealed, wiped by a job. */
export const remoteSessionsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await withId(db, db.schema.createTable('connect_remote_sessions'))
      .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
      .addColumn('tool', 'text', (c) => c.notNull())
      .addColumn('remote_id', 'text', (c) => c.notNull())
      .addColumn('secret_sealed', 'text')
      .addColumn('valid_until', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('created_by_label', 'text', (c) => c.notNull())
      .addColumn('wiped_at', 'text')
      .addColumn('wipe_reason', 'text')
      .execute();
    // The ticket panel and the API list a ticket's sessions; the wipe job walks the validity of the tenant's sessions.
    await db.schema.createIndex('connect_remote_sessions_ticket').on('connect_remote_sessions').columns(['tenant_id', 'ticket_id']).execute();
    await db.schema.createIndex('connect_remote_sessions_valid').on('connect_remote_sessions').columns(['tenant_id', 'valid_until']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('connect_remote_sessions').execute();
  },
};
