/**
 * A CSV reader after RFC 4180 (the project has no CSV package; this is the small part the device import
 * needs): fields separated by a delimiter (a comma, or the semicolon German spreadsheets write, guessed from
 * the first line), records by CRLF or LF; a quoted field may hold delimiters, line breaks and doubled quotes.
 * A byte-order mark is dropped; blank lines are skipped. Each record keeps the line it starts on, so an
 * import can name it. Malformed input (a quote inside an unquoted field, text after a closing quote, an
 * unclosed quote) is refused with its line.
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

export function parseCsv(input: string, delimiter: string = guessDelimiter(input.replace(/^\uFEFF/, ''))): CsvRecord[] {
  const text = input.replace(/^\uFEFF/, '');
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  /** The current field was quoted and its closing quote has been read. */
  let closed = false;
  const endField = () => { fields.push(field); field = ''; closed = false; };
  const endRecord = () => {
    endField();
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields });
    fields = [];
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else { quoted = false; closed = true; }
      } else {
        if (char === '\n') line++;
        field += char;
      }
      continue;
    }
    if (char === delimiter) { endField(); continue; }
    if (char === '\r' || char === '\n') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
      continue;
    }
    if (closed) throw new CsvError(line, 'quote');
    if (char === '"') {
      if (field !== '') throw new CsvError(line, 'quote');
      quoted = true;
      continue;
    }
    field += char;
  }
  if (quoted) throw new CsvError(start, 'unclosed');
  if (field !== '' || fields.length > 0 || closed) endRecord();
  return records;
}
