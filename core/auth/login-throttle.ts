import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { addMs, type Clock } from '../time.js';

const WINDOW_MS = 15 * 60 * 1000;
const MAX_DELAY_MS = 15 * 60 * 1000;

/**
 * How many failures a key may have in the window before each further one makes it wait (1 s, 2 s,
 * 4 s … up to 15 minutes). A client address gets more: several people may share one (an office
 * behind NAT), and it only slows that address, never an account.
 */
function freeFailures(key: string): number {
  return key.startsWith('ip:') ? 20 : 5;
}

/**
 * The keys one sign-in attempt counts against: the account as tried from this address, and the
 * address alone. Never the account alone: failures from an attacker's address must not keep the
 * account's owner out at another address.
 */
export function signInKeys(kind: string, account: string, ip: string): [pair: string, address: string] {
  return [`${kind}:${account}@${ip}`, `ip:${ip}`];
}

/**
 * Counts failed sign-ins per key in the database (so several instances share the count), one
 * atomic upsert per key: concurrent failures are each counted and none fails on a duplicate row.
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
      const nowIso = now.toISOString();
      const windowOpenedAfter = addMs(now, -WINDOW_MS).toISOString();
      for (const key of keys) {
        // A window older than WINDOW_MS starts afresh with this failure.
        const stale = sql<boolean>`login_attempts.window_start <= ${windowOpenedAfter}`;
        const { failures } = await db.insertInto('login_attempts')
          .values({ key, failures: 1, window_start: nowIso, locked_until: null })
          .onConflict((oc) => oc.column('key').doUpdateSet({
            failures: sql<number>`case when ${stale} then 1 else login_attempts.failures + 1 end`,
            window_start: sql<string>`case when ${stale} then ${nowIso} else login_attempts.window_start end`,
          }))
          .returning('failures')
          .executeTakeFirstOrThrow();
        const over = Number(failures) - freeFailures(key);
        if (over <= 0) continue;
        const until = addMs(now, Math.min(MAX_DELAY_MS, 1000 * 2 ** Math.min(over - 1, 20))).toISOString();
        // Only ever later: a slower concurrent writer never shortens another's delay.
        await db.updateTable('login_attempts').set({ locked_until: until })
          .where('key', '=', key).where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', until)])).execute();
      }
    },

    /** A correct password clears the account-from-this-address key (never the address's: one good account must not wipe an attacker's count). */
    async recordSuccess(keys: string[]): Promise<void> {
      await db.deleteFrom('login_attempts').where('key', 'in', keys.filter((key) => !key.startsWith('ip:'))).execute();
    },
  };
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
