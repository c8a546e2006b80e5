import { stringify } from 'csv-stringify/sync';

/**
 * The one CSV writer (RFC 4180 through csv-stringify): fields separated by commas, records ended by CRLF; a field
 * with a comma, a quote or a line break is quoted with its quotes doubled. A text field a spreadsheet would run as a
 * formula (starting with =, +, -, @, tab or CR) gets a leading apostrophe unless it is a plain number, so an
 * exported name never turns into one; numbers are written as they are.
 */
export type CsvCell = string | number | null | undefined;

const FORMULA = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/** One cell as text before quoting: empty for none, a formula defused. */
export function csvText(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return String(cell);
  return FORMULA.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

/** Rows (the first one usually the header) as one CSV text, every record ended by CRLF. */
export function csvDocument(rows: ReadonlyArray<ReadonlyArray<CsvCell>>): string {
  // csv-stringify quotes commas and quotes itself; a CR or LF inside a field must be quoted too.
  return stringify(rows.map((row) => row.map(csvText)), { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}

/** One record without its line end (for streaming a long export line by line). */
export function csvLine(cells: ReadonlyArray<CsvCell>): string {
  return csvDocument([cells]).replace(/\r\n$/, '');
}
