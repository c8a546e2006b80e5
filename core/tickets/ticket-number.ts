import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/**
 * The next readable ticket number of a tenant, e.g. 2026-000123. Call inside the
 * transaction that inserts the ticket: the counter row is locked until commit, so
 * numbers never repeat, and a rolled-back ticket gives its number back.
 */
export async function nextTicketNumber(trx: Kysely<DB>, tenantId: number, now: Date): Promise<string> {
  const year = now.getUTCFullYear();
  const row = await trx.insertInto('ticket_counters').values({ tenant_id: tenantId, year, last_value: 1 })
    .onConflict((oc) => oc.columns(['tenant_id', 'year']).doUpdateSet({ last_value: sql`ticket_counters.last_value + 1` }))
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return `${year}-${String(row.last_value).padStart(6, '0')}`;
}
