import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../time.js';

/** Names this process in leases (jobs, workers): host and pid say which instance holds what; the suffix tells restarts apart. */
export function processOwner(): string {
  return `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
}

/**
 * Named leases in the database, for work that one instance of several should do at a time (the IMAP
 * watcher of a mailbox): taken when free or expired, renewed while held (every `ttlMs / 3` is the
 * rule), so another instance takes over within `ttlMs` of the holder's death. Each call is one
 * statement; the conditional upsert lets exactly one contender win.
 */
export function createLeases(db: Kysely<DB>, clock: Clock, options: { owner: string; ttlMs: number }) {
  const { owner, ttlMs } = options;
  const expiry = () => new Date(clock().getTime() + ttlMs).toISOString();
  return {
    owner,
    ttlMs,

    /** Takes the lease when it is free, expired or already ours (then it is renewed); true when we hold it. */
    async acquire(key: string): Promise<boolean> {
      const now = clock().toISOString();
      const row = await db.insertInto('leases').values({ key, owner, expires_at: expiry() })
        .onConflict((oc) => oc.column('key')
          .doUpdateSet((eb) => ({ owner: eb.ref('excluded.owner'), expires_at: eb.ref('excluded.expires_at') }))
          .where((eb) => eb.or([eb('leases.expires_at', '<=', now), eb('leases.owner', '=', owner)])))
        .returning('owner')
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Extends a lease we hold; false when it is no longer ours (expired and taken over, or released). */
    async renew(key: string): Promise<boolean> {
      const result = await db.updateTable('leases').set({ expires_at: expiry() }).where('key', '=', key).where('owner', '=', owner).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async release(key: string): Promise<void> {
      await db.deleteFrom('leases').where('key', '=', key).where('owner', '=', owner).execute();
    },

    /** The live holder of a lease (anyone's), if any. */
    async holder(key: string): Promise<string | undefined> {
      const row = await db.selectFrom('leases').select('owner').where('key', '=', key).where('expires_at', '>', clock().toISOString()).executeTakeFirst();
      return row?.owner;
    },
  };
}
export type Leases = ReturnType<typeof createLeases>;
