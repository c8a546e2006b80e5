/**
 * The defect statistics' arithmetic, pure (the page and the CSV load the rows, this counts them):
 *
 * - a **defect** is a device-ticket link with the reason "defect", dated by its ticket's creation (`ticket_date`);
 * - a device is **in service** between a history line that set its state to `in_service` and the next state line;
 * - a month's **installed base** counts the devices in service at any moment of that month (inside the period);
 * - **per 100 units**: defects ÷ the average of the months' installed bases × 100, so a model with many units is
 *   compared fairly with one that has few;
 * - **MTBF** (mean time between failures): the days in service inside the period ÷ the defects in it.
 *
 * Times are epoch milliseconds; the months are cut in the tenant's time zone by the caller.
 */

export const DAY_MS = 86_400_000;

export interface Month { key: string; start: number; end: number }
export interface StateLine { deviceId: number; at: number; state: string }
export interface Defect { deviceId: number; at: number }
export interface GroupOf { (deviceId: number): string | undefined }

export interface GroupFigures {
  key: string;
  defects: number;
  /** The average of the months' installed bases. */
  installed: number;
  /** Defects per 100 installed units over the period, or null without any installed unit. */
  per100: number | null;
  serviceDays: number;
  /** Days in service per defect, or null without a defect. */
  mtbfDays: number | null;
}
export interface MonthFigures { key: string; defects: number; installed: number; per100: number | null }
export interface DeviceFigures { deviceId: number; defects: number }
export interface DefectFigures { groups: GroupFigures[]; months: MonthFigures[]; top: DeviceFigures[]; total: GroupFigures }

/**
 * Visits the periods each device was in service (half-open, ms), device after device and in time order within a
 * device, from its state lines: one sort of the lines by device and time (lines of one instant keep their order),
 * then one pass. No per-device lists: on a loaded machine the allocations, not the arithmetic, cost the time.
 */
export function eachServiceInterval(lines: readonly StateLine[], visit: (deviceId: number, start: number, end: number) => void): void {
  const order = Array.from({ length: lines.length }, (_, i) => i);
  order.sort((a, b) => lines[a]!.deviceId - lines[b]!.deviceId || lines[a]!.at - lines[b]!.at || a - b);
  let i = 0;
  while (i < order.length) {
    const deviceId = lines[order[i]!]!.deviceId;
    let open: number | null = null;
    // The last closed interval, held back while the device may come back into service at the instant it ended.
    let closedStart: number | null = null;
    let closedEnd = 0;
    for (; i < order.length && lines[order[i]!]!.deviceId === deviceId; i++) {
      const line = lines[order[i]!]!;
      if (line.state === 'in_service') {
        if (open !== null) continue; // a repeated "in service" line continues the running interval
        if (closedStart !== null && closedEnd >= line.at) open = closedStart; // back at the instant it left: the interval goes on
        else {
          if (closedStart !== null) visit(deviceId, closedStart, closedEnd);
          open = line.at;
        }
        closedStart = null;
      } else if (open !== null) {
        closedStart = open;
        closedEnd = line.at;
        open = null;
      }
    }
    if (closedStart !== null) visit(deviceId, closedStart, closedEnd);
    if (open !== null) visit(deviceId, open, Number.POSITIVE_INFINITY);
  }
}

/** The periods each device was in service, as lists (eachServiceInterval collected). */
export function serviceIntervals(lines: readonly StateLine[]): Map<number, Array<[number, number]>> {
  const out = new Map<number, Array<[number, number]>>();
  eachServiceInterval(lines, (deviceId, start, end) => {
    const list = out.get(deviceId);
    if (list) list.push([start, end]); else out.set(deviceId, [[start, end]]);
  });
  return out;
}

/** The index of the first month ending after `at` (months are in time order and do not overlap). */
function firstMonthEndingAfter(months: readonly Month[], at: number): number {
  let low = 0;
  let high = months.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (months[middle]!.end > at) high = middle; else low = middle + 1;
  }
  return low;
}

const rate = (defects: number, installed: number) => (installed > 0 ? (defects / installed) * 100 : null);

