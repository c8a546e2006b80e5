/** A KPI's spread over tickets, in seconds: how many, the mean, the median and the 90th percentile (null when none). */
export interface Distribution { count: number; average: number | null; median: number | null; p90: number | null }

/**
 * The q-quantile of values sorted ascending, interpolating linearly between the two nearest ranks
 * (PostgreSQL's percentile_cont): the median of 1, 2, 3, 10 is 2.5, their 90th percentile 7.9.
 */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * q;
  const low = Math.floor(h);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (h - low) * (sorted[high]! - sorted[low]!);
}

/** The distribution of some values (sorted here, in one pass after). */
export function distribution(values: number[]): Distribution {
  if (values.length === 0) return { count: 0, average: null, median: null, p90: null };
  values.sort((a, b) => a - b);
  let sum = 0;
  for (const value of values) sum += value;
  return { count: values.length, average: sum / values.length, median: quantile(values, 0.5), p90: quantile(values, 0.9) };
}
