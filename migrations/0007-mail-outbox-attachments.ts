import type { Kysely } from 'kysely';

// Attachments of an outgoing mail (a calendar entry, for example) are kept with it, so a mail
// delivered later (SMTP configured afterwards, a retry after a restart) still carries them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').addColumn('attachments', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').dropColumn('attachments').execute();
}
