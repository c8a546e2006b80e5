/**
 * The terms an index holds, for the query side of compound handling: a query word is split into
 * known words ("druckertreiber" -> drucker + treiber), and a word finds the known compounds that end
 * with it ("treiber" -> druckertreiber). Terms are only added; a rebuild of the index starts afresh.
 */
export class Vocabulary {
  private readonly terms = new Set<string>();
  /** The terms reversed and sorted, for "ends with" lookups; made again on first use after an addition. */
  private reversed: string[] | null = null;
  /** The terms sorted, for "starts with" lookups; made again on first use after an addition. */
  private sorted: string[] | null = null;

  add(term: string): void {
    if (this.terms.has(term)) return;
    this.terms.add(term);
    this.reversed = null;
    this.sorted = null;
  }

  has(term: string): boolean {
    return this.terms.has(term);
  }

  get size(): number {
    return this.terms.size;
  }

  /** Known terms longer than the prefix that start with it; at most `limit`, shortest first. */
  startingWith(prefix: string, limit = 20): string[] {
    if (!this.sorted) this.sorted = [...this.terms].sort();
    const found = collect(this.sorted, prefix, (term) => term.length > prefix.length);
    return found.sort((a, b) => a.length - b.length || (a < b ? -1 : 1)).slice(0, limit);
  }

  /** Known compounds ending with the term, with a head of at least three letters; at most `limit`, shortest first. */
  endingWith(term: string, limit = 20): string[] {
    if (term.length < 4) return [];
    if (!this.reversed) this.reversed = [...this.terms].map(reverse).sort();
    const found = collect(this.reversed, reverse(term), (reversed) => reversed.length >= term.length + 3).map(reverse);
    return found.sort((a, b) => a.length - b.length).slice(0, limit);
  }
}

/** The entries of a sorted list that start with the key and pass the test. */
function collect(list: readonly string[], key: string, keep: (item: string) => boolean): string[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  const found: string[] = [];
  for (let i = lo; i < list.length && list[i]!.startsWith(key); i++) if (keep(list[i]!)) found.push(list[i]!);
  return found;
}

function reverse(text: string): string {
  let out = '';
  for (let i = text.length - 1; i >= 0; i--) out += text[i];
  return out;
}
