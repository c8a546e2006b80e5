import { describe, expect, it } from 'vitest';
import { csvDocument, csvLine } from '../../core/plugin-api.js';
import { CsvError, guessDelimiter, parseCsv } from './csv-parse.js';

describe('CSV after RFC 4180', () => {
  it('reads plain, quoted and empty fields with CRLF or LF, keeping each record\'s first line', () => {
    expect(parseCsv('a,b,c\r\n1,"two, too",\n"x ""y""",,"multi\nline"\n\n4,5,6')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'two, too', ''] },
      { line: 3, fields: ['x "y"', '', 'multi\nline'] },
      { line: 6, fields: ['4', '5', '6'] },
    ]);
  });

  it('drops a byte-order mark, ends without a final line break, and keeps an empty quoted last field', () => {
    expect(parseCsv('\uFEFFa,b\r\n1,""')).toEqual([{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['1', ''] }]);
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('h\r\n"x","l1\r\nl2"\r\n\r\nB\r\n"C\r\n\r\nD"\nE').map((r) => r.line)).toEqual([1, 2, 5, 6, 9]);
    expect(parseCsv('\r\n\r\n')).toEqual([]);
  });

  it('guesses the semicolon German spreadsheets write, ignoring delimiters inside quotes', () => {
    expect(guessDelimiter('a;b;"c,d,e"\n1,2')).toBe(';');
    expect(guessDelimiter('a,b;c')).toBe(',');
    expect(parseCsv('Inventar;Notiz\nINV-1;"a;b"')).toEqual([{ line: 1, fields: ['Inventar', 'Notiz'] }, { line: 2, fields: ['INV-1', 'a;b'] }]);
  });

  it('refuses stray and unclosed quotes with their line', () => {
    expect(() => parseCsv('a,b\n1,x"y')).toThrow(CsvError);
    expect(() => parseCsv('a,b\n1,"x"y')).toThrowError(expect.objectContaining({ line: 2, reason: 'quote' }));
    expect(() => parseCsv('a\n"open\nstill')).toThrowError(expect.objectContaining({ line: 2, reason: 'unclosed' }));
    expect(() => parseCsv('a\r\n"b\nc",d\r\n\r\n"open')).toThrowError(expect.objectContaining({ line: 5, reason: 'unclosed' }));
    expect(() => parseCsv('a\r\n"b\r\nc"\r\n"open')).toThrowError(expect.objectContaining({ line: 4, reason: 'unclosed' }));
    expect(() => parseCsv('a\r\n"b\r\nc"\r\n"d"x')).toThrowError(expect.objectContaining({ line: 4, reason: 'quote' }));
    expect(() => parseCsv('"open')).toThrowError(expect.objectContaining({ line: 1, reason: 'unclosed' }));
    expect(() => parseCsv('a;b\r1;"x"y', ';')).toThrowError(expect.objectContaining({ line: 2, reason: 'quote' }));
  });

  it('writes what it reads back, quoting where needed and defusing formulas', () => {
    expect(csvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', null, 3.5, '=SUM(A1)', '-1', '@x'])).toBe('plain,"a,b","say ""hi""","two\nlines",,3.5,\'=SUM(A1),-1,\'@x');
    const document = `\uFEFF${csvDocument([['a', 'b'], ['1', 'x, y'], ['"q"', null]])}`;
    expect(parseCsv(document)).toEqual([{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['1', 'x, y'] }, { line: 3, fields: ['"q"', ''] }]);
  });
});
