import type { Kysely } from 'kysely';
import type { Dialect } from '../db/create-database.js';
import type { ArticleKind, DB, NotificationKind, Tenant, Ticket, TicketChannel, TicketStatus } from '../db/schema.js';
import type { EventBus } from '../events/event-bus.js';
import type { FileStore } from '../files/file-store.js';
import { HttpError } from '../http/http-error.js';
import type { Translate } from '../i18n/translate.js';
import type { Logger } from '../logger.js';
import type { Mailer } from '../mail/mailer.js';
import type { Clock } from '../time.js';
import { tenantScope, type TenantScope } from '../tenancy/tenant-scope.js';
import { attachmentType, checkAttachments, cleanFilename, type AttachmentInput } from './attachment-rules.js';
import { fieldsFor, validateCustomFields, type CustomValues } from './custom-fields.js';
import { activeFieldDefinitions } from './custom-field-definitions.js';
import { transitionRefusal } from './ticket-lifecycle.js';
import { reindexTicket } from './ticket-search.js';
import { ticketSettings } from './ticket-settings.js';
import { nextTicketNumber } from './ticket-number.js';
import { isoToZoned } from '../i18n/time-zone.js';
import type { EventPayload, EventRef } from '../plugin-host/refs.js';
import { TICKET_ACTION_EVENTS, TICKET_ARTICLE, type TicketAction, type TicketArticlePayload, type TicketChange } from './ticket-events.js';

export type TicketActor =
  | { kind: 'user'; id: number; label: string; can: (permission: string) => boolean }
  | { kind: 'person'; id: number; label: string }
  | { kind: 'system'; label: string };

/** The plugin host's hooks as the ticket service uses them (see core/plugin-host). */
export interface TicketHooks {
  runFilters<P extends EventPayload>(event: EventRef<P>, payload: P, trx: Kysely<DB>): Promise<void>;
  emit<P extends EventPayload>(event: EventRef<P>, payload: P): Promise<void>;
}

export interface TicketServiceDeps {
  db: Kysely<DB>;
  dialect: Dialect;
  clock: Clock;
  events: EventBus;
  files: FileStore;
  mailer?: Mailer | undefined;
  hooks?: TicketHooks | undefined;
  log?: Logger | undefined;
}

export const CHANNELS: readonly TicketChannel[] = ['phone', 'mail', 'web', 'fax', 'monitoring', 'chat', 'in_person'];

export interface NewTicketInput {
  subject: string;
  description: string;
  priority?: number | undefined;
  category?: string | null | undefined;
  channel?: TicketChannel | undefined;
  organisationId?: number | null | undefined;
  requesterId?: number | null | undefined;
  /** Finds the person by e-mail, or creates one (organisation by e-mail domain). */
  requesterEmail?: string | undefined;
  requesterName?: string | undefined;
  contractId?: number | null | undefined;
  groupId?: number | null | undefined;
  assigneeId?: number | null | undefined;
  customFields?: Record<string, unknown> | undefined;
  attachments?: AttachmentInput[] | undefined;
  /**
   * What plugins' fields on a create form sent (`p.<plugin>.<field>` names, see TICKET_CREATE_FIELDS):
   * handed to the TICKET_CREATED filters, which validate and store them inside the create transaction.
   */
  pluginFields?: Readonly<Record<string, string>> | undefined;
}

export interface TicketPatch {
  subject?: string | undefined;
  priority?: number | undefined;
  category?: string | null | undefined;
  organisationId?: number | null | undefined;
  requesterId?: number | null | undefined;
  contractId?: number | null | undefined;
  customFields?: Record<string, unknown> | undefined;
}

export interface ArticleInput {
  kind: ArticleKind;
  body: string;
  bodyHtml?: string | null | undefined;
  channel?: TicketChannel | undefined;
  messageId?: string | null | undefined;
  attachments?: AttachmentInput[] | undefined;
  /** Status to move to together with an agent's reply or note (e.g. waiting after asking back). */
  statusAfter?: TicketStatus | undefined;
}

export interface ForwardInput {
  groupId?: number | null | undefined;
  assigneeId?: number | null | undefined;
  note?: string | undefined;
  /** Also tells the customer, as a public reply with this text. */
  customerMessage?: string | undefined;
}

type HistoryChange = TicketChange;
interface StoredAttachment { filename: string; mimeType: string; size: number; sha256: string; contentId: string | null }
interface PendingNotification { userId: number; kind: NotificationKind; summary: string }

