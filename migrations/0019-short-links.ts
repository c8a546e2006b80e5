import type { Kysely } from 'kysely';

// Short links (issue 18 point 10): a link in a mail carries an opaque random token of 32 characters that the
// server looks up here, instead of a signed JWT of ~300. Only the token's SHA-256 is stored (a copy of the table
// opens no link); what the link is for lives in the row.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('link_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'integer', (c) => c.references('tenants.id').onDelete('cascade'))
    .addColumn('extra', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  // The hourly cleanup removes expired links by this.
  await db.schema.createIndex('link_tokens_expires').on('link_tokens').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('link_tokens').execute();
}
