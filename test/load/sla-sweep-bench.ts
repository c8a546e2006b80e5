// `npx tsx test/load/sla-sweep-bench.ts`: the SLA escalation sweep over 10,000 open tickets with levels, on SQLite
// and PostgreSQL (a throwaway server, as the tests start one). Every ticket has a running first response clock under
// a level with a 75 % point (in-app notification to the assignee); BENCH_DUE of them (100) are due now. Measures the
// sweep that fires them and the next one (nothing due: the indexed `next_escalation_at` range is empty).
// Env: BENCH_TICKETS (10000), BENCH_DUE (100). Prints JSON. A benchmark, not a test: figures go into plugins/sla/README.md.
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
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { createUser } from '../../core/people/user-service.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import { helpdeskPlugin } from '../../plugins/helpdesk/index.js';
import type { SlaEscalationDB } from '../../plugins/sla/escalation-db.js';
import { sweepEscalations } from '../../plugins/sla/escalation-sweep.js';
import { slaPlugin } from '../../plugins/sla/index.js';
import { testConfig } from '../harness/test-app.js';
import { startPostgres } from '../harness/postgres-server.js';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 10_000);
const DUE = Number(process.env.BENCH_DUE ?? 100);
const NOW = Date.parse('2026-03-04T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

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
  const agentId = await createUser(database.db, { tenantId: tenant.id, email: 'agent@bench.test', name: 'Agent', role: 'agent', password: 'correct horse battery' }, 10);
  const scope = pluginScope<SlaEscalationDB>(database.db, tenant.id);
  const calendar = (await scope.insertInto('sla_calendars', { name: '24/7', time_zone: 'UTC', hours: JSON.stringify(Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [[0, 1440]]]))), is_default: 1, created_at: iso(NOW), updated_at: iso(NOW) }).returning('id').executeTakeFirstOrThrow()).id;
  const level = (await scope.insertInto('sla_levels', { name: 'Standard', calendar_id: calendar, targets: JSON.stringify({ first_response: [60, 60, 60, 60], update: [null, null, null, null], solution: [480, 480, 480, 480] }), created_at: iso(NOW), updated_at: iso(NOW) }).returning('id').executeTakeFirstOrThrow()).id;
  await scope.insertInto('sla_escalation_points', { level_id: level, clock: 'first_response', offset_kind: 'percent', offset_value: 75, notify: 1, email: 0, recipients: 'assignee', raise_priority: 0, forward_group_id: null, outside_hours: 0, rota_id: null, created_at: iso(NOW) }).execute();
  // One ticket through the service, the rest as copies of its row (the sweep reads tickets, it does not create them).
  const first = await (await tenantTicketService(services, tenant.id)).create({ subject: 'Bench ticket', description: 'x', assigneeId: agentId }, { kind: 'system', label: 'bench' });
  const { id: _id, ...row } = await scope.selectFrom('tickets').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
  const started = performance.now();
  for (let i = 1; i < TICKETS; i += 500) {
    const rows = Array.from({ length: Math.min(500, TICKETS - i) }, (_, k) => ({ ...row, number: `B-${i + k}` }));
    await database.db.insertInto('tickets').values(rows).execute();
  }
  const ids = (await scope.selectFrom('tickets').select('id').orderBy('id').execute()).map((r) => r.id);
  await scope.deleteFrom('sla_clocks').execute();
  for (let i = 0; i < ids.length; i += 500) {
    await scope.insertInto('sla_clocks', ids.slice(i, i + 500).map((ticketId, k) => {
      const due = i + k < DUE;
      return {
        ticket_id: ticketId, clock: 'first_response' as const, level_id: level, started_at: iso(NOW - (due ? 50 : 5) * 60_000), due_at: iso(NOW + (due ? 10 : 55) * 60_000), achieved_at: null,
        paused_minutes: 0, over_minutes: null, remaining_minutes: due ? 10 : 55, state: 'running' as const, next_escalation_at: iso(NOW + (due ? -5 : 40) * 60_000), computed_at: iso(NOW - 60_000),
      };
    })).execute();
  }
  const seeded = performance.now() - started;
  const t1 = performance.now();
  const fired = await sweepEscalations(services, tenant.id, { now: new Date(NOW) });
  const firstSweep = performance.now() - t1;
  const t2 = performance.now();
  const idle = await sweepEscalations(services, tenant.id, { now: new Date(NOW) });
  const idleSweep = performance.now() - t2;
  await mailer.close();
  return { tickets: ids.length, due: DUE, seedMs: Math.round(seeded), sweepMs: Math.round(firstSweep), fired: fired.fired, idleSweepMs: Math.round(idleSweep * 10) / 10, idleClocks: idle.clocks };
}

const results: Record<string, unknown> = {};
const dir = mkdtempSync(join(tmpdir(), 'sla-bench-'));
const sqlite = await createDatabase(`sqlite:${join(dir, 'bench.db')}`);
results.sqlite = await bench(sqlite);
await sqlite.close();
const server = await startPostgres();
try {
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query('create database sla_bench');
  await admin.end();
  const postgres = await createDatabase(server.url.replace(/\/[^/]*$/, '/sla_bench'), { poolSize: 5 });
  results.postgres = await bench(postgres);
  await postgres.close();
} finally {
  await server.stop();
}
console.log(JSON.stringify(results, null, 2));
