import MiniSearch from 'minisearch';
import type { Services } from '../../../core/plugin-api.js';
import type { EntryKind, EntryState, Visibility } from '../knowledge-db.js';
import { loadEntryDocuments, type EntryDocument } from './entry-documents.js';
import { foldTerm, indexTerm, splitCompound, words } from './german-text.js';
import { changesSince, currentRevision } from './index-revision.js';
import { Scorer, type WordAlternatives } from './scorer.js';
import { Vocabulary } from './vocabulary.js';

/** What the index keeps beside the terms: only what filters and visibility need (texts come from the database). */
export interface Stored { kind: EntryKind; state: EntryState; visibility: Visibility; organisationIds: number[]; topicIds: number[]; tagKeys: string[] }

/** A ranked hit before its texts are read. */
export interface Ranked { id: number; kind: EntryKind; score: number; terms: string[] }
export interface RankedResults { total: number; hits: Ranked[] }

/** Title above tags above the body; the files' names, tags and text below the body. */
const BOOST = { title: 3, tags: 2, body: 1, files: 0.5 };
/** Known compounds a query word also finds ("treiber": druckertreiber, …), the shortest first. */
const COMPOUNDS_MAX = 8;
/** minisearch's default weights for prefix and typo matches. */
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
/** Completions of the word being typed, the shortest first (a two-letter prefix would otherwise score thousands of terms). */
const COMPLETIONS_MAX = 24;
const QUERY_MAX = 200;
const WORDS_MAX = 12;

export function tagKey(tag: string): string {
  return foldTerm(tag.trim());
}

function newIndex(vocabulary: Vocabulary): MiniSearch<EntryDocument> {
  return new MiniSearch<EntryDocument>({
    fields: ['title', 'tags', 'body', 'files'],
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
  });
}

/**
 * One tenant's index: built from the database at a known revision, then kept at the database's
 * revision by applying the entries each later revision changed (`catchUp`), whoever made the change.
 */
export class TenantIndex {
  private readonly vocabulary = new Vocabulary();
  private readonly index = newIndex(this.vocabulary);
  private readonly scorer = new Scorer<Stored>(this.index, BOOST);
  private queue: Promise<unknown>;
  /** The database revision the index reflects (at least). */
  revision = 0;
  readonly ready: Promise<void>;

  constructor(services: Services, tenantId: number) {
    this.ready = (async () => {
      // The revision first: documents read after it are at least as new (applying a change twice is harmless).
      this.revision = await currentRevision(services.db, tenantId);
      for (const document of await loadEntryDocuments(services, tenantId)) this.put(document);
    })();
    this.queue = this.ready;
  }

  private put(document: EntryDocument): void {
    if (this.index.has(document.id)) this.index.replace(document);
    else this.index.add(document);
  }

  /**
   * Brings the index to `target` by applying the entries changed since its revision, in order with
   * other updates. False when it cannot (changes pruned, or the database went back): the caller rebuilds.
   */
  catchUp(services: Services, tenantId: number, target: number): Promise<boolean> {
    const run = this.queue.then(async () => {
      if (target === this.revision) return true;
      if (target < this.revision) return false;
      const ids = await changesSince(services.db, tenantId, this.revision, target);
      if (!ids) return false;
      const documents = await loadEntryDocuments(services, tenantId, ids);
      const present = new Set(documents.map((document) => document.id));
      for (const id of ids) if (!present.has(id) && this.index.has(id)) this.index.discard(id);
      for (const document of documents) this.put(document);
      this.revision = target;
      return true;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * A query as words, each with its alternatives: the word itself (the last one also its completions, as
   * you type; a word the index does not know also its typo matches), the known words it is made of
   * ("druckertreiber": drucker AND treiber) or a known compound ending with it ("treiber": druckertreiber).
   */
  private words(q: string): WordAlternatives[] {
    // A query is a few words: longer input is cut, so no query costs more than a short one.
    const terms = [...new Set(words(q.slice(0, QUERY_MAX)).map(indexTerm).filter((term): term is string => term !== null))].slice(0, WORDS_MAX);
    const known = (part: string) => this.vocabulary.has(part);
    return terms.map((term, i): WordAlternatives => {
      const alternatives: WordAlternatives = [[{ term, weight: 1 }]];
      // Completions weigh less the more letters they add, typo matches the more edits they need (minisearch's weights).
      if (i === terms.length - 1 && term.length >= 2) {
        for (const completion of this.vocabulary.startingWith(term, COMPLETIONS_MAX)) {
          alternatives.push([{ term: completion, weight: PREFIX_WEIGHT * completion.length / (completion.length + 0.3 * (completion.length - term.length)) }]);
        }
      }
      // A word the index knows is no typo; an unknown one may be: one edit from four letters, two from seven.
      if (!known(term) && term.length >= 4) {
        for (const { term: match, distance } of this.scorer.fuzzy(term, term.length >= 7 ? 2 : 1)) {
          alternatives.push([{ term: match, weight: FUZZY_WEIGHT * match.length / (match.length + distance) }]);
        }
      }
      const parts = splitCompound(term, known);
      if (parts) alternatives.push(parts.map((part) => ({ term: part, weight: 1 })));
      for (const compound of this.vocabulary.endingWith(term, COMPOUNDS_MAX)) alternatives.push([{ term: compound, weight: 1 }]);
      // A term reached two ways (a completion that is also a typo match) counts once, with its first weight.
      const seen = new Set<string>();
      return alternatives.filter((terms) => terms.length > 1 || (!seen.has(terms[0]!.term) && Boolean(seen.add(terms[0]!.term))));
    });
  }

  /**
   * Ranked hits for a query, up to `limit` per kind. `visible` runs before a document is scored, so what the
   * viewer may not see is never scored, counted or kept.
   */
  rank(q: string, visible: (stored: Stored) => boolean, limit: number, combine: 'all' | 'any' = 'all'): RankedResults {
    const query = this.words(q);
    if (!query.length) return { total: 0, hits: [] };
    const { total, best } = this.scorer.top(this.scorer.score(query, visible, combine), (stored) => stored.kind, limit);
    const terms = new Set(query.flat(2).map((weighted) => weighted.term));
    return { total, hits: best.map((hit) => ({ id: hit.id, kind: hit.stored.kind, score: hit.score, terms: this.scorer.termsOf(hit.docId, terms) })) };
  }

  get size(): number {
    return this.index.documentCount;
  }
}
