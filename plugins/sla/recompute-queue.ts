import type { TenantScope } from '../../core/plugin-api.js';
import type { SlaDB } from './sla-db.js';

type Scope = TenantScope<SlaDB>;
const ACTIVE = ['new', 'open', 'waiting'] as const;
const CHUNK = 500;

/** Marks tickets for the recompute job (each once; a ticket already queued stays queued). */
export async function enqueueTickets(scope: Scope, ticketIds: Iterable<number>): Promise<number> {
  const ids = [...new Set(ticketIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    await scope.insertInto('sla_recompute', ids.slice(i, i + CHUNK).map((ticket_id) => ({ ticket_id })))
      .onConflict((oc) => oc.columns(['tenant_id', 'ticket_id']).doNothing()).execute();
  }
  return ids.length;
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
