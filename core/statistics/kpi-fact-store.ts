import { sql, type Kysely } from 'kysely';
import type { DB, KpiFactsTable, Ticket } from '../db/schema.js';
import type { Dialect } from '../db/create-database.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import type { KpiBusinessTime, BusinessSpan } from './kpi-business-time.js';
import { zoneDays } from './hotline-contributions.js';
import { FACT_FIELDS, ticketFact, type FactChange, type FactTicket, type KpiFact } from './kpi-fact.js';

// The KPI facts' writes: one ticket's row inside its transaction, and the rebuild (job
// 'core.kpi-rebuild'). As with the hotline aggregate, ticket changes on PostgreSQL hold a shared
// advisory lock of the tenant and the rebuild an exclusive one, so a rebuild never overwrites a
// change that commits while it reads.

const LOCK_SPACE = 0x4b50; // 'KP'
const TICKETS_PER_CHUNK = 2000;
const TICKET_COLUMNS = ['id', 'created_at', 'status', 'group_id', 'assignee_id', 'organisation_id', 'category', 'channel', 'first_response_at', 'solved_at', 'closed_at', 'deleted_at', 'close_reason'] as const;

/** A stored fact: the replayed one with its business seconds. */
export type StoredFact = KpiFact & Pick<KpiFactsTable, 'first_response_business' | 'resolution_business'>;

/** Whether a change can move a ticket's fact (`before` is the ticket as it was before the change). */
export function movesKpi(created: boolean, before: Pick<Ticket, 'first_response_at'>, lines: ReadonlyArray<{ action: string; field?: string | null | undefined }>): boolean {
  return created || lines.some((line) => ['status', 'group_id', 'assignee_id', 'organisation_id', 'category', 'channel'].includes(line.field ?? '')
    || line.action === 'deleted' || line.action === 'restored' || (line.field === 'article' && before.first_response_at === null));
}

/** Business seconds for the facts' first response and resolution, one batch per call; all null without a provider. */
async function withBusiness(db: Kysely<DB>, tenantId: number, facts: readonly KpiFact[], business: KpiBusinessTime | undefined): Promise<StoredFact[]> {
  const spans: BusinessSpan[] = [];
  for (const fact of facts) {
    if (fact.first_response_at) spans.push({ ticketId: fact.ticket_id, from: fact.created_at, until: fact.first_response_at });
    if (fact.resolved_at) spans.push({ ticketId: fact.ticket_id, from: fact.created_at, until: fact.resolved_at });
  }
  const answers = business && spans.length ? await business.businessSeconds({ tenantId, scope: tenantScope(db, tenantId), spans }) : [];
  let next = 0;
  return facts.map((fact) => ({
    ...fact,
    first_response_business: fact.first_response_at ? answers[next++] ?? null : null,
    resolution_business: fact.resolved_at ? answers[next++] ?? null : null,
  }));
}

async function linesOf(db: Kysely<DB>, tenantId: number, tickets: { from: number; to: number } | readonly number[]): Promise<Map<number, FactChange[]>> {
  let query = tenantScope(db, tenantId).selectFrom('ticket_history').select(['ticket_id', 'field', 'old_value', 'new_value', 'created_at']);
  query = 'from' in tickets ? query.where('ticket_id', '>=', tickets.from).where('ticket_id', '<=', tickets.to) : query.where('ticket_id', 'in', [...tickets]);
  const rows = await query.where('field', 'in', [...FACT_FIELDS]).orderBy('ticket_id').orderBy('id').execute();
  const grouped = new Map<number, FactChange[]>();
  for (const row of rows) {
    const list = grouped.get(row.ticket_id) ?? [];
    list.push(row);
    grouped.set(row.ticket_id, list);
  }
  return grouped;
}

/**
 * Inside the tickets' transaction, after their rows and the changes' history were written: replays each
 * ticket's fact and stores it (or removes it for a deleted ticket), with one read of the rows, the history and
 * the stored facts for all of them. Business time is asked for (in one call) only for the facts whose first
 * response or resolution moved; the others keep their stored seconds.
 */
