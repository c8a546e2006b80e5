import type { Kysely } from 'kysely';
import type { DB, NotificationKind, Tenant, Ticket, TicketStatus } from '../db/schema.js';
import { DomainError } from '../domain-error.js';
import { isLocale, type Translate } from '../i18n/translate.js';
import { encodeNotificationMessage, notificationText, type NotificationMessage } from '../notifications/notification-text.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import type { EventRef } from '../plugin-host/refs.js';
import { TICKET_ACTION_EVENTS, TICKET_ARTICLE, type FieldChange, type TicketAction, type TicketArticlePayload, type TicketChange, type TicketChangePayload, type TicketDiff } from './ticket-events.js';
import { reindexTicket } from './ticket-search.js';
import { movesHotline, updateHotline } from '../statistics/hotline-aggregate.js';
import { movesKpi, updateKpiFacts } from '../statistics/kpi-fact-store.js';
import { KPI_BUSINESS_TIME } from '../statistics/kpi-business-time.js';
import { moveTicketCounters } from './ticket-counters.js';
import type { TicketServiceDeps, TicketActor } from './ticket-service-types.js';
import type { TicketSettings } from './ticket-settings.js';
import { chunks } from '../db/chunks.js';

/** What every part of the ticket service works with: its dependencies and the tenant it acts for. */
export interface TicketContext {
  deps: TicketServiceDeps;
  tenant: Tenant;
  tenantId: number;
  settings: TicketSettings;
  t: Translate;
}

type HistoryChange = TicketChange;
/** `message` is the summary as a key with parameters, rendered in each reader's language (notification-text.ts). */
interface PendingNotification { userId: number; kind: NotificationKind; summary: string; message?: NotificationMessage | undefined }

/** What one change collects inside its transaction and hands out after commit. */
export class UnitOfWork {
  readonly history: HistoryChange[] = [];
  readonly notifications: PendingNotification[] = [];
  /** Articles added, announced after commit (TICKET_ARTICLE). */
  readonly articles: Array<Omit<TicketArticlePayload, 'tenantId'>> = [];
  /** A create form's plugin fields, for the TICKET_CREATED filters. */
  pluginFields: Readonly<Record<string, string>> = {};
  reindex = false;
  /** For a new ticket: the fields it was given (its history holds only its creation). */
  created: TicketDiff | undefined;
  /** The staff user who made the change (set when it is finished), for the events' payload. */
  actorUserId: number | null = null;
  /** The ticket's version after this change (set by saveValues, or by finish for a new ticket). */
  version: number | undefined;

  /** The fields the change moved, from the first old value to the last new one (see TicketDiff). */
  diff(): TicketDiff {
    if (this.created) return this.created;
    const diff: Record<string, FieldChange> = {};
    for (const change of this.history) {
      if (!change.field || change.field === 'article') continue;
      const before = diff[change.field];
      diff[change.field] = { old: before ? before.old : change.old ?? null, new: change.new ?? null };
    }
    return Object.freeze(Object.fromEntries(Object.entries(diff).filter(([, change]) => change.old !== change.new)));
  }

  /** What happened, read from the history: every action that applies, in the order of TICKET_ACTION_EVENTS. */
  actions(): TicketAction[] {
    const found = new Set<TicketAction>();
    const diff = this.diff();
    if (this.created) found.add('created');
    else if (Object.keys(diff).length) found.add('changed');
    if (this.created && diff.assignee_id?.new != null) found.add('assigned');
    for (const change of this.history) {
      if (change.field === 'status' && change.action !== 'created') {
        found.add('status_changed');
        if (change.new === 'solved') found.add('solved');
        if (change.new === 'closed') found.add('closed');
        if (change.action === 'reopened') found.add('reopened');
      }
      if (change.field === 'assignee_id' && change.new != null) found.add('assigned');
      if (change.action === 'forwarded') found.add('forwarded');
      if (change.field === 'article') found.add('article_added');
      if (change.action === 'deleted' || change.action === 'restored') found.add(change.action);
    }
    return (Object.keys(TICKET_ACTION_EVENTS) as TicketAction[]).filter((action) => found.has(action));
  }

  /** The one word the live 'ticket' event carries for the lists and pages (a change of fields alone is 'updated'). */
  liveAction(): string {
    const actions = this.actions();
    return LIVE_ACTIONS.find((action) => actions.includes(action)) ?? 'updated';
  }

  /** The payload of each event this change raises. */
  events(ticket: Pick<Ticket, 'id' | 'number'>, tenantId: number): Array<[EventRef<TicketChangePayload>, TicketChangePayload]> {
    const diff = this.diff();
    return this.actions().map((action) => [TICKET_ACTION_EVENTS[action], {
      tenantId, ticketId: ticket.id, number: ticket.number, changes: this.history, diff, pluginFields: action === 'created' ? this.pluginFields : NO_FIELDS,
      actorUserId: this.actorUserId,
    }]);
  }
}

const NO_FIELDS: Readonly<Record<string, string>> = Object.freeze({});
const LIVE_ACTIONS: readonly TicketAction[] = ['created', 'deleted', 'restored', 'forwarded', 'article_added', 'status_changed'];

