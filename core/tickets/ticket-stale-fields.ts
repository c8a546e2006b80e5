import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { DomainError } from '../domain-error.js';
import { isoToZoned } from '../i18n/time-zone.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { priorityName } from './ticket-settings.js';
import type { TicketActor } from './ticket-service-types.js';
import type { Step, TicketContext } from './ticket-unit.js';

/** One change someone made since a version, worded for people: field, old → new, who, when. */
export interface StaleChange {
  field: string;
  label: string;
  old: string;
  new: string;
  who: string;
  whoUserId: number | null;
  /** In the tenant's time zone, `YYYY-MM-DD HH:MM`. */
  at: string;
  /** When, as stored (ISO), for views that format dates by the reader's locale. */
  atIso: string;
  /** The refused change sets this field too (it would have overwritten this). */
  conflict: boolean;
}

/**
 * A save against an older version of the ticket that would overwrite what someone changed since: the
 * 'conflict' refusal with a message per field, every change made since (worded) and the version now.
 */
export class StaleTicketError extends DomainError {
  constructor(message: string, fields: Readonly<Record<string, string>>, readonly changes: readonly StaleChange[], readonly version: number) {
    super('conflict', message, fields);
    this.name = 'StaleTicketError';
  }
}

const LABELS: Record<string, string> = {
  status: 'ticket.version.field.status', priority: 'ticket.version.field.priority', category: 'ticket.version.field.category',
  subject: 'ticket.version.field.subject', organisation_id: 'ticket.version.field.organisation', requester_id: 'ticket.version.field.requester',
  contract_id: 'ticket.version.field.contract', assignee_id: 'ticket.version.field.assignee', group_id: 'ticket.version.field.group',
};

/**
 * What changed on the ticket after `version`, oldest first: the history lines written since (they carry
 * the version they produced), articles left out. Read inside a change's transaction or on its own.
 */
export async function changesSince(ctx: TicketContext, db: Kysely<DB>, ticketId: number, version: number): Promise<StaleChange[]> {
  const rows = await tenantScope(db, ctx.tenantId).selectFrom('ticket_history')
    .select(['field', 'old_value', 'new_value', 'actor_label', 'actor_user_id', 'created_at'])
    .where('ticket_id', '=', ticketId).where('version', '>', version).where('field', 'is not', null).where('field', '!=', 'article')
    .orderBy('version').orderBy('id').execute();
  const changes: StaleChange[] = [];
  for (const row of rows) {
    const field = row.field!;
    changes.push({
      field, label: await fieldLabel(ctx, db, field), old: await shown(ctx, db, field, row.old_value), new: await shown(ctx, db, field, row.new_value),
      who: row.actor_label, whoUserId: row.actor_user_id, at: isoToZoned(row.created_at, ctx.tenant.time_zone).replace('T', ' ').slice(0, 16), atIso: row.created_at, conflict: false,
    });
  }
  return changes;
}

/**
 * Refuses a save made from a form that showed version `loadedVersion` when it would overwrite a change made
 * since: every field this change sets (as the step's history holds it) that someone changed after that
 * version is a conflict, with a message at the field saying who changed it from what to what, and when.
 * Fields nobody else touched, or that the form leaves as they now are, pass; so does a change when only
 * articles came in since, and one the same agent made (their accept, then their reply from the composer
 * loaded before it). Runs in the change's transaction after the ticket is locked, so nothing slips in between.
 */
export async function refuseStaleFields(ctx: TicketContext, step: Step, loadedVersion: number, actor: TicketActor): Promise<void> {
  if (step.ticket.version <= loadedVersion) return;
  const setting = new Set(step.unit.history.map((change) => change.field).filter((field): field is string => !!field && field !== 'article'));
  if (!setting.size) return;
  const changes = await changesSince(ctx, step.trx, step.ticket.id, loadedVersion);
  const fields: Record<string, string> = {};
  for (const change of changes) {
    if (!setting.has(change.field) || (actor.kind === 'user' && change.whoUserId === actor.id)) continue;
    change.conflict = true;
    fields[change.field] = ctx.t('ticket.stale.field', { who: change.who, at: change.at, old: change.old, value: change.new });
  }
  if (!Object.keys(fields).length) return;
  throw new StaleTicketError(ctx.t('ticket.stale'), fields, changes, step.ticket.version);
}

async function fieldLabel(ctx: TicketContext, db: Kysely<DB>, field: string): Promise<string> {
  if (LABELS[field]) return ctx.t(LABELS[field]);
  if (!field.startsWith('custom_fields.')) return field;
  const key = field.slice('custom_fields.'.length);
  const definition = await tenantScope(db, ctx.tenantId).selectFrom('ticket_fields').select('label')
    .where('record_kind', '=', 'ticket').where('key', '=', key).executeTakeFirst();
  return definition?.label ?? key;
}

/** A history value as people read it: names for references, statuses and priorities, "—" for empty. */
async function shown(ctx: TicketContext, db: Kysely<DB>, field: string, value: string | null): Promise<string> {
  if (value === null || value === '') return '—';
  const scoped = tenantScope(db, ctx.tenantId);
  const id = Number(value);
  switch (field) {
    case 'status': return ctx.t(`status.${value}`);
    case 'priority': return priorityName(ctx.settings, id, ctx.t);
    case 'organisation_id': return (await scoped.selectFrom('organisations').select('name').where('id', '=', id).executeTakeFirst())?.name ?? value;
    case 'requester_id': return (await scoped.selectFrom('people').select('name').where('id', '=', id).executeTakeFirst())?.name ?? value;
    case 'assignee_id': return (await scoped.selectFrom('users').select('name').where('id', '=', id).executeTakeFirst())?.name ?? value;
    case 'group_id': return (await scoped.selectFrom('support_groups').select('name').where('id', '=', id).executeTakeFirst())?.name ?? value;
    case 'contract_id': {
      const contract = await scoped.selectFrom('contracts').select(['name', 'number']).where('id', '=', id).executeTakeFirst();
      return contract ? `${contract.name} (${contract.number})` : value;
    }
    default: return value;
  }
}
