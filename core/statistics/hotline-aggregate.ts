import { sql, type Kysely } from 'kysely';
import type { DB, Ticket } from '../db/schema.js';
import type { Dialect } from '../db/create-database.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { enqueueJob } from '../jobs/job-queue.js';
import { addContributions, contributionRows, dayKey, nowKey, zoneDays, type Contributions, type CountedChange, type CountedTicket, type HotlineMeasure } from './hotline-contributions.js';
import { chunks } from '../db/chunks.js';

// The hotline aggregate's writes: the change inside a ticket's transaction, and the rebuild
// (job 'core.hotline-rebuild'). On PostgreSQL ticket changes hold a shared advisory lock of the
// tenant and the rebuild an exclusive one, so a rebuild never misses nor doubles a change that
// commits while it reads; SQLite has one writer at a time anyway.

const LOCK_SPACE = 0x484c; // 'HL'
const TICKETS_PER_CHUNK = 2000;

/** The history lines the aggregate replays: status and group changes, oldest first. */
const COUNTED_FIELDS = ['status', 'group_id'];

/** Whether a change can move the aggregate: a new ticket, a status or group change, a delete or restore. */
export function movesHotline(created: boolean, lines: ReadonlyArray<{ action: string; field?: string | null | undefined }>): boolean {
  return created || lines.some((line) => COUNTED_FIELDS.includes(line.field ?? '') || line.action === 'deleted' || line.action === 'restored');
}

/** One ticket's change for the aggregate: `before` is the row as it was (undefined for a new ticket), `lines` this change's history. */
export interface HotlineChange { ticketId: number; before: Ticket | undefined; lines: readonly CountedChange[] }

/**
 * Inside the tickets' transaction, after their rows were saved and before the changes' history is
 * written: adds what each ticket counts for now and takes away what it counted for before. One read of
 * the rows, one of the earlier history and one write for all of them (a bulk change passes its batch).
 */
