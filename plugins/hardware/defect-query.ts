import { sql, type Expression, type RawBuilder } from 'kysely';
import { isPostgres, type TenantScope } from '../../core/plugin-api.js';
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

/** Epoch milliseconds of a stored ISO instant (`2024-01-31T23:30:00.000Z`), exact on both dialects. */
function epochMs(postgres: boolean, value: Expression<unknown>): RawBuilder<number> {
  return postgres ? sql<number>`cast(extract(epoch from cast(${value} as timestamptz)) * 1000 as bigint)`
    : sql<number>`cast(round(unixepoch(${value}, 'subsec') * 1000) as integer)`;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The index of the month an instant (stored ISO text) falls in: the first month ending after it (`months.length` past the last). */
function monthOf(months: readonly Month[], at: Expression<unknown>): RawBuilder<number> {
  return sql<number>`(case ${sql.join(months.map((month, index) => sql`when ${at} < ${iso(month.end)} then ${sql.lit(index)}`), sql` `)} else ${sql.lit(months.length)} end)`;
}

/** The index of the last month that starts before an instant (-1 before the first). */
function lastMonthBefore(months: readonly Month[], at: Expression<unknown>): RawBuilder<number> {
  return sql<number>`(case ${sql.join(months.map((month, index) => sql`when ${at} <= ${iso(month.start)} then ${sql.lit(index - 1)}`), sql` `)} else ${sql.lit(months.length - 1)} end)`;
}

/**
 * The defect statistics counted by the database (the same figures as `defectFigures` over the same rows, which
 * defect-query.test.ts checks on both dialects): it answers one row per group and month instead of every device,
 * state line and defect, so a year over 20,000 devices stays within the page's budget (test/load/hardware-bench.ts).
 *
 * - Service: each state line with the next line of its device (by time, then id; `lead`) is a segment; an "in
 *   service" segment counts a device in each month it overlaps for more than an instant (`count(distinct)`, so
 *   twice in a month is once), and its milliseconds inside each month add up to its time in the period. Adjacent
 *   segments (a repeated "in service" line, or back at the instant it left) add up as their union does.
 * - A group appears once any of its devices was in service before the period's end, or had a defect in it.
 * - Defects: links with the reason "defect" of tickets not deleted, created in the period, per group and month;
 *   the top devices by count (then id).
 */
export async function defectCounts(scope: TenantScope<HardwareDB>, months: readonly Month[], groupBy: GroupBy, limit = 10): Promise<DefectFigures> {
  const postgres = isPostgres(scope.db);
  const start = new Date(months[0]!.start).toISOString();
  const end = new Date(months.at(-1)!.end).toISOString();
  const key = sql.ref(KEY_COLUMN[groupBy]);
  const history = (column: string) => sql.ref(`hardware_device_history.${column}`);
  const segments = scope.selectFrom('hardware_device_history')
    .innerJoin('hardware_devices', 'hardware_devices.id', 'hardware_device_history.device_id')
    .innerJoin('hardware_models', 'hardware_models.id', 'hardware_devices.model_id')
    .select([
      'hardware_device_history.id', 'hardware_device_history.device_id', 'hardware_device_history.at as from_at', 'hardware_device_history.new_value as state', sql<unknown>`${key}`.as('k'),
      sql<string | null>`lead(${history('at')}) over (partition by ${history('device_id')} order by ${history('at')}, ${history('id')})`.as('to_at'),
    ])
    .where('hardware_device_history.field', '=', 'state').where('hardware_device_history.at', '<', end);
  const defects = scope.selectFrom('hardware_ticket_links')
    .innerJoin('tickets', 'tickets.id', 'hardware_ticket_links.ticket_id')
    .innerJoin('hardware_devices', 'hardware_devices.id', 'hardware_ticket_links.device_id')
    .innerJoin('hardware_models', 'hardware_models.id', 'hardware_devices.model_id')
    .where('hardware_ticket_links.reason', '=', 'defect').where('tickets.deleted_at', 'is', null)
    .where('hardware_ticket_links.ticket_date', '>=', start).where('hardware_ticket_links.ticket_date', '<', end);
  // A segment counts when it lasts more than an instant and ends after the period's start (all start before its end).
  const live = sql`(seg.to_at is null or (seg.to_at > seg.from_at and seg.to_at > ${start}))`;
  const serviceMs = sql`(case when seg.to_at is null or seg.to_at > ${end} then ${sql.lit(months.at(-1)!.end)} else ${epochMs(postgres, sql.ref('seg.to_at'))} end)
    - (case when seg.from_at > ${start} then ${epochMs(postgres, sql.ref('seg.from_at'))} else ${sql.lit(months[0]!.start)} end)`;
  const [service, defectRows, top] = await Promise.all([
    // Each live segment covers the months first..last; a device's segments come in time order, so starting each after the
    // months its earlier segments covered counts every month of a device once. One row per group and month range.
    sql<{ k: unknown; first_month: number | string; last_month: number | string; n: number | string; ms: number | string }>`
      select k, first_month, last_month, count(*) as n, sum(ms) as ms from (
        select k, last_month, ms, case when prev is null or first_month > prev then first_month else prev + 1 end as first_month from (
          select k, first_month, last_month, ms,
            max(last_month) over (partition by device_id order by from_at, id rows between unbounded preceding and 1 preceding) as prev
          from (
            select seg.k as k, seg.device_id as device_id, seg.id as id, seg.from_at as from_at,
              case when ${live} then ${monthOf(months, sql.ref('seg.from_at'))} else ${sql.lit(months.length)} end as first_month,
              case when ${live} then (case when seg.to_at is null then ${sql.lit(months.length - 1)} else ${lastMonthBefore(months, sql.ref('seg.to_at'))} end) else -1 end as last_month,
              case when ${live} then ${serviceMs} else 0 end as ms
            from (${segments}) as seg
            where seg.state = 'in_service'
          ) as spans
        ) as ordered
      ) as counted
      group by k, first_month, last_month`.execute(scope.db),
    defects.select([sql<unknown>`${key}`.as('k'), sql<number>`${monthOf(months, sql.ref('hardware_ticket_links.ticket_date'))}`.as('idx'), (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy(['k', 'idx']).execute(),
    defects.select((eb) => ['hardware_ticket_links.device_id', eb.fn.countAll<number | string>().as('n')]).groupBy('hardware_ticket_links.device_id')
      .orderBy((eb) => eb.fn.countAll(), 'desc').orderBy('hardware_ticket_links.device_id').limit(limit).execute(),
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
  for (const row of defectRows) {
    group(row.k).defects += Number(row.n);
    monthDefects[Number(row.idx)]! += Number(row.n);
  }
  const devices: DeviceFigures[] = top.map((row) => ({ deviceId: row.device_id, defects: Number(row.n) }));
  return assembleFigures({ months, groups, monthBase, monthDefects, top: devices, limit });
}
