import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchPlan, postgresUrlFor, ratiosOf } from './bench-sizes.js';

describe('bench sizes', () => {
  it('keeps the one data directory without --tickets, and gives each size its own with it, the base added', () => {
    expect(benchPlan([], { BENCH_TICKETS: '5000' }, undefined)).toEqual({ targets: [{ tickets: 5000, dataDir: resolve('.tmp/bench'), postgresUrl: undefined }], rounds: 1 });
    expect(benchPlan(['--tickets', '1000000'], {}, undefined)).toEqual({ rounds: 2, targets: [
      { tickets: 100000, dataDir: resolve('.tmp/bench-100000'), postgresUrl: undefined },
      { tickets: 1000000, dataDir: resolve('.tmp/bench-1000000'), postgresUrl: undefined },
    ] });
    expect(benchPlan(['--tickets', '100000'], {}, undefined).targets.map((t) => t.tickets)).toEqual([100000]);
    expect(benchPlan(['--tickets', '20000,5000', '--base', '0', '--rounds', '3'], { BENCH_DATA_DIR: '/x/b' }, undefined))
      .toEqual({ rounds: 3, targets: [{ tickets: 5000, dataDir: '/x/b-5000', postgresUrl: undefined }, { tickets: 20000, dataDir: '/x/b-20000', postgresUrl: undefined }] });
    const pg = benchPlan(['--tickets', '1000000'], {}, 'postgres://u:p@127.0.0.1:5432/tresen');
    expect(pg.targets.map((t) => [t.dataDir, t.postgresUrl])).toEqual([
      [resolve('.tmp/bench-pg-100000'), 'postgres://u:p@127.0.0.1:5432/tresen_100000'],
      [resolve('.tmp/bench-pg-1000000'), 'postgres://u:p@127.0.0.1:5432/tresen_1000000'],
    ]);
    expect(postgresUrlFor('postgres://h/', 7)).toBe('postgres://h/tresen_7');
    expect(() => benchPlan(['--tickets', 'many'], {}, undefined)).toThrow(/whole number/);
    expect(() => benchPlan(['--rounds', '0'], {}, undefined)).toThrow(/at least 1/);
  });

  it('reports the medians per size and their ratios to the smallest, flagging what is over twice', () => {
    const run = (tickets: number, p95: number, rps: number) => ({ tickets, coldStartMs: 500, peakRssMb: 200, results: [{ scenario: 'queue', single: { p95Ms: p95, rps }, loaded: { p95Ms: p95 * 10, rps: rps * 2 } }] });
    const ratios = ratiosOf([run(100, 4, 100), run(1000, 7, 60), run(100, 6, 80), run(1000, 30, 20)], [100, 1000]);
    const queue = ratios.find((r) => r.scenario === 'queue')!;
    expect(queue.medians[100]).toEqual({ p95Ms: 5, rps: 90, loadedP95Ms: 50, loadedRps: 180 });
    expect(queue.medians[1000]).toEqual({ p95Ms: 18.5, rps: 40, loadedP95Ms: 185, loadedRps: 80 });
    expect(queue.ratios[1000]).toEqual({ p95: 3.7, rps: 2.25, loadedP95: 3.7, loadedRps: 2.25, withinTwice: false });
    expect(ratios.find((r) => r.scenario === 'cold start')!.ratios[1000]).toMatchObject({ p95: 1, withinTwice: true });
  });
});
