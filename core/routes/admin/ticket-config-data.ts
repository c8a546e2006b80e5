import type { Context } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { clientIp, scope, staff, tenantOf } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';

export const FIELD_TYPES = ['text', 'number', 'date', 'select', 'checkbox'] as const;

/** Categories in their display order (inactive ones last within the same position). */
export function listCategories(c: Context<AppEnv>) {
  return scope(c).selectFrom('ticket_categories').select(['id', 'name', 'position', 'active']).orderBy('position').orderBy('name').orderBy('id').execute();
}

export function listFields(c: Context<AppEnv>) {
  return scope(c).selectFrom('ticket_fields').selectAll().where('record_kind', '=', 'ticket').orderBy('position').orderBy('id').execute();
}

/** A row of this tenant by its id from the path; anything else is 404. */
export async function categoryById(c: Context<AppEnv>) {
  const id = Number(c.req.param('id'));
  const row = Number.isInteger(id) && id > 0 ? await scope(c).selectFrom('ticket_categories').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw new HttpError(404, c.var.t('error.notFound'));
  return row;
}

export async function fieldById(c: Context<AppEnv>) {
  const id = Number(c.req.param('id'));
  const row = Number.isInteger(id) && id > 0 ? await scope(c).selectFrom('ticket_fields').selectAll().where('id', '=', id).where('record_kind', '=', 'ticket').executeTakeFirst() : undefined;
  if (!row) throw new HttpError(404, c.var.t('error.notFound'));
  return row;
}

/** Every change of the ticket configuration goes into the tenant's audit log. */
export async function auditTicketConfig(c: Context<AppEnv>, action: string, target?: string, details?: Record<string, unknown>): Promise<void> {
  const user = staff(c);
  await c.var.services.audit.record({ tenantId: tenantOf(c).id, actor: { userId: user.id, label: user.email }, action, ...(target ? { target } : {}), ...(details ? { details } : {}), ip: clientIp(c) });
}
