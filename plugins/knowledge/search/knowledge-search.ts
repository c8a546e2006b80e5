import { pluginScope, type Services } from '../../../core/plugin-api.js';
import { ENTRY_KINDS, type EntryKind, type EntryState, type KnowledgeDB, type Visibility } from '../knowledge-db.js';
import { loadHitRows } from './entry-documents.js';
import { highlight, snippet, type Segment } from './highlight.js';
import { currentRevision } from './index-revision.js';
import { TenantIndex, tagKey } from './tenant-index.js';
import { canSee, type Viewer } from './visibility.js';

export interface SearchQuery {
  q: string;
  viewer: Viewer;
  kind?: EntryKind | undefined;
  topicId?: number | undefined;
  tag?: string | undefined;
  /** Staff may narrow by state; everyone else only ever finds published entries. */
  state?: EntryState | undefined;
  /** Hits per kind (default 10). */
  limit?: number | undefined;
  /** `all` (default): every word must match; `any`: entries matching more of the words rank higher (a ticket's text as the query). */
  match?: 'all' | 'any' | undefined;
}

export interface SearchHit {
  id: number;
  kind: EntryKind;
  state: EntryState;
  visibility: Visibility;
  language: string;
  score: number;
  updatedAt: string;
  title: Segment[];
  snippet: Segment[];
}

export interface SearchResults { total: number; groups: Array<{ kind: EntryKind; hits: SearchHit[] }> }

const MAX_TENANTS = 64;
/**
 * Finished results kept per app, across tenants (least recently used dropped): a few hundred KB per
 * hundred queries. The key holds the tenant and its index revision, so a change makes older results unreachable.
 */
const CACHE_MAX = 256;

function viewerKey(viewer: Viewer): string {
  return viewer.kind === 'customer' ? `c${viewer.organisationId ?? ''}` : viewer.kind;
}

/**
 * The knowledge search of one app: an index per tenant, built on first use and updated after every
 * change. It holds no global state: each app's registry makes its own (the plugin's `register`), and
 * its indexes are kept per Services object, so two apps in one process never share one. At most
 * MAX_TENANTS indexes stay in memory; the least recently used is dropped and rebuilt when needed.
 */
