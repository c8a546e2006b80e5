/** One series of a trend chart: its name (the legend), a class for its colour, one value per point. */
export interface TrendSeries { name: string; tone: string; values: readonly number[] }

const WIDTH = 640;
const HEIGHT = 220;
/** Room for the y axis's labels; a chart of values such as 33.5 asks for more (`left`). */
const DEFAULT_LEFT = 40;
const RIGHT = 12;
const TOP = 28;
const BOTTOM = 28;

/**
 * Lines over time drawn on the server as SVG (no script, no inline styles: colours come from
 * `trend-<tone>` classes): a y axis from 0 to the largest value, the first, middle and last label
 * under the x axis, a legend on top. A picture of numbers the page also shows in a table.
 */
export function TrendChart(props: { title: string; labels: readonly string[]; series: readonly TrendSeries[]; id?: string; legendGap?: number; left?: number }) {
  const LEFT = props.left ?? DEFAULT_LEFT;
  const gap = props.legendGap ?? 170;
  const points = props.labels.length;
  const max = Math.max(1, ...props.series.flatMap((s) => s.values));
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (index: number) => LEFT + (points <= 1 ? plotWidth / 2 : (plotWidth * index) / (points - 1));
  const y = (value: number) => TOP + plotHeight - (plotHeight * value) / max;
  const shown = [...new Set([0, Math.floor((points - 1) / 2), points - 1])].filter((index) => index >= 0 && index < points);
  return (
    <svg class="trend-chart" id={props.id} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={props.title} xmlns="http://www.w3.org/2000/svg">
      <title>{props.title}</title>
      <g class="trend-axis">
        <line x1={LEFT} y1={TOP + plotHeight} x2={WIDTH - RIGHT} y2={TOP + plotHeight} />
        <line x1={LEFT} y1={TOP} x2={LEFT} y2={TOP + plotHeight} />
        <text x={LEFT - 6} y={TOP} text-anchor="end" dominant-baseline="central">{max}</text>
        <text x={LEFT - 6} y={TOP + plotHeight} text-anchor="end" dominant-baseline="central">0</text>
        {shown.map((index) => (
          <text x={x(index)} y={HEIGHT - 8} text-anchor={index === 0 && points > 1 ? 'start' : index === points - 1 && points > 1 ? 'end' : 'middle'}>{props.labels[index]}</text>
        ))}
      </g>
      {props.series.map((series, n) => (
        <g class={`trend-series trend-${series.tone}`}>
          <rect x={LEFT + n * gap} y={6} width={14} height={10} rx="2" />
          <text x={LEFT + n * gap + 20} y={11} dominant-baseline="central">{series.name}</text>
          {points > 1
            ? <polyline points={series.values.map((value, index) => `${x(index).toFixed(1)},${y(value).toFixed(1)}`).join(' ')} />
            : null}
          {points <= 31 ? series.values.map((value, index) => <circle cx={x(index).toFixed(1)} cy={y(value).toFixed(1)} r="3" />) : null}
        </g>
      ))}
    </svg>
  );
}
