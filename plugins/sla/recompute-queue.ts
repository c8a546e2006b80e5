import type { TenantScope } from '../../core/plugin-api.js';
import type { SlaDB } from './sla-db.js';

type Scope = TenantScope<SlaDB>;
const ACTIVE = ['new', 'open', 'waiting'] as const;
const CHUNK = 500;

const queued = async (scope: Scope) => Number((await scope.selectFrom('sla_recompute').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

/**
 * Marks tickets for the recompute job (each once; a ticket already queued stays queued) and counts them into the
 * tenant's run: a new run when the queue was empty, else the running one grows. Progress = total less what waits.
 */
export async function enqueueTickets(scope: Scope, ticketIds: Iterable<number>, now = new Date()): Promise<number> {
  const ids = [...new Set(ticketIds)];
  if (ids.length === 0) return 0;
  const before = await queued(scope);
  for (let i = 0; i < ids.length; i += CHUNK) {
    await scope.insertInto('sla_recompute', ids.slice(i, i + CHUNK).map((ticket_id) => ({ ticket_id })))
      .onConflict((oc) => oc.columns(['tenant_id', 'ticket_id']).doNothing()).execute();
  }
  const added = (await queued(scope)) - before;
  if (added > 0) {
    const run = await scope.selectFrom('sla_recompute_runs').select(['id', 'total']).executeTakeFirst();
    if (!run) await scope.insertInto('sla_recompute_runs', { total: added, started_at: now.toISOString() }).execute();
    else if (before === 0) await scope.updateTable('sla_recompute_runs').set({ total: added, started_at: now.toISOString() }).where('id', '=', run.id).execute();
    else await scope.updateTable('sla_recompute_runs').set((eb) => ({ total: eb('total', '+', added) })).where('id', '=', run.id).execute();
  }
  return ids.length;
}

/** The recompute run's progress: tickets done of the run's total (null when nothing waits). */
export async function recomputeProgress(scope: Scope): Promise<{ done: number; total: number; startedAt: string } | null> {
  const waiting = await queued(scope);
  if (waiting === 0) return null;
  const run = await scope.selectFrom('sla_recompute_runs').select(['total', 'started_at']).executeTakeFirst();
  const total = Math.max(Number(run?.total ?? 0), waiting);
  return { done: total - waiting, total, startedAt: run?.started_at ?? '' };
}

/** The tickets that run under one of the levels (their clocks change with the level or its calendar). */
export async function ticketsOfLevels(scope: Scope, levelIds: readonly number[]): Promise<number[]> {
  if (levelIds.length === 0) return [];
  return (await scope.selectFrom('sla_tickets').select('ticket_id').where('level_id', 'in', [...levelIds]).execute()).map((row) => row.ticket_id);
}

/**
 * The tickets whose level may change when an assignment changes: live tickets of the contract or
 * organisation (or every live ticket, for the tenant default) and those that have a level now.
 */
export async function ticketsAffectedBy(scope: Scope, target: { kind: 'contract' | 'organisation'; id: number } | { kind: 'tenant' }): Promise<number[]> {
  let live = scope.selectFrom('tickets').select('id').where('status', 'in', [...ACTIVE]).where('deleted_at', 'is', null);
  if (target.kind === 'contract') live = live.where('contract_id', '=', target.id);
  if (target.kind === 'organisation') live = live.where('organisation_id', '=', target.id);
  const withLevel = await scope.selectFrom('sla_tickets').innerJoin('tickets', 'tickets.id', 'sla_tickets.ticket_id').select('sla_tickets.ticket_id')
    .$if(target.kind === 'contract', (q) => q.where('tickets.contract_id', '=', (target as { id: number }).id))
    .$if(target.kind === 'organisation', (q) => q.where('tickets.organisation_id', '=', (target as { id: number }).id))
    .execute();
  return [...(await live.execute()).map((row) => row.id), ...withLevel.map((row) => row.ticket_id)];
}
