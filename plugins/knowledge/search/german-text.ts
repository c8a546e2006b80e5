/**
 * German-aware text handling for the knowledge search: words, their folded form and compound parts.
 *
 * Folding maps every spelling of a word to one index term, applied alike to documents and queries:
 * lower case, ß -> ss, accents and umlauts to their base letter (ä -> a), and the spelled-out umlauts
 * ae/oe/ue to the base letter too, so "Drücker", "Druecker" and "Drucker" are one term. The price is
 * a rare collision (e.g. "Poet" and "Pot"), which costs a little precision and never hides a match.
 */

const WORD = /[\p{L}\p{N}]+/gu;

/** Words too common to help a search, in both languages (folded). */
const STOP_WORDS = new Set([
  'der', 'die', 'das', 'den', 'dem', 'des', 'ein', 'eine', 'einen', 'einem', 'einer', 'und', 'oder', 'ist', 'sind', 'im', 'in', 'zu', 'zum', 'zur',
  'mit', 'von', 'auf', 'fur', 'an', 'am', 'es', 'sich', 'nicht', 'wie', 'the', 'a', 'an', 'of', 'to', 'and', 'or', 'is', 'are', 'in', 'on', 'for', 'it', 'with',
]);

/** The one index term of a word (see above); idempotent. */
export function foldTerm(word: string): string {
  let term = word.toLowerCase();
  // Only non-ASCII words need the Unicode work (most words in a text are plain ASCII).
  if (/[^\x00-\x7f]/.test(term)) term = term.replace(/ß/g, 'ss').normalize('NFD').replace(/\p{M}+/gu, '');
  return term.includes('e') ? term.replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/ue/g, 'u') : term;
}

/** The words of a text, as they are written. */
export function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** A word and where it stands in its text. */
export interface WordAt { word: string; start: number; end: number }

export function wordsAt(text: string): WordAt[] {
  const found: WordAt[] = [];
  for (const match of text.matchAll(WORD)) found.push({ word: match[0], start: match.index, end: match.index + match[0].length });
  return found;
}

/** A word's index term, or null for a stop word or a single character. */
export function indexTerm(word: string): string | null {
  const term = foldTerm(word);
  if (term.length < 2 || STOP_WORDS.has(term)) return null;
  return term;
}

/** Long words are often compounds: their tails ("druckertreiber" -> "treiber") are indexed too, in a weakly boosted field. */
export const COMPOUND_MIN = 10;
const PART_MIN = 4;

/** The tails of a long word's term (at least four letters, after a head of at least four). */
export function compoundTails(term: string): string[] {
  if (term.length < COMPOUND_MIN) return [];
  const tails: string[] = [];
  for (let start = PART_MIN; start <= term.length - PART_MIN; start++) tails.push(term.slice(start));
  return tails;
}

/**
 * Splits a query term into words the index knows ("druckertreiber" -> ["drucker", "treiber"]),
 * allowing a linking "s" between parts ("versicherungsnummer"); the split with the fewest parts,
 * each of at least three letters, or null when there is none.
 */
export function splitCompound(term: string, known: (part: string) => boolean): string[] | null {
  const n = term.length;
  if (n < 6 || n > 64) return null;
  // best[i]: the fewest known parts covering term[0, i), and the parts.
  const best: Array<string[] | null> = Array.from({ length: n + 1 }, () => null);
  best[0] = [];
  for (let i = 0; i < n; i++) {
    const before = best[i];
    if (!before) continue;
    for (let j = i + 3; j <= n; j++) {
      // The whole word is no split of itself, even when the index knows it.
      if (i === 0 && j === n) continue;
      const part = term.slice(i, j);
      if (!known(part)) continue;
      const parts = [...before, part];
      // A linking "s" may follow a part (Versicherung-s-nummer).
      for (const next of term[j] === 's' && j < n ? [j, j + 1] : [j]) {
        const current = best[next];
        if (!current || current.length > parts.length) best[next] = parts;
      }
    }
  }
  const parts = best[n];
  return parts && parts.length >= 2 ? parts : null;
}
