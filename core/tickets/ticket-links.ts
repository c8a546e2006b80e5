import type { Kysely } from 'kysely';
import type { DB, TicketLinkKind, TicketStatus } from '../db/schema.js';
import { DomainError } from '../domain-error.js';
import type { EventBus } from '../events/event-bus.js';
import type { Translate } from '../i18n/translate.js';
import { tenantScope, type TenantScope } from '../tenancy/tenant-scope.js';
import { recordTicketHistory } from './ticket-history.js';
import type { TicketActor } from './ticket-service-types.js';

// Ticket links (issue 18 point 7): related, parent/child and duplicate-of between two tickets of one tenant.
// One row per pair (either way round), read from both sides; adding and removing write a history line on both
// tickets in one transaction and move both tickets' pages live.

/** What a link is, seen from one of its tickets. */
export type LinkRole = 'related' | 'parent_of' | 'child_of' | 'duplicate_of' | 'duplicated_by';
/** What an agent may choose on the ticket page (from this ticket's side). */
export const LINK_CHOICES: readonly LinkRole[] = ['related', 'parent_of', 'child_of', 'duplicate_of'];

/** The stored row for a role chosen on `self` towards `other`. */
function stored(role: LinkRole, self: number, other: number): { from: number; to: number; kind: TicketLinkKind } {
  switch (role) {
    case 'related': return { from: self, to: other, kind: 'related' };
    case 'parent_of': return { from: self, to: other, kind: 'parent' };
    case 'child_of': return { from: other, to: self, kind: 'parent' };
    case 'duplicate_of': return { from: self, to: other, kind: 'duplicate' };
    case 'duplicated_by': return { from: other, to: self, kind: 'duplicate' };
  }
}

/** The role of a stored link seen from `self`. */
export function roleOf(link: { from_ticket_id: number; kind: TicketLinkKind }, self: number): LinkRole {
  const outgoing = link.from_ticket_id === self;
  if (link.kind === 'related') return 'related';
  if (link.kind === 'parent') return outgoing ? 'parent_of' : 'child_of';
  return outgoing ? 'duplicate_of' : 'duplicated_by';
}

const opposite: Record<LinkRole, LinkRole> = { related: 'related', parent_of: 'child_of', child_of: 'parent_of', duplicate_of: 'duplicated_by', duplicated_by: 'duplicate_of' };

export interface TicketLinkRow { id: number; role: LinkRole; number: string; subject: string; status: TicketStatus }

/** A ticket's links from its side, with the other ticket's number, subject and status (deleted tickets left out). */
export async function ticketLinks(scope: TenantScope, ticketId: number): Promise<TicketLinkRow[]> {
  const [outgoing, incoming] = await Promise.all([
    scope.selectFrom('ticket_links').innerJoin('tickets', 'tickets.id', 'ticket_links.to_ticket_id')
      .select(['ticket_links.id', 'ticket_links.kind', 'ticket_links.from_ticket_id', 'tickets.number', 'tickets.subject', 'tickets.status'])
      .where('ticket_links.from_ticket_id', '=', ticketId).where('tickets.deleted_at', 'is', null).execute(),
    scope.selectFrom('ticket_links').innerJoin('tickets', 'tickets.id', 'ticket_links.from_ticket_id')
      .select(['ticket_links.id', 'ticket_links.kind', 'ticket_links.from_ticket_id', 'tickets.number', 'tickets.subject', 'tickets.status'])
      .where('ticket_links.to_ticket_id', '=', ticketId).where('tickets.deleted_at', 'is', null).execute(),
  ]);
  const order: LinkRole[] = ['parent_of', 'child_of', 'duplicate_of', 'duplicated_by', 'related'];
  return [...outgoing, ...incoming].map((l) => ({ id: l.id, role: roleOf(l, ticketId), number: l.number, subject: l.subject, status: l.status }))
    .sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role) || a.number.localeCompare(b.number));
}

export interface LinkDeps { db: Kysely<DB>; events: EventBus; clock: () => Date; tenantId: number; t: Translate }