/** What one change collects inside its transaction and hands out after commit. */
class UnitOfWork {
  readonly history: HistoryChange[] = [];
  readonly notifications: PendingNotification[] = [];
  /** Articles added, announced after commit (TICKET_ARTICLE). */
  readonly articles: Array<Omit<TicketArticlePayload, 'tenantId'>> = [];
  /** A create form's plugin fields, for the TICKET_CREATED filters. */
  pluginFields: Readonly<Record<string, string>> = {};
  reindex = false;
  /** What happened, for plugin hooks (TICKET_ACTION_EVENTS): one change may be several. */
  readonly actions = new Set<TicketAction>();
  get action(): TicketAction {
    return this.actions.values().next().value ?? 'updated';
  }
  set action(value: TicketAction) {
    this.actions.add(value);
  }
  /** The actions' events; a change without a named action is an update. */
  get actionEvents() {
    return [...(this.actions.size ? this.actions : ['updated' as const])].map((action) => TICKET_ACTION_EVENTS[action]);
  }
}

interface Step { trx: Kysely<DB>; ticket: Ticket; values: Partial<Ticket>; unit: UnitOfWork; now: string }

/** Changes `apply` makes together. */
export interface TicketChanges {
  fields?: TicketPatch | undefined;
  forward?: ForwardInput | undefined;
  article?: ArticleInput | undefined;
  status?: TicketStatus | undefined;
  /** Take the ticket (with a status change from new: accept). */
  assignToActor?: boolean | undefined;
}

const str = (value: number | string | null | undefined) => (value === null || value === undefined ? null : String(value));

/**
 * Every change to a ticket goes through here: the lifecycle rules, field checks, history,
 * search index, notifications, plugin hooks and live events, in one transaction each.
 * A refused change throws an HttpError (409 for the lifecycle, 403 for rights, 422 for
 * fields) and leaves nothing half-changed.
 */
