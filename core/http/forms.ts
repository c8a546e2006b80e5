import { MAX_ID } from './middleware/path-ids.js';
import type { Context } from 'hono';
import type { z } from 'zod';
import type { Translate } from '../i18n/translate.js';
import type { AppEnv } from './app-env.js';

/** Turns zod issues into one readable, translated message per field. */
export function fieldErrors(error: z.ZodError, t: Translate): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.join('.') || '_form';
    if (errors[field]) continue;
    errors[field] = issueMessage(issue, t);
  }
  return errors;
}

function issueMessage(issue: z.core.$ZodIssue, t: Translate): string {
  // A schema may name a catalog key as its message (e.g. 'tenant.slugFormat').
  const named = t(issue.message);
  if (named !== issue.message) return named;
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? t('validation.required') : t('validation.tooShort', { min: Number(issue.minimum) });
      return t('validation.tooSmall', { min: Number(issue.minimum) });
    case 'too_big':
      if (issue.origin === 'string') return t('validation.tooLong', { max: Number(issue.maximum) });
      return t('validation.tooBig', { max: Number(issue.maximum) });
    case 'invalid_format':
      return issue.format === 'email' ? t('validation.email') : t('validation.format');
    case 'invalid_value':
      return t('validation.choice');
    case 'invalid_type':
      return issue.input === undefined || issue.input === '' ? t('validation.required') : t('validation.format');
    case 'custom':
      return t(issue.message);
    default:
      return t('validation.format');
  }
}

export type FormResult<T> = { ok: true; data: T; values: Record<string, string> } | { ok: false; errors: Record<string, string>; values: Record<string, string> };

/** Reads a urlencoded or multipart form and validates it; on failure the raw values come back for redisplay. */
export async function parseForm<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<FormResult<z.infer<S>>> {
  const body = await c.req.parseBody({ all: true });
  const values: Record<string, string> = {};
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    input[key] = value;
    if (typeof value === 'string') values[key] = value;
  }
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data, values };
  return { ok: false, errors: fieldErrors(result.error, c.var.t), values };
}

/** A record id from form or query text: a whole number from 1 to the largest id, else null (never Infinity, NaN or an overflow). */
export function idFrom(value: unknown): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value).trim();
  if (!/^\d{1,10}$/.test(text)) return null;
  const id = Number(text);
  return id >= 1 && id <= MAX_ID ? id : null;
}
