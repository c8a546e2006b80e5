import type { z } from 'zod';
import { invalidFields } from '../../core/plugin-api.js';

/**
 * Validates a service's input: the parsed value, or a refusal with one message per field. The schemas
 * name catalog keys as their messages (`knowledge.error.*`); zod's own checks fall back to a general one.
 */
export function checked<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    if (fields[field]) continue;
    fields[field] = issue.message.startsWith('knowledge.') ? issue.message : 'knowledge.error.invalid';
  }
  throw invalidFields('error.invalid', fields);
}

/** A form's value as a list (checkboxes, multi-selects): one string, several, or none. */
export function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value !== '') return [value];
  return [];
}
