import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { DomainError } from '../domain-error.js';
import type { EventBus } from '../events/event-bus.js';
import type { Translate } from '../i18n/translate.js';
import { tenantScope, type TenantScope } from '../tenancy/tenant-scope.js';
import { recordTicketHistory } from './ticket-history.js';
import type { TicketActor } from './ticket-service-types.js';
import { chunks } from '../db/chunks.js';

// Tags (issue 18 point 7): a tenant's tags, unique by their lower-cased name, and which ticket carries which
// (ticket_tags, indexed by ticket and by tag; the list's tag filter is an indexed IN, never a LIKE on text).
// Tagging writes a history line and moves the ticket's page live; an admin renames, merges and deletes tags.

export const TAG_MAX = 40;

/** A typed tag name cleaned (spaces collapsed, trimmed), or undefined when empty or too long. */
export function cleanTagName(raw: string): string | undefined {
  const name = raw.replace(/\s+/g, ' ').trim();
  return name && name.length <= TAG_MAX ? name : undefined;
}
export const tagKey = (name: string) => name.toLocaleLowerCase('de');

export interface TagRow { id: number; name: string }

export async function ticketTagList(scope: TenantScope, ticketId: number): Promise<TagRow[]> {
  return scope.selectFrom('ticket_tags').innerJoin('tags', 'tags.id', 'ticket_tags.tag_id').select(['tags.id', 'tags.name'])
    .where('ticket_tags.ticket_id', '=', ticketId).orderBy('tags.name_key').execute();
}

/** The tags of several tickets at once (lists, API), by ticket id. */
export async function tagsOfTickets(scope: TenantScope, ticketIds: readonly number[]): Promise<Map<number, string[]>> {
  const byTicket = new Map<number, string[]>();
  if (!ticketIds.length) return byTicket;
  const rows = await scope.selectFrom('ticket_tags').innerJoin('tags', 'tags.id', 'ticket_tags.tag_id').select(['ticket_tags.ticket_id', 'tags.name'])
    .where('ticket_tags.ticket_id', 'in', [...ticketIds]).orderBy('tags.name_key').execute();
  for (const row of rows) byTicket.set(row.ticket_id, [...(byTicket.get(row.ticket_id) ?? []), row.name]);
  return byTicket;
}

/** The tenant's tags starting with what was typed (case-insensitive), read in the order of the (tenant, name_key) index. */
export async function suggestTags(scope: TenantScope, typed: string, limit = 10): Promise<TagRow[]> {
  const prefix = tagKey(typed.replace(/\s+/g, ' ').trim());
  const rows = await scope.selectFrom('tags').select(['id', 'name', 'name_key']).where('name_key', '>=', prefix).orderBy('name_key').limit(limit * 5).execute();
  return rows.filter((r) => r.name_key.startsWith(prefix)).slice(0, limit).map(({ id, name }) => ({ id, name }));
}

/** All of the tenant's tags with how many live tickets carry each (admin page, filter choices). */
export async function allTags(scope: TenantScope): Promise<Array<TagRow & { tickets: number }>> {
  const rows = await scope.selectFrom('tags').leftJoin('ticket_tags', 'ticket_tags.tag_id', 'tags.id')
    .select((eb) => ['tags.id', 'tags.name', eb.fn.count<number>('ticket_tags.ticket_id').as('tickets')])
    .groupBy(['tags.id', 'tags.name', 'tags.name_key']).orderBy('tags.name_key').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, tickets: Number(r.tickets) }));
}

export interface TagDeps { db: Kysely<DB>; events: EventBus; clock: () => Date; tenantId: number; t: Translate }

/** The tag of this name, created when the tenant has none yet (inside the caller's transaction). */
async function tagFor(scope: TenantScope, name: string, now: string): Promise<TagRow> {
  const key = tagKey(name);
  await scope.insertInto('tags', { name, name_key: key, created_at: now }).onConflict((oc) => oc.columns(['tenant_id', 'name_key']).doNothing()).execute();
  return scope.selectFrom('tags').select(['id', 'name']).where('name_key', '=', key).executeTakeFirstOrThrow();
}

