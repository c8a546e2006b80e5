/**
 * One CSV document (RFC 4180: commas, CRLF, fields with a comma, quote or line break quoted with
 * their quotes doubled). A text field a spreadsheet would run as a formula (starting with =, +, -,
 * @, tab or CR) gets a leading apostrophe, so an exported name never turns into one.
 */
export function csvDocument(rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>): string {
  return rows.map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
