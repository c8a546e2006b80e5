import { stringify } from 'csv-stringify/sync';

/**
 * CSV as RFC 4180 writes it, through csv-stringify: fields separated by commas, records by CRLF; a field with a
 * comma, a quote or a line break is quoted, its quotes doubled. A text field starting with = + - @ or a tab is
 * prefixed with an apostrophe, so a spreadsheet does not run it as a formula (numbers are written as they are).
 */
export type CsvCell = string | number | null;

const FORMULA = /^[=+\-@\t\r]/;
const defuse = (cell: CsvCell): string => cell === null ? '' : typeof cell === 'number' ? String(cell) : FORMULA.test(cell) ? `'${cell}` : cell;

function write(rows: ReadonlyArray<readonly CsvCell[]>): string {
  return stringify(rows.map((row) => row.map(defuse)), { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}

export function csvLine(cells: readonly CsvCell[]): string {
  return write([cells]).replace(/\r\n$/, '');
}

/** A whole document: a header and the rows, each line ended by CRLF (a byte-order mark lets spreadsheets read UTF-8). */
export function csvDocument(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  return `\uFEFF${write([header, ...rows])}`;
}
