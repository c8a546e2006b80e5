import type { Tenant, Ticket, TicketStatus } from '../db/schema.js';
import { DomainError } from '../domain-error.js';
import type { Translate } from '../i18n/translate.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { articleStep, putAttachments, refuseAttachments } from './ticket-articles.js';
import { forwardStep, takeStep } from './ticket-assignment.js';
import { ownerStep } from './ticket-owner.js';
import { createTicket } from './ticket-create.js';
import { fieldsStep } from './ticket-field-steps.js';
import { changesSince, refuseStaleFields, type StaleChange } from './ticket-stale-fields.js';
import { applyStatus } from './ticket-lifecycle-steps.js';
import { closeAsSpam, mergeTickets } from './ticket-merge.js';
import { waitUntil, wakeUp } from './ticket-waiting.js';
import { bulkChange, type BulkAction, type BulkOutcome } from './ticket-bulk.js';
import type { ArticleInput, ForwardInput, NewTicketInput, TicketActor, TicketChanges, TicketPatch, TicketServiceDeps } from './ticket-service-types.js';
import { ticketSettings } from './ticket-settings.js';
import { afterCommit, current, finish, lockTicket, saveValues, UnitOfWork, type Step, type TicketContext } from './ticket-unit.js';

export { CHANNELS } from './ticket-service-types.js';
export type { ArticleInput, ForwardInput, NewTicketInput, TicketActor, TicketChanges, TicketHooks, TicketPatch, TicketServiceDeps } from './ticket-service-types.js';

/**
 * Every change to a ticket goes through here: the lifecycle rules, field checks, history,
 * search index, notifications, plugin hooks and live events, in one transaction each.
 * A refused change throws a DomainError ('conflict' for the lifecycle, 'forbidden' for rights,
 * 'invalid' with field messages, 'not_found'; the HTTP layer answers 409, 403, 422, 404) and
 * leaves nothing half-changed. The steps live beside it: ticket-unit.ts (the
 * unit of work, history, hooks, after commit), ticket-create.ts, ticket-field-steps.ts,
 * ticket-assignment.ts (take, forward), ticket-articles.ts, ticket-lifecycle-steps.ts.
 */
/** The ticket's version the caller's form showed (see TicketChanges.version); without it nothing is checked. */
interface Versioned { version?: number | undefined }

