import { DomainError } from '../domain-error.js';
import { isoToZoned } from '../i18n/time-zone.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { priorityName } from './ticket-settings.js';
import type { Step, TicketContext } from './ticket-unit.js';

/** The fields an edit form sets, by their history names (custom fields are `custom_fields.<key>`). */
const FORM_FIELDS = new Set(['subject', 'priority', 'category', 'organisation_id', 'requester_id', 'contract_id']);
const isFormField = (field: string | null | undefined): field is string => !!field && (FORM_FIELDS.has(field) || field.startsWith('custom_fields.'));

/**
 * Refuses a form's save that would overwrite a change made after the form was loaded: `loadedAt` is
 * the ticket's `updated_at` the form carried. Every field this change sets (as the step's history
 * holds it) that someone changed since then is a conflict, with a message per field saying who set it
 * to what and when; fields nobody else touched, or that the form leaves as they now are, pass. Runs in
 * the change's transaction after the ticket is locked, so no save slips in between.
 */
export async function refuseStaleFields(ctx: TicketContext, step: Step, loadedAt: string): Promise<void> {
  if (step.ticket.updated_at === loadedAt) return;
  const setting = new Set(step.unit.history.map((change) => change.field).filter(isFormField));
  if (!setting.size) return;
  const scoped = tenantScope(step.trx, ctx.tenantId);
  const since = await scoped.selectFrom('ticket_history').select(['field', 'new_value', 'actor_label', 'created_at'])
    .where('ticket_id', '=', step.ticket.id).where('created_at', '>', loadedAt).where('field', 'is not', null)
    .orderBy('created_at').orderBy('id').execute();
  const latest = new Map<string, (typeof since)[number]>();
  for (const row of since) if (row.field && setting.has(row.field)) latest.set(row.field, row);
  if (!latest.size) return;
  const { t } = ctx;
  const fields: Record<string, string> = {};
  for (const [field, row] of latest) {
    fields[field] = t('ticket.stale.field', {
      who: row.actor_label, at: isoToZoned(row.created_at, ctx.tenant.time_zone).replace('T', ' '), value: await shown(ctx, step, field, row.new_value),
    });
  }
  throw new DomainError('conflict', t('ticket.stale'), fields);
}

/** A history value as people read it: names for references and priorities, "—" for empty. */
async function shown(ctx: TicketContext, step: Step, field: string, value: string | null): Promise<string> {
  if (value === null || value === '') return '—';
  const scoped = tenantScope(step.trx, ctx.tenantId);
  const id = Number(value);
  switch (field) {
    case 'priority': return priorityName(ctx.settings, id, ctx.t);
    case 'organisation_id': return (await scoped.selectFrom('organisations').select('name').where('id', '=', id).executeTakeFirst())?.name ?? value;
    case 'requester_id': return (await scoped.selectFrom('people').select('name').where('id', '=', id).executeTakeFirst())?.name ?? value;
    case 'contract_id': {
      const contract = await scoped.selectFrom('contracts').select(['name', 'number']).where('id', '=', id).executeTakeFirst();
      return contract ? `${contract.name} (${contract.number})` : value;
    }
    default: return value;
  }
}
