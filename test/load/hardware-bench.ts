// `npx tsx test/load/hardware-bench.ts`: the hardware plugin's figures (issue 12, point 8) on SQLite and PostgreSQL (a throwaway
// server, as the tests start one): 20,000 devices (one state line each, and its period in service), 100,000 tickets of which 30,000 link a device (a third
// as defects, spread over the year), then the device list's page (listDevices: count + page, filtered and not) p95, page 200 as
// the "next" link reaches it (cursor) and by offset, the defect statistics for a year (defectReport, all groupings) p95 and, on
// SQLite, its CPU time per report (the database works in this process), and the CSV import of 10,000 devices (parse + map + importMany, all in
// one transaction). Data layer without HTML rendering. Env: BENCH_DEVICES, BENCH_TICKETS, BENCH_LINKS, BENCH_IMPORT, BENCH_RUNS.
// Prints JSON. A benchmark, not a test: figures go into plugins/hardware/README.md.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { createApp } from '../../core/app/create-app.js';
import { createDatabase, type Database } from '../../core/db/create-database.js';
import { migrateAll } from '../../core/db/migrate.js';
import { createEventBus } from '../../core/events/event-bus.js';
import { createLogger } from '../../core/logger.js';
import { createMailer } from '../../core/mail/mailer.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { helpdeskPlugin } from '../../plugins/helpdesk/index.js';
import { portalPlugin } from '../../plugins/portal/index.js';
import { csvDocument } from '../../core/text/csv.js';
import { parseCsv } from '../../plugins/hardware/csv-parse.js';
import { GROUP_BYS } from '../../plugins/hardware/defect-period.js';
import { defectReport } from '../../plugins/hardware/defect-report.js';
import { CSV_COLUMNS, guessMapping, importInputs } from '../../plugins/hardware/device-csv.js';
import { listDevices, readFilter } from '../../plugins/hardware/device-list.js';
import { deviceStore } from '../../plugins/hardware/device-store.js';
import { hardwarePlugin } from '../../plugins/hardware/index.js';
import { testConfig } from '../harness/test-app.js';
import { seedHardware } from './hardware-load-data.js';
import { startPostgres } from '../harness/postgres-server.js';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 20_000);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const LINKS = Number(process.env.BENCH_LINKS ?? 30_000);
const IMPORT = Number(process.env.BENCH_IMPORT ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const NOW = Date.parse('2026-12-15T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const p95 = (samples: number[]) => { const sorted = [...samples].sort((x, y) => x - y); return Math.round(sorted[Math.floor(sorted.length * 0.95)]! * 10) / 10; };
async function timed(runs: number, work: (i: number) => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) { const t = performance.now(); await work(i); samples.push(performance.now() - t); }
  return { p95: p95(samples), median: p95(samples.slice().sort((x, y) => x - y).slice(0, Math.ceil(samples.length / 1.9))) };
}

async function bench(database: Database) {
  const registry = createRegistry([helpdeskPlugin, portalPlugin, hardwarePlugin]);
  await migrateAll(database.db, registry);
  const clock = () => new Date(NOW);
  const log = createLogger('silent');
  const mailer = createMailer({ db: database.db, clock, defaultSmtpUrl: undefined, defaultFrom: 'bench@tresen.test', log });
  const app = createApp(registry, { config: testConfig(), database, clock, log, mailer, events: createEventBus() });
  const services = app.services;
  const started = performance.now();
  const { tenant, scope, orgs, models, site, deviceIds, links: tickets } = await seedHardware(database, registry, services, { devices: DEVICES, tickets: TICKETS, links: LINKS });
  const actor = { id: null, label: 'bench' };
  const seedMs = Math.round(performance.now() - started);

  const filters = [{}, { state: 'in_service' }, { organisation: String(orgs[3]) }, { model: String(models[5]) }, { q: 'INV-0123' }, { location: String(site) }];
  const listFirst = await timed(RUNS, (i) => listDevices(services, tenant.id, readFilter(filters[i % filters.length]!).filter, 1));
  // Page 200 as the list's "next" link reaches it (after page 199's last inventory number: keyset), and by offset (a typed `?page=200`).
  const cursors = await Promise.all([0, 1].map(async (f) => ({ after: (await listDevices(services, tenant.id, readFilter(filters[f]!).filter, 199)).rows.at(-1)!.inventory_number })));
  const listDeep = await timed(RUNS, (i) => listDevices(services, tenant.id, readFilter(filters[i % 2]!).filter, 200, cursors[i % 2]));
  const listDeepOffset = await timed(RUNS, (i) => listDevices(services, tenant.id, readFilter(filters[i % 2]!).filter, 200));
  // Each filter on its own (page 1), to see which one makes the p95.
  const listByFilter: Record<string, number> = {};
  for (const filter of filters) listByFilter[Object.keys(filter)[0] ?? 'none'] = (await timed(Math.max(10, RUNS / 4), () => listDevices(services, tenant.id, readFilter(filter).filter, 1))).p95;
  if (process.env.BENCH_EXPLAIN && database.dialect === 'postgres') {
    const { filteredDevices } = await import('../../plugins/hardware/device-list.js');
    const compiled = filteredDevices(services, tenant.id, readFilter({ q: 'INV-0123' }).filter).select('hardware_devices.id').compile();
    const plan = await sql.raw(`explain ${compiled.sql.replace(/\$(\d+)/g, (_, n: string) => `'${String(compiled.parameters[Number(n) - 1])}'`)}`).execute(database.db);
    console.error(plan.rows.map((row) => Object.values(row as object)[0]).join('\n'));
  }
  if (process.env.BENCH_PROFILE) {
    const { defectFigures } = await import('../../plugins/hardware/defect-stats.js');
    const { periodMonths } = await import('../../plugins/hardware/defect-period.js');
    const months = periodMonths('2025-12-01', '2026-11-30', 'Europe/Berlin');
    const end = iso(months.at(-1)!.end);
    const stages: Record<string, number[]> = { tStates: [], tDefects: [], tDevices: [], tFigures: [] };
    for (let run = 0; run < 10; run++) {
    let t0 = performance.now();
    const states = await scope.selectFrom('hardware_device_history').select(['device_id', 'at', 'new_value']).where('field', '=', 'state').where('at', '<', end).execute();
    const tStates = performance.now() - t0; t0 = performance.now();
    const defects = await scope.selectFrom('hardware_ticket_links').innerJoin('tickets', 'tickets.id', 'hardware_ticket_links.ticket_id').select(['hardware_ticket_links.device_id', 'hardware_ticket_links.ticket_date'])
      .where('hardware_ticket_links.reason', '=', 'defect').where('tickets.deleted_at', 'is', null).where('hardware_ticket_links.ticket_date', '>=', iso(months[0]!.start)).where('hardware_ticket_links.ticket_date', '<', end).execute();
    const tDefects = performance.now() - t0; t0 = performance.now();
    const devices = await scope.selectFrom('hardware_devices').select(['id', 'model_id']).execute();
    const tDevices = performance.now() - t0; t0 = performance.now();
    const byId = new Map(devices.map((d) => [d.id, String(d.model_id)]));
    defectFigures({ months, states: states.map((r) => ({ deviceId: r.device_id, at: Date.parse(r.at), state: r.new_value ?? '' })), defects: defects.map((r) => ({ deviceId: r.device_id, at: Date.parse(r.ticket_date) })), groupOf: (id) => byId.get(id) });
    const tFigures = performance.now() - t0;
    for (const [name, ms] of Object.entries({ tStates, tDefects, tDevices, tFigures })) stages[name]!.push(ms);
    }
    // The median of ten warm runs per stage.
    console.error(JSON.stringify(Object.fromEntries(Object.entries(stages).map(([name, list]) => [name, Math.round(list.sort((x, y) => x - y)[5]! * 10) / 10]))));
  }
  const reportRuns = Math.max(10, RUNS / 2);
  const cpuBefore = process.cpuUsage();
  const report = await timed(reportRuns, (i) => defectReport(scope, { from: '2025-12-01', to: '2026-11-30', groupBy: GROUP_BYS[i % GROUP_BYS.length]! }, 'Europe/Berlin', 'en', 'none'));
  // On SQLite the database works in this process: its CPU time per report is the work, whatever the machine's load.
  const cpu = process.cpuUsage(cpuBefore);
  const defectYearCpuMs = Math.round((cpu.user + cpu.system) / reportRuns / 100) / 10;

  const csv = '\uFEFF' + csvDocument([[...CSV_COLUMNS], ...Array.from({ length: IMPORT }, (_, n) => [`IMP-${n}`, `S-${n}`, `HP Model 0`, `K-${n % orgs.length}`, '', 'Site', 'in_service', '2024-01-01', '', `imp-${n}`, ''])]);
  const t = performance.now();
  const [header, ...records] = parseCsv(csv);
  const mapping = guessMapping(header!.fields, (column) => [column]);
  const inputs = await importInputs(services, tenant.id, records, mapping, (state) => [state]);
  const imported = await deviceStore(services, tenant.id).importMany(inputs, actor, false);
  const importMs = Math.round(performance.now() - t);
  await mailer.close();
  return { devices: deviceIds.length, tickets: TICKETS, links: tickets.length, seedMs, listPage1Ms: listFirst, listPage200Ms: listDeep, listPage200OffsetMs: listDeepOffset, listByFilterP95Ms: listByFilter, defectYearMs: report, defectYearCpuMsPerReport: defectYearCpuMs, import: { rows: IMPORT, saved: imported.saved, refused: imported.refused.length, ms: importMs } };
}

const results: Record<string, unknown> = {};
const which = process.env.BENCH_DIALECT ?? 'both';
if (which !== 'postgres') {
  const dir = mkdtempSync(join(tmpdir(), 'hw-bench-'));
  const sqlite = await createDatabase(`sqlite:${join(dir, 'bench.db')}`);
  results.sqlite = await bench(sqlite);
  await sqlite.close();
  console.error(JSON.stringify(results.sqlite));
}
if (which !== 'sqlite') {
  const server = await startPostgres();
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('create database hw_bench');
    await admin.end();
    const postgres = await createDatabase(server.url.replace(/\/[^/]*$/, '/hw_bench'), { poolSize: 5 });
    results.postgres = await bench(postgres);
    await postgres.close();
  } finally {
    await server.stop();
  }
}
console.log(JSON.stringify(results, null, 2));
