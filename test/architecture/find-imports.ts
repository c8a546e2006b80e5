/** One module reference in a source file: `import … from`, `export … from`, `import()`, `require()`. */
export interface ImportReference {
  specifier: string;
  /** `import type`, `export type … from` or `typeof import(…)`: erased at run time, still a dependency. */
  typeOnly: boolean;
  /** 1-based line of the specifier. */
  line: number;
}

/**
 * Keywords after which a `/` starts a regular expression, not a division. After `<` and `>` it
 * does not: in TSX that is a closing tag (`</p>`) or text.
 */
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'instanceof', 'yield', 'await']);

/**
 * The source with comments, regular expressions and template text replaced by spaces and the
 * contents of '…' and "…" strings replaced by spaces (the quotes stay). Same length and the same
 * line breaks as the source, so an offset in it is an offset in the source. JSX text is read as
 * code: an apostrophe in it opens a string that ends at the line's end at the latest.
 */
export function maskSource(source: string): string {
  const out = source.split('');
  const blank = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (out[i] !== '\n' && out[i] !== '\r') out[i] = ' ';
  };
  // Open template literals' brace depths: a `}` at depth 0 of the top one returns into its text.
  const templates: number[] = [];
  let depth = 0;
  let lastSignificant = '';
  let lastWord = '';
  let i = 0;
  const n = source.length;
  const readTemplateText = () => {
    // i is just after a backtick or a `}` closing `${`; returns after the closing backtick or `${`.
    const start = i;
    while (i < n) {
      const ch = source[i]!;
      if (ch === '\\') { i += 2; continue; }
      if (ch === '`') { blank(start, i); i++; lastSignificant = '`'; lastWord = ''; return; }
      if (ch === '$' && source[i + 1] === '{') {
        blank(start, i);
        i += 2;
        templates.push(depth);
        depth = 0;
        lastSignificant = '{';
        lastWord = '';
        return;
      }
      i++;
    }
    blank(start, n);
  };
  while (i < n) {
    const ch = source[i]!;
    const next = source[i + 1];
    if (ch === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (ch === '\'' || ch === '"') {
      const start = i;
      i++;
      while (i < n && source[i] !== ch && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
      blank(start + 1, Math.min(i, n));
      if (source[i] === ch) i++;
      lastSignificant = ch;
      lastWord = '';
      continue;
    }
    if (ch === '`') {
      i++;
      readTemplateText();
      continue;
    }
    if (ch === '/' && (lastSignificant === '' || '(,=:[!&|?{};+-*%~^'.includes(lastSignificant) || REGEX_AFTER_WORD.has(lastWord))) {
      const start = i;
      i++;
      let inClass = false;
      while (i < n && source[i] !== '\n') {
        const c = source[i]!;
        if (c === '\\') { i += 2; continue; }
        if (c === '[') inClass = true;
        else if (c === ']') inClass = false;
        else if (c === '/' && !inClass) break;
        i++;
      }
      i++;
      while (i < n && /[a-z]/i.test(source[i]!)) i++;
      blank(start, i);
      lastSignificant = '/';
      lastWord = '';
      continue;
    }
    if (ch === '{') depth++;
    if (ch === '}') {
      if (depth === 0 && templates.length) {
        depth = templates.pop()!;
        i++;
        readTemplateText();
        continue;
      }
      depth--;
    }
    if (/[\w$]/.test(ch)) {
      let end = i;
      while (end < n && /[\w$]/.test(source[end]!)) end++;
      lastWord = source.slice(i, end);
      lastSignificant = 'a';
      i = end;
      continue;
    }
    if (!/\s/.test(ch)) {
      lastSignificant = ch;
      lastWord = '';
    }
    i++;
  }
  return out.join('');
}

// On the masked text: a string's contents are spaces, so `[^'";]` never runs through a string.
const STATIC_FROM = /(?<![\w$.])(import|export)(\s+type\b)?([^'";]*?)\bfrom\s*(['"])/g;
const SIDE_EFFECT = /(?<![\w$.])import\s*(['"])/g;
const CALL = /(?<![\w$.])(typeof\s+)?(import|require)\s*\(\s*(['"])/g;

/** Every module reference in a TypeScript or TSX source, in source order. */
export function findImports(source: string): ImportReference[] {
  const masked = maskSource(source);
  const found: Array<ImportReference & { at: number }> = [];
  const add = (quoteAt: number, typeOnly: boolean) => {
    const quote = source[quoteAt]!;
    const end = source.indexOf(quote, quoteAt + 1);
    if (end === -1) return;
    const line = source.slice(0, quoteAt).split('\n').length;
    found.push({ specifier: source.slice(quoteAt + 1, end), typeOnly, line, at: quoteAt });
  };
  for (const match of masked.matchAll(STATIC_FROM)) {
    const clause = match[3]!;
    // `export … from` needs braces or `*`: `export const from = 'x'` is no re-export.
    if (match[1] === 'export' && !/[{*]/.test(clause)) continue;
    // `import type from 'x'` imports a default export named `type`.
    const typeOnly = Boolean(match[2]) && clause.trim() !== '';
    add(match.index + match[0].length - 1, typeOnly);
  }
  for (const match of masked.matchAll(SIDE_EFFECT)) add(match.index + match[0].length - 1, false);
  for (const match of masked.matchAll(CALL)) add(match.index + match[0].length - 1, Boolean(match[1]));
  return found.sort((a, b) => a.at - b.at).map(({ at: _at, ...reference }) => reference);
}