const cleanNumber = (value: string) => value.trim().replace(/^#/, '');

/**
 * Links ticket `number` to `otherNumber` as `role` (from this ticket's side). 422 with a field message for
 * a missing, deleted or foreign other ticket, itself, or a pair already linked; 404 for a foreign `number`.
 */
export async function addTicketLink(deps: LinkDeps, number: string, otherNumber: string, role: LinkRole, actor: TicketActor): Promise<{ id: number; other: string }> {
  const { t } = deps;
  if (!LINK_CHOICES.includes(role)) throw new DomainError('invalid', t('error.invalid'), { role: t('validation.choice') });
  const wanted = cleanNumber(otherNumber);
  if (!wanted) throw new DomainError('invalid', t('error.invalid'), { other: t('validation.required') });
  const now = deps.clock().toISOString();
  const result = await deps.db.transaction().execute(async (trx) => {
    const scope = tenantScope(trx, deps.tenantId);
    const self = await scope.selectFrom('tickets').select(['id', 'number']).where('number', '=', number).where('deleted_at', 'is', null).executeTakeFirst();
    if (!self) throw new DomainError('not_found', t('ticket.notFound'));
    const other = await scope.selectFrom('tickets').select(['id', 'number']).where('number', '=', wanted).where('deleted_at', 'is', null).executeTakeFirst();
    if (!other) throw new DomainError('invalid', t('error.invalid'), { other: t('link.noTicket') });
    if (other.id === self.id) throw new DomainError('invalid', t('error.invalid'), { other: t('link.self') });
    const existing = await scope.selectFrom('ticket_links').select('id')
      .where((eb) => eb.or([eb.and([eb('from_ticket_id', '=', self.id), eb('to_ticket_id', '=', other.id)]), eb.and([eb('from_ticket_id', '=', other.id), eb('to_ticket_id', '=', self.id)])]))
      .executeTakeFirst();
    if (existing) throw new DomainError('invalid', t('error.invalid'), { other: t('link.exists', { number: other.number }) });
    const row = stored(role, self.id, other.id);
    const { id } = await scope.insertInto('ticket_links', { from_ticket_id: row.from, to_ticket_id: row.to, kind: row.kind, created_by: actor.kind === 'user' ? actor.id : null, created_at: now })
      .returning('id').executeTakeFirstOrThrow();
    await recordTicketHistory(trx, deps.tenantId, self.id, actor, [{ action: 'link_added', field: role, note: other.number }], now);
    await recordTicketHistory(trx, deps.tenantId, other.id, actor, [{ action: 'link_added', field: opposite[role], note: self.number }], now);
    return { id, other: other.number };
  });
  for (const changed of [number, result.other]) deps.events.publish({ tenantId: deps.tenantId, type: 'ticket', data: { number: changed, action: 'updated' } });
  return result;
}

/** Removes one of ticket `number`'s links (404 when the link is not this ticket's in this tenant). */
export async function removeTicketLink(deps: LinkDeps, number: string, linkId: number, actor: TicketActor): Promise<string> {
  const { t } = deps;
  const now = deps.clock().toISOString();
  const other = await deps.db.transaction().execute(async (trx) => {
    const scope = tenantScope(trx, deps.tenantId);
    const self = await scope.selectFrom('tickets').select(['id', 'number']).where('number', '=', number).where('deleted_at', 'is', null).executeTakeFirst();
    if (!self) throw new DomainError('not_found', t('ticket.notFound'));
    const link = await scope.selectFrom('ticket_links').selectAll().where('id', '=', linkId)
      .where((eb) => eb.or([eb('from_ticket_id', '=', self.id), eb('to_ticket_id', '=', self.id)])).executeTakeFirst();
    if (!link) throw new DomainError('not_found', t('link.notFound'));
    const otherId = link.from_ticket_id === self.id ? link.to_ticket_id : link.from_ticket_id;
    const other = await scope.selectFrom('tickets').select(['id', 'number']).where('id', '=', otherId).executeTakeFirstOrThrow();
    await scope.deleteFrom('ticket_links').where('id', '=', link.id).execute();
    const role = roleOf(link, self.id);
    await recordTicketHistory(trx, deps.tenantId, self.id, actor, [{ action: 'link_removed', field: role, note: other.number }], now);
    await recordTicketHistory(trx, deps.tenantId, other.id, actor, [{ action: 'link_removed', field: opposite[role], note: self.number }], now);
    return other.number;
  });
  for (const changed of [number, other]) deps.events.publish({ tenantId: deps.tenantId, type: 'ticket', data: { number: changed, action: 'updated' } });
  return other;
}
