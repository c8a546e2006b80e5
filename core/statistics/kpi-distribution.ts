/** A KPI's spread over tickets, in seconds: how many, the mean, the median and the 90th percentile (null when none). */
export interface Distribution { count: number; average: number | null; median: number | null; p90: number | null }

/**
 * The q-quantile of values sorted ascending, interpolating linearly between the two nearest ranks
 * (PostgreSQL's percentile_cont): the median of 1, 2, 3, 10 is 2.5, their 90th percentile 7.9.
 */
export function quantile(sorted: ArrayLike<number>, q: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * q;
  const low = Math.floor(h);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (h - low) * (sorted[high]! - sorted[low]!);
}

/** The distribution of some values: sorted here (as a typed array, whose sort is numeric and several times faster), then one pass. */
export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { count: 0, average: null, median: null, p90: null };
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return { count: sorted.length, average: sum / sorted.length, median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9) };
}