async function liveTicket(scope: TenantScope, number: string, t: Translate) {
  const ticket = await scope.selectFrom('tickets').select(['id', 'number']).where('number', '=', number).where('deleted_at', 'is', null).executeTakeFirst();
  if (!ticket) throw new DomainError('not_found', t('ticket.notFound'));
  return ticket;
}

/** Tags ticket `number` (the tag is made when new); tagging twice changes nothing. */
export async function addTicketTag(deps: TagDeps, number: string, rawName: string, actor: TicketActor): Promise<TagRow> {
  const { t } = deps;
  const name = cleanTagName(rawName);
  if (!name) throw new DomainError('invalid', t('error.invalid'), { tag: rawName.trim() ? t('validation.tooLong', { max: TAG_MAX }) : t('validation.required') });
  const now = deps.clock().toISOString();
  const { tag, added } = await deps.db.transaction().execute(async (trx) => {
    const scope = tenantScope(trx, deps.tenantId);
    const ticket = await liveTicket(scope, number, t);
    const tag = await tagFor(scope, name, now);
    const inserted = await scope.insertInto('ticket_tags', { ticket_id: ticket.id, tag_id: tag.id }).onConflict((oc) => oc.columns(['ticket_id', 'tag_id']).doNothing()).executeTakeFirst();
    const added = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
    if (added) await recordTicketHistory(trx, deps.tenantId, ticket.id, actor, [{ action: 'tag_added', note: tag.name }], now);
    return { tag, added };
  });
  if (added) deps.events.publish({ tenantId: deps.tenantId, type: 'ticket', data: { number, action: 'updated' } });
  return tag;
}

export async function removeTicketTag(deps: TagDeps, number: string, tagId: number, actor: TicketActor): Promise<void> {
  const { t } = deps;
  const now = deps.clock().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    const scope = tenantScope(trx, deps.tenantId);
    const ticket = await liveTicket(scope, number, t);
    const tag = await scope.selectFrom('tags').select(['id', 'name']).where('id', '=', tagId).executeTakeFirst();
    const removed = tag ? await scope.deleteFrom('ticket_tags').where('ticket_id', '=', ticket.id).where('tag_id', '=', tag.id).executeTakeFirst() : undefined;
    if (!tag || Number(removed?.numDeletedRows ?? 0) === 0) throw new DomainError('not_found', t('tag.notFound'));
    await recordTicketHistory(trx, deps.tenantId, ticket.id, actor, [{ action: 'tag_removed', note: tag.name }], now);
  });
  deps.events.publish({ tenantId: deps.tenantId, type: 'ticket', data: { number, action: 'updated' } });
}

/**
 * Renames a tag (admin). A name another tag already has merges this one into it: its tickets carry that tag
 * instead (once each), and this tag goes. Returns the surviving tag.
 */
export async function renameTag(deps: TagDeps, tagId: number, rawName: string, actor: TicketActor): Promise<TagRow> {
  const { t } = deps;
  const name = cleanTagName(rawName);
  if (!name) throw new DomainError('invalid', t('error.invalid'), { name: rawName.trim() ? t('validation.tooLong', { max: TAG_MAX }) : t('validation.required') });
  return deps.db.transaction().execute(async (trx) => {
    const scope = tenantScope(trx, deps.tenantId);
    const tag = await scope.selectFrom('tags').select(['id', 'name']).where('id', '=', tagId).executeTakeFirst();
    if (!tag) throw new DomainError('not_found', t('tag.notFound'));
    const other = await scope.selectFrom('tags').select(['id', 'name']).where('name_key', '=', tagKey(name)).where('id', '!=', tagId).executeTakeFirst();
    const now = deps.clock().toISOString();
    if (!other) {
      await scope.updateTable('tags').set({ name, name_key: tagKey(name) }).where('id', '=', tagId).execute();
      if (name !== tag.name) await recordOnTickets(scope, await carriersOf(scope, tagId), actor, 'tag_renamed', `${tag.name} → ${name}`, now);
      return { id: tagId, name };
    }
    await mergeInto(scope, tag, other, actor, now);
    return other;
  });
}

