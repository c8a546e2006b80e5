import { CsvError as ParseError, parse } from 'csv-parse/sync';

/**
 * The device import's CSV reader: a thin wrapper over csv-parse (RFC 4180) that keeps what the import needs
 * from it: the delimiter guessed from the first line (a comma, or the semicolon German spreadsheets write),
 * records ended by CRLF, LF or CR, a byte-order mark dropped, blank lines skipped, and each record with the
 * line it STARTS on (quoted line breaks count), so an import can name it. Malformed input (a quote inside an
 * unquoted field, text after a closing quote, an unclosed quote) is refused with its line.
 */
export interface CsvRecord { line: number; fields: string[] }

export class CsvError extends Error {
  constructor(readonly line: number, readonly reason: 'quote' | 'unclosed') {
    super(`CSV ${reason} at line ${line}`);
  }
}

/** The delimiter of the first line outside quotes: the more frequent of comma and semicolon (a comma on a tie). */
export function guessDelimiter(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char === ',') commas++;
    else if (!quoted && char === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

const BREAKS = /\r\n|\n|\r/g;
const breaks = (text: string) => text.match(BREAKS)?.length ?? 0;
/** csv-parse counts a CRLF inside a quoted field as two lines (each character); a file's lines count it once. */
const libraryBreaks = (text: string) => text.match(/[\r\n]/g)?.length ?? 0;

export function parseCsv(input: string, delimiter: string = guessDelimiter(input.replace(/^\uFEFF/, ''))): CsvRecord[] {
  const text = input.replace(/^\uFEFF/, '');
  const records: CsvRecord[] = [];
  /** How many lines the library has counted too many so far (CRLFs inside quotes). */
  let extra = 0;
  let lastEnd = 0;
  try {
    parse(text, {
      delimiter, record_delimiter: ['\r\n', '\n', '\r'], skip_empty_lines: true, relax_column_count: true,
      on_record: (record, info) => {
        // The library names the line a record ends on; it starts as many line breaks earlier as its quoted fields hold.
        const start = info.lines - record.reduce((sum, f) => sum + libraryBreaks(f), 0) - extra;
        extra += record.reduce((sum, f) => sum + libraryBreaks(f) - breaks(f), 0);
        lastEnd = info.lines - extra;
        records.push({ line: start, fields: record });
        return null;
      },
    });
    return records;
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    if (error.code !== 'CSV_QUOTE_NOT_CLOSED') throw new CsvError((error as ParseError & { lines: number }).lines - extra, 'quote');
    // An unclosed quote runs to the end: name the line its record starts on, the first non-blank line after the last whole record.
    const lines = text.split(BREAKS);
    let line = lastEnd + 1;
    while (line < lines.length && lines[line - 1]!.trim() === '') line++;
    throw new CsvError(line, 'unclosed');
  }
}
