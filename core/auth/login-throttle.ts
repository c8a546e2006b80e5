import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { addMs, type Clock } from '../time.js';

const WINDOW_MS = 15 * 60 * 1000;
const FREE_FAILURES = 5;
const MAX_LOCK_MS = 15 * 60 * 1000;

/**
 * Counts failed sign-ins per key (account and client address). After five failures in
 * fifteen minutes every further failure locks the key for twice as long, up to 15 minutes.
 */
export function createLoginThrottle(db: Kysely<DB>, clock: Clock) {
  return {
    /** Milliseconds the caller must wait, 0 when a try is allowed. */
    async retryAfter(keys: string[]): Promise<number> {
      const rows = await db.selectFrom('login_attempts').select(['locked_until']).where('key', 'in', keys).execute();
      const now = clock().getTime();
      return Math.max(0, ...rows.map((r) => (r.locked_until ? new Date(r.locked_until).getTime() - now : 0)));
    },

    async recordFailure(keys: string[]): Promise<void> {
      const now = clock();
      for (const key of keys) {
        await db.transaction().execute(async (trx) => {
          const row = await trx.selectFrom('login_attempts').selectAll().where('key', '=', key).executeTakeFirst();
          const fresh = !row || addMs(new Date(row.window_start), WINDOW_MS) <= now;
          const failures = fresh ? 1 : row.failures + 1;
          const lockMs = failures > FREE_FAILURES ? Math.min(MAX_LOCK_MS, 1000 * 2 ** (failures - FREE_FAILURES)) : 0;
          const values = {
            failures,
            window_start: fresh ? now.toISOString() : row.window_start,
            locked_until: lockMs ? addMs(now, lockMs).toISOString() : null,
          };
          if (row) await trx.updateTable('login_attempts').set(values).where('key', '=', key).execute();
          else await trx.insertInto('login_attempts').values({ key, ...values }).execute();
        });
      }
    },

    async recordSuccess(keys: string[]): Promise<void> {
      await db.deleteFrom('login_attempts').where('key', 'in', keys).execute();
    },
  };
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
