import type { StatisticsPeriod } from '../plugin-host/define-plugin.js';

/** The query string of a period (what the page's URL, its CSV links and the REST call carry). */
export function periodQuery(period: StatisticsPeriod): URLSearchParams {
  return period.preset === 'custom' ? new URLSearchParams({ period: 'custom', from: period.from, to: period.to }) : new URLSearchParams({ period: period.preset });
}

/** Longer than this, the trend shows months rather than days. */
export const DAILY_TREND_DAYS = 92;

/** The trend's points: each day, or each month of a long period (a month's sums). */
export function trendBuckets(trend: ReadonlyArray<{ day: string; created: number; solved: number }>): { monthly: boolean; points: Array<{ label: string; created: number; solved: number }> } {
  if (trend.length <= DAILY_TREND_DAYS) return { monthly: false, points: trend.map((d) => ({ label: d.day, created: d.created, solved: d.solved })) };
  const months = new Map<string, { label: string; created: number; solved: number }>();
  for (const d of trend) {
    const label = d.day.slice(0, 7);
    const entry = months.get(label) ?? { label, created: 0, solved: 0 };
    entry.created += d.created;
    entry.solved += d.solved;
    months.set(label, entry);
  }
  return { monthly: true, points: [...months.values()] };
}