export async function updateKpiFacts(trx: Kysely<DB>, dialect: Dialect, tenantId: number, zone: string, ticketIds: readonly number[], business: () => Promise<KpiBusinessTime | undefined>): Promise<void> {
  if (ticketIds.length === 0) return;
  const scoped = tenantScope(trx, tenantId);
  const tickets = await scoped.selectFrom('tickets').select([...TICKET_COLUMNS]).where('id', 'in', [...ticketIds]).execute();
  const lines = await linesOf(trx, tenantId, ticketIds);
  const dayOf = zoneDays(zone);
  const facts: KpiFact[] = [];
  const gone: number[] = [];
  for (const ticket of tickets) {
    const fact = ticketFact(ticket as FactTicket, lines.get(ticket.id) ?? [], dayOf);
    if (fact) facts.push(fact);
    else gone.push(ticket.id);
  }
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock_shared(${LOCK_SPACE}, ${tenantId})`.execute(trx);
  if (gone.length) await scoped.deleteFrom('kpi_facts').where('ticket_id', 'in', gone).execute();
  if (facts.length === 0) return;
  const stored = new Map((await scoped.selectFrom('kpi_facts').select(['ticket_id', 'first_response_at', 'resolved_at', 'first_response_business', 'resolution_business'])
    .where('ticket_id', 'in', facts.map((fact) => fact.ticket_id)).execute()).map((row) => [row.ticket_id, row]));
  const rows: StoredFact[] = [];
  const moved: KpiFact[] = [];
  for (const fact of facts) {
    const before = stored.get(fact.ticket_id);
    if (before && before.first_response_at === fact.first_response_at && before.resolved_at === fact.resolved_at) {
      rows.push({ ...fact, first_response_business: before.first_response_business, resolution_business: before.resolution_business });
    } else {
      moved.push(fact);
    }
  }
  if (moved.length) rows.push(...await withBusiness(trx, tenantId, moved, moved.some((fact) => fact.first_response_at || fact.resolved_at) ? await business() : undefined));
  // In the order of the tickets, as every writer upserts, so two transactions never wait on each other crosswise.
  await writeFacts(trx, tenantId, rows.sort((a, b) => a.ticket_id - b.ticket_id), true);
}

async function writeFacts(db: Kysely<DB>, tenantId: number, facts: readonly StoredFact[], upsert: boolean): Promise<void> {
  for (let i = 0; i < facts.length; i += 400) {
    let insert = db.insertInto('kpi_facts').values(facts.slice(i, i + 400).map((fact) => ({ tenant_id: tenantId, ...fact })));
    if (upsert) {
      insert = insert.onConflict((oc) => oc.columns(['tenant_id', 'ticket_id']).doUpdateSet((eb) => ({
        created_at: eb.ref('excluded.created_at'), first_response_at: eb.ref('excluded.first_response_at'), first_response_seconds: eb.ref('excluded.first_response_seconds'),
        first_response_business: eb.ref('excluded.first_response_business'), first_response_day: eb.ref('excluded.first_response_day'), resolved_day: eb.ref('excluded.resolved_day'), first_solved_at: eb.ref('excluded.first_solved_at'), resolved_at: eb.ref('excluded.resolved_at'),
        resolution_seconds: eb.ref('excluded.resolution_seconds'), resolution_business: eb.ref('excluded.resolution_business'), reopen_count: eb.ref('excluded.reopen_count'),
        agent_id: eb.ref('excluded.agent_id'), group_id: eb.ref('excluded.group_id'), organisation_id: eb.ref('excluded.organisation_id'),
        category: eb.ref('excluded.category'), channel: eb.ref('excluded.channel'),
      })));
    }
    await insert.execute();
  }
}

/** The facts replayed afresh from the tickets and their history, a chunk of tickets at a time (nothing written). */
async function* recountedChunks(db: Kysely<DB>, tenantId: number, zone: string, business: KpiBusinessTime | undefined): AsyncGenerator<StoredFact[]> {
  const dayOf = zoneDays(zone);
  const scoped = tenantScope(db, tenantId);
  let after = 0;
  for (;;) {
    const tickets = await scoped.selectFrom('tickets').select([...TICKET_COLUMNS]).where('id', '>', after).where('deleted_at', 'is', null).orderBy('id').limit(TICKETS_PER_CHUNK).execute();
    if (tickets.length === 0) return;
    after = tickets[tickets.length - 1]!.id;
    const history = await linesOf(db, tenantId, { from: tickets[0]!.id, to: after });
    const facts = tickets.map((ticket) => ticketFact(ticket as FactTicket, history.get(ticket.id) ?? [], dayOf)).filter((fact): fact is KpiFact => fact !== null);
    yield await withBusiness(db, tenantId, facts, business);
  }
}

/** The facts replayed afresh, by ticket id (nothing written; to compare with the stored ones). */
export async function recountKpiFacts(db: Kysely<DB>, tenantId: number, zone: string, business: KpiBusinessTime | undefined): Promise<Map<number, StoredFact>> {
  const counted = new Map<number, StoredFact>();
  for await (const chunk of recountedChunks(db, tenantId, zone, business)) for (const fact of chunk) counted.set(fact.ticket_id, fact);
  return counted;
}

/** The facts as stored, by ticket id. */
export async function storedKpiFacts(db: Kysely<DB>, tenantId: number): Promise<Map<number, StoredFact>> {
  const rows = await tenantScope(db, tenantId).selectFrom('kpi_facts').selectAll().orderBy('ticket_id').execute();
  return new Map(rows.map(({ tenant_id: _tenant, ...row }) => [row.ticket_id, {
    ...row,
    first_response_seconds: row.first_response_seconds === null ? null : Number(row.first_response_seconds),
    first_response_business: row.first_response_business === null ? null : Number(row.first_response_business),
    resolution_seconds: row.resolution_seconds === null ? null : Number(row.resolution_seconds),
    resolution_business: row.resolution_business === null ? null : Number(row.resolution_business),
    reopen_count: Number(row.reopen_count),
  }]));
}

/** Replays a tenant's facts and replaces the stored ones in one transaction. Returns the facts written. */
export async function rebuildKpiFacts(db: Kysely<DB>, dialect: Dialect, tenantId: number, zone: string, business: KpiBusinessTime | undefined, now: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${LOCK_SPACE}, ${tenantId})`.execute(trx);
    const scoped = tenantScope(trx, tenantId);
    await scoped.deleteFrom('kpi_facts').execute();
    // Chunk by chunk, so that memory stays one chunk's whatever the tenant's size (all at once, a
    // first start on 1,000,000 tickets peaked at 1.8 GB).
    let written = 0;
    for await (const chunk of recountedChunks(trx, tenantId, zone, business)) {
      await writeFacts(trx, tenantId, chunk, false);
      written += chunk.length;
    }
    await scoped.deleteFrom('kpi_builds').execute();
    await scoped.insertInto('kpi_builds', { time_zone: zone, rebuilt_at: now }).execute();
    return written;
  });
}

