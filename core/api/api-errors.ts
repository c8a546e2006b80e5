import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env.js';
import { fieldErrors } from '../http/forms.js';
import { HttpError } from '../http/http-error.js';
import { filesFromForm, type AttachmentInput } from '../tickets/attachment-rules.js';

/** The body of every API error; the app's onError writes HttpErrors in this shape for /api/ paths. */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string().meta({ description: 'machine-readable: unauthorized, forbidden, not_found, conflict, invalid, …' }),
    message: z.string(),
    fields: z.record(z.string(), z.string()).meta({ description: 'one message per invalid field, e.g. "subject" or "custom_fields.serial"' }),
  }),
});

/** Zod issues as a 422 with one translated message per field; unknown keys are named one by one. */
export function invalid(c: Context<AppEnv>, error: z.ZodError): HttpError {
  const t = c.var.t;
  const known = error.issues.filter((issue) => issue.code !== 'unrecognized_keys');
  const fields = known.length ? fieldErrors(new z.ZodError(known), t) : {};
  for (const issue of error.issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    for (const key of issue.keys) fields[[...issue.path, key].join('.')] ??= t('api.unknownField');
  }
  return new HttpError(422, t('error.invalid'), fields);
}

export async function parseJsonBody<S extends z.ZodType>(c: Context<AppEnv>, schema: S, multipart = false): Promise<z.output<S>> {
  if (!c.req.header('Content-Type')?.toLowerCase().startsWith('application/json')) throw new HttpError(415, c.var.t(multipart ? 'api.jsonOrMultipart' : 'api.jsonOnly'));
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new HttpError(422, c.var.t('api.badJson'), { _body: c.var.t('api.badJson') });
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw invalid(c, result.error);
  return result.data;
}

export function parseQuery<S extends z.ZodType>(c: Context<AppEnv>, schema: S): z.output<S> {
  const result = schema.safeParse(c.req.query());
  if (!result.success) throw invalid(c, result.error);
  return result.data;
}

/**
 * A JSON body, or (where the operation names a file field) multipart/form-data: its text fields are
 * checked by the same schema (empty ones count as not sent), its files come back beside them.
 */
export async function parseBody<S extends z.ZodType>(c: Context<AppEnv>, schema: S, fileField: string | undefined): Promise<{ body: z.output<S>; files: AttachmentInput[] }> {
  if (!fileField || !c.req.header('Content-Type')?.toLowerCase().startsWith('multipart/form-data')) {
    return { body: await parseJsonBody(c, schema, fileField !== undefined), files: [] };
  }
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody({ all: true });
  } catch {
    throw new HttpError(422, c.var.t('api.badForm'), { _body: c.var.t('api.badForm') });
  }
  const fields: Record<string, string> = {};
  const misplaced: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) {
    if (key === fileField) continue;
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (typeof last !== 'string') misplaced[key] = c.var.t('api.fileNotHere', { field: fileField });
    else if (last !== '') fields[key] = last;
  }
  const result = schema.safeParse(fields);
  if (!result.success || Object.keys(misplaced).length) {
    const error = result.success ? new HttpError(422, c.var.t('error.invalid')) : invalid(c, result.error);
    throw new HttpError(422, error.message, { ...error.fields, ...misplaced });
  }
  return { body: result.data, files: await filesFromForm(form[fileField]) };
}
