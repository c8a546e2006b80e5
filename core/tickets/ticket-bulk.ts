import { sql, type Kysely } from 'kysely';
import type { DB, Ticket, TicketStatus } from '../db/schema.js';
import { DomainError } from '../domain-error.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { forwardStep } from './ticket-assignment.js';
import { checkReferences, fieldsStep } from './ticket-field-steps.js';
import { applyStatus } from './ticket-lifecycle-steps.js';
import { mergeTickets } from './ticket-merge.js';
import { CounterMoves } from './ticket-counters.js';
import { queueTicketEvents } from './ticket-event-outbox.js';
import type { TicketActor } from './ticket-service-types.js';
import { BatchReads, current, finish, finishMany, saveValues, UnitOfWork, type Step, type TicketContext } from './ticket-unit.js';

// Bulk changes from the ticket lists: one action on many tickets, each ticket through the same steps as a
// single change (lifecycle rules, field checks, history, counters, statistics, plugin filters), all or
// nothing per ticket: a refusal rolls back that ticket alone (its batch runs again with a savepoint per ticket).
// Tickets go BATCH_SIZE to a transaction, written set-wise (one statement per kind of write for the batch, not one
// per ticket: 1,000 tickets within 2 s on SQLite and PostgreSQL, test/load/bulk-bench.ts). The plugins hear every
// ticket's events through a job each batch queues (ticket-event-outbox.ts); after the commits the live lists get
// one 'ticket' event for the whole action and each notified agent one 'notification' event, not one per ticket.

export const BULK_BATCH_SIZE = 100;
/** Most tickets one action takes (a page of the list is 25; "select all" takes the page). */
export const BULK_MAX_TICKETS = 1000;

export const BULK_ACTIONS = ['assign', 'forward', 'status', 'priority', 'category', 'close', 'merge'] as const;
export type BulkActionKind = (typeof BULK_ACTIONS)[number];

export type BulkAction =
  | { kind: 'assign'; assigneeId: number | null }
  | { kind: 'forward'; groupId: number; note?: string | undefined }
  | { kind: 'status'; status: Exclude<TicketStatus, 'closed'> }
  | { kind: 'priority'; priority: number }
  | { kind: 'category'; category: string | null }
  | { kind: 'close' }
  /** Every selected ticket into the one numbered `into` (which may be among them: it is skipped). */
  | { kind: 'merge'; into: string };

export interface BulkRefusal { number: string; reason: string }
export interface BulkOutcome { changed: string[]; unchanged: string[]; refused: BulkRefusal[] }

/** The actions this agent may take in bulk: what the single change would allow them (the service checks again). */
export function allowedBulkActions(can: (permission: string) => boolean, closeRequiresSupervisor: boolean): BulkActionKind[] {
  if (!can('tickets.edit')) return [];
  return BULK_ACTIONS.filter((kind) => kind !== 'close' || (closeRequiresSupervisor ? can('tickets.close') : true));
}

type Agent = Extract<TicketActor, { kind: 'user' }>;

/** Checks what the whole action refers to once (an unknown group or agent refuses the action, not each ticket). */
async function checkAction(ctx: TicketContext, action: BulkAction): Promise<void> {
  const errors: Record<string, string> = {};
  const scope = tenantScope(ctx.deps.db, ctx.tenantId);
  if (action.kind === 'assign' && action.assigneeId !== null) await checkReferences(ctx, scope, { assigneeId: action.assigneeId }, errors);
  if (action.kind === 'forward') await checkReferences(ctx, scope, { groupId: action.groupId }, errors);
  if (action.kind === 'category' && action.category) await checkReferences(ctx, scope, { category: action.category }, errors);
  if (action.kind === 'priority' && ![1, 2, 3, 4].includes(action.priority)) errors.priority = ctx.t('validation.choice');
  if (action.kind === 'merge' && !action.into.trim()) errors.into = ctx.t('validation.required');
  if (Object.keys(errors).length) throw new DomainError('invalid', ctx.t('error.invalid'), errors);
}

