import { describe, expect, it } from 'vitest';
import { findImports, maskSource } from './find-imports.js';

const specifiers = (source: string) => findImports(source).map((reference) => reference.specifier);

describe('findImports', () => {
  it('finds every form of import and re-export, with its line and whether it is type-only', () => {
    const source = [
      "import { a } from './a.js';",
      "import type { B } from './b.js';",
      "import c, { type D } from './c.js';",
      "import * as e from 'e';",
      "import './side-effect.js';",
      "export { f } from './f.js';",
      "export type { G } from './g.js';",
      "export * from './h.js';",
      "const i = await import('./i.js');",
      "type J = typeof import('./j.js');",
      "const k = require('k');",
      'import {',
      '  l,',
      '  m,',
      "} from './lm.js';",
    ].join('\n');
    expect(findImports(source)).toEqual([
      { specifier: './a.js', typeOnly: false, line: 1 },
      { specifier: './b.js', typeOnly: true, line: 2 },
      // Kept at run time under verbatimModuleSyntax (as `import {} from`), so it is no type-only import.
      { specifier: './c.js', typeOnly: false, line: 3 },
      { specifier: 'e', typeOnly: false, line: 4 },
      { specifier: './side-effect.js', typeOnly: false, line: 5 },
      { specifier: './f.js', typeOnly: false, line: 6 },
      { specifier: './g.js', typeOnly: true, line: 7 },
      { specifier: './h.js', typeOnly: false, line: 8 },
      { specifier: './i.js', typeOnly: false, line: 9 },
      { specifier: './j.js', typeOnly: true, line: 10 },
      { specifier: 'k', typeOnly: false, line: 11 },
      { specifier: './lm.js', typeOnly: false, line: 15 },
    ]);
  });

  it('ignores imports in comments, strings, template text and regular expressions', () => {
    const source = [
      "// import { x } from './line-comment.js';",
      "/* import { y } from './block-comment.js'; */",
      "const s = \"import { z } from './string.js'\";",
      'const t = `',
      "import { w } from './template.js';",
      '`;',
      "const quote = /['\"`]/g;",
      "const url = new URL('./asset.css', import.meta.url);",
      "export const from = './not-a-re-export.js';",
      "const label = `${x} import('./in-template-text.js')`;",
      "import { real } from './real.js';",
    ].join('\n');
    expect(specifiers(source)).toEqual(['./real.js']);
  });

  it('reads code inside template expressions and TSX with closing tags and apostrophes', () => {
    const source = [
      'const html = `<p>${(await import(`x`), await import(\'./inside-expression.js\'))}</p>`;',
      "const view = <p class={`a ${b ? 'c' : `d`}`}>Don't <b>worry</b></p>;",
      "import { after } from './after.js';",
    ].join('\n');
    expect(specifiers(source)).toEqual(['./inside-expression.js', './after.js']);
  });

  it('keeps the length and the line breaks of the source', () => {
    const source = "a /* b\nc */ 'd'\n`e${f}g`";
    const masked = maskSource(source);
    expect(masked.length).toBe(source.length);
    expect(masked.split('\n').length).toBe(3);
    expect(masked).toBe("a     \n     ' '\n` ${f} `");
  });
});
