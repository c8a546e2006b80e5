import { describe, expect, it } from 'vitest';
import { cleanDeep, cleanFileNameText, cleanLabel, cleanText } from './text-hygiene.js';

describe('text hygiene', () => {
  it('drops NUL and other control bytes but keeps tabs and line breaks', () => {
    expect(cleanText('a\u0000b\u0007c\td\r\ne\u007f')).toBe('abc\td\r\ne');
  });

  it('replaces lone surrogates and keeps whole pairs (emoji, rare CJK)', () => {
    expect(cleanText('x\ud800y')).toBe('x\ufffdy');
    expect(cleanText('x\udc00y')).toBe('x\ufffdy');
    expect(cleanText('end\ud83d')).toBe('end\ufffd');
    expect(cleanText('ok 😀 𠮷')).toBe('ok 😀 𠮷');
    expect(cleanText('Grüße, ß, ä')).toBe('Grüße, ß, ä');
  });

  it('takes bidirectional formatting out of file names, and the overrides out of labels', () => {
    expect(cleanFileNameText('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(cleanFileNameText('a\u2066b\u2069\u200f.txt')).toBe('ab.txt');
    expect(cleanLabel('Rechnung \u202Eexe.pdf')).toBe('Rechnung exe.pdf');
    // Arabic or Hebrew text itself stays.
    expect(cleanLabel('שלום עולם')).toBe('שלום עולם');
  });

  it('cleans every string of a parsed body at any depth, and leaves files and numbers alone', () => {
    const file = new File(['x'], 'a.txt');
    expect(cleanDeep({ subject: 'a\u0000b', tags: ['t\ud800'], nested: { n: 1, body: 'c\u0000' }, file })).toEqual({ subject: 'ab', tags: ['t\ufffd'], nested: { n: 1, body: 'c' }, file });
  });
});
