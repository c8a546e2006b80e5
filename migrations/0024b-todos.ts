import { sql, type Kysely } from 'kysely';
import { withId } from '../core/db/migration-helpers.js';

// Personal to-dos (issue 18 point 6): a staff user's own list, each with an optional due time, an optional
// ticket of the same tenant, and whether its reminder also goes by mail. Only the owner reads them; the list
// reads (tenant, user, done, due). The minutely job 'core.todo-reminders' finds the due ones through the
// partial index (open, not yet reminded, with a due time).
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('todos'))
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text')
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('remind_by_mail', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done_at', 'text')
    .addColumn('reminded_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('todos_owner').on('todos').columns(['tenant_id', 'user_id', 'done_at', 'due_at']).execute();
  await db.schema.createIndex('todos_due').on('todos').column('due_at').where(sql<boolean>`due_at is not null and reminded_at is null and done_at is null`).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('todos').execute();
}
