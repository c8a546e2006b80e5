/**
 * CSV as RFC 4180 writes it: fields separated by commas, records by CRLF; a field with a comma, a quote or a
 * line break is quoted, its quotes doubled. A text field starting with = + - @ or a tab is prefixed with an
 * apostrophe, so a spreadsheet does not run it as a formula (numbers are written as they are).
 */
export type CsvCell = string | number | null;

const FORMULA = /^[=+\-@\t\r]/;

function field(cell: CsvCell): string {
  if (cell === null) return '';
  const text = typeof cell === 'number' ? String(cell) : FORMULA.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly CsvCell[]): string {
  return cells.map(field).join(',');
}

/** A whole document: a header and the rows, each line ended by CRLF (a byte-order mark lets spreadsheets read UTF-8). */
export function csvDocument(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  return `\uFEFF${[header, ...rows].map(csvLine).join('\r\n')}\r\n`;
}
