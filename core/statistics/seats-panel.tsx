import { lastDays, seatPeaks, seatUsage } from '../auth/licence-seats.js';
import { formatDate } from '../i18n/format.js';
import type { StatisticsPanel } from '../plugin-host/define-plugin.js';
import type { Clock } from '../time.js';
import { peakDays, SeatPeaksFigure, SeatUsageRows } from './seat-usage-view.js';

export const PEAK_DAYS = 30;

/**
 * The core's "Licences in use" panel: signed-in agents and portal users against the seats the
 * platform operator set, and the daily peaks of the last 30 days (tenant days). Anyone who sees the
 * Statistics page (supervisors, admins) sees it.
 */
export function seatsPanel(clock: Clock): StatisticsPanel {
  return {
    id: 'licence-seats',
    label: { en: 'Licences in use', de: 'Lizenzen belegt' },
    async render(ctx) {
      const now = clock();
      const db = ctx.scope.db;
      const usage = await seatUsage(db, ctx.tenantId, now);
      const days = lastDays(now, ctx.dates.timeZone, PEAK_DAYS);
      const peaks = await seatPeaks(db, ctx.tenantId, days[0]!, days[days.length - 1]!);
      const short = new Intl.DateTimeFormat(ctx.locale, { day: 'numeric', month: 'numeric', timeZone: 'UTC' });
      const rows = peakDays(days, peaks, (day) => short.format(new Date(`${day}T12:00:00Z`)));
      return (
        <>
          <SeatUsageRows t={ctx.t} usage={usage} idPrefix="seats" />
          <h3>{ctx.t('seats.peaks')}</h3>
          <SeatPeaksFigure t={ctx.t} days={rows} usage={usage} idPrefix="seats" dateLabel={(day) => formatDate(day, ctx.dates)} />
        </>
      );
    },
  };
}