/** One change in progress: the locked ticket, the column values the steps set so far, and what they collected. */
export interface Step {
  trx: Kysely<DB>; ticket: Ticket; values: Partial<Ticket>; unit: UnitOfWork; now: string;
  /** A bulk change's reads its tickets share within the batch's transaction (one group's members, the same references). */
  reads?: BatchReads;
}

/** Reads that no step of a batch changes, made once per batch transaction and shared by its steps. */
export class BatchReads {
  private readonly memo = new Map<string, Promise<unknown>>();
  once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let found = this.memo.get(key) as Promise<T> | undefined;
    if (!found) this.memo.set(key, (found = read()));
    return found;
  }
}

/** A read once per batch when the step belongs to one, else at once. */
export const readOnce = <T>(step: Pick<Step, 'reads'>, key: string, read: () => Promise<T>): Promise<T> => (step.reads ? step.reads.once(key, read) : read());

/** A group's members (read once per batch when reads is given). */
export const groupMembers = (ctx: TicketContext, trx: Kysely<DB>, groupId: number, reads?: BatchReads) =>
  readOnce({ reads }, `group-members:${groupId}`, () => tenantScope(trx, ctx.tenantId).selectFrom('group_members').select('user_id').where('group_id', '=', groupId).execute());

/** The ticket as the steps so far have changed it. */
export const current = (step: Step): Ticket => ({ ...step.ticket, ...step.values });

export const str = (value: number | string | null | undefined) => (value === null || value === undefined ? null : String(value));

const actorColumns = (actor: TicketActor) => ({
  actor_user_id: actor.kind === 'user' ? actor.id : null,
  actor_person_id: actor.kind === 'person' ? actor.id : null,
  actor_label: actor.label,
});