/**
 * The job's pass: rebuilds each tenant whose facts were never built, were built in another time zone
 * (the days of the trend), or not for `maxAgeMs` (a weekly
 * recount heals what a change outside the ticket service, such as an import, left behind).
 */
export async function rebuildStaleKpiFacts(db: Kysely<DB>, dialect: Dialect, now: Date, businessOf: (tenantId: number) => Promise<KpiBusinessTime | undefined>, maxAgeMs = 7 * 24 * 3_600_000): Promise<number[]> {
  const tenants = await db.selectFrom('tenants').leftJoin('kpi_builds', 'kpi_builds.tenant_id', 'tenants.id')
    .select(['tenants.id', 'tenants.time_zone', 'kpi_builds.time_zone as built_zone', 'kpi_builds.rebuilt_at']).orderBy('tenants.id').execute();
  const rebuilt: number[] = [];
  for (const tenant of tenants) {
    if (tenant.rebuilt_at && tenant.built_zone === tenant.time_zone && Date.parse(tenant.rebuilt_at) > now.getTime() - maxAgeMs) continue;
    await rebuildKpiFacts(db, dialect, tenant.id, tenant.time_zone, await businessOf(tenant.id), now.toISOString());
    rebuilt.push(tenant.id);
  }
  return rebuilt;
}