/** Counts defects, installed base, per-100 rates and MTBF per group and per month, and the devices with most defects. */
export function defectFigures(input: { months: readonly Month[]; states: readonly StateLine[]; defects: readonly Defect[]; groupOf: GroupOf; top?: number }): DefectFigures {
  const { months } = input;
  const start = months[0]?.start ?? 0;
  const end = months.at(-1)?.end ?? 0;
  const groups = new Map<string, { defects: number; baseSum: number; serviceMs: number }>();
  const group = (key: string) => {
    let entry = groups.get(key);
    if (!entry) { entry = { defects: 0, baseSum: 0, serviceMs: 0 }; groups.set(key, entry); }
    return entry;
  };
  const monthBase = months.map(() => 0);
  let current = Number.NaN; // the device whose intervals come now (they come device after device, in time order)
  let entry: { defects: number; baseSum: number; serviceMs: number } | undefined;
  let counted = -1; // the last month the current device was counted in
  eachServiceInterval(input.states, (deviceId, from, to) => {
    if (deviceId !== current) {
      current = deviceId;
      const key = input.groupOf(deviceId);
      entry = key === undefined ? undefined : group(key);
      counted = -1;
    }
    if (!entry) return;
    entry.serviceMs += Math.max(0, Math.min(to, end) - Math.max(from, start));
    for (let index = Math.max(counted + 1, firstMonthEndingAfter(months, from)); index < months.length && months[index]!.start < to; index++) {
      if (Math.min(to, months[index]!.end) - Math.max(from, months[index]!.start) <= 0) continue;
      entry.baseSum += 1;
      monthBase[index]! += 1;
      counted = index;
    }
  });
  const monthDefects = months.map(() => 0);
  const perDevice = new Map<number, number>();
  for (const defect of input.defects) {
    if (defect.at < start || defect.at >= end) continue;
    const key = input.groupOf(defect.deviceId);
    if (key === undefined) continue;
    group(key).defects += 1;
    const index = firstMonthEndingAfter(months, defect.at);
    if (index < months.length && defect.at >= months[index]!.start) monthDefects[index]! += 1;
    perDevice.set(defect.deviceId, (perDevice.get(defect.deviceId) ?? 0) + 1);
  }
  return assembleFigures({ months, groups, monthBase, monthDefects, top: [...perDevice].map(([deviceId, defects]) => ({ deviceId, defects })), limit: input.top ?? 10 });
}

/** What is counted per group: defects, the sum of the months' installed bases, and the milliseconds in service inside the period. */
export interface GroupCounts { defects: number; baseSum: number; serviceMs: number }

/**
 * The figures from the counts (defectFigures counts in memory, defect-query.ts in the database; both end here):
 * rates, MTBF, the groups' order (most defects first) and the top devices.
 */
export function assembleFigures(input: {
  months: readonly Month[]; groups: ReadonlyMap<string, GroupCounts>; monthBase: readonly number[]; monthDefects: readonly number[]; top: readonly DeviceFigures[]; limit: number;
}): DefectFigures {
  const { months, groups, monthBase, monthDefects } = input;
  const figures = (key: string, defects: number, baseSum: number, serviceMs: number): GroupFigures => {
    const installed = months.length ? baseSum / months.length : 0;
    const serviceDays = serviceMs / DAY_MS;
    return { key, defects, installed, per100: rate(defects, installed), serviceDays, mtbfDays: defects > 0 ? serviceDays / defects : null };
  };
  const all = [...groups.values()];
  return {
    groups: [...groups].map(([key, g]) => figures(key, g.defects, g.baseSum, g.serviceMs))
      .sort((a, b) => b.defects - a.defects || (b.per100 ?? 0) - (a.per100 ?? 0) || a.key.localeCompare(b.key)),
    months: months.map((month, index) => ({ key: month.key, defects: monthDefects[index]!, installed: monthBase[index]!, per100: rate(monthDefects[index]!, monthBase[index]!) })),
    top: [...input.top].sort((a, b) => b.defects - a.defects || a.deviceId - b.deviceId).slice(0, input.limit),
    total: figures('', all.reduce((s, g) => s + g.defects, 0), all.reduce((s, g) => s + g.baseSum, 0), all.reduce((s, g) => s + g.serviceMs, 0)),
  };
}
