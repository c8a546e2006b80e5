import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './csv.js';

describe('CSV (RFC 4180)', () => {
  it('quotes fields with commas, quotes and line breaks, doubling the quotes, and ends every record in CRLF', () => {
    expect(toCsv([['group', 'met'], ['First, second', 3], ['Say "hi"', 0], ['two\nlines', null], ['cr\rhere', 1.5]]))
      .toBe('group,met\r\n"First, second",3\r\n"Say ""hi""",0\r\n"two\nlines",\r\n"cr\rhere",1.5\r\n');
  });
  it('leaves plain text and numbers alone and defuses formulas but not negative numbers', () => {
    expect(csvField('ACME')).toBe('ACME');
    expect(csvField(-12)).toBe('-12');
    expect(csvField('-12.5')).toBe('-12.5');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('@sum')).toBe("'@sum");
    expect(csvField('')).toBe('');
  });
});
