import MiniSearch, { type Query, type SearchResult } from 'minisearch';
import type { Services } from '../../../core/plugin-api.js';
import { ENTRY_KINDS, type EntryKind, type EntryState, type Visibility } from '../knowledge-db.js';
import { loadEntryDocuments, type EntryDocument } from './entry-documents.js';
import { foldTerm, indexTerm, splitCompound, words } from './german-text.js';
import { highlight, snippet, type Segment } from './highlight.js';
import { canSee, type Viewer } from './visibility.js';
import { Vocabulary } from './vocabulary.js';

/** What the index keeps beside the terms: only what filters and visibility need (texts come from the database). */
interface Stored { kind: EntryKind; state: EntryState; visibility: Visibility; organisationIds: number[]; topicIds: number[]; tagKeys: string[] }

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
}

export interface SearchHit {
  id: number;
  kind: EntryKind;
  state: EntryState;
  language: string;
  score: number;
  updatedAt: string;
  title: Segment[];
  snippet: Segment[];
}

export interface SearchResults { total: number; groups: Array<{ kind: EntryKind; hits: SearchHit[] }> }

/** Title above tags above the body. */
const BOOST = { title: 3, tags: 2, body: 1 };
const MAX_TENANTS = 64;
/** Known compounds a query word also finds ("treiber": druckertreiber, …), the shortest first. */
const COMPOUNDS_MAX = 8;
const QUERY_MAX = 200;

function tagKey(tag: string): string {
  return foldTerm(tag.trim());
}

function newIndex(vocabulary: Vocabulary): MiniSearch<EntryDocument> {
  return new MiniSearch<EntryDocument>({
    fields: ['title', 'tags', 'body'],
    storeFields: ['kind', 'state', 'visibility', 'organisationIds', 'topicIds', 'tagKeys'],
    extractField: (document, field) => {
      switch (field) {
        case 'tags': return document.tags.join(' ');
        case 'tagKeys': return document.tags.map(tagKey) as unknown as string;
        default: return (document as unknown as Record<string, string>)[field]!;
      }
    },
    tokenize: (text) => words(text),
    // Every indexed term also goes into the vocabulary (compound handling at query time).
    processTerm: (word) => {
      const term = indexTerm(word);
      if (term) vocabulary.add(term);
      return term;
    },
    searchOptions: { processTerm: (word) => indexTerm(word) },
  });
}

/** One tenant's index: built once from the database, then kept current by `changed`. */
class TenantIndex {
  private readonly vocabulary = new Vocabulary();
  private readonly index = newIndex(this.vocabulary);
  private queue: Promise<unknown>;
  readonly ready: Promise<void>;

  constructor(services: Services, tenantId: number) {
    this.ready = loadEntryDocuments(services, tenantId).then((documents) => {
      for (const document of documents) this.put(document);
    });
    this.queue = this.ready;
  }

  private put(document: EntryDocument): void {
    if (this.index.has(document.id)) this.index.replace(document);
    else this.index.add(document);
  }

