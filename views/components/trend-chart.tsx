/**
 * One series of a trend chart: its name (the legend), a class for its colour (`trend-<tone>`), one value per
 * point; `null` where a point has no value (the line breaks there and the point has no dot).
 */
export interface TrendSeries { name: string; tone: string; values: readonly (number | null)[] }

const WIDTH = 640;
const HEIGHT = 220;
/** The least room for the y axis's labels; wider when the formatted largest value needs it (or `left`). */
const DEFAULT_LEFT = 40;
const RIGHT = 12;
const TOP = 28;
const BOTTOM = 28;
/**
 * How wide one character of a label is in the chart's units at its largest: on a phone static/app.css sets
 * 26px text in the 640-unit-wide picture, and a digit of the usual sans fonts is about 0.64 of that. Labels are spaced for this width,
 * so they do not overlap on a phone (on a desktop the text is half as large and they have room to spare).
 */
const CHAR = 26 * 0.64;
const LABEL_GAP = 20;

/**
 * Which x labels to show: always the first and the last, and between them every n-th counted back from the
 * last, n chosen so that neighbours stay apart by one and a half of the longest label (the first label starts
 * at its point and the last ends at its point, so these two need that much room to the inner ones).
 */
export function shownLabels(labels: readonly string[], plotWidth: number): number[] {
  const points = labels.length;
  if (points <= 1) return points === 1 ? [0] : [];
  const last = points - 1;
  const step = plotWidth / last;
  const longest = Math.max(...labels.map((label) => label.length));
  const room = 1.5 * longest * CHAR + LABEL_GAP;
  const every = Math.max(1, Math.ceil(room / step));
  const shown = [last];
  for (let index = last - every; index > 0 && index * step >= room; index -= every) shown.unshift(index);
  return last * step >= room ? [0, ...shown] : [last];
}

/** The runs of consecutive points that have a value, as polyline point lists: a missing value breaks the line. */
function runs(values: readonly (number | null)[], x: (index: number) => number, y: (value: number) => number): string[] {
  const result: string[] = [];
  let run: string[] = [];
  values.forEach((value, index) => {
    if (value === null) {
      if (run.length > 1) result.push(run.join(' '));
      run = [];
      return;
    }
    run.push(`${x(index).toFixed(1)},${y(value).toFixed(1)}`);
  });
  if (run.length > 1) result.push(run.join(' '));
  return result;
}

/**
 * Lines over time drawn on the server as SVG (no script, no inline styles: colours come from
 * `trend-<tone>` classes): a y axis from 0 to the largest value (shown through `format`), x labels spaced so
 * they do not overlap on a phone, a legend on top. A picture of numbers the page also shows in a table.
 */
export function TrendChart(props: {
  title: string; labels: readonly string[]; series: readonly TrendSeries[]; id?: string; legendGap?: number; left?: number;
  format?: (value: number) => string;
}) {
  const format = props.format ?? String;
  const gap = props.legendGap ?? 170;
  const points = props.labels.length;
  const max = Math.max(1, ...props.series.flatMap((s) => s.values.filter((value): value is number => value !== null)));
  const maxLabel = format(max);
  const LEFT = props.left ?? Math.max(DEFAULT_LEFT, Math.ceil(maxLabel.length * CHAR) + 10);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (index: number) => LEFT + (points <= 1 ? plotWidth / 2 : (plotWidth * index) / (points - 1));
  const y = (value: number) => TOP + plotHeight - (plotHeight * value) / max;
  const anchor = (index: number) => (points <= 1 ? 'middle' : index === 0 ? 'start' : index === points - 1 ? 'end' : 'middle');
  return (
    <svg class="trend-chart" id={props.id} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={props.title} xmlns="http://www.w3.org/2000/svg">
      <title>{props.title}</title>
      <g class="trend-axis">
        <line x1={LEFT} y1={TOP + plotHeight} x2={WIDTH - RIGHT} y2={TOP + plotHeight} />
        <line x1={LEFT} y1={TOP} x2={LEFT} y2={TOP + plotHeight} />
        <text x={LEFT - 6} y={TOP} text-anchor="end" dominant-baseline="central">{maxLabel}</text>
        <text x={LEFT - 6} y={TOP + plotHeight} text-anchor="end" dominant-baseline="central">0</text>
        {shownLabels(props.labels, plotWidth).map((index) => (
          <text x={x(index)} y={HEIGHT - 8} text-anchor={anchor(index)}>{props.labels[index]}</text>
        ))}
      </g>
      {props.series.map((series, n) => (
        <g class={`trend-series trend-${series.tone}`}>
          <rect x={LEFT + n * gap} y={6} width={14} height={10} rx="2" />
          <text x={LEFT + n * gap + 20} y={11} dominant-baseline="central">{series.name}</text>
          {runs(series.values, x, y).map((line) => <polyline points={line} />)}
          {points <= 31
            ? series.values.map((value, index) => (value === null ? null : <circle cx={x(index).toFixed(1)} cy={y(value).toFixed(1)} r="3" />))
            : null}
        </g>
      ))}
    </svg>
  );
}
