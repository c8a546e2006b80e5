import pg from 'pg';
import type { Database } from '../db/create-database.js';

/** The advisory lock's key: one number per database, shared by every Tresen instance ("tresen" in ASCII). */
export const STARTUP_LOCK_KEY = '127953310590318';

/**
 * Runs `work` while no other instance runs its own: the migrations and the first start, so that
 * instances started together migrate once and seed one operator and one demo tenant; the others
 * wait, then find the work done.
 *
 * PostgreSQL: a session advisory lock on a connection of its own (a pooled connection would lend the
 * lock to whatever query borrows it next, and the unlock might run on another one). It is released
 * when `work` ends, and by the server when the process dies, since its connection closes.
 *
 * SQLite needs none: the migrator runs in a transaction that our driver begins immediate, so a second
 * process on the same file waits for the write lock and then finds the migrations applied; and a SQLite
 * file is served by one process (a second one racing through the first start would hit the unique
 * indexes on tenant slugs and e-mails, and stop, rather than seed twice).
 */
export async function withStartupLock<T>(database: Pick<Database, 'dialect' | 'url'>, work: () => Promise<T>): Promise<T> {
  if (database.dialect !== 'postgres') return work();
  const client = new pg.Client({ connectionString: database.url });
  // A lost connection surfaces as an error of the query under way; without a listener it would end the process.
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`select pg_advisory_lock(${STARTUP_LOCK_KEY})`);
    try {
      return await work();
    } finally {
      await client.query(`select pg_advisory_unlock(${STARTUP_LOCK_KEY})`).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}