/** One ticket's steps for the action (the same steps a single change takes). */
async function stepsFor(ctx: TicketContext, step: Step, action: Exclude<BulkAction, { kind: 'merge' }>, actor: Agent): Promise<void> {
  const { t } = ctx;
  switch (action.kind) {
    case 'assign': {
      const ticket = current(step);
      if (ticket.status === 'closed') throw new DomainError('conflict', t('ticket.refused.closed'));
      if (ticket.assignee_id === action.assigneeId) return;
      step.values.assignee_id = action.assigneeId;
      step.unit.history.push({ action: 'assigned', field: 'assignee_id', old: ticket.assignee_id, new: action.assigneeId });
      if (action.assigneeId !== null) step.unit.notifications.push({ userId: action.assigneeId, kind: 'assigned', summary: t('notification.assigned', { number: ticket.number, subject: ticket.subject }) });
      return;
    }
    case 'forward':
      if (current(step).group_id === action.groupId) return;
      return forwardStep(ctx, step, { groupId: action.groupId, note: action.note }, actor);
    case 'priority':
      return fieldsStep(ctx, step, { priority: action.priority });
    case 'category':
      return fieldsStep(ctx, step, { category: action.category });
    case 'status':
      if (current(step).status === action.status) return;
      applyStatus(ctx, step.ticket, action.status, actor, step.values, step.unit, step.now);
      return;
    case 'close':
      // Closing takes the lifecycle's way: solved first where the ticket is not yet (both steps in the history).
      if (current(step).status !== 'solved') applyStatus(ctx, step.ticket, 'solved', actor, step.values, step.unit, step.now);
      applyStatus(ctx, step.ticket, 'closed', actor, step.values, step.unit, step.now);
      return;
  }
}

interface Done { ticket: Ticket; unit: UnitOfWork }

/** The tenant's live tickets of a batch by number, locked for the transaction (as lockTicket does for one). */
async function lockBatch(ctx: TicketContext, trx: Kysely<DB>, numbers: readonly string[]): Promise<Map<string, Ticket>> {
  const query = tenantScope(trx, ctx.tenantId).selectFrom('tickets').selectAll().where('number', 'in', [...numbers]).where('deleted_at', 'is', null).orderBy('id');
  // SQLite's write transaction (BEGIN IMMEDIATE) already serialises writers.
  const rows = await (ctx.deps.dialect === 'postgres' ? query.forUpdate() : query).execute();
  return new Map(rows.map((row) => [row.number, row]));
}

/** Thrown out of a batch's transaction (rolling it back) when a ticket was refused in the fast pass. */
class RefusedInBatch extends Error {}

/**
 * One batch in one transaction. The fast pass takes the whole batch at once: every ticket's steps, then the rows
 * written with one update per distinct set of values, then the statistics, history, notifications and the plugins'
 * filters through finishMany (one statement each for the batch). The first refusal rolls the batch back and it runs
 * again ticket by ticket with a savepoint around each, so a refused ticket leaves nothing behind and the others still
 * change (refusals are rare: most batches take the fast pass).
 */
async function runBatch(ctx: TicketContext, numbers: readonly string[], action: Exclude<BulkAction, { kind: 'merge' }>, actor: Agent, outcome: BulkOutcome): Promise<Done[]> {
  try {
    return await runPass(ctx, numbers, action, actor, outcome, fastPass);
  } catch (error) {
    if (!(error instanceof RefusedInBatch)) throw error;
    return runPass(ctx, numbers, action, actor, outcome, ticketByTicket);
  }
}

interface Pass { (ctx: TicketContext, trx: Kysely<DB>, rows: Map<string, Ticket>, numbers: readonly string[], action: Exclude<BulkAction, { kind: 'merge' }>, actor: Agent): Promise<{ changed: Done[]; unchanged: string[]; refused: BulkRefusal[] }> }

