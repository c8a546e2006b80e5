import { describe, expect, it } from 'vitest';
import { csvDocument, csvLine, csvText } from './csv.js';

describe('the CSV writer (RFC 4180)', () => {
  it('quotes fields with commas, quotes and line breaks, doubling the quotes, and ends every record in CRLF', () => {
    expect(csvDocument([['group', 'met'], ['First, second', 3], ['Say "hi"', 0], ['two\nlines', null], ['cr\rhere', 1.5]]))
      .toBe('group,met\r\n"First, second",3\r\n"Say ""hi""",0\r\n"two\nlines",\r\n"cr\rhere",1.5\r\n');
  });

  it('leaves plain text and numbers alone and defuses formulas but not numbers written as text', () => {
    expect(csvText('ACME')).toBe('ACME');
    expect(csvText(-12)).toBe('-12');
    expect(csvText('-12.5')).toBe('-12.5');
    expect(csvText('@sum')).toBe("'@sum");
    expect(csvText(undefined)).toBe('');
    expect(csvLine(['plain', 'a,b', 'say "hi"', null, 3.5, '=HYPERLINK("x")', '-1', '@x', '+49 40 1234']))
      .toBe('plain,"a,b","say ""hi""",,3.5,"\'=HYPERLINK(""x"")",-1,\'@x,\'+49 40 1234');
  });

  it('writes umlauts and other letters as they are (the download adds the byte-order mark)', () => {
    expect(csvDocument([['Müller', 'Æsir ✓']])).toBe('Müller,Æsir ✓\r\n');
  });
});
