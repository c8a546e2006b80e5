import { sql, type SqlBool } from 'kysely';
import {
  SelectField, formatDateTime, invalidFields, scopeFor, type TenantScope, type TicketIdsContext, type TicketIdsQuery, type TicketListColumn, type TicketListFilter, type TicketListView,
} from '../../core/plugin-api.js';
import { SOON_MINUTES, liveClocks, type LiveClock } from './live-clocks.js';
import type { SlaDB } from './sla-db.js';

const OPEN_STATES = ['running', 'paused'] as const;
const RANK: Record<LiveClock['tone'], number> = { late: 0, soon: 1, ok: 2, paused: 3, done: 4 };

/** The "due" column: each ticket's most urgent open clock (one read of the page's clocks; the tone needs no calendar). */
export const dueColumn: TicketListColumn = {
  key: 'sla.due',
  label: (t) => t('sla.column.due'),
  async cells(ticketIds, ctx) {
    const urgent = new Map<number, LiveClock>();
    for (const clock of await liveClocks(ctx.scope, ticketIds, ctx.now, { left: false })) {
      if (clock.tone === 'done' || (!clock.dueAt && clock.state !== 'paused')) continue;
      const best = urgent.get(clock.ticketId);
      if (!best || RANK[clock.tone] < RANK[best.tone] || (RANK[clock.tone] === RANK[best.tone] && (clock.dueAt ?? '~') < (best.dueAt ?? '~'))) urgent.set(clock.ticketId, clock);
    }
    return new Map([...urgent].map(([id, clock]) => [id, (
      <span class={`sla-due sla-tone-${clock.tone}`} data-state={clock.state} title={ctx.t(`sla.clock.${clock.clock}`)}>
        {clock.state === 'paused' && !clock.dueAt ? ctx.t('sla.paused') : formatDateTime(clock.dueAt!, ctx.dates)}
      </span>
    )]));
  },
};

export const DUE_FILTER_VALUES = ['overdue', 'soon', 'first_line'] as const;

/**
 * On SQLite, up to this many overdue open clocks (a ticket has up to three), "overdue" is a short list of their ticket
 * ids; more, a condition tied to the list's row. The crossing measured at 100,000 open tickets (plugins/sla/README.md):
 * SQLite collects the ids into a temporary index, while the row-tied form costs one probe per ticket the list walks,
 * cheap only when most tickets it walks are overdue.
 */
export const FEW_OVERDUE_CLOCKS = 30_000;
/**
 * On PostgreSQL, up to this many overdue open clocks the list's tickets are looked up by the late clocks' ids; more,
 * the hashed list. The hashed list walks the tickets until the count's cap: cheap when many are overdue, a walk over
 * most tickets when few of many are (1,837 overdue among 100,000 mostly closed tickets: 74,000 index entries).
 */
export const FEW_OVERDUE_CLOCKS_POSTGRES = 10_000;
/** Open clocks, spelt as the partial index `sla_clocks_open_due` (migration 0005) spells its condition. */
const OPEN_CLOCKS = sql<SqlBool>`sla_clocks.state in ('running', 'paused')`;

/**
 * The forms of "overdue", the same tickets in each: `list`, the late clocks' ticket ids as a subquery (SQLite collects
 * them, PostgreSQL hashes them); `row`, a condition tied to the list's row (SQLite, many late); `ids` (PostgreSQL, few
 * late), the same ids behind an array, so the planner expects few and looks the tickets up by their key.
 */
export type OverdueForm = 'list' | 'row' | 'ids';

/**
 * Which form suits the database and how many clocks are late: one look at the open clocks' due-time index (at most
 * `few` + 1 entries, read from the index alone) decides.
 */
