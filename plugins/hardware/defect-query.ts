import { sql, type Expression, type RawBuilder } from 'kysely';
import type { TenantScope } from '../../core/plugin-api.js';
import type { GroupBy } from './defect-period.js';
import { assembleFigures, type DefectFigures, type DeviceFigures, type GroupCounts, type Month } from './defect-stats.js';
import type { HardwareDB } from './hardware-db.js';

/** The column each grouping reads (the device's current value; a device without a location is the group "none"). */
const KEY_COLUMN: Record<GroupBy, string> = {
  type: 'hardware_models.type_id',
  model: 'hardware_devices.model_id',
  manufacturer: 'hardware_models.manufacturer_id',
  location: 'hardware_devices.location_id',
  organisation: 'hardware_devices.organisation_id',
};
const keyOf = (value: unknown) => (value === null || value === undefined ? 'none' : String(value));

const iso = (ms: number) => new Date(ms).toISOString();
/** An instant as a column holds it: ISO text (the links' dates) or epoch milliseconds (the spans). */
type Bound = (ms: number) => unknown;
const asMs: Bound = (ms) => sql.lit(ms);

/** The index of the month an instant (stored ISO text) falls in: the first month ending after it (`months.length` past the last). */
function monthOf(months: readonly Month[], at: Expression<unknown>, bound: Bound = iso): RawBuilder<number> {
  return sql<number>`(case ${sql.join(months.map((month, index) => sql`when ${at} < ${bound(month.end)} then ${sql.lit(index)}`), sql` `)} else ${sql.lit(months.length)} end)`;
}

/** The index of the last month that starts before an instant (-1 before the first). */
function lastMonthBefore(months: readonly Month[], at: Expression<unknown>, bound: Bound = iso): RawBuilder<number> {
  return sql<number>`(case ${sql.join(months.map((month, index) => sql`when ${at} <= ${bound(month.start)} then ${sql.lit(index - 1)}`), sql` `)} else ${sql.lit(months.length - 1)} end)`;
}

/**
 * The defect statistics counted by the database (the same figures as `defectFigures` over the same rows, which
 * defect-query.test.ts checks on both dialects): it answers one row per group and month instead of every device,
 * state line and defect, so a year over 20,000 devices stays within the page's budget (test/load/hardware-bench.ts).
 *
 * - Service: the devices' periods in service are kept in `hardware_service_spans` (service-spans.ts, written with the
 *   state lines), so no request replays the history. A span counts a device in each month it overlaps for more than
 *   an instant, from the month after those its device's earlier span covered (`prev_end_ms`: twice in a month is
 *   once), and its milliseconds inside the period add up to the device's time in service.
 * - A group appears once any of its devices was in service before the period's end, or had a defect in it.
 * - Defects: links with the reason "defect" of tickets not deleted, created in the period, per group and month, and
 *   the top devices by count (then id), from one pass over the links (a materialized `with`).
 */
