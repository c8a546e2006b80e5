import type { Kysely } from 'kysely';
import { DomainError, pluginScope, type DB, type Services, type TenantScope } from '../../core/plugin-api.js';
import type { IdeasDB } from './ideas-db.js';
import { voterOf, type Viewer } from './viewer.js';

/** Trending: a like's weight doubles every HALF_LIFE after the epoch, so newer likes weigh more (a decayed sum, kept exact). */
const EPOCH = Date.parse('2026-01-01T00:00:00Z');
const HALF_LIFE_MS = 7 * 24 * 3600 * 1000;
export const likeWeight = (likedAt: string) => 2 ** ((Date.parse(likedAt) - EPOCH) / HALF_LIFE_MS);

const inserted = (result: { numInsertedOrUpdatedRows?: bigint | undefined } | undefined) => Number(result?.numInsertedOrUpdatedRows ?? 0n) > 0;

/** The proposal, locked for this transaction on PostgreSQL (SQLite writes one at a time anyway); 404 when not the tenant's. */
export async function lockProposal(trx: Kysely<DB>, services: Services, tenantId: number, id: number) {
  const query = pluginScope<IdeasDB>(trx, tenantId).selectFrom('ideas_proposals').select(['id', 'status', 'duplicate_of', 'ticket_id']).where('id', '=', id);
  const row = await (services.database.dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
  if (!row) throw new DomainError('not_found', 'error.notFound');
  return row;
}

/**
 * One like per person and proposal: `insert … on conflict do nothing` against the unique key, and the counter and
 * trending score move only when a row was inserted (or deleted), in the same transaction. Repeats are idempotent.
 */
export function likeStore(services: Services, tenantId: number) {
  const scope = pluginScope<IdeasDB>(services.db, tenantId);
  const counts = (tx: TenantScope<IdeasDB>, id: number) => tx.selectFrom('ideas_proposals').select(['likes_count', 'trend_score']).where('id', '=', id).executeTakeFirstOrThrow()
    .then((r) => ({ likes: r.likes_count, liked: true }));

  return {
    async like(viewer: Viewer, id: number): Promise<{ likes: number; liked: boolean }> {
      return services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const proposal = await lockProposal(trx, services, tenantId, id);
        if (proposal.status === 'duplicate') throw new DomainError('conflict', 'ideas.like.duplicate');
        const likedAt = services.clock().toISOString();
        const result = await tx.insertInto('ideas_likes', { proposal_id: id, voter: voterOf(viewer), liked_at: likedAt })
          .onConflict((oc) => oc.columns(['tenant_id', 'proposal_id', 'voter']).doNothing()).executeTakeFirst();
        if (inserted(result)) {
          await tx.updateTable('ideas_proposals').set((eb) => ({ likes_count: eb('likes_count', '+', 1), trend_score: eb('trend_score', '+', likeWeight(likedAt)) })).where('id', '=', id).execute();
        }
        return counts(tx, id);
      });
    },

    async unlike(viewer: Viewer, id: number): Promise<{ likes: number; liked: boolean }> {
      return services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        await lockProposal(trx, services, tenantId, id);
        const gone = await tx.deleteFrom('ideas_likes').where('proposal_id', '=', id).where('voter', '=', voterOf(viewer)).returning('liked_at').executeTakeFirst();
        if (gone) {
          await tx.updateTable('ideas_proposals').set((eb) => ({ likes_count: eb('likes_count', '-', 1), trend_score: eb('trend_score', '-', likeWeight(gone.liked_at)) })).where('id', '=', id).execute();
        }
        return { ...(await counts(tx, id)), liked: false };
      });
    },

    /** The counters as a recount finds them (tests compare the columns with this). */
    async recount(id: number): Promise<{ likes: number; comments: number }> {
      const likes = await scope.selectFrom('ideas_likes').select((eb) => eb.fn.countAll<number>().as('n')).where('proposal_id', '=', id).executeTakeFirstOrThrow();
      const comments = await scope.selectFrom('ideas_comments').select((eb) => eb.fn.countAll<number>().as('n')).where('proposal_id', '=', id).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
      return { likes: Number(likes.n), comments: Number(comments.n) };
    },
  };
}
