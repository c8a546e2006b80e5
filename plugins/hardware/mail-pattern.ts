/** The inventory number in a subject such as "Printer jams [INV-1234]" (the setting's default; its first group is the number). */
export const DEFAULT_MAIL_PATTERN = String.raw`\[(INV-[^\]\s]+)\]`;

/** A pattern the setting accepts: it compiles, has a group for the number, and is short. */
export function mailPatternProblem(pattern: string): string | null {
  if (pattern.length > 200) return 'hardware.field.tooLong';
  try {
    // A regular expression with at least one capturing group: the alternation with '' matches at once and counts the groups.
    const groups = new RegExp(`${pattern}|`).exec('')!.length - 1;
    return groups >= 1 ? null : 'hardware.settings.mailPatternGroup';
  } catch {
    return 'hardware.settings.mailPatternInvalid';
  }
}
