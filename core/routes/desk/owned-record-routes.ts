import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import type { AppEnv } from '../../http/app-env.js';
import { flash } from '../../http/flash.js';
import { parseForm } from '../../http/forms.js';
import { href, redirectTo, requirePermission, requireTenant, requireUser, scope } from '../../http/guards.js';

// The agent's own-or-shared records on the desk (macros, text modules): a list page with the form for a new
// one, an edit page, save and delete. Each record type says what differs (its pages, who may edit which one,
// what it checks beyond the schema, its row); the wiring and its answers are the same for all of them.

/** What a record's form shows again after a refusal: the posted values and the field messages. */
export type RecordFormState = { errors?: Record<string, string> | undefined; values?: Record<string, string> | undefined };

type Page = Response | Promise<Response>;
/** The tables of such records (each has the tenant, an id and the columns the record's row gives). */
type RecordTable = 'macros' | 'text_modules';

export interface OwnedRecordSpec<Row extends { id: number; name: string }, S extends z.ZodType<{ name: string }>> {
  /** The list's path inside the tenant, e.g. '/desk/macros'; a record is `${path}/:id`. */
  path: string;
  table: RecordTable;
  schema: S;
  listPage(c: Context<AppEnv>, state?: RecordFormState, status?: 200 | 422): Page;
  editPage(c: Context<AppEnv>, row: Row, state?: RecordFormState, status?: 200 | 422): Page;
  /** The record of the path's id if this agent may change it; else 404 (not theirs to see) or 403 (shared, not theirs to change). */
  editable(c: Context<AppEnv>): Promise<Row>;
  /** Refusals beyond the schema (references in the tenant), as field messages; may throw 403 for a right the agent lacks. */
  check(c: Context<AppEnv>, data: z.infer<S>): Promise<Record<string, string> | undefined>;
  /** Writes a valid form as a new record, or over `row` (owner, sharing and content, through the tenant scope). */
  insert(c: Context<AppEnv>, data: z.infer<S>, createdAt: string): Promise<unknown>;
  update(c: Context<AppEnv>, row: Row, data: z.infer<S>): Promise<unknown>;
  /** Catalog keys of the flash after saving and deleting, given {name}. */
  messages: { saved: string; deleted: string };
}

/** Registers list, create, edit, save and delete for one record type, guarded by tickets.edit. */
export function ownedRecordRoutes<Row extends { id: number; name: string }, S extends z.ZodType<{ name: string }>>(app: Hono<AppEnv>, spec: OwnedRecordSpec<Row, S>): void {
  const guard = [requireTenant, requireUser, requirePermission('tickets.edit')] as const;
  const saved = (c: Context<AppEnv>, name: string) => {
    flash(c, 'success', c.var.t(spec.messages.saved, { name }));
    return redirectTo(c, href(c, spec.path));
  };

  app.get(spec.path, ...guard, (c) => spec.listPage(c));

  app.post(spec.path, ...guard, async (c) => {
    const form = await parseForm(c, spec.schema);
    if (!form.ok) return spec.listPage(c, form, 422);
    const problems = await spec.check(c, form.data);
    if (problems) return spec.listPage(c, { errors: problems, values: form.values }, 422);
    await spec.insert(c, form.data, c.var.services.clock().toISOString());
    return saved(c, form.data.name);
  });

  app.get(`${spec.path}/:id`, ...guard, async (c) => spec.editPage(c, await spec.editable(c)));

  app.post(`${spec.path}/:id`, ...guard, async (c) => {
    const record = await spec.editable(c);
    const form = await parseForm(c, spec.schema);
    if (!form.ok) return spec.editPage(c, record, form, 422);
    const problems = await spec.check(c, form.data);
    if (problems) return spec.editPage(c, record, { errors: problems, values: form.values }, 422);
    await spec.update(c, record, form.data);
    return saved(c, form.data.name);
  });

  app.post(`${spec.path}/:id/delete`, ...guard, async (c) => {
    const record = await spec.editable(c);
    await scope(c).deleteFrom(spec.table).where('id', '=', record.id).execute();
    flash(c, 'success', c.var.t(spec.messages.deleted, { name: record.name }));
    return redirectTo(c, href(c, spec.path));
  });
}
