import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DomainError, invalidFields, pluginScope, type Services } from '../../core/plugin-api.js';
import type { ConnectDB } from './connect-db.js';
import { isSourceKind, type SourceKind } from './parse/monitoring-event.js';
import { TELEPHONY_KIND } from './telephony-kind.js';

export interface Source { id: number; kind: string; token_hint: string; created_at: string }

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** The tenant's monitoring sources: one per kind, each with a token that is shown once and stored hashed. */
export function sourceStore(services: Services, tenantId: number) {
  const scope = pluginScope<ConnectDB>(services.db, tenantId);
  return {
    list(): Promise<Source[]> {
      return scope.selectFrom('connect_sources').select(['id', 'kind', 'token_hint', 'created_at']).orderBy('kind').execute();
    },

    /**
     * Adds a source, or with `replace` gives an existing one a new token (the old stops working at once).
     * Returns the token: the only time anyone sees it.
     */
    async create(kind: string, actor: { id: number; label: string }, replace = false): Promise<{ source: Source; token: string }> {
      if (!isSourceKind(kind) && kind !== TELEPHONY_KIND) throw invalidFields('error.invalid', { kind: 'connect.source.kind' });
      const token = `tc_${randomBytes(24).toString('base64url')}`;
      const now = services.clock().toISOString();
      return services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const existing = await tx.selectFrom('connect_sources').select('id').where('kind', '=', kind).executeTakeFirst();
        if (existing && !replace) throw new DomainError('conflict', 'error.invalid', { kind: 'connect.source.taken' });
        const values = { token_hash: hash(token), token_hint: token.slice(0, 7), created_at: now };
        const source = existing
          ? await tx.updateTable('connect_sources').set(values).where('id', '=', existing.id).returning(['id', 'kind', 'token_hint', 'created_at']).executeTakeFirstOrThrow()
          : await tx.insertInto('connect_sources', { kind, ...values }).returning(['id', 'kind', 'token_hint', 'created_at']).executeTakeFirstOrThrow();
        await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: existing ? 'connect.token_replaced' : 'connect.source_created', target: kind }, trx);
        return { source, token };
      });
    },

    /** Whether `token` is the source's current one (compared in constant time). */
    async verify(kind: SourceKind | typeof TELEPHONY_KIND, token: string): Promise<boolean> {
      const row = await scope.selectFrom('connect_sources').select('token_hash').where('kind', '=', kind).executeTakeFirst();
      if (!row || !token) return false;
      const given = Buffer.from(hash(token), 'hex');
      const stored = Buffer.from(row.token_hash, 'hex');
      return given.length === stored.length && timingSafeEqual(given, stored);
    },
  };
}