async function runPass(ctx: TicketContext, numbers: readonly string[], action: Exclude<BulkAction, { kind: 'merge' }>, actor: Agent, outcome: BulkOutcome, pass: Pass): Promise<Done[]> {
  const result = await ctx.deps.db.transaction().execute(async (trx: Kysely<DB>) => {
    // The batch's tickets read (and on PostgreSQL locked, in the order of their ids) with one statement, not one each.
    const rows = await lockBatch(ctx, trx, numbers);
    return pass(ctx, trx, rows, numbers, action, actor);
  });
  outcome.refused.push(...result.refused);
  outcome.unchanged.push(...result.unchanged);
  outcome.changed.push(...result.changed.map((d) => d.ticket.number));
  return result.changed;
}

/** The whole batch at once; any refusal throws RefusedInBatch (the caller rolls back and goes ticket by ticket). */
const fastPass: Pass = async (ctx, trx, rows, numbers, action, actor) => {
  const now = ctx.deps.clock().toISOString();
  const steps: Step[] = [];
  const unchanged: string[] = [];
  const reads = new BatchReads();
  try {
    for (const number of numbers) {
      const ticket = rows.get(number);
      if (!ticket) throw new DomainError('not_found', ctx.t('ticket.notFound'));
      const step: Step = { trx, ticket, values: {}, unit: new UnitOfWork(), now, reads };
      await stepsFor(ctx, step, action, actor);
      if (step.unit.history.length === 0) unchanged.push(number);
      else steps.push(step);
    }
    await saveBatch(ctx, trx, steps, now);
    // The queue counters move once per batch, by the sum of its tickets' moves (ticket-counters.ts).
    const counters = new CounterMoves();
    for (const step of steps) counters.add(step.ticket, current(step));
    await counters.write(trx, ctx.deps.dialect, ctx.tenantId);
    await finishMany(ctx, trx, steps, actor, now);
    await queueTicketEvents(trx, ctx.deps.clock, ctx.tenantId, steps);
  } catch (error) {
    if (error instanceof DomainError) throw new RefusedInBatch();
    throw error;
  }
  return { changed: steps, unchanged, refused: [] };
};

/** Each ticket as a single change would go, inside a savepoint: a refusal rolls back that ticket alone. */
const ticketByTicket: Pass = async (ctx, trx, rows, numbers, action, actor) => {
  const changed: Done[] = [];
  const unchanged: string[] = [];
  const refused: BulkRefusal[] = [];
  for (const number of numbers) {
    await sql`savepoint bulk_ticket`.execute(trx);
    try {
      const ticket = rows.get(number);
      if (!ticket) throw new DomainError('not_found', ctx.t('ticket.notFound'));
      const step: Step = { trx, ticket, values: {}, unit: new UnitOfWork(), now: ctx.deps.clock().toISOString() };
      await stepsFor(ctx, step, action, actor);
      if (step.unit.history.length === 0) {
        unchanged.push(number);
      } else {
        await saveValues(ctx, trx, step.ticket, step.values, step.now, step.unit);
        await finish(ctx, trx, step.ticket, actor, step.unit, step.now);
        changed.push(step);
      }
      await sql`release savepoint bulk_ticket`.execute(trx);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await sql`rollback to savepoint bulk_ticket`.execute(trx);
      await sql`release savepoint bulk_ticket`.execute(trx);
      refused.push({ number, reason: error.message });
    }
  }
  await queueTicketEvents(trx, ctx.deps.clock, ctx.tenantId, changed);
  return { changed, unchanged, refused };
};

/**
 * The batch's rows with one update per distinct set of values (a bulk action gives most tickets the same ones), each
 * raising the version by one: the rows are locked, so each ticket's new version is the one read plus one.
 */
async function saveBatch(ctx: TicketContext, trx: Kysely<DB>, steps: readonly Step[], now: string): Promise<void> {
  const groups = new Map<string, Step[]>();
  for (const step of steps) {
    const key = JSON.stringify(step.values);
    const group = groups.get(key);
    if (group) group.push(step);
    else groups.set(key, [step]);
  }
  for (const group of groups.values()) {
    await tenantScope(trx, ctx.tenantId).updateTable('tickets').set({ ...group[0]!.values, updated_at: now, version: sql<number>`version + 1` } as never)
      .where('id', 'in', group.map((step) => step.ticket.id)).execute();
    for (const step of group) step.unit.version = step.ticket.version + 1;
  }
}

