import { describe, expect, it } from 'vitest';
import { shownLabels, TrendChart } from './trend-chart.js';

const polylines = (html: string) => [...html.matchAll(/<polyline points="([^"]*)"/g)].map((m) => m[1]!.split(' ').length);
const labelsOf = (html: string) => [...html.matchAll(/<text x="[^"]*" y="212" text-anchor="(\w+)">([^<]*)<\/text>/g)].map((m) => `${m[2]}:${m[1]}`);

describe('TrendChart', () => {
  it('breaks the line where a value is missing and draws no dot there', () => {
    const html = String(<TrendChart title="Rate" labels={['a', 'b', 'c', 'd', 'e', 'f']} series={[{ name: 'Rate', tone: 'x', values: [1, 2, null, 3, 4, 5] }]} />);
    expect(polylines(html)).toEqual([2, 3]);
    expect(html.match(/<circle /g)).toHaveLength(5);
  });

  it('draws no line for a value standing alone between gaps, only its dot', () => {
    const html = String(<TrendChart title="Rate" labels={['a', 'b', 'c']} series={[{ name: 'Rate', tone: 'x', values: [null, 2, null] }]} />);
    expect(polylines(html)).toEqual([]);
    expect(html.match(/<circle /g)).toHaveLength(1);
  });

  it('shows the largest value through the formatter and makes room for it on the left', () => {
    const html = String(<TrendChart title="Rate" labels={['a', 'b']} format={(v) => `${v.toFixed(1)} %`} series={[{ name: 'Rate', tone: 'x', values: [12.5, null] }]} />);
    expect(html).toContain('>12.5 %</text>');
    const left = Number(/<line x1="(\d+)"/.exec(html)![1]);
    expect(left).toBeGreaterThan(40);
    expect(left).toBeGreaterThanOrEqual(Math.ceil('12.5 %'.length * 26 * 0.64));
  });

  it('labels the first and the last point and keeps the ones between apart by one and a half labels at phone size', () => {
    const months = Array.from({ length: 24 }, (_, i) => `${24 + Math.floor(i / 12)}/${String((i % 12) + 1).padStart(2, '0')}`);
    const html = String(<TrendChart title="Rate" labels={months} series={[{ name: 'Rate', tone: 'x', values: months.map(() => 1) }]} />);
    const shown = labelsOf(html);
    expect(shown[0]).toBe('24/01:start');
    expect(shown.at(-1)).toBe('25/12:end');
    expect(shown.length).toBeGreaterThan(2);
    const plotWidth = 640 - 40 - 12;
    const indices = shownLabels(months, plotWidth);
    const step = plotWidth / 23;
    for (let n = 1; n < indices.length; n++) expect((indices[n]! - indices[n - 1]!) * step).toBeGreaterThanOrEqual(1.5 * 5 * 26 * 0.64);
  });

  it('shows every label when they fit, and one centred label for a single point', () => {
    expect(shownLabels(['1', '2', '3'], 588)).toEqual([0, 1, 2]);
    const html = String(<TrendChart title="Rate" labels={['2026-05']} series={[{ name: 'Rate', tone: 'x', values: [3] }]} />);
    expect(labelsOf(html)).toEqual(['2026-05:middle']);
  });
});
