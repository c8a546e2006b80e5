import { sql, type Kysely } from 'kysely';
import type { DB, Ticket, TicketStatus } from '../db/schema.js';
import type { Dialect } from '../db/create-database.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { chunks } from '../db/chunks.js';

// The per-tenant ticket counters (migration 0016, table ticket_live_counts): live tickets per
// status, assignee (0: none) and support group (0: none). They move in the transaction of every
// ticket change (finish in ticket-unit.ts calls moveTicketCounters) and are recounted by the job
// 'core.ticket-counters-recount'; ticket-counts.ts reads them (queue tabs, dashboard, list totals).
// Each change adds and subtracts with `tickets = tickets + n` upserts, never a read and a write, so
// parallel changes on PostgreSQL cannot lose one another's counts; the rows are written in one
// sorted order, so two changes crossing the same rows in opposite directions never deadlock. Ticket
// changes hold a shared advisory lock of the tenant and the recount an exclusive one (as the hotline
// aggregate does), so a recount neither misses nor doubles a change committing while it reads.

const LOCK_SPACE = 0x5443; // 'TC'

/** What a ticket counts for: its status, assignee and group; nothing while deleted. */
export type CountedFields = Pick<Ticket, 'status' | 'assignee_id' | 'group_id' | 'deleted_at'>;

/** One counter row's key, as stored: status, assignee (0: none), group (0: none). */
export interface CounterKey { status: TicketStatus; assignee_id: number; group_id: number }

/** The counters as a map from 'status|assignee|group' to tickets (rows at zero left out). */
export type CounterMap = Map<string, number>;

const keyOf = (row: CountedFields): CounterKey | undefined =>
  row.deleted_at ? undefined : { status: row.status as TicketStatus, assignee_id: row.assignee_id ?? 0, group_id: row.group_id ?? 0 };
const text = (key: CounterKey) => `${key.status}|${key.assignee_id}|${key.group_id}`;

/**
 * Inside a ticket's transaction, after its row was saved: moves the ticket from the counter it
 * counted for (`before`, the row as it was; undefined for a new ticket) to the one it counts for now.
 * Reads the saved row back (by primary key), so no step can change a counted field unseen.
 */
export async function moveTicketCounters(trx: Kysely<DB>, dialect: Dialect, tenantId: number, ticketId: number, before: CountedFields | undefined): Promise<void> {
  const after = await tenantScope(trx, tenantId).selectFrom('tickets').select(['status', 'assignee_id', 'group_id', 'deleted_at']).where('id', '=', ticketId).executeTakeFirstOrThrow();
  const from = before ? keyOf(before) : undefined;
  const to = keyOf(after);
  if (from && to && text(from) === text(to)) return;
  const delta: Array<[CounterKey, number]> = [];
  if (from) delta.push([from, -1]);
  if (to) delta.push([to, 1]);
  if (delta.length === 0) return;
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock_shared(${LOCK_SPACE}, ${tenantId})`.execute(trx);
  delta.sort(([a], [b]) => compareKeys(a, b));
  for (const [key, n] of delta) {
    await trx.insertInto('ticket_live_counts').values({ tenant_id: tenantId, ...key, tickets: n })
      .onConflict((oc) => oc.columns(['tenant_id', 'status', 'assignee_id', 'group_id']).doUpdateSet({ tickets: sql`ticket_live_counts.tickets + excluded.tickets` }))
      .execute();
  }
}

/**
 * Many tickets' moves in one transaction (bulk changes): each ticket's move from its row before to its row
 * after is summed per counter row, and the sums are written once (rows at a net zero skipped), so 100
 * tickets cost a few upserts instead of three statements each. Same lock and row order as a single move.
 */
export class CounterMoves {
  readonly #delta = new Map<string, [CounterKey, number]>();

  add(before: CountedFields | undefined, after: CountedFields): void {
    const from = before ? keyOf(before) : undefined;
    const to = keyOf(after);
    if (from && to && text(from) === text(to)) return;
    for (const [key, n] of [[from, -1], [to, 1]] as const) {
      if (!key) continue;
      const entry = this.#delta.get(text(key)) ?? [key, 0];
      entry[1] += n;
      this.#delta.set(text(key), entry);
    }
  }

  async write(trx: Kysely<DB>, dialect: Dialect, tenantId: number): Promise<void> {
    const delta = [...this.#delta.values()].filter(([, n]) => n !== 0).sort(([a], [b]) => compareKeys(a, b));
    this.#delta.clear();
    if (delta.length === 0) return;
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock_shared(${LOCK_SPACE}, ${tenantId})`.execute(trx);
    for (const [key, n] of delta) {
      await trx.insertInto('ticket_live_counts').values({ tenant_id: tenantId, ...key, tickets: n })
        .onConflict((oc) => oc.columns(['tenant_id', 'status', 'assignee_id', 'group_id']).doUpdateSet({ tickets: sql`ticket_live_counts.tickets + excluded.tickets` }))
        .execute();
    }
  }
}

