import type { Kysely } from 'kysely';
import type { DB, Ticket } from '../db/schema.js';
import { DomainError } from '../domain-error.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import type { TicketActor } from './ticket-service-types.js';
import { afterCommit, finish, saveValues, UnitOfWork, type TicketContext } from './ticket-unit.js';
import { refuseStaleFields } from './ticket-stale-fields.js';

/** The ticket version the caller's form showed; without it nothing is checked (ticket-stale-fields.ts). */
interface Versioned { version?: number | undefined }

/** Reads the tenant's ticket by id inside the transaction, locked (PostgreSQL; SQLite's write transaction serialises writers). */
async function lockById(ctx: TicketContext, trx: Kysely<DB>, id: number): Promise<Ticket> {
  const query = tenantScope(trx, ctx.tenantId).selectFrom('tickets').selectAll().where('id', '=', id);
  const ticket = await (ctx.deps.dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
  if (!ticket) throw new DomainError('not_found', ctx.t('ticket.notFound'));
  return ticket;
}

function refuseUnlessAgent(ctx: TicketContext, actor: TicketActor): asserts actor is Extract<TicketActor, { kind: 'user' }> {
  if (actor.kind !== 'user' || !actor.can('tickets.edit')) throw new DomainError('forbidden', ctx.t('error.forbidden'));
}

/**
 * Merges ticket `number` into `intoNumber` in one transaction: the source's articles and attachments move to the
 * survivor (the page orders them by time, so they fall into place), its description becomes an internal note there
 * with its original time, both histories say so, and the source closes with close_reason 'merged' and merged_into_id.
 * Both rows are locked in the order of their ids, so two merges crossing each other (A into B, B into A) queue
 * instead of deadlocking, and the second finds its source or target closed (409).
 */
export async function mergeTickets(ctx: TicketContext, number: string, intoNumber: string, actor: TicketActor, options: Versioned = {}): Promise<{ source: Ticket; target: Ticket }> {
  const { t, deps, tenantId } = ctx;
  refuseUnlessAgent(ctx, actor);
  const into = intoNumber.trim().replace(/^#/, '');
  if (!into) throw new DomainError('invalid', t('error.invalid'), { into: t('validation.required') });
  if (into === number) throw new DomainError('invalid', t('ticket.merge.same'), { into: t('ticket.merge.same') });
  const sourceUnit = new UnitOfWork();
  const targetUnit = new UnitOfWork();
  const result = await deps.db.transaction().execute(async (trx) => {
    const scoped = tenantScope(trx, tenantId);
    const ids = await scoped.selectFrom('tickets').select(['id', 'number']).where('number', 'in', [number, into]).execute();
    const sourceId = ids.find((row) => row.number === number)?.id;
    const targetId = ids.find((row) => row.number === into)?.id;
    if (sourceId === undefined) throw new DomainError('not_found', t('ticket.notFound'));
    if (targetId === undefined) throw new DomainError('invalid', t('ticket.merge.targetMissing', { number: into }), { into: t('ticket.merge.targetMissing', { number: into }) });
    const locked = new Map<number, Ticket>();
    for (const id of [sourceId, targetId].sort((a, b) => a - b)) locked.set(id, await lockById(ctx, trx, id));
    const source = locked.get(sourceId)!;
    const target = locked.get(targetId)!;
    if (source.deleted_at) throw new DomainError('not_found', t('ticket.notFound'));
    if (source.status === 'closed') throw new DomainError('conflict', source.close_reason === 'merged' ? t('ticket.merge.sourceMerged') : t('ticket.merge.sourceClosed'));
    if (target.deleted_at) throw new DomainError('conflict', t('ticket.merge.targetDeleted', { number: into }));
    if (target.merged_into_id !== null) throw new DomainError('conflict', t('ticket.merge.targetMerged', { number: into }));
    if (target.status === 'closed') throw new DomainError('conflict', t('ticket.merge.targetClosed', { number: into }));
    const now = deps.clock().toISOString();

    await scoped.updateTable('ticket_articles').set({ ticket_id: target.id }).where('ticket_id', '=', source.id).execute();
    await scoped.updateTable('ticket_attachments').set({ ticket_id: target.id }).where('ticket_id', '=', source.id).execute();
    const note = await scoped.insertInto('ticket_articles', {
      ticket_id: target.id, kind: 'note', channel: source.channel, author_user_id: null, author_person_id: null, author_label: actor.label,
      body_text: `${t('ticket.merge.note', { number: source.number, subject: source.subject })}${source.description ? `\n\n${source.description}` : ''}`,
      body_html: null, message_id: null, created_at: source.created_at,
    }).returning('id').executeTakeFirstOrThrow();

    sourceUnit.history.push({ action: 'merged_into', field: 'status', old: source.status, new: 'closed', note: target.number });
    sourceUnit.reindex = true;
    // Closing by merge against a status a colleague changed since the page was loaded is refused like any stale save.
    if (options.version !== undefined) await refuseStaleFields(ctx, { trx, ticket: source, values: {}, unit: sourceUnit, now }, options.version, actor);
    await saveValues(ctx, trx, source, { status: 'closed', closed_at: now, close_reason: 'merged', merged_into_id: target.id }, now, sourceUnit);
    await finish(ctx, trx, source, actor, sourceUnit, now);

    targetUnit.history.push({ action: 'merged_from', note: source.number });
    targetUnit.history.push({ action: 'note', field: 'article', new: note.id });
    targetUnit.articles.push({ number: target.number, ticketId: target.id, articleId: note.id, kind: 'note' });
    targetUnit.reindex = true;
    await saveValues(ctx, trx, target, {}, now, targetUnit);
    await finish(ctx, trx, target, actor, targetUnit, now);
    return { source: { ...source, status: 'closed' as const, closed_at: now, close_reason: 'merged' as const, merged_into_id: target.id, updated_at: now, version: sourceUnit.version! }, target: { ...target, updated_at: now, version: targetUnit.version! } };
  });
  await afterCommit(ctx, result.source, 'closed', sourceUnit);
  await afterCommit(ctx, result.target, result.target.status, targetUnit);
  return result;
}

/** Closes a ticket that is not closed yet as spam in one step, whatever its status (agents; no supervisor needed). */
export async function closeAsSpam(ctx: TicketContext, number: string, actor: TicketActor, options: Versioned = {}): Promise<Ticket> {
  const { t, deps, tenantId } = ctx;
  refuseUnlessAgent(ctx, actor);
  const unit = new UnitOfWork();
  const ticket = await deps.db.transaction().execute(async (trx) => {
    const found = await tenantScope(trx, tenantId).selectFrom('tickets').select('id').where('number', '=', number).where('deleted_at', 'is', null).executeTakeFirst();
    if (!found) throw new DomainError('not_found', t('ticket.notFound'));
    const ticket = await lockById(ctx, trx, found.id);
    if (ticket.status === 'closed') throw new DomainError('conflict', t('ticket.refused.closed'));
    const now = deps.clock().toISOString();
    unit.history.push({ action: 'spam', field: 'status', old: ticket.status, new: 'closed' });
    if (options.version !== undefined) await refuseStaleFields(ctx, { trx, ticket, values: {}, unit, now }, options.version, actor);
    await saveValues(ctx, trx, ticket, { status: 'closed', closed_at: now, close_reason: 'spam' }, now, unit);
    await finish(ctx, trx, ticket, actor, unit, now);
    return { ...ticket, status: 'closed' as const, closed_at: now, close_reason: 'spam' as const, updated_at: now, version: unit.version! };
  });
  await afterCommit(ctx, ticket, 'closed', unit);
  return ticket;
}

/** The ticket a merged ticket lives on in: follows merged_into_id (also across a chain of merges) to the survivor. */
export async function survivorOf<T extends Pick<Ticket, 'merged_into_id'>>(ticket: T, read: (id: number) => Promise<T | undefined>): Promise<T> {
  let current = ticket;
  for (let hops = 0; current.merged_into_id !== null && hops < 20; hops++) {
    const next = await read(current.merged_into_id);
    if (!next) break;
    current = next;
  }
  return current;
}
