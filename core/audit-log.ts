import type { Kysely } from 'kysely';
import type { DB } from './db/schema.js';

export interface AuditEntry {
  tenantId: number | null;
  actor: { userId: number | null; label: string };
  action: string;
  target?: string;
  details?: Record<string, unknown>;
  ip?: string;
}

/** Who did what administrative thing, when, in which tenant. Pass the transaction so the entry commits with the change. */
export function createAuditLog(defaultDb: Kysely<DB>) {
  return {
    async record(entry: AuditEntry, db: Kysely<DB> = defaultDb): Promise<void> {
      await db.insertInto('audit_log').values({
        tenant_id: entry.tenantId,
        actor_user_id: entry.actor.userId,
        actor_label: entry.actor.label,
        action: entry.action,
        target: entry.target ?? null,
        details: JSON.stringify(entry.details ?? {}),
        ip: entry.ip ?? null,
      }).execute();
    },

    async list(filter: { tenantId: number | null; page: number; pageSize: number }) {
      let query = defaultDb.selectFrom('audit_log');
      query = filter.tenantId === null ? query : query.where('tenant_id', '=', filter.tenantId);
      const [rows, total] = await Promise.all([
        query.selectAll().orderBy('id', 'desc').limit(filter.pageSize).offset((filter.page - 1) * filter.pageSize).execute(),
        query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(total.n) };
    },
  };
}
export type AuditLog = ReturnType<typeof createAuditLog>;
