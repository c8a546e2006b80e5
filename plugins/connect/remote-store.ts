import { DomainError, invalidFields, pluginScope, type Services, type TenantScope } from '../../core/plugin-api.js';
import { REMOTE_TOOLS, type RemoteDB, type RemoteTool, type WipeReason } from './remote-db.js';
import { RemoteSecretError, remoteSecretBox } from './remote-secret.js';

/** See and add remote sessions on tickets. */
export const REMOTE_USE = 'connect.remote';
/** Reveal a session's password (each reveal is audited). */
export const REMOTE_REVEAL = 'connect.remote.reveal';
export const REMOTE_ID_MAX = 100;
export const REMOTE_SECRET_MAX = 200;
/** A session's validity is at most this long (a remote-support password is meant for one job, not kept). */
export const VALID_MAX_HOURS = 30 * 24;
/** Active sessions per ticket (wiped ones do not count). */
const ACTIVE_MAX = 20;

export interface RemoteActor { id: number | null; label: string }
export interface RemoteInput { tool: string; remoteId: string; secret: string; validUntil: string | undefined }

/** A session as lists show it: never with its secret. */
export interface RemoteSessionView {
  id: number; ticket_id: number; tool: RemoteTool; remote_id: string; valid_until: string; created_at: string; created_by_label: string;
  /** The password is still stored and its validity has not ended. */
  active: boolean;
  wiped_at: string | null; wipe_reason: WipeReason | null;
}

const COLUMNS = ['id', 'ticket_id', 'tool', 'remote_id', 'valid_until', 'created_at', 'created_by_label', 'wiped_at', 'wipe_reason', 'secret_sealed'] as const;
type Row = Omit<RemoteSessionView, 'active'> & { secret_sealed: string | null };
const view = (row: Row, now: Date): RemoteSessionView => {
  const { secret_sealed: sealed, ...rest } = row;
  return { ...rest, active: sealed !== null && row.valid_until > now.toISOString() };
};

