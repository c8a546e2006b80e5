import { sql, type RawBuilder } from 'kysely';

/**
 * A phone field as the index of migration 0017-phone-lookup keeps it: blanks, dashes, slashes, dots and brackets
 * removed, "+" written as "00" ("+49 (0)30 1234-56" → "0049030123456"). Compare it with `in` against the forms a
 * number may be stored in; the expression is the index's, character for character, so both dialects use the index.
 * `table` is `people` or `organisations` (or their alias in the query).
 */
export function phoneKey(table: 'people' | 'organisations' | 'p' | 'o'): RawBuilder<string> {
  const column = sql.ref(`${table}.phone`);
  return sql<string>`replace(replace(replace(replace(replace(replace(replace(${column}, ' ', ''), '-', ''), '/', ''), '.', ''), '(', ''), ')', ''), '+', '00')`;
}
