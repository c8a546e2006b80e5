import type { Kysely } from 'kysely';

// Issue 18 point 1: every ticket carries a version, a counter the ticket service raises in the transaction of each
// change (ticket-unit.ts). A form sends the version it shows; a save against a newer one is checked against the
// history lines written since, which carry the version they produced (older lines have none).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('ticket_history').addColumn('version', 'integer').execute();
  // "What changed since version N" reads one ticket's newest lines.
  await db.schema.createIndex('ticket_history_ticket_version').on('ticket_history').columns(['ticket_id', 'version']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('ticket_history_ticket_version').execute();
  await db.schema.alterTable('ticket_history').dropColumn('version').execute();
  await db.schema.alterTable('tickets').dropColumn('version').execute();
}
