import type { Kysely } from 'kysely';

// Time spent (issue 18 point 3): minutes per reply or note, and their sum on the ticket, kept by the same
// transaction that adds the article (never summed per view).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ticket_articles').addColumn('time_spent_minutes', 'integer').execute();
  await db.schema.alterTable('tickets').addColumn('time_spent_minutes', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').dropColumn('time_spent_minutes').execute();
  await db.schema.alterTable('ticket_articles').dropColumn('time_spent_minutes').execute();
}
