import { foldTerm, wordsAt } from './german-text.js';

/** A piece of text, marked when it matched the search. Views render pieces as text, so nothing in them is markup. */
export interface Segment { text: string; mark: boolean }

const SNIPPET_CHARS = 180;

function matches(word: string, terms: readonly string[]): boolean {
  const folded = foldTerm(word);
  // A matched term marks the word it starts, or a compound it ends ("treiber" in "Druckertreiber").
  return terms.some((term) => folded.startsWith(term) || (term.length >= 4 && folded.endsWith(term)));
}

/** The whole text in pieces, the matching words marked. */
export function highlight(text: string, terms: readonly string[]): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (const word of wordsAt(text)) {
    if (!matches(word.word, terms)) continue;
    if (word.start > at) segments.push({ text: text.slice(at, word.start), mark: false });
    segments.push({ text: word.word, mark: true });
    at = word.end;
  }
  if (at < text.length) segments.push({ text: text.slice(at), mark: false });
  return segments;
}

/** About SNIPPET_CHARS of the text around its first matching word (its start when none matches), marked. */
export function snippet(text: string, terms: readonly string[]): Segment[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= SNIPPET_CHARS) return highlight(flat, terms);
  const first = wordsAt(flat).find((word) => matches(word.word, terms));
  let start = first ? Math.max(0, first.start - SNIPPET_CHARS / 3) : 0;
  if (start > 0) start = flat.indexOf(' ', start) + 1 || start;
  let end = Math.min(flat.length, start + SNIPPET_CHARS);
  if (end < flat.length) end = flat.lastIndexOf(' ', end) > start ? flat.lastIndexOf(' ', end) : end;
  const pieces = highlight(flat.slice(start, end), terms);
  if (start > 0) pieces.unshift({ text: '… ', mark: false });
  if (end < flat.length) pieces.push({ text: ' …', mark: false });
  return pieces;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Pieces as HTML: every text escaped, matches in <mark> (for an API or a fragment that needs a string). */
export function segmentsToHtml(segments: readonly Segment[]): string {
  return segments.map((s) => {
    const text = s.text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
    return s.mark ? `<mark>${text}</mark>` : text;
  }).join('');
}
