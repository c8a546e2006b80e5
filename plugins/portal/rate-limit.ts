import type { Generated } from 'kysely';
import { pluginScope, type DB, type Services } from '../../core/plugin-api.js';

interface PortalRateCountsTable { id: Generated<number>; tenant_id: number; key: string; window_start: string; hits: number }
interface PortalDB extends DB { portal_rate_counts: PortalRateCountsTable }

const HOUR_MS = 60 * 60 * 1000;

/** How many submissions of a kind one portal user, and one client address, may make per hour. */
export const SUBMISSION_LIMITS = {
  request: { perPerson: 10, perAddress: 30 },
  reply: { perPerson: 30, perAddress: 60 },
} as const;
export type SubmissionKind = keyof typeof SUBMISSION_LIMITS;

/**
 * Durable fixed-window counters (table portal_rate_counts), so a limit holds across restarts and
 * instances. `retryAfter` is asked before a submission, `record` after it succeeded, so a form
 * refused for a typo does not use up the user's allowance.
 */
export function submissionLimiter(services: Pick<Services, 'db' | 'clock'>, tenantId: number) {
  const scope = pluginScope<PortalDB>(services.db, tenantId);
  const keys = (kind: SubmissionKind, personId: number, address: string) => [
    { key: `${kind}:person:${personId}`, limit: SUBMISSION_LIMITS[kind].perPerson },
    { key: `${kind}:ip:${address}`, limit: SUBMISSION_LIMITS[kind].perAddress },
  ];
  return {
    /** Milliseconds until the next submission is allowed; 0 when it is. */
    async retryAfter(kind: SubmissionKind, personId: number, address: string): Promise<number> {
      const wanted = keys(kind, personId, address);
      const rows = await scope.selectFrom('portal_rate_counts').select(['key', 'window_start', 'hits'])
        .where('key', 'in', wanted.map((k) => k.key)).execute();
      const now = services.clock().getTime();
      let wait = 0;
      for (const row of rows) {
        const ends = new Date(row.window_start).getTime() + HOUR_MS;
        const limit = wanted.find((k) => k.key === row.key)!.limit;
        if (ends > now && row.hits >= limit) wait = Math.max(wait, ends - now);
      }
      return wait;
    },

    async record(kind: SubmissionKind, personId: number, address: string): Promise<void> {
      const now = services.clock();
      for (const { key } of keys(kind, personId, address)) {
        await scope.db.transaction().execute(async (trx) => {
          const inTrx = scope.withDb(trx);
          const row = await inTrx.selectFrom('portal_rate_counts').select(['id', 'window_start', 'hits'])
            .where('key', '=', key).executeTakeFirst();
          if (!row) {
            await inTrx.insertInto('portal_rate_counts', { key, window_start: now.toISOString(), hits: 1 })
              .onConflict((oc) => oc.columns(['tenant_id', 'key']).doUpdateSet((eb) => ({ hits: eb(eb.ref('portal_rate_counts.hits'), '+', 1) })))
              .execute();
          } else if (new Date(row.window_start).getTime() + HOUR_MS <= now.getTime()) {
            await inTrx.updateTable('portal_rate_counts').set({ window_start: now.toISOString(), hits: 1 }).where('id', '=', row.id).execute();
          } else {
            await inTrx.updateTable('portal_rate_counts').set((eb) => ({ hits: eb('hits', '+', 1) })).where('id', '=', row.id).execute();
          }
        });
      }
    },
  };
}
