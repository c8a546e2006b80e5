import type { Kysely } from 'kysely';

// Licence seats (issue 14 point 2): the operator's limits per tenant, and each tenant day's peak of
// people signed in. A session counts as "signed in" while its last_seen_at (touched at most once a
// minute) lies within the tenant's window; the index serves that count per tenant.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('licence_seats')
    .addColumn('tenant_id', 'integer', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('agent_seats', 'integer')
    .addColumn('portal_seats', 'integer')
    .addColumn('portal_policy', 'text', (c) => c.notNull().defaultTo('refuse'))
    .addColumn('window_minutes', 'integer', (c) => c.notNull().defaultTo(15))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('licence_seat_peaks')
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('agents_peak', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('portal_peak', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('licence_seat_peaks_pk', ['tenant_id', 'day'])
    .execute();

  // Covering: the count of signed-in people reads the index only, never the session rows.
  await db.schema.createIndex('sessions_tenant_seen').on('sessions').columns(['tenant_id', 'last_seen_at', 'expires_at', 'user_id', 'person_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sessions_tenant_seen').execute();
  await db.schema.dropTable('licence_seat_peaks').execute();
  await db.schema.dropTable('licence_seats').execute();
}
