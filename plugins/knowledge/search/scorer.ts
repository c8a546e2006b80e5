import type MiniSearch from 'minisearch';

/**
 * A lean scorer over minisearch's inverted index. minisearch's own `search` builds an object per matching
 * document and term and sorts them all; a common word matches thousands of entries, so that was most of a
 * search's time and garbage. This one keeps one Float64Array of scores per query word, skips what the
 * viewer may not see before scoring, and picks the best few per kind. It scores like minisearch (BM25 with
 * its defaults, field boosts, a weight per derived term) but reads the index's internals: they are checked
 * when an index is made (`internalsOf` throws if a minisearch update changed them; the search tests fail).
 */

type Postings = Map<number, Map<number, number>>;
interface Internals {
  _index: { get(term: string): Postings | undefined; fuzzyGet(term: string, distance: number): Map<string, [Postings, number]> };
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _documentCount: number;
  _documentIds: Map<number, unknown>;
  _storedFields: Map<number, Record<string, unknown>>;
  _nextId: number;
  _dirtCount: number;
}

export function internalsOf(index: MiniSearch<never> | MiniSearch<any>): Internals {
  const internals = index as unknown as Internals;
  if (typeof internals._index?.get !== 'function' || typeof internals._index.fuzzyGet !== 'function' || !(internals._fieldLength instanceof Map)
    || !(internals._documentIds instanceof Map) || !(internals._storedFields instanceof Map) || typeof internals._fieldIds !== 'object'
    || typeof internals._dirtCount !== 'number' || typeof internals._nextId !== 'number') {
    throw new Error('minisearch internals changed: plugins/knowledge/search/scorer.ts needs an update');
  }
  return internals;
}

const BM25 = { k: 1.2, b: 0.7, d: 0.5 };

/** A term with its weight (1 for the word itself, less for completions and typo matches). */
export interface WeightedTerm { term: string; weight: number }
/** One query word: any of its alternatives, each a set of terms that must all match (a compound's parts) or one term. */
export type WordAlternatives = WeightedTerm[][];

export class Scorer<S> {
  private readonly internals: Internals;
  constructor(index: MiniSearch<any>, private readonly boosts: Record<string, number>) {
    this.internals = internalsOf(index);
  }

  /** Typo matches of a term: terms within `distance` edits with their distance (the term itself left out). */
  fuzzy(term: string, distance: number): Array<{ term: string; distance: number }> {
    const found: Array<{ term: string; distance: number }> = [];
    for (const [match, [, d]] of this.internals._index.fuzzyGet(term, distance)) if (d > 0) found.push({ term: match, distance: d });
    return found;
  }

  /** Adds a term's BM25 score, field by field, for every visible document into `into` (marks `hit`). */
  private addTerm(term: string, weight: number, visible: (docId: number) => boolean, into: Float64Array): void {
    const postings = this.internals._index.get(term);
    if (!postings) return;
    const { _fieldIds: fieldIds, _fieldLength: fieldLength, _avgFieldLength: avg, _documentCount: total, _documentIds: ids } = this.internals;
    for (const field in this.boosts) {
      const fieldId = fieldIds[field]!;
      const frequencies = postings.get(fieldId);
      if (!frequencies) continue;
      // Discarded documents stay in the postings until vacuumed: counted, they would make the idf negative.
      let matching = frequencies.size;
      if (this.internals._dirtCount > 0) for (const docId of frequencies.keys()) if (!ids.has(docId)) matching--;
      const idf = Math.log(1 + (total - matching + 0.5) / (matching + 0.5));
      const factor = weight * this.boosts[field]! * idf;
      for (const [docId, frequency] of frequencies) {
        // A discarded document stays in the postings until vacuumed.
        if (!ids.has(docId) || !visible(docId)) continue;
        const length = fieldLength.get(docId)![fieldId]!;
        into[docId]! += factor * (BM25.d + frequency * (BM25.k + 1) / (frequency + BM25.k * (1 - BM25.b + BM25.b * length / avg[fieldId]!)));
      }
    }
  }

  /**
   * Every word must match (AND; with `any`, at least one: a ticket's text as the query) through one of its alternatives (OR, scores summed); an alternative of
   * several terms needs them all. Returns the documents' scores (0 = no match) indexed by internal id.
   */
  score(words: readonly WordAlternatives[], visibleStored: (stored: S) => boolean, combine: 'all' | 'any' = 'all'): Float64Array {
    const size = this.internals._nextId;
    const seen = new Int8Array(size);
    const stored = this.internals._storedFields;
    const visible = (docId: number) => {
      const known = seen[docId]!;
      if (known) return known === 1;
      const ok = visibleStored(stored.get(docId) as S);
      seen[docId] = ok ? 1 : 2;
      return ok;
    };
    let total: Float64Array | null = null;
    for (const alternatives of words) {
      const word = new Float64Array(size);
      for (const terms of alternatives) {
        if (terms.length === 1) {
          this.addTerm(terms[0]!.term, terms[0]!.weight, visible, word);
          continue;
        }
        let all: Float64Array | null = null;
        for (const { term, weight } of terms) {
          const part = new Float64Array(size);
          this.addTerm(term, weight, visible, part);
          all = all ? and(all, part) : part;
        }
        if (all) for (let i = 0; i < size; i++) word[i]! += all[i]!;
      }
      total = total ? (combine === 'all' ? and(total, word) : or(total, word)) : word;
    }
    return total ?? new Float64Array(size);
  }

  /** The best `limit` documents per group (by `groupOf` their stored fields), and how many matched at all. */
  top(scores: Float64Array, groupOf: (stored: S) => string, limit: number): { total: number; best: Array<{ docId: number; id: number; score: number; stored: S }> } {
    const { _storedFields: stored, _documentIds: ids } = this.internals;
    const groups = new Map<string, Array<{ docId: number; score: number }>>();
    let total = 0;
    for (let docId = 0; docId < scores.length; docId++) {
      const score = scores[docId]!;
      if (score <= 0) continue;
      total++;
      const group = groupOf(stored.get(docId) as S);
      let list = groups.get(group);
      if (!list) groups.set(group, (list = []));
      if (list.length < limit) {
        list.push({ docId, score });
        if (list.length === limit) list.sort(byScore);
      } else if (score > list[limit - 1]!.score) {
        list[limit - 1] = { docId, score };
        list.sort(byScore);
      }
    }
    const best = [...groups.values()].flatMap((list) => list.sort(byScore))
      .map(({ docId, score }) => ({ docId, id: ids.get(docId) as number, score, stored: stored.get(docId) as S }));
    return { total, best };
  }

  /** Which of these terms a document has (for highlighting a hit). */
  termsOf(docId: number, terms: Iterable<string>): string[] {
    const found: string[] = [];
    for (const term of terms) {
      const postings = this.internals._index.get(term);
      if (postings && [...postings.values()].some((frequencies) => frequencies.has(docId))) found.push(term);
    }
    return found;
  }
}

function byScore(a: { score: number; docId: number }, b: { score: number; docId: number }): number {
  return b.score - a.score || a.docId - b.docId;
}

/** Sum of both (written into `a`). */
function or(a: Float64Array, b: Float64Array): Float64Array {
  for (let i = 0; i < a.length; i++) a[i]! += b[i]!;
  return a;
}

/** Sum where both matched, else 0 (written into `a`). */
function and(a: Float64Array, b: Float64Array): Float64Array {
  for (let i = 0; i < a.length; i++) a[i] = a[i]! > 0 && b[i]! > 0 ? a[i]! + b[i]! : 0;
  return a;
}
