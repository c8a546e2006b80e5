/**
 * CSV as RFC 4180 writes it (no CSV library is installed): fields separated by commas, records by CRLF;
 * a field with a comma, a double quote, CR or LF is quoted and its quotes doubled. A field that a
 * spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a leading apostrophe
 * unless it is a plain number, so an exported name cannot turn into a formula.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows (the first one the header) as one CSV text, each record ending in CRLF. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
