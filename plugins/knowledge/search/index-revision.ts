import { sql } from 'kysely';
import { pluginScope, type DB } from '../../../core/plugin-api.js';
import type { Kysely } from 'kysely';
import type { KnowledgeDB } from '../knowledge-db.js';

/** Changes kept per tenant: an index further behind than this rebuilds instead of applying them. */
export const CHANGES_KEPT = 2000;
/** Pruning runs on every this many revisions. */
const PRUNE_EVERY = 100;

/**
 * Called inside the transaction that changes these entries: bumps the tenant's revision and records
 * which entries it changed, so every instance's index (this process's or another's) can catch up.
 * Concurrent writers serialise on the revision row, so revisions are committed in order.
 */
export async function bumpRevision(trx: Kysely<DB>, tenantId: number, entryIds: readonly number[]): Promise<number> {
  const scope = pluginScope<KnowledgeDB>(trx, tenantId);
  const { revision } = await scope.insertInto('knowledge_revisions', { revision: 1 })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ revision: sql<number>`knowledge_revisions.revision + 1` }))
    .returning('revision').executeTakeFirstOrThrow();
  const ids = [...new Set(entryIds)];
  await scope.insertInto('knowledge_changes', ids.map((entry_id) => ({ revision, entry_id }))).execute();
  if (revision % PRUNE_EVERY === 0) await scope.deleteFrom('knowledge_changes').where('revision', '<=', revision - CHANGES_KEPT).execute();
  return revision;
}

/** The tenant's revision (0 before the first change): one primary-key read. */
export async function currentRevision(db: Kysely<DB>, tenantId: number): Promise<number> {
  const row = await pluginScope<KnowledgeDB>(db, tenantId).selectFrom('knowledge_revisions').select('revision').executeTakeFirst();
  return row ? Number(row.revision) : 0;
}

/**
 * The entries changed after revision `from` up to `to`; null when some of those revisions' records are
 * pruned (the caller rebuilds). Every revision records at least one entry, so a gap means pruned.
 */
export async function changesSince(db: Kysely<DB>, tenantId: number, from: number, to: number): Promise<number[] | null> {
  if (to - from > CHANGES_KEPT) return null;
  const rows = await pluginScope<KnowledgeDB>(db, tenantId).selectFrom('knowledge_changes').select(['revision', 'entry_id'])
    .where('revision', '>', from).where('revision', '<=', to).execute();
  const revisions = new Set(rows.map((row) => Number(row.revision)));
  if (revisions.size !== to - from) return null;
  return [...new Set(rows.map((row) => Number(row.entry_id)))];
}
