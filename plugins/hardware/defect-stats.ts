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

/** The periods each device was in service (half-open, ms), from its state lines in time order. */
export function serviceIntervals(lines: readonly StateLine[]): Map<number, Array<[number, number]>> {
  const byDevice = new Map<number, StateLine[]>();
  for (const line of lines) byDevice.set(line.deviceId, [...(byDevice.get(line.deviceId) ?? []), line]);
  const out = new Map<number, Array<[number, number]>>();
  for (const [deviceId, list] of byDevice) {
    const sorted = [...list].sort((a, b) => a.at - b.at);
    const intervals: Array<[number, number]> = [];
    sorted.forEach((line, index) => {
      if (line.state !== 'in_service') return;
      const next = sorted.slice(index + 1).find((later) => later.state !== 'in_service');
      const last = intervals.at(-1);
      const end = next ? next.at : Number.POSITIVE_INFINITY;
      // A repeated "in service" line continues the running interval.
      if (last && last[1] >= line.at) last[1] = Math.max(last[1], end);
      else intervals.push([line.at, end]);
    });
    if (intervals.length) out.set(deviceId, intervals);
  }
  return out;
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
    entry.serviceMs += list.reduce((sum, interval) => sum + overlap(interval, start, end), 0);
    months.forEach((month, index) => {
      if (list.some((interval) => overlap(interval, month.start, month.end) > 0)) {
        entry.baseSum += 1;
        monthBase[index]! += 1;
      }
    });
  }
  const monthDefects = months.map(() => 0);
  const perDevice = new Map<number, number>();
  for (const defect of input.defects) {
    if (defect.at < start || defect.at >= end) continue;
    const key = input.groupOf(defect.deviceId);
    if (key === undefined) continue;
    group(key).defects += 1;
    const index = months.findIndex((month) => defect.at >= month.start && defect.at < month.end);
    if (index >= 0) monthDefects[index]! += 1;
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