/** Merges tag `tagId` into `intoId` (admin): one transaction, each ticket carrying the survivor once. */
export async function mergeTags(deps: TagDeps, tagId: number, intoId: number, actor: TicketActor): Promise<void> {
  const { t } = deps;
  await deps.db.transaction().execute(async (trx) => {
    const scope = tenantScope(trx, deps.tenantId);
    const found = new Map((await scope.selectFrom('tags').select(['id', 'name']).where('id', 'in', [tagId, intoId]).execute()).map((r) => [r.id, r]));
    const from = found.get(tagId);
    if (!from) throw new DomainError('not_found', t('tag.notFound'));
    if (tagId === intoId) throw new DomainError('invalid', t('error.invalid'), { into: t('tag.mergeSelf') });
    const into = found.get(intoId);
    if (!into) throw new DomainError('not_found', t('tag.notFound'));
    await mergeInto(scope, from, into, actor, deps.clock().toISOString());
  });
}

async function mergeInto(scope: TenantScope, from: TagRow, into: TagRow, actor: TicketActor, now: string): Promise<void> {
  const carriers = await carriersOf(scope, from.id);
  for (const chunk of chunks(carriers)) {
    await scope.insertInto('ticket_tags', chunk.map((ticketId) => ({ ticket_id: ticketId, tag_id: into.id })))
      .onConflict((oc) => oc.columns(['ticket_id', 'tag_id']).doNothing()).execute();
  }
  await recordOnTickets(scope, carriers, actor, 'tag_merged', `${from.name} → ${into.name}`, now);
  await scope.deleteFrom('ticket_tags').where('tag_id', '=', from.id).execute();
  await scope.deleteFrom('tags').where('id', '=', from.id).execute();
}

const carriersOf = async (scope: TenantScope, tagId: number) =>
  (await scope.selectFrom('ticket_tags').select('ticket_id').where('tag_id', '=', tagId).orderBy('ticket_id').execute()).map((r) => r.ticket_id);

/**
 * An admin's change of a tag, as one history line on each ticket carrying it (set-wise: a tag may be on
 * thousands). The ticket rows stay as they were (no new version, updated_at kept): their own fields did not move.
 */
async function recordOnTickets(scope: TenantScope, ticketIds: readonly number[], actor: TicketActor, action: string, note: string, now: string): Promise<void> {
  const line = {
    actor_user_id: actor.kind === 'user' ? actor.id : null, actor_person_id: null, actor_label: actor.label,
    action, field: null, old_value: null, new_value: null, note, created_at: now, version: null,
  };
  for (const chunk of chunks(ticketIds)) {
    await scope.insertInto('ticket_history', chunk.map((ticketId) => ({ ticket_id: ticketId, ...line }))).execute();
  }
}

/** Deletes a tag and takes it off every ticket (admin). */
export async function deleteTag(deps: TagDeps, tagId: number, actor: TicketActor): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const scope = tenantScope(trx, deps.tenantId);
    const tag = await scope.selectFrom('tags').select(['id', 'name']).where('id', '=', tagId).executeTakeFirst();
    if (!tag) throw new DomainError('not_found', deps.t('tag.notFound'));
    await recordOnTickets(scope, await carriersOf(scope, tagId), actor, 'tag_deleted', tag.name, deps.clock().toISOString());
    await scope.deleteFrom('ticket_tags').where('tag_id', '=', tagId).execute();
    await scope.deleteFrom('tags').where('id', '=', tagId).execute();
  });
}
