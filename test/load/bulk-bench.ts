// `npx tsx test/load/bulk-bench.ts`: one bulk action on BENCH_TICKETS tickets (default 1,000) through the ticket
// service as the desk calls it (every installed plugin on, so their filters run in each ticket's transaction), on
// SQLite (a temp file) and on a throwaway PostgreSQL cluster. Seeds BENCH_BACKGROUND other tickets first (default
// 10,000, written through the service too), then times, for the same 1,000 tickets one after another: priority,
// assign, forward to a group, status open, close (solved then closed). Budget: 2 s per action. Prints JSON (ms);
// eventsMs is the plugins' after-commit work the action queued as jobs (ticket-event-outbox.ts), run after it.
import { mkdtempSync, rmSync } from 'node:fs';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedPlugins } from '../../config/plugins.js';
import { createApp } from '../../core/app/create-app.js';
import { createDatabase } from '../../core/db/create-database.js';
import { migrateAll } from '../../core/db/migrate.js';
import { createEventBus } from '../../core/events/event-bus.js';
import { createLogger } from '../../core/logger.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import type { BulkAction } from '../../core/tickets/ticket-bulk.js';
import { TICKET_EVENTS_JOB, ticketEventsJob } from '../../core/tickets/ticket-event-outbox.js';
import type { TicketActor } from '../../core/tickets/ticket-service.js';
import { startPostgres } from '../harness/postgres-server.js';
import { testConfig } from '../harness/test-app.js';

const tickets = Number(process.env.BENCH_TICKETS ?? 1000);
const background = Number(process.env.BENCH_BACKGROUND ?? 10_000);
/** BENCH_PLUGINS=none: the core alone (what the plugins' filters add is the difference). */
const plugins = process.env.BENCH_PLUGINS === 'none' ? [] : installedPlugins;
const dialects = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',');
/** BENCH_STATEMENTS=1: counts the statements each action sends, by their first words (where the round trips go). */
const countStatements = process.env.BENCH_STATEMENTS === '1';

/** A Kysely plugin that counts every statement by its kind and table ("update tickets", "select ticket_history"). */
class StatementCounter implements KyselyPlugin {
  counts = new Map<string, number>();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node as { kind: string; table?: { table?: { identifier?: { name?: string } } }; into?: { table?: { identifier?: { name?: string } } }; from?: { froms?: Array<{ table?: { identifier?: { name?: string } } }> } };
    const table = node.table?.table?.identifier?.name ?? node.into?.table?.identifier?.name ?? node.from?.froms?.[0]?.table?.identifier?.name ?? '?';
    const key = `${node.kind.replace('QueryNode', '').toLowerCase()} ${table}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
  take(): Record<string, number> {
    const taken = Object.fromEntries([...this.counts].sort((a, b) => b[1] - a[1]));
    this.counts.clear();
    return taken;
  }
}

async function run(label: string, url: string, dir: string) {
  const registry = createRegistry(plugins);
  const database = await createDatabase(url);
  try {
    await migrateAll(database.db, registry);
    const counter = new StatementCounter();
    if (countStatements) database.db = database.db.withPlugin(counter);
    const clock = () => new Date();
    const log = createLogger('silent');
    const config = testConfig({ dataDir: dir, databaseUrl: url });
    const { services } = createApp(registry, { config, database, clock, log, mailer: undefined as never, events: createEventBus() });
    const tenant = await createTenant(database.db, { slug: 'acme', name: 'ACME', locale: 'en' });
    for (const plugin of plugins) await enablePlugin(database.db, registry, tenant.id, plugin.id);
    const scope = tenantScope(database.db, tenant.id);
    const users = await scope.db.insertInto('users').values(['ada', 'bob'].map((name) => ({ tenant_id: tenant.id, email: `${name}@acme.test`, name, role: 'supervisor' as const }))).returning('id').execute();
    const group = (await scope.insertInto('support_groups', { name: 'Second level', level: 'second' }).returning('id').executeTakeFirstOrThrow()).id;
    const actor: TicketActor = { kind: 'user', id: users[0]!.id, label: 'ada', can: () => true };
    const service = await tenantTicketService(services, tenant.id);
    const seedStart = performance.now();
    for (let i = 0; i < background; i++) await service.create({ subject: `Background ${i}`, description: 'Printer jams on tray 2', priority: 2 }, actor);
    const numbers: string[] = [];
    for (let i = 0; i < tickets; i++) numbers.push((await service.create({ subject: `Bulk ${i}`, description: 'VPN drops every hour', priority: 2 }, actor)).number);
    const seedSeconds = Math.round((performance.now() - seedStart) / 1000);
    const actions: Array<[string, BulkAction]> = [
      ['priority', { kind: 'priority', priority: 3 }],
      ['assign', { kind: 'assign', assigneeId: users[1]!.id }],
      ['forward', { kind: 'forward', groupId: group }],
      ['status', { kind: 'status', status: 'open' }],
      ['close', { kind: 'close' }],
    ];
    const figures: Record<string, { ms: number; changed: number; refused: number; eventsJobs: number; eventsMs: number; statements?: Record<string, number>; eventsStatements?: Record<string, number> }> = {};
    for (const [name, action] of actions) {
      counter.take();
      const start = performance.now();
      const outcome = await service.bulk(numbers, action, actor);
      const ms = Math.round(performance.now() - start);
      const statements = counter.take();
      // The plugins' events the action queued (ticket-event-outbox.ts), raised as the job runner would, timed apart: off the request.
      const queued = await database.db.selectFrom('jobs').select(['id', 'tenant_id', 'payload']).where('name', '=', TICKET_EVENTS_JOB).where('status', '=', 'queued').orderBy('id').execute();
      const eventsStart = performance.now();
      const raise = ticketEventsJob(services.hooks.emit);
      for (const job of queued) await raise({ tenantId: job.tenant_id, payload: JSON.parse(job.payload), db: database.db, clock });
      await database.db.deleteFrom('jobs').where('name', '=', TICKET_EVENTS_JOB).execute();
      const eventsMs = Math.round(performance.now() - eventsStart);
      figures[name] = { ms, changed: outcome.changed.length, refused: outcome.refused.length, eventsJobs: queued.length, eventsMs, ...(countStatements ? { statements, eventsStatements: counter.take() } : {}) };
    }
    return { label, plugins: plugins.length, tickets, background, seedSeconds, ...figures };
  } finally {
    await database.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'bulk-bench-'));
const postgres = await startPostgres();
try {
  const sqlite = dialects.includes('sqlite') ? await run('sqlite', `sqlite:${join(dir, 'bench.db')}`, dir) : undefined;
  const pg = dialects.includes('postgres') ? await run('postgres', postgres.url, dir) : undefined;
  process.stdout.write(`${JSON.stringify({ sqlite, postgres: pg })}\n`);
} finally {
  await postgres.stop();
  rmSync(dir, { recursive: true, force: true });
}
