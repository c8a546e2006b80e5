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
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import { helpdeskPlugin } from '../../plugins/helpdesk/index.js';
import { portalPlugin } from '../../plugins/portal/index.js';
import { catalogueStore } from '../../plugins/hardware/catalogue-store.js';
import { csvDocument } from '../../plugins/hardware/csv.js';
import { parseCsv } from '../../plugins/hardware/csv-parse.js';
import { GROUP_BYS } from '../../plugins/hardware/defect-period.js';
import { defectReport } from '../../plugins/hardware/defect-report.js';
import { CSV_COLUMNS, guessMapping, importInputs } from '../../plugins/hardware/device-csv.js';
import { listDevices, readFilter } from '../../plugins/hardware/device-list.js';
import { deviceStore } from '../../plugins/hardware/device-store.js';
import type { HardwareDB } from '../../plugins/hardware/hardware-db.js';
import { hardwarePlugin } from '../../plugins/hardware/index.js';
import { insertSpans, serviceSpans } from '../../plugins/hardware/service-spans.js';
import { testConfig } from '../harness/test-app.js';
import { startPostgres } from '../harness/postgres-server.js';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 20_000);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const LINKS = Number(process.env.BENCH_LINKS ?? 30_000);
const IMPORT = Number(process.env.BENCH_IMPORT ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const NOW = Date.parse('2026-12-15T10:00:00Z');
const YEAR_AGO = Date.parse('2025-12-01T00:00:00Z');
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
  const tenant = await createTenant(database.db, { slug: 'bench', name: 'Bench', locale: 'en' });
  for (const id of ['helpdesk', 'portal', 'hardware']) await enablePlugin(database.db, registry, tenant.id, id);
  const scope = pluginScope<HardwareDB>(database.db, tenant.id);
  const actor = { id: null, label: 'bench' };
  const started = performance.now();
  const orgs = (await scope.insertInto('organisations', Array.from({ length: 200 }, (_, i) => ({ name: `Customer ${i}`, number: `K-${i}` }) as never)).returning('id').execute()).map((r) => r.id);
  const catalogue = catalogueStore(services, tenant.id);
  const types = await catalogue.types();
  const makers = await Promise.all(['HP', 'Lenovo', 'Dell', 'Cisco', 'Brother'].map((name) => catalogue.addManufacturer(name, { id: 0, label: 'bench' }).catch(() => 0)));
  const models: number[] = [];
  for (let i = 0; i < 40; i++) models.push(await catalogue.addModel({ type_id: String(types[i % types.length]!.id), manufacturer_id: String(makers[i % makers.length]), name: `Model ${i}` }, { id: 0, label: 'bench' }));
  const site = await catalogue.addLocation({ kind: 'site', name: 'Site', parent_id: '' }, { id: 0, label: 'bench' });
  const rooms: number[] = [];
  for (let i = 0; i < 20; i++) rooms.push(await catalogue.addLocation({ kind: 'building', name: `House ${i}`, parent_id: String(site) }, { id: 0, label: 'bench' }));
  for (let i = 0; i < DEVICES; i += 500) {
    const rows = await scope.insertInto('hardware_devices', Array.from({ length: Math.min(500, DEVICES - i) }, (_, k) => {
      const n = i + k;
      return { inventory_number: `INV-${String(n).padStart(6, '0')}`, serial_number: `SN${n}`, model_id: models[n % models.length]!, organisation_id: orgs[n % orgs.length]!, person_id: null,
        location_id: rooms[n % rooms.length]!, state: n % 10 === 0 ? 'in_stock' as const : 'in_service' as const, purchased_on: null, warranty_until: null, host: `host-${n}`, notes: null, created_at: iso(YEAR_AGO - 86_400_000), updated_at: iso(YEAR_AGO) };
    })).returning(['id', 'state']).execute();
    const lines = rows.map((row, k) => ({ device_id: row.id, at: iso(YEAR_AGO - 86_400_000 + (i + k) * 1000), actor_id: null, actor_label: 'bench', field: 'state', old_value: null, new_value: row.state }));
    await scope.insertInto('hardware_device_history', lines).execute();
    // The kept periods in service, as the store writes them with its state lines.
    await insertSpans(scope, serviceSpans(lines.map((line) => ({ deviceId: line.device_id, at: Date.parse(line.at), state: line.new_value }))));
  }
  const deviceIds = (await scope.selectFrom('hardware_devices').select('id').orderBy('id').execute()).map((r) => r.id);
  const first = await (await tenantTicketService(services, tenant.id)).create({ subject: 'Bench ticket', description: 'x' }, { kind: 'system', label: 'bench' });
  const { id: _id, ...row } = await scope.selectFrom('tickets').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
  for (let i = 1; i < TICKETS; i += 500) {
    await database.db.insertInto('tickets').values(Array.from({ length: Math.min(500, TICKETS - i) }, (_, k) => ({ ...row, number: `B-${i + k}`, created_at: iso(YEAR_AGO + ((i + k) % 365) * 86_400_000) }))).execute();
  }
  const tickets = await scope.selectFrom('tickets').select(['id', 'created_at']).orderBy('id').limit(LINKS).execute();
  for (let i = 0; i < tickets.length; i += 500) {
    await scope.insertInto('hardware_ticket_links', tickets.slice(i, i + 500).map((t, k) => ({
      ticket_id: t.id, device_id: deviceIds[((i + k) * 7) % deviceIds.length]!, reason: (i + k) % 3 === 0 ? 'defect' as const : 'question' as const, ticket_date: t.created_at, linked_at: t.created_at, linked_by: null,
    }))).execute();
  }
  // A bulk load leaves PostgreSQL without statistics until autovacuum's analyze runs; a live database has them.
  if (database.dialect === 'postgres') await sql`analyze`.execute(database.db);
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

  const csv = csvDocument([...CSV_COLUMNS], Array.from({ length: IMPORT }, (_, n) => [`IMP-${n}`, `S-${n}`, `HP Model 0`, `K-${n % orgs.length}`, '', 'Site', 'in_service', '2024-01-01', '', `imp-${n}`, '']));
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