export async function defectCounts(scope: TenantScope<HardwareDB>, months: readonly Month[], groupBy: GroupBy, limit = 10): Promise<DefectFigures> {
  const start = new Date(months[0]!.start).toISOString();
  const end = new Date(months.at(-1)!.end).toISOString();
  const key = sql.ref(KEY_COLUMN[groupBy]);
  // The type and the manufacturer are the model's; the other groupings read the device alone.
  const byModel = groupBy === 'type' || groupBy === 'manufacturer';
  // Deleted tickets are left out by their ids (the few deleted ones, from core's partial index on deleted tickets)
  // rather than by reading each defect's ticket row.
  const defects = scope.selectFrom('hardware_ticket_links')
    .innerJoin('hardware_devices', 'hardware_devices.id', 'hardware_ticket_links.device_id')
    .$if(byModel, (qb) => qb.innerJoin('hardware_models', 'hardware_models.id', 'hardware_devices.model_id'))
    .where('hardware_ticket_links.reason', '=', 'defect')
    .where('hardware_ticket_links.ticket_id', 'not in', scope.selectFrom('tickets').select('tickets.id').where('tickets.deleted_at', 'is not', null))
    .where('hardware_ticket_links.ticket_date', '>=', start).where('hardware_ticket_links.ticket_date', '<', end)
    .select(['hardware_ticket_links.device_id', sql<unknown>`${key}`.as('k'), sql<number>`${monthOf(months, sql.ref('hardware_ticket_links.ticket_date'))}`.as('idx')]);
  const startMs = sql.lit(months[0]!.start);
  const endMs = sql.lit(months.at(-1)!.end);
  const span = (column: 'start_ms' | 'end_ms' | 'prev_end_ms') => sql.ref(`hardware_service_spans.${column}`);
  // A span counts when it lasts more than an instant and ends after the period's start (all start before its end).
  const live = sql`(${span('end_ms')} is null or (${span('end_ms')} > ${span('start_ms')} and ${span('end_ms')} > ${startMs}))`;
  const spans = scope.selectFrom('hardware_service_spans')
    .innerJoin('hardware_devices', 'hardware_devices.id', 'hardware_service_spans.device_id')
    .$if(byModel, (qb) => qb.innerJoin('hardware_models', 'hardware_models.id', 'hardware_devices.model_id'))
    .select([
      sql<unknown>`${key}`.as('k'),
      sql<number>`case when ${live} then 1 else 0 end`.as('live'),
      sql<number>`${monthOf(months, span('start_ms'), asMs)}`.as('first_month'),
      // The months the device's earlier periods covered end with the month of the latest one's end.
      sql<number>`case when ${span('prev_end_ms')} is null then -1 else ${lastMonthBefore(months, span('prev_end_ms'), asMs)} end`.as('covered'),
      sql<number>`case when ${span('end_ms')} is null then ${sql.lit(months.length - 1)} else ${lastMonthBefore(months, span('end_ms'), asMs)} end`.as('last_month'),
      sql<number>`(case when ${span('end_ms')} is null or ${span('end_ms')} > ${endMs} then ${endMs} else ${span('end_ms')} end)
        - (case when ${span('start_ms')} > ${startMs} then ${span('start_ms')} else ${startMs} end)`.as('ms'),
    ])
    .where('hardware_service_spans.start_ms', '<', months.at(-1)!.end);
  const [service, defectRows] = await Promise.all([
    // Each live span covers the months first..last, starting after the months its device's earlier spans covered, so a
    // device counts once in a month. One row per group and month range.
    sql<{ k: unknown; first_month: number | string; last_month: number | string; n: number | string; ms: number | string }>`
      select k, first_month, last_month, count(*) as n, sum(ms) as ms from (
        select k,
          case when live = 0 then ${sql.lit(months.length)} when first_month > covered then first_month else covered + 1 end as first_month,
          case when live = 0 then -1 else last_month end as last_month,
          case when live = 0 then 0 else ms end as ms
        from (${spans}) as spans
      ) as counted
      group by k, first_month, last_month`.execute(scope.db),
    // One pass over the period's defect links (and their tickets) for both the groups' months and the top devices.
    sql<{ top: number | string; k: unknown; idx: number | string | null; n: number | string }>`
      with d as materialized ${defects}
      select 0 as top, k, idx, count(*) as n from d group by k, idx
      union all
      select * from (select 1 as top, device_id as k, cast(null as integer) as idx, count(*) as n from d group by device_id order by count(*) desc, device_id limit ${sql.lit(limit)}) as most`
      .execute(scope.db),
  ]);
  const groups = new Map<string, GroupCounts>();
  const group = (value: unknown) => {
    const name = keyOf(value);
    let entry = groups.get(name);
    if (!entry) { entry = { defects: 0, baseSum: 0, serviceMs: 0 }; groups.set(name, entry); }
    return entry;
  };
  const monthBase = months.map(() => 0);
  const monthDefects = months.map(() => 0);
  for (const row of service.rows) {
    const entry = group(row.k);
    const first = Number(row.first_month);
    const last = Number(row.last_month);
    entry.serviceMs += Number(row.ms);
    if (last < first) continue;
    const n = Number(row.n);
    entry.baseSum += n * (last - first + 1);
    for (let index = first; index <= last; index++) monthBase[index]! += n;
  }
  const devices: DeviceFigures[] = [];
  for (const row of defectRows.rows) {
    if (Number(row.top) === 1) { devices.push({ deviceId: Number(row.k), defects: Number(row.n) }); continue; }
    group(row.k).defects += Number(row.n);
    monthDefects[Number(row.idx)]! += Number(row.n);
  }
  return assembleFigures({ months, groups, monthBase, monthDefects, top: devices, limit });
}
