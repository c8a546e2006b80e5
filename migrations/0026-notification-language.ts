import type { Kysely } from 'kysely';

// Notifications in the reader's language (issue 18 point 9): a notification keeps the message key and its
// parameters (JSON) beside the line it was written with, and the list renders the key in the reader's current
// language. Rows from before keep `message` null and show their stored line.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notifications').addColumn('message', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notifications').dropColumn('message').execute();
}
