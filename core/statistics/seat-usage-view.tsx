import type { Translate } from '../i18n/translate.js';
import { seatLevel, type SeatPeak, type SeatUsage } from '../auth/licence-seats.js';
import { PeakChart, SeatMeter, type PeakDay } from '../../views/components/seat-meter.js';

/** "3 of 5" or "3 (no limit)". */
export function usageText(t: Translate, used: number, seats: number | null): string {
  return seats === null ? t('seats.usageUnlimited', { used }) : t('seats.usage', { used, seats });
}

function SeatRow(props: { t: Translate; id: string; label: string; used: number; seats: number | null; warnOnly?: boolean }) {
  const { t } = props;
  const tone = seatLevel(props.used, props.seats);
  const over = props.seats !== null && props.used > props.seats ? props.used - props.seats : 0;
  const text = usageText(t, props.used, props.seats);
  const message = over > 0 ? t(props.warnOnly ? 'seats.overWarn' : 'seats.over', { count: over })
    : tone === 'full' ? t(props.warnOnly ? 'seats.fullWarn' : 'seats.full')
      : tone === 'warn' ? t('seats.almost') : undefined;
  return (
    <div class="seat-row" id={props.id} data-level={tone}>
      <dt>{props.label}</dt>
      <dd class="seat-bar"><SeatMeter used={props.used} seats={props.seats} tone={tone} label={`${props.label}: ${text}`} /></dd>
      <dd class="seat-figure">{text}</dd>
      {message ? <dd class={`seat-message seat-${tone}`} role={tone === 'full' ? 'status' : undefined}>{message}</dd> : null}
    </div>
  );
}

/** Signed-in agents and portal users against the seats, one meter each. */
export function SeatUsageRows(props: { t: Translate; usage: SeatUsage; idPrefix: string }) {
  const { t, usage } = props;
  return (
    <>
      <dl class="seat-rows">
        <SeatRow t={t} id={`${props.idPrefix}-agents`} label={t('seats.agents')} used={usage.agents} seats={usage.agentSeats} />
        <SeatRow t={t} id={`${props.idPrefix}-portal`} label={t('seats.portal')} used={usage.portal} seats={usage.portalSeats} warnOnly={usage.portalPolicy === 'warn'} />
      </dl>
      <p class="muted">{t('seats.note', { minutes: usage.windowMinutes })}</p>
    </>
  );
}

/** Every day of the range with its peaks (zero where nobody signed in). */
export function peakDays(days: readonly string[], peaks: readonly SeatPeak[], label: (day: string) => string): PeakDay[] {
  const byDay = new Map(peaks.map((p) => [p.day, p]));
  return days.map((day) => ({ day, label: label(day), agents: byDay.get(day)?.agents ?? 0, portal: byDay.get(day)?.portal ?? 0 }));
}

/** The daily peaks as a chart and, beside it, the table of the same numbers (newest first). */
export function SeatPeaksFigure(props: { t: Translate; days: readonly PeakDay[]; usage: SeatUsage; idPrefix: string; dateLabel: (day: string) => string }) {
  const { t, days, usage } = props;
  return (
    <div class="stat-figure">
      <div>
        <PeakChart title={t('seats.peaksChart', { days: days.length })} days={days} agentSeats={usage.agentSeats} portalSeats={usage.portalSeats} id={`${props.idPrefix}-chart`} />
        <ul class="peak-legend">
          <li><span class="key-agents" />{t('seats.agentsPeak')}</li>
          <li><span class="key-portal" />{t('seats.portalPeak')}</li>
        </ul>
      </div>
      <div class="table-wrap peak-table-wrap">
        <table class="table" id={`${props.idPrefix}-peaks`}>
          <thead><tr><th scope="col">{t('seats.day')}</th><th scope="col" class="num">{t('seats.agents')}</th><th scope="col" class="num">{t('seats.portal')}</th></tr></thead>
          <tbody>
            {[...days].reverse().map((day) => (
              <tr data-day={day.day}><th scope="row">{props.dateLabel(day.day)}</th><td class="num">{day.agents}</td><td class="num">{day.portal}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
