import type { StatisticsPeriod } from '../plugin-host/define-plugin.js';

/** The query string of a period (what the page's URL, its CSV links and the REST call carry). */
export function periodQuery(period: StatisticsPeriod): URLSearchParams {
  return period.preset === 'custom' ? new URLSearchParams({ period: 'custom', from: period.from, to: period.to }) : new URLSearchParams({ period: period.preset });
}