/** Wipes the stored passwords of a ticket's sessions (inside the caller's transaction: the close filter's). */
export async function wipeTicketSessions(scope: TenantScope<RemoteDB>, ticketId: number, reason: WipeReason, now: Date): Promise<number> {
  const result = await scope.updateTable('connect_remote_sessions').set({ secret_sealed: null, wiped_at: now.toISOString(), wipe_reason: reason })
    .where('ticket_id', '=', ticketId).where('secret_sealed', 'is not', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Remote-support sessions on the tenant's tickets: stored sealed, listed without the secret, revealed on purpose. */
export function remoteStore(services: Services, tenantId: number) {
  const scope = pluginScope<RemoteDB>(services.db, tenantId);
  /** The sealing box; without an instance secret, or for a value that no longer opens, a refusal (409), never a 500. */
  const sealed = <T>(work: (box: ReturnType<typeof remoteSecretBox>) => T): T => {
    try {
      return work(remoteSecretBox(services.config.secret));
    } catch (error) {
      if (error instanceof RemoteSecretError) throw new DomainError('conflict', 'connect.remote.unreadable');
      throw error;
    }
  };

  const ticketOf = async (tx: TenantScope<RemoteDB>, ticketId: number) => {
    const ticket = await tx.selectFrom('tickets').select(['id', 'number', 'status']).where('id', '=', ticketId).where('deleted_at', 'is', null).executeTakeFirst();
    if (!ticket) throw new DomainError('not_found', 'error.notFound');
    return ticket;
  };

  return {
    async list(ticketId: number): Promise<RemoteSessionView[]> {
      const now = services.clock();
      const rows = await scope.selectFrom('connect_remote_sessions').select([...COLUMNS]).where('ticket_id', '=', ticketId).orderBy('id', 'desc').limit(50).execute();
      return rows.map((row) => view(row, now));
    },

    /** Stores a session; every field is checked before anything is written (field messages at tool, remote_id, secret, valid_until). */
    async create(ticketId: number, input: RemoteInput, actor: RemoteActor): Promise<RemoteSessionView> {
      const now = services.clock();
      const errors: Record<string, string> = {};
      const tool = input.tool.trim();
      const remoteId = input.remoteId.trim();
      const secret = input.secret.trim();
      if (!(REMOTE_TOOLS as readonly string[]).includes(tool)) errors.tool = 'connect.remote.toolInvalid';
      if (!remoteId) errors.remote_id = 'validation.required';
      else if (remoteId.length > REMOTE_ID_MAX || /[\u0000-\u001f\u007f]/.test(remoteId)) errors.remote_id = 'connect.remote.idInvalid';
      if (!secret) errors.secret = 'validation.required';
      else if (secret.length > REMOTE_SECRET_MAX || /[\u0000-\u001f\u007f]/.test(secret)) errors.secret = 'connect.remote.secretInvalid';
      const until = input.validUntil ? new Date(input.validUntil) : null;
      if (!until || Number.isNaN(until.getTime())) errors.valid_until = 'connect.remote.validInvalid';
      else if (until <= now || until.getTime() - now.getTime() > VALID_MAX_HOURS * 3_600_000) errors.valid_until = 'connect.remote.validRange';
      return services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const ticket = await ticketOf(tx, ticketId);
        if (ticket.status === 'closed') throw new DomainError('conflict', 'connect.remote.closed');
        if (Object.keys(errors).length) throw invalidFields('error.invalid', errors);
        const active = await tx.selectFrom('connect_remote_sessions').select((eb) => eb.fn.countAll<number>().as('n'))
          .where('ticket_id', '=', ticket.id).where('secret_sealed', 'is not', null).executeTakeFirstOrThrow();
        if (Number(active.n) >= ACTIVE_MAX) throw new DomainError('conflict', 'connect.remote.tooMany');
        const row = {
          ticket_id: ticket.id, tool: tool as RemoteTool, remote_id: remoteId, secret_sealed: sealed((box) => box.seal(secret, tenantId, ticket.id)), valid_until: until!.toISOString(),
          created_at: now.toISOString(), created_by: actor.id, created_by_label: actor.label, wiped_at: null, wipe_reason: null,
        };
        const { id } = await tx.insertInto('connect_remote_sessions', row).returning('id').executeTakeFirstOrThrow();
        // The audit entry names the ticket, tool and ID, never the password.
        await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'connect.remote_added', target: ticket.number, details: { session: id, tool, remoteId } }, trx);
        return view({ id, ...row }, now);
      });
    },

    /**
     * The password of an active session, for the one who asked: audited (who, when, which ticket) in the same
     * transaction. A session whose validity ended is wiped here (the job may not have run yet) and refused.
     */
    async reveal(sessionId: number, actor: RemoteActor, ip: string | undefined): Promise<{ session: RemoteSessionView; secret: string; ticketNumber: string }> {
      const now = services.clock();
      const outcome = await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const row = await tx.selectFrom('connect_remote_sessions').select([...COLUMNS]).where('id', '=', sessionId).executeTakeFirst();
        if (!row) throw new DomainError('not_found', 'error.notFound');
        const ticket = await ticketOf(tx, row.ticket_id);
        if (row.secret_sealed === null) return { gone: true as const };
        if (row.valid_until <= now.toISOString()) {
          await tx.updateTable('connect_remote_sessions').set({ secret_sealed: null, wiped_at: now.toISOString(), wipe_reason: 'expired' }).where('id', '=', row.id).execute();
          return { gone: true as const };
        }
        const secret = sealed((box) => box.open(row.secret_sealed!, tenantId, row.ticket_id));
        await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'connect.remote_revealed', target: ticket.number, details: { session: row.id, tool: row.tool, remoteId: row.remote_id }, ip }, trx);
        return { gone: false as const, session: view(row, now), secret, ticketNumber: ticket.number };
      });
      if (outcome.gone) throw new DomainError('conflict', 'connect.remote.gone');
      return outcome;
    },

    /** Wipes one session's password by hand (the tool and ID stay, marked removed). */
    async remove(sessionId: number, actor: RemoteActor): Promise<{ ticketId: number; number: string; status: string }> {
      const now = services.clock();
      return services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const row = await tx.selectFrom('connect_remote_sessions').select(['id', 'ticket_id', 'tool', 'remote_id', 'secret_sealed']).where('id', '=', sessionId).executeTakeFirst();
        if (!row) throw new DomainError('not_found', 'error.notFound');
        const ticket = await ticketOf(tx, row.ticket_id);
        if (row.secret_sealed !== null) {
          await tx.updateTable('connect_remote_sessions').set({ secret_sealed: null, wiped_at: now.toISOString(), wipe_reason: 'removed' }).where('id', '=', row.id).execute();
          await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'connect.remote_removed', target: ticket.number, details: { session: row.id, tool: row.tool, remoteId: row.remote_id } }, trx);
        }
        return { ticketId: ticket.id, number: ticket.number, status: ticket.status };
      });
    },
  };
}
