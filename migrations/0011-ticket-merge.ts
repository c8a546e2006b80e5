import type { Kysely } from 'kysely';

// A ticket closed by merging it into another ('merged', with the survivor in merged_into_id) or as spam
// ('spam'); null for every other close. Mail matching follows merged_into_id to the survivor, and the
// survey skips both kinds of close.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('close_reason', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('merged_into_id', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').dropColumn('merged_into_id').execute();
  await db.schema.alterTable('tickets').dropColumn('close_reason').execute();
}
