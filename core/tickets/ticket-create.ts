import type { Kysely } from 'kysely';
import type { DB, Ticket } from '../db/schema.js';
import { DomainError } from '../domain-error.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { activeFieldDefinitions } from './custom-field-definitions.js';
import { validateCustomFields, type CustomValues } from './custom-fields.js';
import { articleStep, putAttachments, refuseAttachments, storeAttachments } from './ticket-articles.js';
import { applyStatus } from './ticket-lifecycle-steps.js';
import { checkReferences } from './ticket-field-steps.js';
import { nextTicketNumber } from './ticket-number.js';
import type { NewTicketInput, TicketActor } from './ticket-service-types.js';
import type { FieldChange, TicketDiff } from './ticket-events.js';
import { afterCommit, finish, notifyGroup, saveValues, str, UnitOfWork, type Step, type TicketContext } from './ticket-unit.js';
import { cleanLabel, cleanText } from '../text/text-hygiene.js';

/** Opens a ticket; the number is taken in the same transaction, so it never repeats. */
export async function createTicket(ctx: TicketContext, input: NewTicketInput, actor: TicketActor): Promise<Ticket> {
  const { t, tenantId, deps } = ctx;
  refuseAttachments(ctx, input.attachments);
  const attachments = await putAttachments(ctx, input.attachments);
  const unit = new UnitOfWork();
  unit.pluginFields = input.pluginFields ?? {};
  const ticket = await deps.db.transaction().execute(async (trx) => {
    const trxScope = tenantScope(trx, tenantId);
    const errors: Record<string, string> = {};
    if (input.priority !== undefined && ![1, 2, 3, 4].includes(input.priority)) errors.priority = t('validation.choice');
    await checkReferences(ctx, trxScope, input, errors);
    let requesterId = input.requesterId ?? null;
    let organisationId = input.organisationId ?? null;
    if (!requesterId && input.requesterEmail && !errors.requester_email) {
      const person = await personByEmail(ctx, trx, input.requesterEmail, input.requesterName);
      requesterId = person.id;
      organisationId ??= person.organisation_id;
    } else if (requesterId && !organisationId && !errors.requester_id) {
      organisationId = (await trxScope.selectFrom('people').select('organisation_id').where('id', '=', requesterId).executeTakeFirst())?.organisation_id ?? null;
    }
    const custom = validateCustomFields(await activeFieldDefinitions(trxScope), input.category, input.customFields ?? {}, t);
    Object.assign(errors, custom.errors);
    if (Object.keys(errors).length) throw new DomainError('invalid', t('error.invalid'), errors);
    const created = deps.clock();
    const now = created.toISOString();
    const row = await trxScope.insertInto('tickets', {
      number: await nextTicketNumber(trx, tenantId, created),
      // Every channel ends here (forms, API, mail, plugins): no control bytes, no half surrogate pairs, no bidi overrides in the subject.
      subject: cleanLabel(input.subject).trim(),
      description: cleanText(input.description),
      status: 'new',
      priority: input.priority ?? 2,
      category: input.category || null,
      channel: input.channel ?? 'web',
      organisation_id: organisationId,
      requester_id: requesterId,
      contract_id: input.contractId ?? null,
      assignee_id: input.assigneeId ?? null,
      group_id: input.groupId ?? null,
      custom_fields: JSON.stringify(custom.values),
      created_at: now,
      updated_at: now,
    }).returningAll().executeTakeFirstOrThrow();
    unit.history.push({ action: 'created', field: 'status', old: null, new: 'new' });
    unit.created = createdDiff(row);
    const params = { number: row.number, subject: row.subject };
    if (row.assignee_id) unit.notifications.push({ userId: row.assignee_id, kind: 'assigned', summary: t('notification.assigned', params), message: { key: 'notification.assigned', params } });
    else if (row.group_id) await notifyGroup(ctx, trx, row.group_id, undefined, 'assigned', t('notification.newInGroup', params), unit, { key: 'notification.newInGroup', params });
    if (attachments.length) await storeAttachments(ctx, trx, row.id, null, attachments);
    const taken = await takeOnCreate(ctx, { trx, ticket: row, values: {}, unit, now }, input.onCreate, actor);
    if (taken !== row) unit.created = createdDiff(taken);
    unit.reindex = true;
    await finish(ctx, trx, taken, actor, unit, now);
    return taken;
  });
  await afterCommit(ctx, ticket, ticket.status, unit);
  return ticket;
}

/**
 * "Assign to me" and "solved on the spot" (the phone form): the agent takes the new ticket (new -> open assigns
 * it to them), or answers it with the solution as a public reply and marks it solved; one history, one commit.
 */
async function takeOnCreate(ctx: TicketContext, step: Step, onCreate: NewTicketInput['onCreate'], actor: TicketActor): Promise<Ticket> {
  if (!onCreate || (!onCreate.take && onCreate.solution === undefined)) return step.ticket;
  if (actor.kind !== 'user') throw new DomainError('forbidden', ctx.t('error.forbidden'));
  if (onCreate.solution !== undefined) {
    if (!onCreate.solution.trim()) throw new DomainError('invalid', ctx.t('error.invalid'), { solution: ctx.t('validation.required') });
    await articleStep(ctx, step, { kind: 'reply', body: onCreate.solution, statusAfter: 'solved' }, [], actor);
  } else {
    applyStatus(ctx, step.ticket, 'open', actor, step.values, step.unit, step.now);
  }
  const version = await saveValues(ctx, step.trx, step.ticket, step.values, step.now, step.unit);
  return { ...step.ticket, ...step.values, updated_at: step.now, version };
}

/** A person by e-mail, created when unknown; the organisation comes from the e-mail domain. */
async function personByEmail(ctx: TicketContext, trx: Kysely<DB>, email: string, name: string | undefined): Promise<{ id: number; organisation_id: number | null }> {
  const trxScope = tenantScope(trx, ctx.tenantId);
  const address = email.trim().toLowerCase();
  const existing = await trxScope.selectFrom('people').select(['id', 'organisation_id']).where('email', '=', address).orderBy('id').executeTakeFirst();
  if (existing) return existing;
  const domain = address.split('@')[1] ?? '';
  const organisations = await trxScope.selectFrom('organisations').select(['id', 'email_domains']).where('email_domains', '!=', '').execute();
  const organisation = organisations.find((o) => o.email_domains.split(',').map((d) => d.trim().toLowerCase()).includes(domain));
  return trxScope.insertInto('people', { name: name?.trim() || address.split('@')[0]!, email: address, organisation_id: organisation?.id ?? null })
    .returning(['id', 'organisation_id']).executeTakeFirstOrThrow();
}

/** The fields a change may move (ticket-events.ts' TicketDiff), as a new ticket has them. */
const DIFF_COLUMNS = ['subject', 'priority', 'category', 'status', 'organisation_id', 'requester_id', 'contract_id', 'group_id', 'assignee_id'] as const satisfies ReadonlyArray<keyof Ticket>;

/** A new ticket's diff: every field it was given, from null (custom field values as text, as the history keeps them). */
function createdDiff(row: Ticket): TicketDiff {
  const diff: Record<string, FieldChange> = {};
  for (const column of DIFF_COLUMNS) if (row[column] !== null) diff[column] = { old: null, new: row[column] };
  for (const [key, value] of Object.entries(JSON.parse(row.custom_fields) as CustomValues)) diff[`custom_fields.${key}`] = { old: null, new: str(value as string) };
  return Object.freeze(diff);
}
