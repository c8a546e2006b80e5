/** The placeholders macros, text modules and signatures use (one renderer for all three), with what they stand for. */
export const MACRO_PLACEHOLDERS = [
  'ticket.number', 'ticket.subject', 'ticket.status', 'ticket.priority',
  'requester.name', 'requester.email', 'organisation.name', 'agent.name', 'agent.signature', 'tenant.name',
] as const;
export type MacroPlaceholder = (typeof MACRO_PLACEHOLDERS)[number];

export type MacroValues = Partial<Record<MacroPlaceholder, string | null | undefined>>;

const PLACEHOLDER = /\{\{\s*([a-z]+\.[a-z]+)\s*\}\}/g;
const KNOWN = new Set<string>(MACRO_PLACEHOLDERS);

/**
 * Fills `{{ticket.number}}` and its siblings. An unknown placeholder stays as written so the
 * agent sees the typo before sending; a known one without a value (no requester) becomes empty.
 */
export function renderMacro(template: string, values: MacroValues): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    if (!KNOWN.has(name)) return whole;
    return values[name as MacroPlaceholder] ?? '';
  });
}

/** Placeholders in a template that the renderer does not know (shown as a hint when saving). */
export function unknownPlaceholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !KNOWN.has(name)))];
}
