export interface Point { label: string; value: number | null }

const WIDTH = 360;
const HEIGHT = 160;
const LEFT = 36;
const RIGHT = 8;
const TOP = 12;
const BOTTOM = 28;

/**
 * A line chart drawn on the server as SVG, like core's BarChart (no script, no inline styles; colours from
 * classes): one line over the points in order, a gap where a value is missing. A picture of numbers the page
 * also shows as a table beside it.
 */
export function LineChart(props: { title: string; points: readonly Point[]; id?: string; format?: (value: number) => string }) {
  const format = props.format ?? String;
  const values = props.points.map((point) => point.value).filter((value): value is number => value !== null);
  const max = Math.max(1, ...values);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const step = props.points.length > 1 ? plotWidth / (props.points.length - 1) : 0;
  const x = (index: number) => Math.round((LEFT + (props.points.length > 1 ? index * step : plotWidth / 2)) * 10) / 10;
  const y = (value: number) => Math.round((TOP + plotHeight - (plotHeight * value) / max) * 10) / 10;
  // Runs of points with values: a missing value breaks the line.
  const runs: string[] = [];
  let run: string[] = [];
  props.points.forEach((point, index) => {
    if (point.value === null) { if (run.length) runs.push(run.join(' ')); run = []; return; }
    run.push(`${x(index)},${y(point.value)}`);
  });
  if (run.length) runs.push(run.join(' '));
  // Every label when few, otherwise about six counted back from the last, so they do not overlap on a phone;
  // the last one ends at its point (centred it would be cut at the right edge).
  const every = Math.max(1, Math.ceil(props.points.length / 6));
  const last = props.points.length - 1;
  return (
    <svg class="line-chart" id={props.id} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={props.title} xmlns="http://www.w3.org/2000/svg">
      <title>{props.title}</title>
      <line class="line-axis" x1={LEFT} y1={TOP + plotHeight} x2={WIDTH - RIGHT} y2={TOP + plotHeight} />
      <text class="line-tick" x={LEFT - 4} y={TOP} text-anchor="end" dominant-baseline="central">{format(max)}</text>
      <text class="line-tick" x={LEFT - 4} y={TOP + plotHeight} text-anchor="end" dominant-baseline="central">0</text>
      {runs.map((points) => <polyline class="line-path" points={points} fill="none" />)}
      {props.points.map((point, index) => (point.value === null ? null : <circle class="line-point" cx={x(index)} cy={y(point.value)} r="3" />))}
      {props.points.map((point, index) => ((last - index) % every === 0
        ? <text class="line-tick" x={x(index)} y={HEIGHT - 8} text-anchor={index === last && last > 0 ? 'end' : 'middle'}>{point.label}</text> : null))}
    </svg>
  );
}
