/** One piece of a difference between two texts: kept, removed from the old one, or added in the new one. */
export interface DiffPart { op: 'same' | 'del' | 'add'; text: string }

/** Above this many cells the diff gives up on alignment and shows the whole old text removed and the new added. */
const MAX_CELLS = 4_000_000;

/** The difference of two token lists by their longest common subsequence. */
export function diffTokens(a: readonly string[], b: readonly string[]): DiffPart[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const head = a.slice(0, start).map((text): DiffPart => ({ op: 'same', text }));
  const tail = a.slice(endA).map((text): DiffPart => ({ op: 'same', text }));
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  let middle: DiffPart[];
  if (x.length * y.length > MAX_CELLS) {
    middle = [...x.map((text): DiffPart => ({ op: 'del', text })), ...y.map((text): DiffPart => ({ op: 'add', text }))];
  } else {
    // lcs[i][j]: the common length of x[i..] and y[j..].
    const width = y.length + 1;
    const lcs = new Uint32Array((x.length + 1) * width);
    for (let i = x.length - 1; i >= 0; i--) {
      for (let j = y.length - 1; j >= 0; j--) {
        lcs[i * width + j] = x[i] === y[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
      }
    }
    middle = [];
    let i = 0;
    let j = 0;
    while (i < x.length && j < y.length) {
      if (x[i] === y[j]) { middle.push({ op: 'same', text: x[i]! }); i++; j++; }
      else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) middle.push({ op: 'del', text: x[i++]! });
      else middle.push({ op: 'add', text: y[j++]! });
    }
    while (i < x.length) middle.push({ op: 'del', text: x[i++]! });
    while (j < y.length) middle.push({ op: 'add', text: y[j++]! });
  }
  return merge([...head, ...middle, ...tail]);
}

/** Neighbouring parts of one kind as one. */
function merge(parts: DiffPart[]): DiffPart[] {
  const merged: DiffPart[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (last && last.op === part.op) last.text += part.text;
    else merged.push({ ...part });
  }
  return merged;
}

/** Word by word (spaces kept with the words), so a changed word shows where it stands. */
export function diffText(before: string, after: string): DiffPart[] {
  const tokens = (text: string) => text.match(/\s+|[^\s]+/g) ?? [];
  return diffTokens(tokens(before), tokens(after));
}
