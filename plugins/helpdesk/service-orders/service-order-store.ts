import { sql, type Kysely } from 'kysely';
import {
  DomainError, isoToZoned, recordTicketHistory, zonedDayEnd, zonedDayStart, zonedToIso, type DB, type TenantScope, type TicketActor, type TicketHistoryChange, type Translate,
} from '../../../core/plugin-api.js';
import { serviceOrderScope, type ServiceOrder, type ServiceOrderDB } from './service-order-db.js';
import {
  SERVICE_ORDER_STATUSES, SERVICE_ORDER_TYPES, formatDuration, parseDuration, serviceOrderTransitions,
  type ServiceOrderStatus, type ServiceOrderType,
} from './service-order-rules.js';

/** The history action of changes, and of creation (the ticket page words both from the catalog). */
export const HISTORY_ACTION = 'helpdesk.service_order';
export const HISTORY_CREATED = 'helpdesk.service_order_created';
const REPORT_IN_HISTORY = 200;
export const PAGE_SIZE = 25;
export const SORTS = ['planned_at', 'status', 'type', 'technician', 'ticket', 'updated_at'] as const;
export type ServiceOrderSort = (typeof SORTS)[number];

/** What a form sends: strings as typed (the store checks and converts them). */
export interface ServiceOrderInput {
  type?: string | undefined;
  technician_id?: string | undefined;
  planned_at?: string | undefined;
  planned_end?: string | undefined;
  report?: string | undefined;
  time_spent?: string | undefined;
  /** Instants (ISO 8601 UTC) as the API sends them, used instead of the wall-clock text; null clears the end. */
  planned_at_utc?: string | undefined;
  planned_end_utc?: string | null | undefined;
}

export interface ServiceOrderFilter {
  status?: ServiceOrderStatus | 'open' | undefined;
  technician?: number | undefined;
  type?: ServiceOrderType | undefined;
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
  sort?: ServiceOrderSort | undefined;
  dir?: 'asc' | 'desc' | undefined;
  page?: number | undefined;
  /** The API's filters: one ticket by number, planned from/before an instant, its own page size. */
  ticket?: string | undefined;
  plannedFrom?: string | undefined;
  plannedBefore?: string | undefined;
  pageSize?: number | undefined;
}

export type ServiceOrderRow = ServiceOrder & { ticket_number: string; ticket_subject: string; technician_name: string | null };

/**
 * Calendar messages a change calls for, sent after commit: a request to the (new) technician when
 * the order gets one or its technician or planned time changes, a cancellation to the technician
 * it is taken from or when it is cancelled. `sequence` is the order's SEQUENCE for them.
 */
export interface CalendarChange {
  orderId: number;
  sequence: number;
  request?: { userId: number; kind: 'assigned' | 'changed' } | undefined;
  cancel?: { userId: number } | undefined;
}

/** What a change of technician, times or status means for the technicians' calendars; undefined for nothing. */
function calendarChange(id: number, before: Pick<ServiceOrder, 'technician_id' | 'planned_at' | 'planned_end' | 'status' | 'calendar_sequence'> | undefined,
  after: Pick<ServiceOrder, 'technician_id' | 'planned_at' | 'planned_end' | 'status'>): CalendarChange | undefined {
  if (!before) return after.technician_id ? { orderId: id, sequence: 0, request: { userId: after.technician_id, kind: 'assigned' } } : undefined;
  const next = before.calendar_sequence + 1;
  if (after.status === 'cancelled' && before.status !== 'cancelled') return before.technician_id ? { orderId: id, sequence: next, cancel: { userId: before.technician_id } } : undefined;
  if (after.status === 'done' || after.status === 'cancelled') return undefined;
  const cancel = before.technician_id && before.technician_id !== after.technician_id ? { userId: before.technician_id } : undefined;
  let request: CalendarChange['request'];
  if (after.technician_id && after.technician_id !== before.technician_id) request = { userId: after.technician_id, kind: 'assigned' };
  else if (after.technician_id && (after.planned_at !== before.planned_at || after.planned_end !== before.planned_end)) request = { userId: after.technician_id, kind: 'changed' };
  return cancel || request ? { orderId: id, sequence: next, request, cancel } : undefined;
}

interface Checked {
  type: ServiceOrderType;
  technician_id: number | null;
  technician_name: string | null;
  planned_at: string;
  planned_end: string | null;
  report: string;
  minutes_spent: number | null;
}

const short = (text: string) => (text.length > REPORT_IN_HISTORY ? `${text.slice(0, REPORT_IN_HISTORY - 1)}…` : text);

/**
 * The tenant's service orders, reached through the tenant scope (with the plugin's table); every
 * change writes the ticket's history in the same transaction.
 */
