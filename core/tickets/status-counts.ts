import type { TicketStatus } from '../db/schema.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

/** Closed tickets are the archive: counting them would read most of the table on every visit. */
export const COUNTED_STATUSES: readonly TicketStatus[] = ['new', 'open', 'waiting', 'solved'];

/** The tenant's tickets (not deleted) per status in COUNTED_STATUSES, right now: the dashboard's tiles and the statistics' first panel. */
export async function countTicketsByStatus(scope: TenantScope): Promise<Map<TicketStatus, number>> {
  const rows = await scope.selectFrom('tickets').select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', COUNTED_STATUSES).where('deleted_at', 'is', null).groupBy('status').execute();
  return new Map(COUNTED_STATUSES.map((status) => [status, Number(rows.find((row) => row.status === status)?.n ?? 0)]));
}