  /** Applies changes in order, each from the database as it is after the change's commit. */
  update(services: Services, tenantId: number, ids: readonly number[]): Promise<void> {
    const run = this.queue.then(async () => {
      const documents = await loadEntryDocuments(services, tenantId, ids);
      const present = new Set(documents.map((document) => document.id));
      for (const id of ids) if (!present.has(id) && this.index.has(id)) this.index.discard(id);
      for (const document of documents) this.put(document);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * The query tree: every word must match, as itself (prefix, fuzzy), as the known words it is made of
   * ("druckertreiber": drucker AND treiber) or as a known compound ending with it ("treiber": druckertreiber).
   */
  query(q: string): Query | null {
    // A query is a few words: longer input is cut, so no query costs more than a short one.
    const terms = [...new Set(words(q.slice(0, QUERY_MAX)).map(indexTerm).filter((term): term is string => term !== null))].slice(0, 12);
    if (terms.length === 0) return null;
    const known = (part: string) => this.vocabulary.has(part);
    return {
      combineWith: 'AND',
      queries: terms.map((term, i): Query => {
        const parts = splitCompound(term, known);
        const compounds = this.vocabulary.endingWith(term, COMPOUNDS_MAX);
        // Only the last word may still be being typed (a prefix); a word the index knows is no typo (no fuzzy).
        const last = i === terms.length - 1;
        const knownWord = this.vocabulary.has(term);
        const self: Query = last && !knownWord ? term : { queries: [term], ...(last ? {} : { prefix: false }), ...(knownWord ? { fuzzy: false } : {}) };
        if (!parts && compounds.length === 0) return self;
        const exact = { prefix: false, fuzzy: false } as const;
        return {
          combineWith: 'OR',
          queries: [self, ...(parts ? [{ combineWith: 'AND' as const, queries: parts, ...exact }] : []), ...(compounds.length ? [{ combineWith: 'OR' as const, queries: compounds, ...exact }] : [])],
        };
      }),
    };
  }

  search(q: string, filter: (stored: Stored) => boolean): SearchResult[] {
    const query = this.query(q);
    if (!query) return [];
    return this.index.search(query, {
      boost: BOOST,
      prefix: (term) => term.length >= 2,
      // Edits allowed: one from four letters, two from seven.
      fuzzy: (term) => (term.length >= 7 ? 2 : term.length >= 4 ? 1 : false),
      maxFuzzy: 2,
      filter: (result) => filter(result as unknown as Stored),
    });
  }

  get size(): number {
    return this.index.documentCount;
  }
}

/**
 * The knowledge search of one app: an index per tenant, built on first use and updated after every
 * change. It holds no global state: each app's registry makes its own (the plugin's `register`), and
 * its indexes are kept per Services object, so two apps in one process never share one. At most
 * MAX_TENANTS indexes stay in memory; the least recently used is dropped and rebuilt when needed.
 */
export function createKnowledgeSearch(options: { maxTenants?: number } = {}) {
  const maxTenants = options.maxTenants ?? MAX_TENANTS;
  const indexes = new WeakMap<Services, Map<number, TenantIndex>>();

  function indexOf(services: Services, tenantId: number): TenantIndex {
    let tenants = indexes.get(services);
    if (!tenants) indexes.set(services, (tenants = new Map()));
    let index = tenants.get(tenantId);
    if (index) {
      tenants.delete(tenantId);
    } else {
      index = new TenantIndex(services, tenantId);
      // A failed build is forgotten, so the next search tries again.
      index.ready.catch(() => tenants.get(tenantId) === index && tenants.delete(tenantId));
      if (tenants.size >= maxTenants) tenants.delete(tenants.keys().next().value!);
    }
    tenants.set(tenantId, index);
    return index;
  }

  return {
    /** Finds entries for a viewer; what the viewer may not see is filtered inside the index, before ranking and counting. */
    async search(services: Services, tenantId: number, query: SearchQuery): Promise<SearchResults> {
      const index = indexOf(services, tenantId);
      await index.ready;
      const { viewer } = query;
      const tag = query.tag ? tagKey(query.tag) : undefined;
      const results = index.search(query.q, (stored) =>
        canSee(viewer, stored)
        && (!query.kind || stored.kind === query.kind)
        && (query.topicId === undefined || stored.topicIds.includes(query.topicId))
        && (!tag || stored.tagKeys.includes(tag))
        && (viewer.kind !== 'staff' || !query.state || stored.state === query.state));
      const limit = query.limit ?? 10;
      const chosen = new Map<EntryKind, SearchResult[]>();
      for (const result of results) {
        const kind = (result as unknown as Stored).kind;
        const list = chosen.get(kind) ?? [];
        if (list.length < limit) chosen.set(kind, [...list, result]);
      }
      const ids = [...chosen.values()].flat().map((result) => result.id as number);
      // The texts from the database, checked once more against what it says now.
      const documents = new Map((await loadEntryDocuments(services, tenantId, ids)).map((document) => [document.id, document]));
      const groups = ENTRY_KINDS.flatMap((kind) => {
        const hits = (chosen.get(kind) ?? []).flatMap((result): SearchHit[] => {
          const document = documents.get(result.id as number);
          if (!document || !canSee(viewer, document)) return [];
          return [{
            id: document.id, kind, state: document.state, language: document.language, score: result.score, updatedAt: document.updatedAt,
            title: highlight(document.title, result.terms), snippet: snippet(document.body, result.terms),
          }];
        });
        return hits.length ? [{ kind, hits }] : [];
      });
      return { total: results.length, groups };
    },

    /** After a commit that changed, added or removed these entries (no index yet: nothing to do, the build reads them). */
    async changed(services: Services, tenantId: number, ids: readonly number[]): Promise<void> {
      const index = indexes.get(services)?.get(tenantId);
      if (index) await index.update(services, tenantId, ids);
    },

    /** Drops a tenant's index (the next search builds it again). */
    forget(services: Services, tenantId: number): void {
      indexes.get(services)?.delete(tenantId);
    },

    /** Builds (or awaits) a tenant's index and says how many entries it holds. */
    async warm(services: Services, tenantId: number): Promise<number> {
      const index = indexOf(services, tenantId);
      await index.ready;
      return index.size;
    },
  };
}

export type KnowledgeSearch = ReturnType<typeof createKnowledgeSearch>;
