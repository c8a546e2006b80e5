import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { DB, SessionsTable } from '../db/schema.js';
import { addMs, type Clock } from '../time.js';

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

export function createSessionStore(db: Kysely<DB>, clock: Clock) {
  return {
    async create(principal: SessionPrincipal, meta: { userAgent?: string; ip?: string }): Promise<string> {
      const token = randomBytes(32).toString('base64url');
      const now = clock();
      await db.insertInto('sessions').values({
        id: hashToken(token),
        tenant_id: principal.tenantId,
        user_id: principal.userId ?? null,
        person_id: principal.personId ?? null,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: addMs(now, SESSION_ABSOLUTE_MS).toISOString(),
        user_agent: meta.userAgent?.slice(0, 300) ?? null,
        ip: meta.ip ?? null,
      }).execute();
      return token;
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
      if (now.getTime() - new Date(row.last_seen_at).getTime() > TOUCH_EVERY_MS) {
        await db.updateTable('sessions').set({ last_seen_at: now.toISOString() }).where('id', '=', row.id).execute();
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