export async function updateHotline(trx: Kysely<DB>, dialect: Dialect, tenantId: number, zone: string, changes: readonly HotlineChange[]): Promise<void> {
  if (changes.length === 0) return;
  const scoped = tenantScope(trx, tenantId);
  const rows = await scoped.selectFrom('tickets').select(['id', 'created_at', 'status', 'group_id', 'deleted_at']).where('id', 'in', changes.map((c) => c.ticketId)).execute();
  const after = new Map(rows.map((row) => [row.id, row]));
  const changed = changes.filter((c) => c.before).map((c) => c.ticketId);
  const earlier = changed.length ? await historyOf(trx, tenantId, changed) : new Map<number, CountedChange[]>();
  const delta: Contributions = new Map();
  const dayOf = zoneDays(zone);
  for (const { ticketId, before, lines } of changes) {
    const old = earlier.get(ticketId) ?? [];
    if (before) addContributions(delta, before, old, dayOf, -1);
    addContributions(delta, after.get(ticketId)!, [...old, ...lines.filter((line) => COUNTED_FIELDS.includes(line.field ?? ''))], dayOf, 1);
  }
  if (delta.size === 0) return;
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock_shared(${LOCK_SPACE}, ${tenantId})`.execute(trx);
  await writeRows(trx, tenantId, delta, true);
}

/** History rows (ordered by ticket, then id) grouped per ticket. */
function byTicket(rows: ReadonlyArray<CountedChange & { ticket_id: number }>): Map<number, CountedChange[]> {
  const grouped = new Map<number, CountedChange[]>();
  for (const row of rows) {
    const list = grouped.get(row.ticket_id) ?? [];
    list.push(row);
    grouped.set(row.ticket_id, list);
  }
  return grouped;
}

async function historyOf(db: Kysely<DB>, tenantId: number, ticketIds: readonly number[]): Promise<Map<number, CountedChange[]>> {
  const rows = await tenantScope(db, tenantId).selectFrom('ticket_history')
    .select(['ticket_id', 'action', 'field', 'old_value', 'new_value', 'created_at'])
    .where('ticket_id', 'in', ticketIds).where('field', 'in', COUNTED_FIELDS).orderBy('ticket_id').orderBy('id').execute();
  return byTicket(rows);
}

/** Adds (increment) or inserts rows; sorted keys, so concurrent writers lock rows in one order. */
async function writeRows(db: Kysely<DB>, tenantId: number, contributions: Contributions, increment: boolean): Promise<void> {
  const { days, months, now } = contributionRows(contributions);
  for (const chunk of chunks(days)) {
    let insert = db.insertInto('hotline_days').values(chunk.map((row) => ({ tenant_id: tenantId, ...row })));
    if (increment) insert = insert.onConflict((oc) => oc.columns(['tenant_id', 'day', 'group_id', 'measure']).doUpdateSet({ tickets: sql`hotline_days.tickets + excluded.tickets` }));
    await insert.execute();
  }
  for (const chunk of chunks(months)) {
    let insert = db.insertInto('hotline_months').values(chunk.map((row) => ({ tenant_id: tenantId, ...row })));
    if (increment) insert = insert.onConflict((oc) => oc.columns(['tenant_id', 'month', 'group_id', 'measure']).doUpdateSet({ tickets: sql`hotline_months.tickets + excluded.tickets` }));
    await insert.execute();
  }
  for (const chunk of chunks(now)) {
    let insert = db.insertInto('hotline_now').values(chunk.map((row) => ({ tenant_id: tenantId, ...row })));
    if (increment) insert = insert.onConflict((oc) => oc.columns(['tenant_id', 'group_id', 'status']).doUpdateSet({ tickets: sql`hotline_now.tickets + excluded.tickets` }));
    await insert.execute();
  }
}

/** The aggregate counted afresh from the tickets and their history (nothing written). */
export async function recountHotline(db: Kysely<DB>, tenantId: number, zone: string): Promise<Contributions> {
  const counted: Contributions = new Map();
  const scoped = tenantScope(db, tenantId);
  const dayOf = zoneDays(zone);
  let after = 0;
  for (;;) {
    const tickets: Array<CountedTicket & { id: number }> = await scoped.selectFrom('tickets').select(['id', 'created_at', 'status', 'group_id', 'deleted_at'])
      .where('id', '>', after).where('deleted_at', 'is', null).orderBy('id').limit(TICKETS_PER_CHUNK).execute();
    if (tickets.length === 0) break;
    after = tickets[tickets.length - 1]!.id;
    const history = await historyInRange(db, tenantId, tickets[0]!.id, after);
    for (const ticket of tickets) addContributions(counted, ticket, history.get(ticket.id) ?? [], dayOf);
  }
  return counted;
}

async function historyInRange(db: Kysely<DB>, tenantId: number, first: number, last: number): Promise<Map<number, CountedChange[]>> {
  const rows = await tenantScope(db, tenantId).selectFrom('ticket_history')
    .select(['ticket_id', 'action', 'field', 'old_value', 'new_value', 'created_at'])
    .where('ticket_id', '>=', first).where('ticket_id', '<=', last).where('field', 'in', COUNTED_FIELDS).orderBy('ticket_id').orderBy('id').execute();
  return byTicket(rows);
}

/** The aggregate as stored (rows at zero left out), keyed like Contributions. */
export async function storedHotline(db: Kysely<DB>, tenantId: number): Promise<Contributions> {
  const scoped = tenantScope(db, tenantId);
  const [days, months, now] = await Promise.all([
    scoped.selectFrom('hotline_days').select(['day', 'group_id', 'measure', 'tickets']).execute(),
    scoped.selectFrom('hotline_months').select(['month', 'group_id', 'measure', 'tickets']).execute(),
    scoped.selectFrom('hotline_now').select(['group_id', 'status', 'tickets']).execute(),
  ]);
  const stored: Contributions = new Map();
  for (const row of days) if (Number(row.tickets) !== 0) stored.set(dayKey(row.day, row.group_id, row.measure as HotlineMeasure), Number(row.tickets));
  for (const row of months) if (Number(row.tickets) !== 0) stored.set(dayKey(row.month, row.group_id, row.measure as HotlineMeasure), Number(row.tickets));
  for (const row of now) if (Number(row.tickets) !== 0) stored.set(nowKey(row.group_id, row.status), Number(row.tickets));
  return stored;
}

/**
 * Counts a tenant's aggregate afresh and replaces the stored one in one transaction (holding the
 * tenant's exclusive lock on PostgreSQL), recording the zone it used. Returns the rows written.
 */
export async function rebuildHotline(db: Kysely<DB>, dialect: Dialect, tenantId: number, zone: string, now: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${LOCK_SPACE}, ${tenantId})`.execute(trx);
    const counted = await recountHotline(trx, tenantId, zone);
    const scoped = tenantScope(trx, tenantId);
    await scoped.deleteFrom('hotline_days').execute();
    await scoped.deleteFrom('hotline_months').execute();
    await scoped.deleteFrom('hotline_now').execute();
    await writeRows(trx, tenantId, counted, false);
    await scoped.deleteFrom('hotline_builds').execute();
    await scoped.insertInto('hotline_builds', { time_zone: zone, rebuilt_at: now }).execute();
    return counted.size;
  });
}

/**
 * The job's pass: rebuilds each tenant whose aggregate was never built, was built in another time
 * zone, or is older than `maxAgeMs` (a weekly recount heals whatever a change outside the ticket
 * service, such as a bulk import, left behind).
 */
export async function rebuildStaleHotlines(db: Kysely<DB>, dialect: Dialect, now: Date, maxAgeMs = 7 * 24 * 3_600_000): Promise<number[]> {
  const tenants = await db.selectFrom('tenants').leftJoin('hotline_builds', 'hotline_builds.tenant_id', 'tenants.id')
    .select(['tenants.id', 'tenants.time_zone', 'hotline_builds.time_zone as built_zone', 'hotline_builds.rebuilt_at']).orderBy('tenants.id').execute();
  const rebuilt: number[] = [];
  for (const tenant of tenants) {
    const stale = !tenant.rebuilt_at || tenant.built_zone !== tenant.time_zone || Date.parse(tenant.rebuilt_at) <= now.getTime() - maxAgeMs;
    if (!stale) continue;
    await rebuildHotline(db, dialect, tenant.id, tenant.time_zone, now.toISOString());
    rebuilt.push(tenant.id);
  }
  return rebuilt;
}

/** After a tenant's time zone changed: the next job pass rebuilds its days in the new zone (a one-off run, now). */
export async function scheduleHotlineRebuild(db: Kysely<DB>, clock: () => Date, tenantId: number): Promise<void> {
  await enqueueJob(db, clock, { name: 'core.hotline-rebuild', tenantId, payload: { reason: 'time zone changed' } });
}