/** The tenant's ticket by number, locked for this transaction; 404 when there is none. */
export async function lockTicket(ctx: TicketContext, trx: Kysely<DB>, number: string, includeDeleted = false): Promise<Ticket> {
  let query = tenantScope(trx, ctx.tenantId).selectFrom('tickets').selectAll().where('number', '=', number);
  if (!includeDeleted) query = query.where('deleted_at', 'is', null);
  // SQLite's write transaction (BEGIN IMMEDIATE) already serialises writers.
  const ticket = await (ctx.deps.dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
  if (!ticket) throw new DomainError('not_found', ctx.t('ticket.notFound'));
  return ticket;
}

/**
 * Writes the step's values and raises the ticket's version by one (the ticket is locked: no other change
 * runs between the read and this write). Returns the new version, which the history lines carry.
 */
export async function saveValues(ctx: TicketContext, trx: Kysely<DB>, ticket: Ticket, values: Partial<Ticket>, now: string, unit: UnitOfWork): Promise<number> {
  const version = ticket.version + 1;
  await tenantScope(trx, ctx.tenantId).updateTable('tickets').set({ ...values, updated_at: now, version } as never).where('id', '=', ticket.id).execute();
  unit.version = version;
  return version;
}

export async function notifyGroup(ctx: TicketContext, trx: Kysely<DB>, groupId: number, except: number | undefined, kind: NotificationKind, summary: string, unit: UnitOfWork, message?: NotificationMessage, reads?: BatchReads) {
  const members = await groupMembers(ctx, trx, groupId, reads);
  for (const member of members) if (member.user_id !== except) unit.notifications.push({ userId: member.user_id, kind, summary, message });
}

/** Writes history and notifications, bumps updated_at, reindexes; then commits and tells everyone. */
export async function finish(ctx: TicketContext, trx: Kysely<DB>, ticket: Ticket, actor: TicketActor, unit: UnitOfWork, now: string) {
  // Every change raises the version in its transaction: a new ticket starts at its own, a change without saveValues
  // (nothing in the ticket row moved) still counts.
  if (unit.version === undefined) unit.version = unit.created ? ticket.version : await saveValues(ctx, trx, ticket, {}, now, unit);
  // The queue and dashboard counters move in this transaction too (ticket-counters.ts).
  await moveTicketCounters(trx, ctx.deps.dialect, ctx.tenantId, ticket.id, unit.created ? undefined : ticket);
  await finishMany(ctx, trx, [{ ticket, unit }], actor, now);
}

/** One ticket's finished change in a batch: the row before it (`unit.version` already set by saveValues). */
export interface Finished { ticket: Ticket; unit: UnitOfWork }

/**
 * The writes that follow the ticket rows, for many changes at once (a bulk change's batch, or one change): the
 * hotline and KPI statistics, history and notifications each with one statement for all of them, the search
 * index where the text moved, then the plugins' filters of every change. The queue counters are the caller's
 * (finish moves one ticket's, a bulk change sums its batch's: ticket-counters.ts).
 */
export async function finishMany(ctx: TicketContext, trx: Kysely<DB>, changes: readonly Finished[], actor: TicketActor, now: string) {
  const { tenantId, deps } = ctx;
  const trxScope = tenantScope(trx, tenantId);
  const lines = (unit: UnitOfWork) => unit.history.map((change) => ({ action: change.action, field: change.field ?? null, old_value: str(change.old), new_value: str(change.new), created_at: now }));
  // The hotline statistics' day and status counts move in this transaction (before the history is written: they read the earlier lines).
  await updateHotline(trx, deps.dialect, tenantId, ctx.tenant.time_zone, changes.filter(({ unit }) => movesHotline(unit.created !== undefined, unit.history))
    .map(({ ticket, unit }) => ({ ticketId: ticket.id, before: unit.created ? undefined : ticket, lines: lines(unit) })));
  const history = changes.flatMap(({ ticket, unit }) => unit.history.map((change) => ({
    ticket_id: ticket.id, ...actorColumns(actor), action: change.action, field: change.field ?? null,
    old_value: str(change.old), new_value: str(change.new), note: change.note ?? null, created_at: now, version: unit.version ?? null,
  })));
  for (const chunk of chunks(history)) await trxScope.insertInto('ticket_history', chunk).execute();
  // The tickets' KPI facts are replayed in this transaction (after the history: they read every line).
  await updateKpiFacts(trx, deps.dialect, tenantId, ctx.tenant.time_zone, changes.filter(({ ticket, unit }) => movesKpi(unit.created !== undefined, ticket, unit.history)).map(({ ticket }) => ticket.id),
    async () => (deps.hooks?.extensions ? (await deps.hooks.extensions(KPI_BUSINESS_TIME, tenantId, undefined, trx))[0] : undefined));
  const actorUserId = actor.kind === 'user' ? actor.id : undefined;
  const notifications = [];
  for (const { ticket, unit } of changes) {
    unit.actorUserId = actorUserId ?? null;
    const recipients = unit.notifications.filter((n) => n.userId !== actorUserId);
    unit.notifications.splice(0, unit.notifications.length, ...recipients);
    notifications.push(...recipients.map((n) => ({
      user_id: n.userId, ticket_id: ticket.id, kind: n.kind, actor_label: actor.label, summary: n.summary.slice(0, 300), message: encodeNotificationMessage(n.message), created_at: now,
    })));
  }
  for (const chunk of chunks(notifications)) await trxScope.insertInto('notifications', chunk).execute();
  for (const { ticket, unit } of changes) if (unit.reindex) await reindexTicket(trx, deps.dialect, ticket.id);
  // The tenant's switches read once for a batch (each filter run would read them again).
  const enabled = changes.length > 1 ? await deps.hooks?.enabledPlugins?.(tenantId, trx) : undefined;
  for (const { ticket, unit } of changes) {
    for (const [event, payload] of unit.events(ticket, tenantId)) await deps.hooks?.runFilters(event, payload, trx, enabled);
  }
}

export async function afterCommit(ctx: TicketContext, ticket: Pick<Ticket, 'id' | 'number' | 'subject'>, status: TicketStatus, unit: UnitOfWork) {
  const { tenantId, deps } = ctx;
  deps.events.publish({ tenantId, type: 'ticket', data: { number: ticket.number, status, action: unit.liveAction() } });
  const notified = new Set<number>();
  for (const notification of unit.notifications) {
    if (notified.has(notification.userId)) continue;
    notified.add(notification.userId);
    deps.events.publish({ tenantId, type: 'notification', data: { userId: notification.userId } });
  }
  if (notified.size && deps.mailer) await mailNotifications(ctx, ticket, [...notified], unit);
  for (const [event, payload] of unit.events(ticket, tenantId)) await deps.hooks?.emit(event, payload);
  for (const article of unit.articles) await deps.hooks?.emit(TICKET_ARTICLE, { tenantId, ...article });
}

async function mailNotifications(ctx: TicketContext, ticket: Pick<Ticket, 'number' | 'subject'>, userIds: number[], unit: UnitOfWork) {
  const { tenantId, deps } = ctx;
  const users = await deps.db.selectFrom('users').select(['id', 'email', 'locale']).where('tenant_id', '=', tenantId).where('id', 'in', userIds)
    .where('notify_by_mail', '=', 1).where('active', '=', 1).execute();
  for (const user of users) {
    const pending = unit.notifications.find((n) => n.userId === user.id);
    // In the recipient's language (theirs, else the tenant's), not in the language of whoever made the change.
    const locale = isLocale(user.locale) ? user.locale : isLocale(ctx.tenant.locale) ? ctx.tenant.locale : 'en';
    const catalog = deps.catalog;
    const text = !pending ? '' : catalog ? notificationText({ summary: pending.summary, message: encodeNotificationMessage(pending.message) }, catalog.translator(locale), (key) => catalog.has(key)) : pending.summary;
    try {
      await deps.mailer!.send({ tenantId, to: user.email, subject: `[#${ticket.number}] ${ticket.subject}`, text, headers: { 'Auto-Submitted': 'auto-generated' } });
    } catch (error) {
      deps.log?.warn('notification mail failed', { tenantId, userId: user.id, error: String(error) });
    }
  }
}