export function createServiceOrderStore(deps: { db: Kysely<DB>; clock: () => Date; t: Translate; timeZone: string }, tenantId: number) {
  const { t, timeZone } = deps;
  const isoToLocal = (iso: string | null | undefined) => isoToZoned(iso, timeZone);
  const localToIso = (local: string) => zonedToIso(local, timeZone);
  /** A planned time as history shows it in every language: the tenant's wall clock. */
  const wallClock = (iso: string | null) => (iso ? isoToLocal(iso).replace('T', ' ') : null);
  const scope = serviceOrderScope(deps.db, tenantId);

  // The scope filters the orders; the ticket is joined on the order's tenant as well as its id.
  const rows = (s: TenantScope<ServiceOrderDB> = scope) => s.selectFrom('helpdesk_service_orders as so')
    .innerJoin('tickets', (join) => join.onRef('tickets.id', '=', 'so.ticket_id').onRef('tickets.tenant_id', '=', 'so.tenant_id'))
    .leftJoin('users', 'users.id', 'so.technician_id')
    .selectAll('so')
    .select(['tickets.number as ticket_number', 'tickets.subject as ticket_subject', 'users.name as technician_name'])
    .where('tickets.deleted_at', 'is', null);

  /** Staff who can be sent: the tenant's active agents, supervisors and admins. */
  async function technicians(kdb: Kysely<DB> = deps.db): Promise<Array<{ id: number; name: string }>> {
    return scope.withDb(kdb).selectFrom('users').select(['id', 'name']).where('active', '=', 1)
      .where('role', 'in', ['agent', 'supervisor', 'admin']).orderBy('name').execute();
  }

  /** Checks a whole form against the rules; 422 with one message per field. */
  async function check(input: ServiceOrderInput, current: ServiceOrder | undefined, kdb: Kysely<DB>): Promise<Checked> {
    const errors: Record<string, string> = {};
    const type = (input.type ?? current?.type ?? '') as ServiceOrderType;
    if (!SERVICE_ORDER_TYPES.includes(type)) errors.type = t('validation.choice');
    let technicianId: number | null = null;
    let technicianName: string | null = null;
    const technician = (input.technician_id ?? (current?.technician_id ? String(current.technician_id) : '')).trim();
    if (technician !== '') {
      const found = /^\d{1,12}$/.test(technician) ? (await technicians(kdb)).find((u) => u.id === Number(technician)) : undefined;
      if (found) [technicianId, technicianName] = [found.id, found.name];
      else errors.technician_id = t('helpdesk.so.error.technician');
    }
    // The API sends instants (exact to the second, DST folds included); forms send wall-clock text in the tenant's zone.
    // A time not sent at all stays the stored instant exactly (no trip through the wall clock).
    let plannedAt: string | undefined;
    if (input.planned_at_utc !== undefined) plannedAt = input.planned_at_utc;
    else if (input.planned_at === undefined && current) plannedAt = current.planned_at;
    else if ((input.planned_at ?? '').trim() === '') errors.planned_at = t('validation.required');
    else if (!(plannedAt = localToIso(input.planned_at!))) errors.planned_at = t('helpdesk.so.error.time');
    let plannedEnd: string | null = null;
    if (input.planned_end_utc !== undefined) plannedEnd = input.planned_end_utc;
    else if (input.planned_end === undefined) plannedEnd = current?.planned_end ?? null;
    else if (input.planned_end.trim() !== '') {
      const end = localToIso(input.planned_end);
      if (!end) errors.planned_end = t('helpdesk.so.error.time');
      else plannedEnd = end;
    }
    if (plannedEnd && plannedAt && plannedEnd <= plannedAt) errors.planned_end = t('helpdesk.so.error.endBeforeStart');
    const report = (input.report ?? current?.report ?? '').replace(/\r\n/g, '\n').trim();
    if (report.length > 20_000) errors.report = t('validation.tooLong', { max: 20_000 });
    const spentText = input.time_spent ?? formatDuration(current?.minutes_spent);
    const minutes = parseDuration(spentText);
    if (minutes === undefined) errors.time_spent = t('helpdesk.so.error.duration');
    if (Object.keys(errors).length) throw new DomainError('invalid', t('error.invalid'), errors);
    return { type, technician_id: technicianId, technician_name: technicianName, planned_at: plannedAt!, planned_end: plannedEnd, report, minutes_spent: minutes ?? null };
  }

  async function lock(trx: Kysely<DB>, id: number): Promise<ServiceOrderRow> {
    const found = await rows(scope.withDb(trx)).where('so.id', '=', id).executeTakeFirst();
    if (!found) throw new DomainError('not_found', t('helpdesk.so.notFound'));
    return found;
  }

  /** The target status when the lifecycle allows the move; 422 for an unknown status, 409 with the reason otherwise. */
  function checkMove(from: ServiceOrderStatus, to: string): ServiceOrderStatus {
    if (!SERVICE_ORDER_STATUSES.includes(to as ServiceOrderStatus)) throw new DomainError('invalid', t('error.invalid'), { to: t('validation.choice') });
    const target = to as ServiceOrderStatus;
    if (!serviceOrderTransitions(from).includes(target)) {
      const params = { from: t(`helpdesk.so.status.${from}`), to: t(`helpdesk.so.status.${target}`) };
      throw new DomainError('conflict', serviceOrderTransitions(from).length ? t('helpdesk.so.error.transition', params) : t('helpdesk.so.error.final', params));
    }
    return target;
  }

  const now = () => deps.clock().toISOString();
  const label = (id: number) => `#${id}`;

  /**
   * Field changes and a status move in one transaction: the move is checked against the row as read
   * here, and a refused move (409) or bad field (422) rolls everything back. Every changed field and
   * the move are history lines; nothing to change writes nothing (`ticket` undefined).
   * `status.sameIsNoMove`: the current status asked for is no move (the API), instead of a refused one.
   */
  async function apply(id: number, change: { input?: ServiceOrderInput | undefined; status?: { to: string; sameIsNoMove?: boolean } | undefined }, actor: TicketActor): Promise<{ order: ServiceOrderRow; ticket: { number: string; status: string } | undefined; calendar?: CalendarChange | undefined }> {
    return deps.db.transaction().execute(async (trx) => {
      const current = await lock(trx, id);
      const to = change.status && !(change.status.sameIsNoMove && change.status.to === current.status) ? checkMove(current.status, change.status.to) : undefined;
      const values = change.input ? await check(change.input, current, trx) : current;
      const changes: TicketHistoryChange[] = [];
      const field = (name: string, from: string | null, next: string | null) => {
        if (from !== next) changes.push({ action: HISTORY_ACTION, field: name, old: from, new: next, note: label(id) });
      };
      const technicianName = (v: { technician_id: number | null; technician_name: string | null }) => (v.technician_id ? v.technician_name ?? `#${v.technician_id}` : null);
      field('type', current.type, values.type);
      field('technician', technicianName(current), technicianName(values));
      field('planned_at', wallClock(current.planned_at), wallClock(values.planned_at));
      field('planned_end', wallClock(current.planned_end), wallClock(values.planned_end));
      if (current.report !== values.report) changes.push({ action: HISTORY_ACTION, field: 'report', old: current.report ? short(current.report) : null, new: values.report ? short(values.report) : null, note: label(id) });
      field('time_spent', current.minutes_spent === null ? null : formatDuration(current.minutes_spent), values.minutes_spent === null ? null : formatDuration(values.minutes_spent));
      if (to) changes.push({ action: HISTORY_ACTION, field: 'status', old: current.status, new: to, note: label(id) });
      if (!changes.length) return { order: current, ticket: undefined };
      const at = now();
      const calendar = calendarChange(current.id, current, { ...values, status: to ?? current.status });
      let update = scope.withDb(trx).updateTable('helpdesk_service_orders').set({
        type: values.type, technician_id: values.technician_id, planned_at: values.planned_at, planned_end: values.planned_end,
        report: values.report, minutes_spent: values.minutes_spent, updated_by_label: actor.label, updated_at: at,
        ...(to ? { status: to } : {}), ...(calendar ? { calendar_sequence: calendar.sequence } : {}),
      }).where('id', '=', id);
      // With a move, the status in the where clause keeps two concurrent moves from both passing the check
      // (PostgreSQL re-reads the row after the other commits); a miss rolls the field changes back too.
      if (to) update = update.where('status', '=', current.status);
      const updated = await update.executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new DomainError('conflict', t('helpdesk.so.error.moved'));
      const ticket = await recordTicketHistory(trx, tenantId, current.ticket_id, actor, changes, at);
      return { order: await lock(trx, id), ticket, calendar };
    });
  }

  return {
    technicians: () => technicians(),

    apply,

    async get(id: number): Promise<ServiceOrderRow | undefined> {
      return rows().where('so.id', '=', id).executeTakeFirst();
    },

    async forTicket(ticketId: number): Promise<ServiceOrderRow[]> {
      return rows().where('so.ticket_id', '=', ticketId).orderBy('so.planned_at').orderBy('so.id').execute();
    },

    /** The order's own lines of the ticket history, newest first. */
    async history(order: ServiceOrderRow) {
      return scope.selectFrom('ticket_history').select(['id', 'actor_label', 'action', 'field', 'old_value', 'new_value', 'created_at'])
        .where('ticket_id', '=', order.ticket_id).where('action', 'in', [HISTORY_ACTION, HISTORY_CREATED])
        .where('note', '=', label(order.id)).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    },

    async list(filter: ServiceOrderFilter): Promise<{ rows: ServiceOrderRow[]; total: number; page: number; pageSize: number }> {
      let query = rows();
      if (filter.status === 'open') query = query.where('so.status', 'in', ['planned', 'in_progress']);
      else if (filter.status) query = query.where('so.status', '=', filter.status);
      if (filter.technician) query = query.where('so.technician_id', '=', filter.technician);
      if (filter.type) query = query.where('so.type', '=', filter.type);
      if (filter.ticket) query = query.where('tickets.number', '=', filter.ticket);
      if (filter.plannedFrom) query = query.where('so.planned_at', '>=', filter.plannedFrom);
      if (filter.plannedBefore) query = query.where('so.planned_at', '<', filter.plannedBefore);
      const from = filter.from ? zonedDayStart(filter.from, timeZone) : undefined;
      const to = filter.to ? zonedDayEnd(filter.to, timeZone) : undefined;
      if (from) query = query.where('so.planned_at', '>=', from);
      if (to) query = query.where('so.planned_at', '<', to);
      const q = filter.q?.trim().toLowerCase();
      if (q) {
        const pattern = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
        const like = (column: string) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape ${sql.lit('\\')}`;
        query = query.where((eb) => eb.or([like('so.report'), like('tickets.subject'), like('tickets.number'), like('users.name')]));
      }
      const totalRow = await query.clearSelect().select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirst();
      const total = Number(totalRow?.n ?? 0);
      const pageSize = filter.pageSize ?? PAGE_SIZE;
      const pageCount = Math.max(1, Math.ceil(total / pageSize));
      const page = Math.min(Math.max(1, filter.page ?? 1), pageCount);
      const dir = filter.dir ?? (filter.sort === 'updated_at' ? 'desc' : 'asc');
      const column = { planned_at: 'so.planned_at', status: 'so.status', type: 'so.type', technician: 'users.name', ticket: 'tickets.number', updated_at: 'so.updated_at' }[filter.sort ?? 'planned_at'] as 'so.planned_at';
      const found = await query.orderBy(column, dir).orderBy('so.id', dir).limit(pageSize).offset((page - 1) * pageSize).execute();
      return { rows: found, total, page, pageSize };
    },

    /** A new order on a live ticket of the tenant; 404 for any other ticket, 409 for a closed one. */
    async create(ticketId: number, input: ServiceOrderInput, actor: TicketActor): Promise<{ order: ServiceOrderRow; ticket: { number: string; status: string }; calendar: CalendarChange | undefined }> {
      return deps.db.transaction().execute(async (trx) => {
        const ticket = await scope.withDb(trx).selectFrom('tickets').select(['id', 'status']).where('id', '=', ticketId).where('deleted_at', 'is', null).executeTakeFirst();
        if (!ticket) throw new DomainError('not_found', t('ticket.notFound'));
        // Work on a closed ticket would be invisible: it is reopened (or a new ticket opened) first.
        if (ticket.status === 'closed') throw new DomainError('conflict', t('helpdesk.so.error.ticketClosed'));
        const values = await check(input, undefined, trx);
        const at = now();
        const inserted = await scope.withDb(trx).insertInto('helpdesk_service_orders', {
          ticket_id: ticketId, type: values.type, technician_id: values.technician_id, planned_at: values.planned_at,
          planned_end: values.planned_end, status: 'planned', report: values.report, minutes_spent: values.minutes_spent,
          created_by: actor.kind === 'user' ? actor.id : null, created_by_label: actor.label, updated_by_label: actor.label, created_at: at, updated_at: at,
        }).returning('id').executeTakeFirstOrThrow();
        const changes: TicketHistoryChange[] = [{ action: HISTORY_CREATED, field: 'type', new: values.type, note: label(inserted.id) }];
        const result = await recordTicketHistory(trx, tenantId, ticketId, actor, changes, at);
        return { order: await lock(trx, inserted.id), ticket: result, calendar: calendarChange(inserted.id, undefined, { ...values, status: 'planned' }) };
      });
    },

    /** Changes the order's fields; every changed field is a history line. Unchanged input writes nothing. */
    update(id: number, input: ServiceOrderInput, actor: TicketActor) {
      return apply(id, { input }, actor);
    },

    /** Moves the order along its lifecycle; 409 with the reason for any other move. */
    async changeStatus(id: number, to: string, actor: TicketActor): Promise<{ order: ServiceOrderRow; ticket: { number: string; status: string }; calendar: CalendarChange | undefined }> {
      const moved = await apply(id, { status: { to } }, actor);
      return { order: moved.order, ticket: moved.ticket!, calendar: moved.calendar };
    },
  };
}
export type ServiceOrderStore = ReturnType<typeof createServiceOrderStore>;
