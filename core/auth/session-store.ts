import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { DB, SessionsTable } from '../db/schema.js';
import { addMs, type Clock } from '../time.js';
import { admit, becameActive, recordPeak, type Admission } from './licence-seats.js';

export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 14 * 24 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so reads stay reads. */
const TOUCH_EVERY_MS = 60 * 1000;

export interface SessionPrincipal {
  tenantId: number | null;
  userId?: number;
  personId?: number;
}

export type SessionRow = Selectable<SessionsTable>;

/** The cookie carries the token; the table keeps only its hash, so a leaked table cannot be replayed. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function createSessionStore(db: Kysely<DB>, clock: Clock, dialect: 'sqlite' | 'postgres' = 'sqlite') {
  /**
   * A new session; a tenant's staff user or portal user first needs a licence seat (licence-seats.ts):
   * a full tenant throws SeatsFullError and nothing is written. The day's peak rises in the same transaction.
   */
  async function open(principal: SessionPrincipal, meta: { userAgent?: string; ip?: string }): Promise<{ token: string } & Admission> {
    const token = randomBytes(32).toString('base64url');
    const now = clock();
    const tenantId = principal.tenantId;
    const who = principal.userId !== undefined ? { kind: 'agents' as const, id: principal.userId } : principal.personId !== undefined ? { kind: 'portal' as const, id: principal.personId } : undefined;
    const admission = await db.transaction().execute(async (trx) => {
      const decision: Admission = tenantId !== null && who ? await admit(trx, dialect, tenantId, who, now) : { overLimit: false };
      await trx.insertInto('sessions').values({
        id: hashToken(token),
        tenant_id: tenantId,
        user_id: principal.userId ?? null,
        person_id: principal.personId ?? null,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: addMs(now, SESSION_ABSOLUTE_MS).toISOString(),
        user_agent: meta.userAgent?.slice(0, 300) ?? null,
        ip: meta.ip ?? null,
      }).execute();
      if (tenantId !== null) await recordPeak(trx, tenantId, now, decision.counts);
      return decision;
    });
    return { token, ...admission };
  }

  return {
    open,

    async create(principal: SessionPrincipal, meta: { userAgent?: string; ip?: string }): Promise<string> {
      return (await open(principal, meta)).token;
    },

    /** The live session for a cookie token, or undefined when unknown, idle too long or expired. */
    async find(token: string): Promise<SessionRow | undefined> {
      const row = await db.selectFrom('sessions').selectAll().where('id', '=', hashToken(token)).executeTakeFirst();
      if (!row) return undefined;
      const now = clock();
      if (row.expires_at <= now.toISOString() || addMs(new Date(row.last_seen_at), SESSION_IDLE_MS) <= now) {
        await db.deleteFrom('sessions').where('id', '=', row.id).execute();
        return undefined;
      }
      const gap = now.getTime() - new Date(row.last_seen_at).getTime();
      if (gap > TOUCH_EVERY_MS) {
        await db.updateTable('sessions').set({ last_seen_at: now.toISOString() }).where('id', '=', row.id).execute();
        // Back after longer than the seat window: the session counts again, so today's peak may rise.
        // It is never refused here: whoever is signed in stays signed in, even above the seats.
        if (row.tenant_id !== null && (await becameActive(db, row.tenant_id, gap))) await recordPeak(db, row.tenant_id, now);
      }
      return row;
    },

    async destroy(token: string): Promise<void> {
      await db.deleteFrom('sessions').where('id', '=', hashToken(token)).execute();
    },

    async listForUser(userId: number) {
      return db.selectFrom('sessions').selectAll().where('user_id', '=', userId).orderBy('last_seen_at', 'desc').execute();
    },

    /** Ends one of the user's own sessions by its id (the hash); another user's id does nothing. */
    async endForUser(userId: number, sessionId: string): Promise<boolean> {
      const result = await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '=', sessionId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async endAllForUser(userId: number, exceptSessionId?: string): Promise<void> {
      let query = db.deleteFrom('sessions').where('user_id', '=', userId);
      if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
      await query.execute();
    },
  };
}
export type SessionStore = ReturnType<typeof createSessionStore>;