function compareKeys(a: CounterKey, b: CounterKey): number {
  return a.status < b.status ? -1 : a.status > b.status ? 1 : a.assignee_id - b.assignee_id || a.group_id - b.group_id;
}

/** The counters counted afresh from the tickets (nothing written). */
export async function recountTicketCounters(db: Kysely<DB>, tenantId: number): Promise<CounterMap> {
  const rows = await tenantScope(db, tenantId).selectFrom('tickets')
    .select(['status', sql<number>`coalesce(assignee_id, 0)`.as('assignee_id'), sql<number>`coalesce(group_id, 0)`.as('group_id'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('deleted_at', 'is', null).groupBy(['status', sql`coalesce(assignee_id, 0)`, sql`coalesce(group_id, 0)`]).execute();
  return new Map(rows.map((row) => [text({ status: row.status, assignee_id: Number(row.assignee_id), group_id: Number(row.group_id) }), Number(row.n)]));
}

/** The counters as stored (rows at zero left out). */
export async function storedTicketCounters(db: Kysely<DB>, tenantId: number): Promise<CounterMap> {
  const rows = await tenantScope(db, tenantId).selectFrom('ticket_live_counts').select(['status', 'assignee_id', 'group_id', 'tickets']).where('tickets', '!=', 0).execute();
  return new Map(rows.map((row) => [text(row), Number(row.tickets)]));
}

/**
 * Counts a tenant's tickets afresh and replaces its counters in one transaction (holding the
 * tenant's exclusive lock on PostgreSQL). Returns how many counters differed from the recount.
 */
export async function rebuildTicketCounters(db: Kysely<DB>, dialect: Dialect, tenantId: number, now: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${LOCK_SPACE}, ${tenantId})`.execute(trx);
    const [counted, stored] = await Promise.all([recountTicketCounters(trx, tenantId), storedTicketCounters(trx, tenantId)]);
    let differing = 0;
    for (const key of new Set([...counted.keys(), ...stored.keys()])) if ((counted.get(key) ?? 0) !== (stored.get(key) ?? 0)) differing++;
    const scoped = tenantScope(trx, tenantId);
    await scoped.deleteFrom('ticket_live_counts').execute();
    const rows = [...counted].map(([key, tickets]) => {
      const [status, assignee, group] = key.split('|');
      return { status: status as TicketStatus, assignee_id: Number(assignee), group_id: Number(group), tickets };
    });
    for (const chunk of chunks(rows)) await scoped.insertInto('ticket_live_counts', chunk).execute();
    await scoped.deleteFrom('ticket_count_builds').execute();
    await scoped.insertInto('ticket_count_builds', { recounted_at: now }).execute();
    return differing;
  });
}

/**
 * The job's pass: recounts each tenant never recounted or not for `maxAgeMs` (a daily recount heals
 * whatever a change outside the ticket service, such as a bulk import, left behind). Returns the
 * tenants recounted with how many counters were off.
 */
export async function recountStaleTicketCounters(db: Kysely<DB>, dialect: Dialect, now: Date, maxAgeMs = 24 * 3_600_000): Promise<Array<{ tenantId: number; differing: number }>> {
  const tenants = await db.selectFrom('tenants').leftJoin('ticket_count_builds', 'ticket_count_builds.tenant_id', 'tenants.id')
    .select(['tenants.id', 'ticket_count_builds.recounted_at']).orderBy('tenants.id').execute();
  const recounted: Array<{ tenantId: number; differing: number }> = [];
  for (const tenant of tenants) {
    if (tenant.recounted_at && Date.parse(tenant.recounted_at) > now.getTime() - maxAgeMs) continue;
    recounted.push({ tenantId: tenant.id, differing: await rebuildTicketCounters(db, dialect, tenant.id, now.toISOString()) });
  }
  return recounted;
}
