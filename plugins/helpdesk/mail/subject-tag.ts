/** The ticket number in subjects, as the tenant's template says (default `[#{number}]`). */
const NUMBER = '(\\d{4}-\\d{4,9})';

function pattern(template: string): RegExp {
  const [before, after] = template.split('{number}') as [string, string];
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${escape(before)}\\s*${NUMBER}\\s*${escape(after ?? '')}`, 'i');
}

/** The ticket number a subject carries, or null. */
export function numberInSubject(subject: string, template: string): string | null {
  return pattern(template).exec(subject)?.[1] ?? null;
}

/** The subject with the ticket's tag, once (an existing tag is kept, not repeated). */
export function taggedSubject(subject: string, number: string, template: string): string {
  if (numberInSubject(subject, template) === number) return subject;
  return `${template.replace('{number}', number)} ${subject}`.trim();
}

/** Strips Re:/AW:/Fwd: prefixes and the tag, for the subject of a new ticket. */
export function cleanSubject(subject: string, template: string): string {
  return subject.replace(pattern(template), '').replace(/^\s*((re|aw|fwd?|wg|sv|vs|antw)\s*(\[\d+\])?\s*:\s*)+/i, '').trim();
}
