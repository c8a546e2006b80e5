import type { Kysely } from 'kysely';

// The support directory ("Kundendienst", core/directory): each staff member's own card (opt-in,
// numbers stored in E.164, a SIP address, languages, their availability, a photo from the file store)
// and per tenant the default country for phone numbers and what portal users may see.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('directory_profiles')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('listed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('job_title', 'text')
    .addColumn('phone', 'text')
    .addColumn('mobile', 'text')
    .addColumn('sip', 'text')
    .addColumn('languages', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('availability', 'text', (c) => c.notNull().defaultTo('available'))
    .addColumn('photo_file', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // The directory page and the API read a tenant's listed cards only.
  await db.schema.createIndex('directory_profiles_tenant_listed').on('directory_profiles').columns(['tenant_id', 'listed', 'user_id']).execute();

  await db.schema.createTable('directory_settings')
    .addColumn('tenant_id', 'integer', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('phone_country', 'text', (c) => c.notNull().defaultTo('DE'))
    .addColumn('portal_visible', 'integer', (c) => c.notNull().defaultTo(0))
    // Comma-separated DIRECTORY_FIELDS that portal users see besides the name.
    .addColumn('portal_fields', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('portal_callback', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('directory_settings').execute();
  await db.schema.dropTable('directory_profiles').execute();
}
