import type { Kysely } from 'kysely';
import { pluginScope, scopeFor, type DB, type FilterContext, type PluginJob, type TicketChangePayload } from '../../core/plugin-api.js';
import type { RemoteDB } from './remote-db.js';
import { wipeTicketSessions } from './remote-store.js';

/**
 * TICKET_CLOSED and TICKET_DELETED filters: a ticket that is closed (by hand, by merging) or deleted loses its
 * sessions' passwords in the same transaction, at the change's instant (the ticket's updated_at).
 */
export async function wipeOnClose(payload: TicketChangePayload, ctx: FilterContext): Promise<void> {
  const scope = scopeFor<RemoteDB>(ctx.scope);
  const ticket = await scope.selectFrom('tickets').select('updated_at').where('id', '=', payload.ticketId).executeTakeFirst();
  await wipeTicketSessions(scope, payload.ticketId, 'closed', new Date(ticket?.updated_at ?? Date.now()));
}

/** Wipes the tenant's passwords whose validity ended, and those of tickets closed or deleted while the plugin was off. */
export async function wipeDueSessions(db: Kysely<DB>, tenantId: number, now: Date): Promise<{ expired: number; closed: number }> {
  const scope = pluginScope<RemoteDB>(db, tenantId);
  const at = now.toISOString();
  // Both walk (tenant, valid_until): only rows still holding a password are touched.
  const expired = await scope.updateTable('connect_remote_sessions').set({ secret_sealed: null, wiped_at: at, wipe_reason: 'expired' })
    .where('valid_until', '<=', at).where('secret_sealed', 'is not', null).executeTakeFirst();
  const closed = await scope.updateTable('connect_remote_sessions').set({ secret_sealed: null, wiped_at: at, wipe_reason: 'closed' })
    .where('valid_until', '>', at).where('secret_sealed', 'is not', null)
    .where('ticket_id', 'in', scope.selectFrom('tickets').select('id').where((eb) => eb.or([eb('status', '=', 'closed'), eb('deleted_at', 'is not', null)])))
    .executeTakeFirst();
  return { expired: Number(expired.numUpdatedRows), closed: Number(closed.numUpdatedRows) };
}

/** Every minute, per tenant with the plugin on: no password outlives its validity by more than a minute. */
export const wipeSessionsJob: PluginJob = {
  id: 'wipe-remote-sessions',
  schedule: 'FREQ=MINUTELY',
  async run(ctx) {
    if (ctx.tenantId !== null) await wipeDueSessions(ctx.db, ctx.tenantId, ctx.clock());
  },
};