export async function overdueForm(scope: TenantScope, now: Date, list: TicketIdsContext, few = list.dialect === 'postgres' ? FEW_OVERDUE_CLOCKS_POSTGRES : FEW_OVERDUE_CLOCKS): Promise<OverdueForm> {
  const late = await scope.db.selectFrom(lateClocks(scope, now).limit(few + 1).as('late')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (list.dialect === 'postgres') return Number(late.n) <= few ? 'ids' : 'list';
  return Number(late.n) <= few ? 'list' : 'row';
}

/** The late open clocks' ticket ids, read from the partial index alone. */
function lateClocks(scope: TenantScope, now: Date) {
  return scopeFor<SlaDB>(scope).selectFrom('sla_clocks').select('ticket_id').where(OPEN_CLOCKS).where('due_at', '<', now.toISOString());
}

/** The tickets with an overdue open clock (running or paused past its due time), in the given form. */
export function overdueTicketIds(scope: TenantScope, now: Date, form: OverdueForm): TicketIdsQuery {
  if (form === 'list') return lateClocks(scope, now);
  // PostgreSQL estimates an unnested array at ten rows: it looks the few tickets up by key instead of walking the
  // tickets' index until the count's cap (the array is built once, as an init plan).
  if (form === 'ids') return scope.db.selectNoFrom(sql<number>`unnest(array(${lateClocks(scope, now)}))`.as('ticket_id'));
  // Many late on SQLite (most open tickets in a busy desk): a query of all their ids makes it collect ~100,000 of them
  // before the list takes 25. Tied to the list's row (`tickets.id`, read through the clocks' ticket index), the list
  // walks its own order and stops after a page (and its count at the cap); the coalesce keeps the planner off the
  // due-time indexes.
  return scopeFor<SlaDB>(scope).selectFrom('sla_clocks').select('ticket_id').where('state', 'in', [...OPEN_STATES])
    .where((eb) => eb('sla_clocks.ticket_id', '=', eb.ref('tickets.id' as 'sla_clocks.ticket_id')))
    .where((eb) => eb(eb.fn.coalesce('due_at', eb.val('9999')), '<', now.toISOString()));
}

/** The filter "overdue" / "breaks within 1 h" / "first-line time over": indexed queries on the clocks. */
export const dueFilter: TicketListFilter = {
  key: 'sla.due',
  label: (t) => t('sla.filter.due'),
  control: (ctx, field) => (
    <SelectField name={field.name} label={field.label} value={field.value} errors={field.errors}
      options={[{ value: '', label: ctx.t('sla.filter.any') }, { value: 'overdue', label: ctx.t('sla.filter.overdue') }, { value: 'soon', label: ctx.t('sla.filter.soon') }, { value: 'first_line', label: ctx.t('sla.filter.firstLine') }]} />
  ),
  async ticketIds(scope, value, list) {
    if (value === '') return undefined;
    if (!(DUE_FILTER_VALUES as readonly string[]).includes(value)) throw invalidFields('sla.filter.invalid', { 'p.sla.due': 'sla.filter.invalid' });
    const now = new Date();
    // First-line boxes run out while the ticket is still in first line (the first-line lead's filter).
    if (value === 'first_line') return scopeFor<SlaDB>(scope).selectFrom('sla_first_line').select('ticket_id').where('ended_at', 'is', null).where('due_at', '<', now.toISOString());
    if (value === 'overdue') return overdueTicketIds(scope, now, await overdueForm(scope, now, list));
    // Few clocks break within the hour: the indexed range is the short list.
    return scopeFor<SlaDB>(scope).selectFrom('sla_clocks').select('ticket_id').where('state', 'in', [...OPEN_STATES])
      .where('due_at', '>=', now.toISOString()).where('due_at', '<=', new Date(now.getTime() + SOON_MINUTES * 60_000).toISOString());
  },
};

/** The one-click view "Overdue" beside the core's "My tickets" and "Unassigned": the list filtered by the filter above. */
export const overdueView: TicketListView = {
  key: 'sla.overdue',
  label: (t) => t('sla.filter.overdue'),
  filter: { 'p.sla.due': 'overdue' },
};