/**
 * Applies one action to many tickets of the tenant (agents with tickets.edit; closing as the single change
 * allows). Returns what changed, what was already so, and each refusal with its reason in the actor's language.
 * A refusal of the whole action (no right, an unknown group) throws.
 */
export async function bulkChange(ctx: TicketContext, numbers: readonly string[], action: BulkAction, actor: TicketActor): Promise<BulkOutcome> {
  const { t, deps, tenantId } = ctx;
  if (actor.kind !== 'user' || !actor.can('tickets.edit')) throw new DomainError('forbidden', t('error.forbidden'));
  if (!allowedBulkActions(actor.can, ctx.settings.closeRequiresSupervisor).includes(action.kind)) throw new DomainError('forbidden', t('ticket.refused.closeRight'));
  const unique = [...new Set(numbers)];
  if (unique.length === 0) throw new DomainError('invalid', t('error.invalid'), { tickets: t('bulk.noneSelected') });
  if (unique.length > BULK_MAX_TICKETS) throw new DomainError('invalid', t('error.invalid'), { tickets: t('bulk.tooMany', { max: BULK_MAX_TICKETS }) });
  await checkAction(ctx, action);
  const outcome: BulkOutcome = { changed: [], unchanged: [], refused: [] };
  if (action.kind === 'merge') {
    // Each merge locks its pair in id order (ticket-merge.ts); one transaction per merge.
    const into = action.into.trim().replace(/^#/, '');
    for (const number of unique) {
      if (number === into) { outcome.unchanged.push(number); continue; }
      try {
        await mergeTickets(ctx, number, into, actor);
        outcome.changed.push(number);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        outcome.refused.push({ number, reason: error.message });
      }
    }
    return outcome;
  }
  const done: Done[] = [];
  for (let i = 0; i < unique.length; i += BULK_BATCH_SIZE) done.push(...await runBatch(ctx, unique.slice(i, i + BULK_BATCH_SIZE), action, actor, outcome));
  if (done.length) await announce(ctx, done, actor);
  return outcome;
}

/** After the commits: one live event for the lists, one notification event per agent (the plugins' events went to a job with each batch). */
async function announce(ctx: TicketContext, done: Done[], actor: Agent): Promise<void> {
  const { deps, tenantId, t } = ctx;
  deps.events.publish({ tenantId, type: 'ticket', data: { number: done.length === 1 ? done[0]!.ticket.number : '', status: '', action: 'bulk', count: done.length } });
  const perUser = new Map<number, string[]>();
  for (const { ticket, unit } of done) {
    for (const notification of unit.notifications) {
      const numbers = perUser.get(notification.userId) ?? [];
      if (!numbers.includes(ticket.number)) numbers.push(ticket.number);
      perUser.set(notification.userId, numbers);
    }
  }
  for (const userId of perUser.keys()) deps.events.publish({ tenantId, type: 'notification', data: { userId } });
  if (perUser.size && deps.mailer) {
    // One mail per agent for the whole action, not one per ticket.
    const users = await deps.db.selectFrom('users').select(['id', 'email']).where('tenant_id', '=', tenantId).where('id', 'in', [...perUser.keys()])
      .where('notify_by_mail', '=', 1).where('active', '=', 1).execute();
    for (const user of users) {
      const numbers = perUser.get(user.id)!;
      const list = numbers.slice(0, 50).map((n) => `#${n}`).join(', ') + (numbers.length > 50 ? ' …' : '');
      try {
        await deps.mailer.send({ tenantId, to: user.email, subject: t('bulk.mailSubject', { count: numbers.length, actor: actor.label }), text: list, headers: { 'Auto-Submitted': 'auto-generated' } });
      } catch (error) {
        deps.log?.warn('bulk notification mail failed', { tenantId, userId: user.id, error: String(error) });
      }
    }
  }
}
