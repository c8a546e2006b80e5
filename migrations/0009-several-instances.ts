import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../core/db/migration-helpers.js';

/**
 * For several instances on one database (issue 17, point 7):
 * - platform operators (tenant_id null) get a unique e-mail too. The index on (tenant_id, email)
 *   does not cover them, since NULLs are distinct in a unique index; a partial index on email
 *   where tenant_id is null does, on SQLite and PostgreSQL alike (e-mails are stored lower-cased).
 *   Duplicates already there stop the migration with their addresses: merging accounts (their
 *   sessions, audit entries, tokens) is a decision for the operator, not something to do silently.
 * - `leases`: named leases with an owner and an expiry (the IMAP watcher of each mailbox).
 * - `rate_limits`: fixed-window request counters shared by every instance on PostgreSQL (the REST API
 *   budget); unlogged there.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const duplicates = await db.selectFrom('users').select(['email', sql<number>`count(*)`.as('n')])
    .where('tenant_id', 'is', null).groupBy('email').having(sql`count(*)`, '>', 1).execute();
  if (duplicates.length) {
    throw new Error(`platform operators share an e-mail address (${duplicates.map((d) => `${d.email} ×${Number(d.n)}`).join(', ')}): `
      + 'keep one account per address (change or delete the others in the database), then start again');
  }
  await db.schema.createIndex('users_operator_email').on('users').column('email').unique().where(sql.ref('tenant_id'), 'is', null).execute();

  await db.schema.createTable('leases')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  // Unlogged on PostgreSQL: a counter is written on every API request, and losing the counts in a
  // crash costs nothing, so it skips the write-ahead log (and its flush) altogether.
  let rateLimits = db.schema.createTable('rate_limits');
  if (isPostgres(db)) rateLimits = rateLimits.modifyFront(sql`unlogged`);
  await rateLimits
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('reset_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limits_reset').on('rate_limits').column('reset_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limits').ifExists().execute();
  await db.schema.dropTable('leases').ifExists().execute();
  await db.schema.dropIndex('users_operator_email').ifExists().execute();
}
