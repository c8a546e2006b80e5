export type SeatTone = 'none' | 'ok' | 'warn' | 'full';

const WIDTH = 240;
const HEIGHT = 14;

/**
 * How full a licence is, drawn on the server as SVG: the brand colour below 90 %, amber from 90 %,
 * red at the limit (and above it the bar stays full). Without a limit there is no bar to fill. The
 * figures are always written beside it as text.
 */
export function SeatMeter(props: { used: number; seats: number | null; tone: SeatTone; label: string; id?: string }) {
  const share = props.seats === null ? 0 : props.seats === 0 ? 1 : Math.min(1, props.used / props.seats);
  const fill = props.seats === null ? 0 : Math.max(props.used > 0 ? 3 : 0, Math.round(WIDTH * share));
  return (
    <svg class={`seat-meter seat-${props.tone}`} id={props.id} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={props.label} xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="none">
      <title>{props.label}</title>
      <rect class="seat-track" x="0" y="0" width={WIDTH} height={HEIGHT} rx="4" />
      {fill > 0 ? <rect class="seat-fill" x="0" y="0" width={fill} height={HEIGHT} rx="4" /> : null}
    </svg>
  );
}

export interface PeakDay { day: string; label: string; agents: number; portal: number }

const CHART_W = 400;
const CHART_H = 170;
const LEFT = 28;
const BOTTOM = 22;

/**
 * Daily peaks as paired columns (agents, portal users) with the limits as dashed lines; a picture of
 * the table printed beside it. Day labels are thinned so they never overlap.
 */
export function PeakChart(props: { title: string; days: readonly PeakDay[]; agentSeats: number | null; portalSeats: number | null; id?: string }) {
  const max = Math.max(1, ...props.days.flatMap((d) => [d.agents, d.portal]), props.agentSeats ?? 0, props.portalSeats ?? 0);
  const plotH = CHART_H - BOTTOM - 8;
  const slot = (CHART_W - LEFT) / Math.max(1, props.days.length);
  const col = Math.max(0.8, Math.min(12, slot / 2 - 0.5));
  const y = (value: number) => 8 + plotH - (plotH * value) / max;
  const every = Math.max(1, Math.ceil(props.days.length / 5));
  const limit = (value: number | null, cls: string) => value === null ? null
    : <line class={cls} x1={LEFT} x2={CHART_W} y1={y(value)} y2={y(value)} />;
  return (
    <svg class="peak-chart" id={props.id} viewBox={`0 0 ${CHART_W} ${CHART_H}`} role="img" aria-label={props.title} xmlns="http://www.w3.org/2000/svg">
      <title>{props.title}</title>
      <line class="peak-axis" x1={LEFT} x2={CHART_W} y1={8 + plotH} y2={8 + plotH} />
      <text class="peak-tick" x={LEFT - 6} y={y(max)} text-anchor="end" dominant-baseline="central">{max}</text>
      <text class="peak-tick" x={LEFT - 6} y={8 + plotH} text-anchor="end" dominant-baseline="central">0</text>
      {props.days.map((day, index) => {
        const x = LEFT + index * slot + slot / 2;
        return (
          <g>
            {day.agents > 0 ? <rect class="peak-agents" x={x - col - 0.5} y={y(day.agents)} width={col} height={8 + plotH - y(day.agents)} /> : null}
            {day.portal > 0 ? <rect class="peak-portal" x={x + 0.5} y={y(day.portal)} width={col} height={8 + plotH - y(day.portal)} /> : null}
            {index % every === 0 ? <text class="peak-tick" x={x} y={CHART_H - 6} text-anchor="middle">{day.label}</text> : null}
          </g>
        );
      })}
      {limit(props.agentSeats, 'peak-limit-agents')}
      {limit(props.portalSeats, 'peak-limit-portal')}
    </svg>
  );
}
