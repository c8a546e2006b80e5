import type { Kysely } from 'kysely';

// Signatures (issue 18 point 3): a personal one per agent and one per support group, both with placeholders.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('signature', 'text').execute();
  await db.schema.alterTable('support_groups').addColumn('signature', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('support_groups').dropColumn('signature').execute();
  await db.schema.alterTable('users').dropColumn('signature').execute();
}