export function createTicketService(deps: TicketServiceDeps, tenant: Tenant, t: Translate) {
  const { db, clock } = deps;
  const tenantId = tenant.id;
  const settings = ticketSettings(tenant);
  const scoped = tenantScope(db, tenantId);
  const ctx: TicketContext = { deps, tenant, tenantId, settings, t };

  return {
    settings,

    /** Opens a ticket; the number is taken in the same transaction, so it never repeats. */
    async create(input: NewTicketInput, actor: TicketActor): Promise<Ticket> {
      return createTicket(ctx, input, actor);
    },

    /** New -> open: the agent takes the ticket, optionally setting its priority. */
    async accept(number: string, actor: TicketActor, priority?: number, options: Versioned = {}): Promise<Ticket> {
      if (actor.kind !== 'user') throw new DomainError('forbidden', t('error.forbidden'));
      return this.changeStatus(number, 'open', actor, { assignToActor: true, priority, version: options.version });
    },

    async changeStatus(number: string, to: TicketStatus, actor: TicketActor, options: { assignToActor?: boolean; priority?: number | undefined } & Versioned = {}): Promise<Ticket> {
      return (await this.apply(number, { status: to, assignToActor: options.assignToActor, fields: options.priority !== undefined ? { priority: options.priority } : undefined, version: options.version }, actor)).ticket;
    },

    /** A public reply, internal note or customer message, with attachments and the status rules that come with it. */
    async addArticle(number: string, input: ArticleInput, actor: TicketActor, options: Versioned = {}): Promise<{ ticket: Ticket; articleId: number }> {
      const result = await this.apply(number, { article: input, version: options.version }, actor);
      return { ticket: result.ticket, articleId: result.articleId! };
    },

    /** Changes fields; each change becomes a history entry with old and new value. */
    async update(number: string, patch: TicketPatch, actor: TicketActor, options: Versioned = {}): Promise<Ticket> {
      return (await this.apply(number, { fields: patch, version: options.version }, actor)).ticket;
    },

    /** Gives the ticket to an agent of its group, or to nobody (the sidebar's owner picker). */
    async assign(number: string, assigneeId: number | null, actor: TicketActor, options: Versioned = {}): Promise<Ticket> {
      return (await this.apply(number, { owner: { assigneeId }, version: options.version }, actor)).ticket;
    },

    /** Moves the ticket to another group, level or agent, with an internal note and optionally a word to the customer. */
    async forward(number: string, input: ForwardInput, actor: TicketActor, options: Versioned = {}): Promise<Ticket> {
      return (await this.apply(number, { forward: input, version: options.version }, actor)).ticket;
    },

    /**
     * Several changes in one transaction, in this order: fields, forwarding, article, status.
     * All of them hold or none does (the API's PATCH and macros use it).
     */
    async apply(number: string, changes: TicketChanges, actor: TicketActor): Promise<{ ticket: Ticket; articleId?: number | undefined }> {
      const article = changes.article;
      if (article) {
        if (article.kind === 'customer' ? actor.kind === 'user' : actor.kind === 'person') throw new DomainError('forbidden', t('error.forbidden'));
        if (!article.body.trim() && !article.attachments?.length) throw new DomainError('invalid', t('error.invalid'), { body: t('validation.required') });
        refuseAttachments(ctx, article.attachments);
      }
      // Agents forward, and the system does (an escalation point forwarding to a group); a customer never does.
      if ((changes.forward || changes.owner) && actor.kind === 'person') throw new DomainError('forbidden', t('error.forbidden'));
      if (changes.forward && !changes.forward.groupId && !changes.forward.assigneeId) throw new DomainError('invalid', t('error.invalid'), { group_id: t('ticket.forwardTarget') });
      const attachments = await putAttachments(ctx, article?.attachments);
      const unit = new UnitOfWork();
      const result = await db.transaction().execute(async (trx) => {
        const step: Step = { trx, ticket: await lockTicket(ctx, trx, number), values: {}, unit, now: clock().toISOString() };
        if (changes.assignToActor) takeStep(step, actor);
        if (changes.fields) await fieldsStep(ctx, step, changes.fields);
        if (changes.owner) await ownerStep(ctx, step, changes.owner.assigneeId);
        if (changes.forward) await forwardStep(ctx, step, changes.forward, actor as Exclude<TicketActor, { kind: 'person' }>);
        const articleId = article ? await articleStep(ctx, step, article, attachments, actor) : undefined;
        if (changes.status && (changes.status !== current(step).status || !article)) applyStatus(ctx, step.ticket, changes.status, actor, step.values, unit, step.now);
        if (changes.version !== undefined) await refuseStaleFields(ctx, step, changes.version, actor);
        if (unit.history.length === 0) return { ticket: step.ticket, articleId };
        await saveValues(ctx, trx, step.ticket, step.values, step.now, unit);
        await finish(ctx, trx, step.ticket, actor, unit, step.now);
        return { ticket: { ...current(step), updated_at: step.now, version: unit.version ?? step.ticket.version }, articleId };
      });
      if (unit.history.length) await afterCommit(ctx, result.ticket, result.ticket.status, unit);
      return result;
    },

    /**
     * Merges ticket `number` into `intoNumber` (agents): articles, attachments and the description move to the
     * survivor, the source closes with close_reason 'merged' (see ticket-merge.ts). 404 for another tenant's source,
     * 422 for a missing target or itself, 409 when either is closed, deleted or the target was merged.
     */
    async merge(number: string, intoNumber: string, actor: TicketActor, options: Versioned = {}): Promise<{ source: Ticket; target: Ticket }> {
      return mergeTickets(ctx, number, intoNumber, actor, options);
    },

    /** Sets the ticket to waiting until `until` (ISO) or without a time; see ticket-waiting.ts. */
    async waitUntil(number: string, until: string | null, actor: TicketActor): Promise<Ticket> {
      return waitUntil(ctx, number, until, actor);
    },

    /** The system's wake-up of a ticket whose waiting time has come (false: not due any more). */
    async wakeUp(number: string): Promise<boolean> {
      return wakeUp(ctx, number, clock().toISOString());
    },

    /** One action on many tickets, all or nothing per ticket, in batches (ticket-bulk.ts). */
    async bulk(numbers: readonly string[], action: BulkAction, actor: TicketActor): Promise<BulkOutcome> {
      return bulkChange(ctx, numbers, action, actor);
    },

    /** Closes the ticket as spam from any status but closed, in one step (close_reason 'spam'; agents). */
    async spam(number: string, actor: TicketActor, options: Versioned = {}): Promise<Ticket> {
      return closeAsSpam(ctx, number, actor, options);
    },

    /** Soft delete (admins): the ticket leaves every list but can be restored. */
    async remove(number: string, actor: TicketActor): Promise<void> {
      if (actor.kind !== 'user' || !actor.can('tickets.delete')) throw new DomainError('forbidden', t('error.forbidden'));
      const unit = new UnitOfWork();
      const ticket = await db.transaction().execute(async (trx) => {
        const ticket = await lockTicket(ctx, trx, number);
        const now = clock().toISOString();
        await saveValues(ctx, trx, ticket, { deleted_at: now }, now, unit);
        unit.history.push({ action: 'deleted' });
        await finish(ctx, trx, ticket, actor, unit, now);
        return ticket;
      });
      await afterCommit(ctx, ticket, ticket.status, unit);
    },

    async restore(number: string, actor: TicketActor): Promise<void> {
      if (actor.kind !== 'user' || !actor.can('tickets.delete')) throw new DomainError('forbidden', t('error.forbidden'));
      const unit = new UnitOfWork();
      const ticket = await db.transaction().execute(async (trx) => {
        const ticket = await lockTicket(ctx, trx, number, true);
        if (!ticket.deleted_at) throw new DomainError('conflict', t('ticket.refused.notDeleted'));
        const now = clock().toISOString();
        await saveValues(ctx, trx, ticket, { deleted_at: null }, now, unit);
        unit.history.push({ action: 'restored' });
        await finish(ctx, trx, ticket, actor, unit, now);
        return ticket;
      });
      await afterCommit(ctx, ticket, ticket.status, unit);
    },

    /** What changed on the ticket after `version`, worded (field, old → new, who, when), oldest first. */
    async changesSince(ticket: Pick<Ticket, 'id' | 'version'>, version: number): Promise<StaleChange[]> {
      return ticket.version > version ? changesSince(ctx, db, ticket.id, version) : [];
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
      if (!ticket) throw new DomainError('not_found', t('ticket.notFound'));
      return ticket;
    },
  };
}
export type TicketService = ReturnType<typeof createTicketService>;
