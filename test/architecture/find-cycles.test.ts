import { describe, expect, it } from 'vitest';
import { findCycles } from './find-cycles.js';

const graphOf = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

describe('findCycles', () => {
  it('finds none in a graph without cycles (a diamond is no cycle)', () => {
    expect(findCycles(graphOf({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }))).toEqual([]);
  });

  it('finds a cycle of two files and a file that imports itself', () => {
    expect(findCycles(graphOf({ a: ['b'], b: ['a'], c: ['c'] }))).toEqual([
      { chain: ['a', 'b', 'a'], group: ['a', 'b'] },
      { chain: ['c', 'c'], group: ['c'] },
    ]);
  });

  it('reports the shortest cycle through the first file and the whole group', () => {
    // a -> b -> c -> d -> a and the shortcut c -> a; e hangs off the group without a way back.
    const cycles = findCycles(graphOf({ a: ['b', 'e'], b: ['c'], c: ['d', 'a'], d: ['a'], e: [] }));
    expect(cycles).toEqual([{ chain: ['a', 'b', 'c', 'a'], group: ['a', 'b', 'c', 'd'] }]);
  });

  it('reports separate groups separately and follows edges to files without an entry', () => {
    const cycles = findCycles(graphOf({ x: ['y', 'outside'], y: ['x'], p: ['q'], q: ['r'], r: ['p'] }));
    expect(cycles.map((cycle) => cycle.chain)).toEqual([['p', 'q', 'r', 'p'], ['x', 'y', 'x']]);
  });

  it('walks a long chain without overflowing the stack', () => {
    const edges: Record<string, string[]> = {};
    const name = (i: number) => `f${String(i).padStart(6, '0')}`;
    for (let i = 0; i < 20_000; i++) edges[name(i)] = [name(i + 1)];
    edges[name(20_000)] = [name(0)];
    const [cycle] = findCycles(graphOf(edges));
    expect(cycle?.chain.length).toBe(20_002);
  });
});
