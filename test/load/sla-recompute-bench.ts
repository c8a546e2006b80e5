// `npx tsx test/load/sla-recompute-bench.ts`: recomputing all clocks of a tenant after a calendar change (the
// background job sla.recompute), and what the SLA column and filter add to a queue page, at BENCH_TICKETS (100,000)
// open tickets with a level. Tickets are copies of one created through the service (no history: each recompute reads
// it, chooses the level, computes three clocks and the next escalation, and writes them). Measures: the drain of the
// whole queue (tickets per second), the "due" column's read for one page (25 tickets: liveClocks, as the column does)
// and the "overdue" filter's indexed query. Env: BENCH_TICKETS (100000), BENCH_DB (sqlite, postgres or both).
// Prints JSON. A benchmark, not a test: figures go into plugins/sla/README.md.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createApp } from '../../core/app/create-app.js';
import { createDatabase, type Database } from '../../core/db/create-database.js';
import { migrateAll } from '../../core/db/migrate.js';
import { createEventBus } from '../../core/events/event-bus.js';
import { createLogger } from '../../core/logger.js';
import { createMailer } from '../../core/mail/mailer.js';
import { enablePlugin, updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { pluginScope, tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import { helpdeskPlugin } from '../../plugins/helpdesk/index.js';
import { clockStore } from '../../plugins/sla/clock-store.js';
import { slaPlugin } from '../../plugins/sla/index.js';
import { liveClocks } from '../../plugins/sla/live-clocks.js';
import { enqueueTickets, recomputeProgress, ticketsOfLevels } from '../../plugins/sla/recompute-queue.js';
import type { SlaDB } from '../../plugins/sla/sla-db.js';
import { testConfig } from '../harness/test-app.js';
import { startPostgres } from '../harness/postgres-server.js';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const WHICH = process.env.BENCH_DB ?? 'both';
const NOW = Date.parse('2026-03-04T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const ms = (from: number) => Math.round((performance.now() - from) * 10) / 10;

async function bench(database: Database) {
  const registry = createRegistry([helpdeskPlugin, slaPlugin]);
  await migrateAll(database.db, registry);
  const clock = () => new Date(NOW);
  const log = createLogger('silent');
  const mailer = createMailer({ db: database.db, clock, defaultSmtpUrl: undefined, defaultFrom: 'bench@tresen.test', log });
  const app = createApp(registry, { config: testConfig(), database, clock, log, mailer, events: createEventBus() });
  const services = app.services;
  const tenant = await createTenant(database.db, { slug: 'bench', name: 'Bench', locale: 'en' });
  for (const id of ['helpdesk', 'sla']) await enablePlugin(database.db, registry, tenant.id, id);
  const scope = pluginScope<SlaDB>(database.db, tenant.id);
  const office = JSON.stringify(Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [[480, 1020]]])));
  const calendar = (await scope.insertInto('sla_calendars', { name: 'Office', time_zone: 'Europe/Berlin', hours: office, is_default: 0, created_at: iso(NOW), updated_at: iso(NOW) }).returning('id').executeTakeFirstOrThrow()).id;
  const level = (await scope.insertInto('sla_levels', {
    name: 'Standard', calendar_id: calendar, targets: JSON.stringify({ first_response: [60, 60, 60, 60], update: [240, 240, 240, 240], solution: [480, 480, 480, 480] }),
    first_line_minutes: null, first_line_group_id: null, first_line_forward_group_id: null, created_at: iso(NOW), updated_at: iso(NOW),
  }).returning('id').executeTakeFirstOrThrow()).id;
  await updatePluginSettings(database.db, registry, tenant.id, 'sla', { defaultLevelId: level, pausingStatuses: ['waiting'] });
  const first = await (await tenantTicketService(services, tenant.id)).create({ subject: 'Bench ticket', description: 'x' }, { kind: 'system', label: 'bench' });
  const { id: _id, ...row } = await tenantScope(database.db, tenant.id).selectFrom('tickets').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
  const seedStart = performance.now();
  for (let i = 1; i < TICKETS; i += 500) {
    // Created over the last 30 days, so clocks are met, running and overdue in a mix.
    const rows = Array.from({ length: Math.min(500, TICKETS - i) }, (_, k) => ({ ...row, number: `B-${i + k}`, created_at: iso(NOW - ((i + k) % 43_200) * 60_000) }));
    await database.db.insertInto('tickets').values(rows).execute();
  }
  const ids = (await scope.selectFrom('tickets').select('id').orderBy('id').execute()).map((r) => r.id);
  // Every ticket under the level, as after a first computation (that is what a calendar change finds).
  for (let i = 0; i < ids.length; i += 500) {
    await scope.insertInto('sla_tickets', ids.slice(i, i + 500).map((ticket_id) => ({ ticket_id, level_id: level, source: 'tenant', source_label: '', computed_at: iso(NOW) })))
      .onConflict((oc) => oc.columns(['tenant_id', 'ticket_id']).doNothing()).execute();
  }
  const seedMs = ms(seedStart);

  // The calendar change: its level's tickets are queued (what calendarStore.save does), then the job drains them.
  const enqueueStart = performance.now();
  await enqueueTickets(scope, await ticketsOfLevels(scope, [level]));
  const enqueueMs = ms(enqueueStart);
  const queued = await recomputeProgress(scope);
  const drainStart = performance.now();
  const done = await clockStore(services, tenant.id).drain();
  const drainMs = ms(drainStart);
  const clocks = Number((await scope.selectFrom('sla_clocks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  // A queue page's share: the due column for 25 tickets (one read of their clocks, one per calendar) and the overdue filter.
  const page = ids.slice(-25);
  const columnRuns: number[] = [];
  for (let i = 0; i < 20; i++) { const t = performance.now(); await liveClocks(tenantScope(database.db, tenant.id), page, new Date(NOW)); columnRuns.push(ms(t)); }
  const filterRuns: number[] = [];
  let overdue = 0;
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    const found = await scope.selectFrom('tickets').select('id').where('id', 'in', scope.selectFrom('sla_clocks').select('ticket_id').where('state', 'in', ['running', 'paused']).where('due_at', '<', iso(NOW)))
      .orderBy('id', 'desc').limit(25).execute();
    filterRuns.push(ms(t));
    overdue = found.length;
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  await mailer.close();
  return {
    tickets: ids.length, clocks, seedMs, enqueueMs, queuedTotal: queued?.total ?? 0, recomputed: done, drainMs, ticketsPerSecond: Math.round(done / (drainMs / 1000)),
    duePageColumnMedianMs: median(columnRuns), overdueFilterPageMedianMs: median(filterRuns), overdueOnPage: overdue,
  };
}

const results: Record<string, unknown> = {};
if (WHICH !== 'postgres') {
  const dir = mkdtempSync(join(tmpdir(), 'sla-recompute-bench-'));
  const sqlite = await createDatabase(`sqlite:${join(dir, 'bench.db')}`);
  results.sqlite = await bench(sqlite);
  await sqlite.close();
}
if (WHICH !== 'sqlite') {
  const server = await startPostgres();
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('create database sla_recompute_bench');
    await admin.end();
    const postgres = await createDatabase(server.url.replace(/\/[^/]*$/, '/sla_recompute_bench'), { poolSize: 5 });
    results.postgres = await bench(postgres);
    await postgres.close();
  } finally {
    await server.stop();
  }
}
console.log(JSON.stringify(results, null, 2));
