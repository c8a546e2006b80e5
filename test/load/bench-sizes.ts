// What `npm run bench -- --tickets N[,M…] [--base 100000] [--rounds 2]` benches: one data directory (or
// PostgreSQL database) per size, and the ratios of each size's medians to the smallest size's.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';

/** One size to bench: where its seeded data lives. */
export interface BenchTarget { tickets: number; dataDir: string; postgresUrl?: string | undefined }

export interface BenchPlan { targets: BenchTarget[]; rounds: number }

const wholeNumber = (text: string, name: string): number => {
  const n = Number(text.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not "${text}"`);
  return n;
};

/** The database `<name>_<n>` on the server of `url`. */
export function postgresUrlFor(url: string, tickets: number): string {
  const parsed = new URL(url);
  parsed.pathname = `${parsed.pathname.replace(/^\//, '') || 'tresen'}_${tickets}`;
  return parsed.toString();
}

/**
 * Without --tickets: the one data directory of BENCH_DATA_DIR (seeded with BENCH_TICKETS when empty), as always.
 * With it: every size given (and --base, 100,000 unless 0), each in its own directory or database, smallest first.
 */
export function benchPlan(argv: readonly string[], env: NodeJS.ProcessEnv, postgresUrl: string | undefined): BenchPlan {
  const { values } = parseArgs({ args: [...argv], options: { tickets: { type: 'string', multiple: true }, base: { type: 'string' }, rounds: { type: 'string' } } });
  const rounds = values.rounds === undefined ? undefined : wholeNumber(values.rounds, '--rounds');
  if (rounds === 0) throw new Error('--rounds must be at least 1');
  if (!values.tickets?.length) {
    const dataDir = resolve(env.BENCH_DATA_DIR ?? (postgresUrl ? '.tmp/bench-pg' : '.tmp/bench'));
    return { targets: [{ tickets: wholeNumber(env.BENCH_TICKETS ?? '100000', 'BENCH_TICKETS'), dataDir, postgresUrl }], rounds: rounds ?? 1 };
  }
  const sizes = new Set(values.tickets.flatMap((list) => list.split(',')).map((text) => wholeNumber(text.trim(), '--tickets')));
  if ([...sizes].some((n) => n < 1)) throw new Error('--tickets must be positive');
  const base = wholeNumber(values.base ?? '100000', '--base');
  if (base > 0) sizes.add(base);
  const ordered = [...sizes].sort((a, b) => a - b);
  const stem = env.BENCH_DATA_DIR ?? (postgresUrl ? '.tmp/bench-pg' : '.tmp/bench');
  return {
    targets: ordered.map((tickets) => ({ tickets, dataDir: resolve(`${stem}-${tickets}`), postgresUrl: postgresUrl ? postgresUrlFor(postgresUrl, tickets) : undefined })),
    rounds: rounds ?? (ordered.length > 1 ? 2 : 1),
  };
}

/** Creates the database of `url` on its server when it does not exist. */
export async function ensurePostgresDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.replace(/^\//, '');
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected database name "${name}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
}

interface Measured { p95Ms: number; rps: number }
interface RunReport { tickets: number; coldStartMs: number; peakRssMb: number; results: Array<{ scenario: string; single: Measured; loaded?: Measured | undefined }> }

/** One scenario's medians per size, and each size's ratio to the smallest (p95: larger/smaller; req/s: smaller/larger: above 1 is slower). */
export interface ScenarioRatio {
  scenario: string;
  medians: Record<number, { p95Ms: number; rps: number; loadedP95Ms?: number; loadedRps?: number }>;
  ratios: Record<number, { p95: number; rps: number; loadedP95?: number; loadedRps?: number; withinTwice: boolean }>;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return Math.round((sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2) * 100) / 100;
};
const ratio = (a: number, b: number) => Math.round((b === 0 ? (a === 0 ? 1 : Infinity) : a / b) * 100) / 100;

/** The medians of every run per size and scenario, and their ratios to the smallest size's. */
export function ratiosOf(runs: readonly RunReport[], sizes: readonly number[]): ScenarioRatio[] {
  const base = sizes[0]!;
  const scenarios = [...new Set(runs.flatMap((run) => run.results.map((result) => result.scenario))), 'cold start', 'peak RSS'];
  return scenarios.map((scenario) => {
    const medians: ScenarioRatio['medians'] = {};
    for (const size of sizes) {
      const own = runs.filter((run) => run.tickets === size);
      if (scenario === 'cold start' || scenario === 'peak RSS') {
        const value = median(own.map((run) => (scenario === 'cold start' ? run.coldStartMs : run.peakRssMb)));
        medians[size] = { p95Ms: value, rps: 0 };
        continue;
      }
      const results = own.flatMap((run) => run.results.filter((result) => result.scenario === scenario));
      if (results.length === 0) continue;
      const loaded = results.flatMap((result) => (result.loaded ? [result.loaded] : []));
      medians[size] = {
        p95Ms: median(results.map((result) => result.single.p95Ms)), rps: median(results.map((result) => result.single.rps)),
        ...(loaded.length ? { loadedP95Ms: median(loaded.map((l) => l.p95Ms)), loadedRps: median(loaded.map((l) => l.rps)) } : {}),
      };
    }
    const ratios: ScenarioRatio['ratios'] = {};
    const first = medians[base];
    for (const size of sizes.slice(1)) {
      const m = medians[size];
      if (!first || !m) continue;
      const p95 = ratio(m.p95Ms, first.p95Ms);
      const rps = ratio(first.rps, m.rps);
      const loadedP95 = m.loadedP95Ms !== undefined && first.loadedP95Ms !== undefined ? ratio(m.loadedP95Ms, first.loadedP95Ms) : undefined;
      const loadedRps = m.loadedRps !== undefined && first.loadedRps !== undefined ? ratio(first.loadedRps, m.loadedRps) : undefined;
      ratios[size] = { p95, rps, ...(loadedP95 !== undefined ? { loadedP95 } : {}), ...(loadedRps !== undefined ? { loadedRps } : {}), withinTwice: [p95, rps, loadedP95 ?? 0, loadedRps ?? 0].every((r) => r <= 2) };
    }
    return { scenario, medians, ratios };
  });
}

/** The ratios as lines on stderr, each size against the smallest (the JSON on stdout has them and every run). */
export function printRatios(rows: readonly ScenarioRatio[]): void {
  const out = (line: string) => process.stderr.write(`${line}\n`);
  for (const row of rows) {
    for (const [size, r] of Object.entries(row.ratios)) {
      const m = row.medians[Number(size)]!;
      const whole = row.scenario === 'cold start' || row.scenario === 'peak RSS';
      const figure = whole ? `${m.p95Ms} ${row.scenario === 'peak RSS' ? 'MB' : 'ms'}` : `p95 ${m.p95Ms} ms`;
      const rps = whole ? '' : `, req/s ${m.loadedRps ?? m.rps} (x${r.loadedRps ?? r.rps} slower)`;
      out(`${row.scenario.padEnd(26)} ${size} tickets: ${figure} (x${r.p95})${r.loadedP95 !== undefined ? `, loaded p95 ${m.loadedP95Ms} ms (x${r.loadedP95})` : ''}${rps}${r.withinTwice ? '' : '  <- over 2x'}`);
    }
  }
}
