import { sql, type Kysely } from 'kysely';

// "Waiting until" (issue 18 point 6): a waiting ticket may carry the instant (UTC, ISO) at which it goes back
// to its agent's queue. The minutely job 'core.waiting-wakeup' finds the due ones through the partial index
// (only tickets that have such a time are in it, so its cost follows the reminders, not the tickets).
// Staff users choose a daily digest mail of the reminders due that day; the day last sent stops a second one.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('waiting_until', 'text').execute();
  await db.schema.createIndex('tickets_waiting_until').on('tickets').columns(['waiting_until', 'status']).where(sql<boolean>`waiting_until is not null`).execute();
  await db.schema.alterTable('users').addColumn('reminder_digest', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('reminder_digest_day', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_waiting_until').execute();
  await db.schema.alterTable('tickets').dropColumn('waiting_until').execute();
  await db.schema.alterTable('users').dropColumn('reminder_digest').execute();
  await db.schema.alterTable('users').dropColumn('reminder_digest_day').execute();
}
