/**
 * Rows per multi-row statement (an insert's VALUES or an IN list): well under SQLite's 32,766 bound parameters and
 * PostgreSQL's 65,535 for rows of up to ~60 columns, and short enough that one statement stays quick.
 */
export const ROWS_PER_STATEMENT = 500;

/** The list in consecutive slices of at most `size` items, for statements that take a bounded number of rows. */
export function* chunks<T>(items: readonly T[], size = ROWS_PER_STATEMENT): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