export function createTicketService(deps: TicketServiceDeps, tenant: Tenant, t: Translate) {
  const { db, dialect, clock, events } = deps;
  const tenantId = tenant.id;
  const settings = ticketSettings(tenant);
  const scoped = tenantScope(db, tenantId);

  const actorColumns = (actor: TicketActor) => ({
    actor_user_id: actor.kind === 'user' ? actor.id : null,
    actor_person_id: actor.kind === 'person' ? actor.id : null,
    actor_label: actor.label,
  });

  async function lockTicket(trx: Kysely<DB>, number: string, includeDeleted = false): Promise<Ticket> {
    let query = tenantScope(trx, tenantId).selectFrom('tickets').selectAll().where('number', '=', number);
    if (!includeDeleted) query = query.where('deleted_at', 'is', null);
    // SQLite's write transaction (BEGIN IMMEDIATE) already serialises writers.
    const ticket = await (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
    if (!ticket) throw new HttpError(404, t('ticket.notFound'));
    return ticket;
  }

  const fieldDefinitions = (trx: Kysely<DB>) => activeFieldDefinitions(tenantScope(trx, tenantId));

  async function checkReferences(trx: TenantScope, input: { organisationId?: number | null | undefined; requesterId?: number | null | undefined; contractId?: number | null | undefined; groupId?: number | null | undefined; assigneeId?: number | null | undefined; category?: string | null | undefined }, errors: Record<string, string>, current?: { organisation_id: number | null }) {
    if (input.organisationId) {
      const found = await trx.selectFrom('organisations').select('id').where('id', '=', input.organisationId).executeTakeFirst();
      if (!found) errors.organisation_id = t('validation.unknownReference');
    }
    if (input.requesterId) {
      const found = await trx.selectFrom('people').select('id').where('id', '=', input.requesterId).executeTakeFirst();
      if (!found) errors.requester_id = t('validation.unknownReference');
    }
    if (input.contractId) {
      const contract = await trx.selectFrom('contracts').select(['organisation_id', 'valid_from', 'valid_to']).where('id', '=', input.contractId).executeTakeFirst();
      const organisationId = input.organisationId !== undefined ? input.organisationId : current?.organisation_id;
      // Contracts run by the tenant's calendar days.
      const today = isoToZoned(clock().toISOString(), tenant.time_zone).slice(0, 10);
      if (!contract) errors.contract_id = t('validation.unknownReference');
      else if (contract.organisation_id !== organisationId) errors.contract_id = t('ticket.contractOrganisation');
      else if ((contract.valid_from && contract.valid_from > today) || (contract.valid_to && contract.valid_to < today)) errors.contract_id = t('ticket.contractExpired');
    }
    if (input.groupId) {
      const found = await trx.selectFrom('support_groups').select('id').where('id', '=', input.groupId).executeTakeFirst();
      if (!found) errors.group_id = t('validation.unknownReference');
    }
    if (input.assigneeId) {
      const found = await trx.db.selectFrom('users').select('id').where('tenant_id', '=', tenantId).where('id', '=', input.assigneeId)
        .where('active', '=', 1).where('role', 'in', ['agent', 'supervisor', 'admin']).executeTakeFirst();
      if (!found) errors.assignee_id = t('validation.unknownReference');
    }
    if (input.category) {
      const found = await trx.selectFrom('ticket_categories').select('id').where('name', '=', input.category).where('active', '=', 1).executeTakeFirst();
      if (!found) errors.category = t('validation.choice');
    }
  }

  /**
   * Puts the bytes into the file store before the ticket's transaction: the store writes its row
   * through its own connection, which on SQLite (one connection) would wait on the open transaction forever.
   */
  async function putAttachments(files: readonly AttachmentInput[] | undefined): Promise<StoredAttachment[]> {
    const stored: StoredAttachment[] = [];
    for (const file of files ?? []) {
      const filename = cleanFilename(file.filename);
      const mimeType = attachmentType(filename) ?? 'application/octet-stream';
      stored.push({ filename, mimeType, size: file.bytes.byteLength, sha256: await deps.files.put(tenantId, file.bytes, mimeType), contentId: file.contentId ?? null });
    }
    return stored;
  }

  async function storeAttachments(trx: Kysely<DB>, ticketId: number, articleId: number | null, files: readonly StoredAttachment[]) {
    for (const file of files) {
      await tenantScope(trx, tenantId).insertInto('ticket_attachments', {
        ticket_id: ticketId, article_id: articleId, sha256: file.sha256, filename: file.filename, mime_type: file.mimeType, size: file.size, content_id: file.contentId,
      }).execute();
    }
  }

  function refuseAttachments(files: readonly AttachmentInput[] | undefined) {
    const refusal = files ? checkAttachments(files) : undefined;
    if (refusal) throw new HttpError(422, t(refusal.key, refusal.params), { attachments: t(refusal.key, refusal.params) });
  }

  async function notifyGroup(trx: Kysely<DB>, groupId: number, except: number | undefined, kind: NotificationKind, summary: string, unit: UnitOfWork) {
    const members = await tenantScope(trx, tenantId).selectFrom('group_members').select('user_id').where('group_id', '=', groupId).execute();
    for (const member of members) if (member.user_id !== except) unit.notifications.push({ userId: member.user_id, kind, summary });
  }

  /** Writes history and notifications, bumps updated_at, reindexes; then commits and tells everyone. */
  async function finish(trx: Kysely<DB>, ticket: Ticket, actor: TicketActor, unit: UnitOfWork, now: string) {
    const trxScope = tenantScope(trx, tenantId);
    if (unit.history.length) {
      await trxScope.insertInto('ticket_history', unit.history.map((change) => ({
        ticket_id: ticket.id, ...actorColumns(actor), action: change.action, field: change.field ?? null,
        old_value: str(change.old), new_value: str(change.new), note: change.note ?? null, created_at: now,
      }))).execute();
    }
    const actorUserId = actor.kind === 'user' ? actor.id : undefined;
    const recipients = unit.notifications.filter((n) => n.userId !== actorUserId);
    if (recipients.length) {
      await trxScope.insertInto('notifications', recipients.map((n) => ({
        user_id: n.userId, ticket_id: ticket.id, kind: n.kind, actor_label: actor.label, summary: n.summary.slice(0, 300), created_at: now,
      }))).execute();
    }
    unit.notifications.splice(0, unit.notifications.length, ...recipients);
    if (unit.reindex) await reindexTicket(trx, dialect, ticket.id);
    for (const event of unit.actionEvents) {
      await deps.hooks?.runFilters(event, { tenantId, ticketId: ticket.id, number: ticket.number, changes: unit.history, pluginFields: unit.pluginFields }, trx);
    }
  }

  async function afterCommit(ticket: Pick<Ticket, 'id' | 'number' | 'subject'>, status: TicketStatus, unit: UnitOfWork) {
    events.publish({ tenantId, type: 'ticket', data: { number: ticket.number, status, action: unit.action } });
    const notified = new Set<number>();
    for (const notification of unit.notifications) {
      if (notified.has(notification.userId)) continue;
      notified.add(notification.userId);
      events.publish({ tenantId, type: 'notification', data: { userId: notification.userId } });
    }
    if (notified.size && deps.mailer) await mailNotifications(ticket, [...notified], unit);
    for (const event of unit.actionEvents) {
      await deps.hooks?.emit(event, { tenantId, number: ticket.number, ticketId: ticket.id, changes: unit.history, pluginFields: unit.pluginFields });
    }
    for (const article of unit.articles) await deps.hooks?.emit(TICKET_ARTICLE, { tenantId, ...article });
  }

  async function mailNotifications(ticket: Pick<Ticket, 'number' | 'subject'>, userIds: number[], unit: UnitOfWork) {
    const users = await db.selectFrom('users').select(['id', 'email']).where('tenant_id', '=', tenantId).where('id', 'in', userIds)
      .where('notify_by_mail', '=', 1).where('active', '=', 1).execute();
    for (const user of users) {
      const summary = unit.notifications.find((n) => n.userId === user.id)?.summary ?? '';
      try {
        await deps.mailer!.send({ tenantId, to: user.email, subject: `[#${ticket.number}] ${ticket.subject}`, text: summary, headers: { 'Auto-Submitted': 'auto-generated' } });
      } catch (error) {
        deps.log?.warn('notification mail failed', { tenantId, userId: user.id, error: String(error) });
      }
    }
  }

  /** A person by e-mail, created when unknown; the organisation comes from the e-mail domain. */
  async function personByEmail(trx: Kysely<DB>, email: string, name: string | undefined): Promise<{ id: number; organisation_id: number | null }> {
    const trxScope = tenantScope(trx, tenantId);
    const address = email.trim().toLowerCase();
    const existing = await trxScope.selectFrom('people').select(['id', 'organisation_id']).where('email', '=', address).orderBy('id').executeTakeFirst();
    if (existing) return existing;
    const domain = address.split('@')[1] ?? '';
    const organisations = await trxScope.selectFrom('organisations').select(['id', 'email_domains']).where('email_domains', '!=', '').execute();
    const organisation = organisations.find((o) => o.email_domains.split(',').map((d) => d.trim().toLowerCase()).includes(domain));
    return trxScope.insertInto('people', { name: name?.trim() || address.split('@')[0]!, email: address, organisation_id: organisation?.id ?? null })
      .returning(['id', 'organisation_id']).executeTakeFirstOrThrow();
  }

  function canClose(actor: TicketActor): boolean {
    if (actor.kind !== 'user') return false;
    return settings.closeRequiresSupervisor ? actor.can('tickets.close') : actor.can('tickets.edit');
  }

  /** Applies one status change to `values`, with its rules, timestamps and history. */
  function applyStatus(ticket: Ticket, to: TicketStatus, actor: TicketActor, values: Partial<Ticket>, unit: UnitOfWork, now: string) {
    const from = (values.status ?? ticket.status) as TicketStatus;
    const refusal = transitionRefusal(from, to);
    if (refusal) throw new HttpError(409, t(refusal, { from: t(`status.${from}`), to: t(`status.${to}`) }));
    if (to === 'closed' && !canClose(actor)) throw new HttpError(403, t('ticket.refused.closeRight'));
    values.status = to;
    if (to === 'solved') values.solved_at = now;
    if (to === 'closed') values.closed_at = now;
    if (from === 'solved' && to === 'open') values.solved_at = null;
    // Whoever takes a new ticket into work owns it unless someone else already does.
    if (from === 'new' && actor.kind === 'user' && !ticket.assignee_id && values.assignee_id === undefined) {
      values.assignee_id = actor.id;
      unit.history.push({ action: 'assigned', field: 'assignee_id', old: null, new: actor.id });
    }
    unit.history.push({ action: from === 'solved' && to === 'open' ? 'reopened' : 'status', field: 'status', old: from, new: to });
  }

  async function saveValues(trx: Kysely<DB>, ticket: Ticket, values: Partial<Ticket>, now: string) {
    await tenantScope(trx, tenantId).updateTable('tickets').set({ ...values, updated_at: now } as never).where('id', '=', ticket.id).execute();
  }

  /** The ticket as the steps so far have changed it. */
  const current = (step: Step): Ticket => ({ ...step.ticket, ...step.values });

  async function fieldsStep(step: Step, patch: TicketPatch): Promise<void> {
    const { trx, unit } = step;
    const ticket = current(step);
    if (ticket.status === 'closed') throw new HttpError(409, t('ticket.refused.closed'));
    const errors: Record<string, string> = {};
    if (patch.subject !== undefined && !patch.subject.trim()) errors.subject = t('validation.required');
    if (patch.priority !== undefined && ![1, 2, 3, 4].includes(patch.priority)) errors.priority = t('validation.choice');
    const organisationId = patch.organisationId !== undefined ? patch.organisationId : ticket.organisation_id;
    const organisationChanged = organisationId !== ticket.organisation_id;
    // A contract belongs to one organisation: moving the ticket to another drops it unless a new one is named.
    const contractId = patch.contractId !== undefined ? patch.contractId : organisationChanged ? null : ticket.contract_id;
    await checkReferences(tenantScope(trx, tenantId), {
      organisationId: organisationChanged ? organisationId : undefined,
      requesterId: patch.requesterId !== undefined && patch.requesterId !== ticket.requester_id ? patch.requesterId : undefined,
      contractId: contractId !== ticket.contract_id || organisationChanged ? contractId : undefined,
      category: patch.category !== undefined && patch.category !== ticket.category ? patch.category : undefined,
    }, errors, { organisation_id: organisationId });
    const category = patch.category !== undefined ? patch.category || null : ticket.category;
    const currentCustom = JSON.parse(ticket.custom_fields) as CustomValues;
    let customValues: CustomValues | undefined;
    if (patch.customFields !== undefined || patch.category !== undefined) {
      const definitions = await fieldDefinitions(trx);
      // Values of fields that no longer apply to the category go; named values are merged over the rest.
      const applicable = new Set(fieldsFor(definitions, category).map((d) => d.key));
      const kept = Object.fromEntries(Object.entries(currentCustom).filter(([key]) => applicable.has(key)));
      const custom = validateCustomFields(definitions, category, { ...kept, ...patch.customFields }, t);
      Object.assign(errors, custom.errors);
      customValues = custom.values;
    }
    if (Object.keys(errors).length) throw new HttpError(422, t('error.invalid'), errors);
    const change = <K extends keyof Ticket>(column: K, next: Ticket[K] | undefined) => {
      if (next === undefined || next === ticket[column]) return;
      (step.values as Record<string, unknown>)[column] = next;
      unit.history.push({ action: 'changed', field: column, old: ticket[column] as string | number | null, new: next as string | number | null });
    };
    change('subject', patch.subject?.trim());
    change('priority', patch.priority);
    change('category', patch.category !== undefined ? patch.category || null : undefined);
    change('organisation_id', organisationId);
    change('requester_id', patch.requesterId);
    change('contract_id', contractId);
    if (customValues) {
      for (const key of new Set([...Object.keys(currentCustom), ...Object.keys(customValues)])) {
        if (currentCustom[key] !== customValues[key]) unit.history.push({ action: 'changed', field: `custom_fields.${key}`, old: str(currentCustom[key] as string), new: str(customValues[key] as string) });
      }
      const serialised = JSON.stringify(customValues);
      if (serialised !== ticket.custom_fields) step.values.custom_fields = serialised;
    }
    if (step.values.subject !== undefined) unit.reindex = true;
  }

  async function forwardStep(step: Step, input: ForwardInput, actor: Extract<TicketActor, { kind: 'user' }>): Promise<void> {
    const { trx, unit, now } = step;
    const ticket = current(step);
    if (ticket.status === 'closed') throw new HttpError(409, t('ticket.refused.closed'));
    const errors: Record<string, string> = {};
    await checkReferences(tenantScope(trx, tenantId), { groupId: input.groupId, assigneeId: input.assigneeId }, errors);
    if (Object.keys(errors).length) throw new HttpError(422, t('error.invalid'), errors);
    const before = unit.history.length;
    const groupId = input.groupId ?? ticket.group_id;
    let assigneeId = input.assigneeId ?? null;
    if (!input.assigneeId && ticket.assignee_id && groupId) {
      // The current agent keeps the ticket only if they belong to the new group.
      const member = await tenantScope(trx, tenantId).selectFrom('group_members').select('user_id').where('group_id', '=', groupId).where('user_id', '=', ticket.assignee_id).executeTakeFirst();
      assigneeId = member ? ticket.assignee_id : null;
    }
    if (groupId !== ticket.group_id) {
      step.values.group_id = groupId;
      unit.history.push({ action: 'forwarded', field: 'group_id', old: ticket.group_id, new: groupId, ...(input.note ? { note: input.note } : {}) });
    }
    if (assigneeId !== ticket.assignee_id) {
      step.values.assignee_id = assigneeId;
      unit.history.push({ action: 'forwarded', field: 'assignee_id', old: ticket.assignee_id, new: assigneeId, ...(input.note && groupId === ticket.group_id ? { note: input.note } : {}) });
    }
    if (unit.history.length === before) throw new HttpError(409, t('ticket.refused.forwardSame'));
    unit.actions.add('forwarded');
    const summary = t('notification.forwarded', { number: ticket.number, subject: ticket.subject });
    if (assigneeId) unit.notifications.push({ userId: assigneeId, kind: 'forwarded', summary });
    else if (groupId) await notifyGroup(trx, groupId, actor.id, 'forwarded', summary, unit);
    for (const [kind, body] of [['note', input.note], ['reply', input.customerMessage]] as const) {
      if (!body?.trim()) continue;
      const article = await tenantScope(trx, tenantId).insertInto('ticket_articles', {
        ticket_id: ticket.id, kind, author_user_id: actor.id, author_label: actor.label, body_text: body.trim(), created_at: now,
      }).returning('id').executeTakeFirstOrThrow();
      unit.articles.push({ number: ticket.number, ticketId: ticket.id, articleId: article.id, kind });
      unit.reindex = true;
    }
  }

  async function articleStep(step: Step, input: ArticleInput, attachments: StoredAttachment[], actor: TicketActor): Promise<number> {
    const { trx, unit, now, values } = step;
    const ticket = current(step);
    if (ticket.status === 'closed' && input.kind !== 'note') throw new HttpError(409, t('ticket.refused.closed'));
    unit.actions.add('article_added');
    const article = await tenantScope(trx, tenantId).insertInto('ticket_articles', {
      ticket_id: ticket.id, kind: input.kind, channel: input.channel ?? 'web',
      author_user_id: actor.kind === 'user' ? actor.id : null, author_person_id: actor.kind === 'person' ? actor.id : null,
      author_label: actor.label, body_text: input.body, body_html: input.bodyHtml ?? null, message_id: input.messageId ?? null, created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    if (attachments.length) await storeAttachments(trx, ticket.id, article.id, attachments);
    unit.history.push({ action: input.kind, field: 'article', new: article.id });
    if (input.kind === 'reply') {
      if (!ticket.first_response_at) values.first_response_at = now;
      if (ticket.status === 'new' && !input.statusAfter) applyStatus(step.ticket, 'open', actor, values, unit, now);
    }
    if (input.kind === 'customer') {
      // The customer answered: support is up again, and a solved ticket reopens.
      if (ticket.status === 'waiting' || ticket.status === 'solved') applyStatus(step.ticket, 'open', actor, values, unit, now);
      const summary = t('notification.customerReply', { number: ticket.number, subject: ticket.subject });
      if (ticket.assignee_id) unit.notifications.push({ userId: ticket.assignee_id, kind: 'customer_reply', summary });
      else if (ticket.group_id) await notifyGroup(trx, ticket.group_id, undefined, 'customer_reply', summary, unit);
    }
    if (input.kind === 'note') {
      for (const userId of await mentionedUsers(trx, input.body)) {
        unit.notifications.push({ userId, kind: 'mention', summary: t('notification.mention', { number: ticket.number, subject: ticket.subject }) });
      }
    }
    if (input.statusAfter && input.statusAfter !== current(step).status) applyStatus(step.ticket, input.statusAfter, actor, values, unit, now);
    unit.reindex = true;
    unit.articles.push({ number: ticket.number, ticketId: ticket.id, articleId: article.id, kind: input.kind });
    return article.id;
  }

  return {
    settings,

    /** Opens a ticket; the number is taken in the same transaction, so it never repeats. */
    async create(input: NewTicketInput, actor: TicketActor): Promise<Ticket> {
      refuseAttachments(input.attachments);
      const attachments = await putAttachments(input.attachments);
      const unit = new UnitOfWork();
      unit.action = 'created';
      unit.pluginFields = input.pluginFields ?? {};
      const ticket = await db.transaction().execute(async (trx) => {
        const trxScope = tenantScope(trx, tenantId);
        const errors: Record<string, string> = {};
        if (input.priority !== undefined && ![1, 2, 3, 4].includes(input.priority)) errors.priority = t('validation.choice');
        await checkReferences(trxScope, input, errors);
        let requesterId = input.requesterId ?? null;
        let organisationId = input.organisationId ?? null;
        if (!requesterId && input.requesterEmail && !errors.requester_email) {
          const person = await personByEmail(trx, input.requesterEmail, input.requesterName);
          requesterId = person.id;
          organisationId ??= person.organisation_id;
        } else if (requesterId && !organisationId && !errors.requester_id) {
          organisationId = (await trxScope.selectFrom('people').select('organisation_id').where('id', '=', requesterId).executeTakeFirst())?.organisation_id ?? null;
        }
        const custom = validateCustomFields(await fieldDefinitions(trx), input.category, input.customFields ?? {}, t);
        Object.assign(errors, custom.errors);
        if (Object.keys(errors).length) throw new HttpError(422, t('error.invalid'), errors);
        const created = clock();
        const now = created.toISOString();
        const row = await trxScope.insertInto('tickets', {
          number: await nextTicketNumber(trx, tenantId, created),
          subject: input.subject.trim(),
          description: input.description,
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
        if (row.assignee_id) unit.notifications.push({ userId: row.assignee_id, kind: 'assigned', summary: t('notification.assigned', { number: row.number, subject: row.subject }) });
        else if (row.group_id) await notifyGroup(trx, row.group_id, undefined, 'assigned', t('notification.newInGroup', { number: row.number, subject: row.subject }), unit);
        if (attachments.length) await storeAttachments(trx, row.id, null, attachments);
        unit.reindex = true;
        await finish(trx, row, actor, unit, now);
        return row;
      });
      await afterCommit(ticket, ticket.status, unit);
      return ticket;
    },

    /** New -> open: the agent takes the ticket, optionally setting its priority. */
    async accept(number: string, actor: TicketActor, priority?: number): Promise<Ticket> {
      if (actor.kind !== 'user') throw new HttpError(403, t('error.forbidden'));
      return this.changeStatus(number, 'open', actor, { assignToActor: true, priority });
    },

    async changeStatus(number: string, to: TicketStatus, actor: TicketActor, options: { assignToActor?: boolean; priority?: number | undefined } = {}): Promise<Ticket> {
      return (await this.apply(number, { status: to, assignToActor: options.assignToActor, fields: options.priority !== undefined ? { priority: options.priority } : undefined }, actor)).ticket;
    },

    /** A public reply, internal note or customer message, with attachments and the status rules that come with it. */
    async addArticle(number: string, input: ArticleInput, actor: TicketActor): Promise<{ ticket: Ticket; articleId: number }> {
      const result = await this.apply(number, { article: input }, actor);
      return { ticket: result.ticket, articleId: result.articleId! };
    },

    /** Changes fields; each change becomes a history entry with old and new value. */
    async update(number: string, patch: TicketPatch, actor: TicketActor): Promise<Ticket> {
      return (await this.apply(number, { fields: patch }, actor)).ticket;
    },

    /** Moves the ticket to another group, level or agent, with an internal note and optionally a word to the customer. */
    async forward(number: string, input: ForwardInput, actor: TicketActor): Promise<Ticket> {
      return (await this.apply(number, { forward: input }, actor)).ticket;
    },

    /**
     * Several changes in one transaction, in this order: fields, forwarding, article, status.
     * All of them hold or none does (the API's PATCH and macros use it).
     */
    async apply(number: string, changes: TicketChanges, actor: TicketActor): Promise<{ ticket: Ticket; articleId?: number | undefined }> {
      const article = changes.article;
      if (article) {
        if (article.kind === 'customer' ? actor.kind === 'user' : actor.kind === 'person') throw new HttpError(403, t('error.forbidden'));
        if (!article.body.trim() && !article.attachments?.length) throw new HttpError(422, t('error.invalid'), { body: t('validation.required') });
        refuseAttachments(article.attachments);
      }
      if (changes.forward && actor.kind !== 'user') throw new HttpError(403, t('error.forbidden'));
      if (changes.forward && !changes.forward.groupId && !changes.forward.assigneeId) throw new HttpError(422, t('error.invalid'), { group_id: t('ticket.forwardTarget') });
      const attachments = await putAttachments(article?.attachments);
      const unit = new UnitOfWork();
      const result = await db.transaction().execute(async (trx) => {
        const step: Step = { trx, ticket: await lockTicket(trx, number), values: {}, unit, now: clock().toISOString() };
        if (changes.assignToActor && actor.kind === 'user' && step.ticket.assignee_id !== actor.id) {
          step.values.assignee_id = actor.id;
          unit.history.push({ action: 'assigned', field: 'assignee_id', old: step.ticket.assignee_id, new: actor.id });
        }
        if (changes.fields) await fieldsStep(step, changes.fields);
        if (changes.forward) await forwardStep(step, changes.forward, actor as Extract<TicketActor, { kind: 'user' }>);
        const articleId = article ? await articleStep(step, article, attachments, actor) : undefined;
        if (changes.status && (changes.status !== current(step).status || !article)) {
          unit.actions.add('status_changed');
          applyStatus(step.ticket, changes.status, actor, step.values, unit, step.now);
        }
        if (unit.history.length === 0) return { ticket: step.ticket, articleId };
        await saveValues(trx, step.ticket, step.values, step.now);
        await finish(trx, step.ticket, actor, unit, step.now);
        return { ticket: { ...current(step), updated_at: step.now }, articleId };
      });
      if (unit.history.length) await afterCommit(result.ticket, result.ticket.status, unit);
      return result;
    },

    /** Soft delete (admins): the ticket leaves every list but can be restored. */
    async remove(number: string, actor: TicketActor): Promise<void> {
      if (actor.kind !== 'user' || !actor.can('tickets.delete')) throw new HttpError(403, t('error.forbidden'));
      const unit = new UnitOfWork();
      unit.action = 'deleted';
      const ticket = await db.transaction().execute(async (trx) => {
        const ticket = await lockTicket(trx, number);
        const now = clock().toISOString();
        await saveValues(trx, ticket, { deleted_at: now }, now);
        unit.history.push({ action: 'deleted' });
        await finish(trx, ticket, actor, unit, now);
        return ticket;
      });
      await afterCommit(ticket, ticket.status, unit);
    },

    async restore(number: string, actor: TicketActor): Promise<void> {
      if (actor.kind !== 'user' || !actor.can('tickets.delete')) throw new HttpError(403, t('error.forbidden'));
      const unit = new UnitOfWork();
      unit.action = 'restored';
      const ticket = await db.transaction().execute(async (trx) => {
        const ticket = await lockTicket(trx, number, true);
        if (!ticket.deleted_at) throw new HttpError(409, t('ticket.refused.notDeleted'));
        const now = clock().toISOString();
        await saveValues(trx, ticket, { deleted_at: null }, now);
        unit.history.push({ action: 'restored' });
        await finish(trx, ticket, actor, unit, now);
        return ticket;
      });
      await afterCommit(ticket, ticket.status, unit);
    },

    /** A ticket of this tenant by number (deleted ones only when asked). */
    async find(number: string, options: { includeDeleted?: boolean } = {}): Promise<Ticket | undefined> {
      let query = scoped.selectFrom('tickets').selectAll().where('number', '=', number);
      if (!options.includeDeleted) query = query.where('deleted_at', 'is', null);
      return query.executeTakeFirst();
    },

    /** Like find, but a missing ticket is the request's 404. */
    async get(number: string, options: { includeDeleted?: boolean } = {}): Promise<Ticket> {
      const ticket = await this.find(number, options);
      if (!ticket) throw new HttpError(404, t('ticket.notFound'));
      return ticket;
    },
  };

  /** Staff named in a note as @name (the part of their e-mail before the @) or @full-address. */
  async function mentionedUsers(trx: Kysely<DB>, body: string): Promise<number[]> {
    const handles = [...body.matchAll(/(?:^|[\s(])@([\w.+-]+(?:@[\w.-]+\.\w+)?)/g)].map((m) => m[1]!.toLowerCase().replace(/\.$/, ''));
    if (handles.length === 0) return [];
    const users = await trx.selectFrom('users').select(['id', 'email']).where('tenant_id', '=', tenantId).where('active', '=', 1).execute();
    return users.filter((u) => handles.includes(u.email.toLowerCase()) || handles.includes(u.email.toLowerCase().split('@')[0]!)).map((u) => u.id);
  }
}
export type TicketService = ReturnType<typeof createTicketService>;
