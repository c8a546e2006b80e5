import type { Kysely } from 'kysely';

// Each tenant renders and reads dates in its own IANA zone; existing tenants keep Berlin.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tenants').addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Europe/Berlin')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tenants').dropColumn('time_zone').execute();
}
