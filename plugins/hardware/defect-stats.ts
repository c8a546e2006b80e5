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

/** The periods each device was in service (half-open, ms), from its state lines: one pass over each device's lines in time order. */
export function serviceIntervals(lines: readonly StateLine[]): Map<number, Array<[number, number]>> {
  const byDevice = new Map<number, StateLine[]>();
  for (const line of lines) {
    const list = byDevice.get(line.deviceId);
    if (list) list.push(line);
    else byDevice.set(line.deviceId, [line]);
  }
  const out = new Map<number, Array<[number, number]>>();
  for (const [deviceId, list] of byDevice) {
    // A stable sort: lines of one instant keep their order.
    if (list.length > 1) list.sort((a, b) => a.at - b.at);
    const intervals: Array<[number, number]> = [];
    let open: number | null = null;
    for (const line of list) {
      if (line.state === 'in_service') {
        if (open !== null) continue; // a repeated "in service" line continues the running interval
        const last = intervals.at(-1);
        // Back in service at the instant it left: the interval goes on.
        if (last && last[1] >= line.at) { intervals.pop(); open = last[0]; } else open = line.at;
      } else if (open !== null) {
        intervals.push([open, line.at]);
        open = null;
      }
    }
    if (open !== null) intervals.push([open, Number.POSITIVE_INFINITY]);
    if (intervals.length) out.set(deviceId, intervals);
  }
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

const overlap = (a: [number, number], start: number, end: number) => Math.max(0, Math.min(a[1], end) - Math.max(a[0], start));
const rate = (defects: number, installed: number) => (installed > 0 ? (defects / installed) * 100 : null);

/** Counts defects, installed base, per-100 rates and MTBF per group and per month, and the devices with most defects. */
export function defectFigures(input: { months: readonly Month[]; states: readonly StateLine[]; defects: readonly Defect[]; groupOf: GroupOf; top?: number }): DefectFigures {
  const { months } = input;
  const start = months[0]?.start ?? 0;
  const end = months.at(-1)?.end ?? 0;
  const intervals = serviceIntervals(input.states);
  const groups = new Map<string, { defects: number; baseSum: number; serviceMs: number }>();
  const group = (key: string) => {
    let entry = groups.get(key);
    if (!entry) { entry = { defects: 0, baseSum: 0, serviceMs: 0 }; groups.set(key, entry); }
    return entry;
  };
  const monthBase = months.map(() => 0);
  for (const [deviceId, list] of intervals) {
    const key = input.groupOf(deviceId);
    if (key === undefined) continue;
    const entry = group(key);
    let counted = -1; // the last month this device was counted in (its intervals are in time order)
    for (const interval of list) {
      entry.serviceMs += overlap(interval, start, end);
      for (let index = Math.max(counted + 1, firstMonthEndingAfter(months, interval[0])); index < months.length && months[index]!.start < interval[1]; index++) {
        if (overlap(interval, months[index]!.start, months[index]!.end) <= 0) continue;
        entry.baseSum += 1;
        monthBase[index]! += 1;
        counted = index;
      }
    }
  }
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
    top: [...perDevice].map(([deviceId, defects]) => ({ deviceId, defects })).sort((a, b) => b.defects - a.defects || a.deviceId - b.deviceId).slice(0, input.top ?? 10),
    total: figures('', all.reduce((s, g) => s + g.defects, 0), all.reduce((s, g) => s + g.baseSum, 0), all.reduce((s, g) => s + g.serviceMs, 0)),
  };
}