export function createKnowledgeSearch(options: { maxTenants?: number; cacheSize?: number } = {}) {
  const maxTenants = options.maxTenants ?? MAX_TENANTS;
  const indexes = new WeakMap<Services, Map<number, TenantIndex>>();
  const cacheMax = options.cacheSize ?? CACHE_MAX;
  const caches = new WeakMap<Services, Map<string, SearchResults>>();

  function tenantsOf(services: Services): Map<number, TenantIndex> {
    let tenants = indexes.get(services);
    if (!tenants) indexes.set(services, (tenants = new Map()));
    return tenants;
  }

  /** A fresh index for the tenant (replacing any), building from the database. */
  function build(services: Services, tenantId: number): TenantIndex {
    const tenants = tenantsOf(services);
    const index = new TenantIndex(services, tenantId);
    // A failed build is forgotten, so the next search tries again.
    index.ready.catch(() => tenants.get(tenantId) === index && tenants.delete(tenantId));
    tenants.delete(tenantId);
    if (tenants.size >= maxTenants) tenants.delete(tenants.keys().next().value!);
    tenants.set(tenantId, index);
    return index;
  }

  /**
   * The tenant's index at the database's revision: built on first use, then compared with the revision
   * row (one primary-key read) and brought up to date with the changes it missed, whoever made them
   * (this process or another instance); rebuilt when those are no longer recorded.
   */
  async function current(services: Services, tenantId: number): Promise<TenantIndex> {
    const tenants = tenantsOf(services);
    let index = tenants.get(tenantId);
    if (index) {
      tenants.delete(tenantId);
      tenants.set(tenantId, index);
    } else {
      index = build(services, tenantId);
    }
    await index.ready;
    const revision = await currentRevision(services.db, tenantId);
    if (revision !== index.revision && !(await index.catchUp(services, tenantId, revision))) {
      index = build(services, tenantId);
      await index.ready;
    }
    return index;
  }

  return {
    /** Finds entries for a viewer; what the viewer may not see is filtered inside the index, before ranking and counting. */
    async search(services: Services, tenantId: number, query: SearchQuery): Promise<SearchResults> {
      const index = await current(services, tenantId);
      const { viewer } = query;
      const tag = query.tag ? tagKey(query.tag) : undefined;
      const state = viewer.kind === 'staff' ? query.state : undefined;
      const limit = query.limit ?? 10;
      const match = query.match ?? 'all';
      // The same query by the same kind of viewer at the same revision: the finished results (texts included:
      // they change only with a revision).
      const revision = index.revision;
      const key = JSON.stringify([tenantId, revision, query.q, viewerKey(viewer), query.kind ?? '', query.topicId ?? '', tag ?? '', state ?? '', limit, match]);
      let cache = caches.get(services);
      if (!cache) caches.set(services, (cache = new Map()));
      const cached = cache.get(key);
      if (cached) {
        cache.delete(key);
        cache.set(key, cached);
        return cached;
      }
      const ranked = index.rank(query.q, (stored) =>
        canSee(viewer, stored)
        && (!query.kind || stored.kind === query.kind)
        && (query.topicId === undefined || stored.topicIds.includes(query.topicId))
        && (!tag || stored.tagKeys.includes(tag))
        && (!state || stored.state === state), limit, match);
      // The page's texts from the database in one read, checked once more against what it says now.
      const rows = new Map((await loadHitRows(services, tenantId, ranked.hits.map((hit) => hit.id), viewer)).map((row) => [row.id, row]));
      const groups = ENTRY_KINDS.flatMap((kind) => {
        const hits = ranked.hits.filter((hit) => hit.kind === kind).flatMap((hit): SearchHit[] => {
          const row = rows.get(hit.id);
          if (!row || !canSee(viewer, row)) return [];
          return [{
            id: row.id, kind, state: row.state, visibility: row.visibility, language: row.language, score: hit.score, updatedAt: row.updatedAt,
            title: highlight(row.title, hit.terms), snippet: snippet(row.body, hit.terms),
          }];
        });
        return hits.length ? [{ kind, hits }] : [];
      });
      const results = { total: ranked.total, groups };
      // Kept only when the index did not move on meanwhile (the key names the revision the ranking used).
      if (cacheMax > 0 && index.revision === revision) {
        cache.set(key, results);
        if (cache.size > cacheMax) cache.delete(cache.keys().next().value!);
      }
      return results;
    },

    /** After a commit that changed entries (no index yet: nothing to do, the build reads them): catch up now. */
    async changed(services: Services, tenantId: number): Promise<void> {
      const index = indexes.get(services)?.get(tenantId);
      if (!index) return;
      await index.ready;
      const revision = await currentRevision(services.db, tenantId);
      if (!(await index.catchUp(services, tenantId, revision))) build(services, tenantId);
    },

    /**
     * The rebuild job's step for a tenant: an index in memory is brought up to date; a tenant without one
     * (after a restart, or dropped as least recently used) gets it built when it has entries, so the first
     * search after a restart does not wait for the build.
     */
    async refresh(services: Services, tenantId: number): Promise<void> {
      if (!indexes.get(services)?.has(tenantId)) {
        const any = await pluginScope<KnowledgeDB>(services.db, tenantId).selectFrom('knowledge_entries').select('id').limit(1).executeTakeFirst();
        if (!any) return;
      }
      await current(services, tenantId);
    },

    /** Drops a tenant's index (the next search builds it again). */
    forget(services: Services, tenantId: number): void {
      indexes.get(services)?.delete(tenantId);
    },

    /** Builds (or awaits, or brings up to date) a tenant's index and says how many entries it holds. */
    async warm(services: Services, tenantId: number): Promise<number> {
      return (await current(services, tenantId)).size;
    },

    /** The revision a tenant's index in memory reflects (undefined without one): for tests and the rebuild job. */
    revisionOf(services: Services, tenantId: number): number | undefined {
      return indexes.get(services)?.get(tenantId)?.revision;
    },
  };
}

export type KnowledgeSearch = ReturnType<typeof createKnowledgeSearch>;
