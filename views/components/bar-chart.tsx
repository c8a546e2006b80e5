export interface Bar {
  label: string;
  value: number;
  /** Colour class of the bar: `bar-<tone>` (e.g. a ticket status); the core's stylesheet knows the statuses. */
  tone?: string;
}

const WIDTH = 360;
const LABEL_WIDTH = 118;
const VALUE_WIDTH = 48;
const ROW = 30;
const BAR = 18;

/**
 * A horizontal bar chart drawn on the server as SVG (no script, no inline styles: colours come from
 * classes). It is a picture of numbers the page also shows as text: put a table beside it.
 */
export function BarChart(props: { title: string; bars: readonly Bar[]; id?: string }) {
  const max = Math.max(1, ...props.bars.map((bar) => bar.value));
  const plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const height = Math.max(ROW, props.bars.length * ROW);
  return (
    <svg class="bar-chart" id={props.id} viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={props.title} xmlns="http://www.w3.org/2000/svg">
      <title>{props.title}</title>
      {props.bars.map((bar, index) => {
        const middle = index * ROW + ROW / 2;
        const length = bar.value > 0 ? Math.max(2, Math.round((plot * bar.value) / max)) : 0;
        return (
          <g class={`bar${bar.tone ? ` bar-${bar.tone}` : ''}`}>
            <text class="bar-label" x={LABEL_WIDTH - 8} y={middle} text-anchor="end" dominant-baseline="central">{bar.label}</text>
            <rect x={LABEL_WIDTH} y={middle - BAR / 2} width={length} height={BAR} rx="3" />
            <text class="bar-value" x={LABEL_WIDTH + length + 6} y={middle} dominant-baseline="central">{bar.value}</text>
          </g>
        );
      })}
    </svg>
  );
}
