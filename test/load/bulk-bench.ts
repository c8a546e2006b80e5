// `npx tsx test/load/bulk-bench.ts`: one bulk action on BENCH_TICKETS tickets (default 1,000) through the ticket
// service as the desk calls it (every installed plugin on, so their filters run in each ticket's transaction), on
// SQLite (a temp file) and on a throwaway PostgreSQL cluster. Seeds BENCH_BACKGROUND other tickets first (default
// 10,000, written through the service too), then times, for the same 1,000 tickets one after another: priority,
// assign, forward to a group, status open, close (solved then closed). Budget: 2 s per action. Prints JSON (ms).
import { mkdtempSync, rmSync } from 'node:fs';
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
import type { TicketActor } from '../../core/tickets/ticket-service.js';
import { startPostgres } from '../harness/postgres-server.js';
import { testConfig } from '../harness/test-app.js';

const tickets = Number(process.env.BENCH_TICKETS ?? 1000);
const background = Number(process.env.BENCH_BACKGROUND ?? 10_000);
/** BENCH_PLUGINS=none: the core alone (what the plugins' filters add is the difference). */
const plugins = process.env.BENCH_PLUGINS === 'none' ? [] : installedPlugins;
const dialects = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',');

async function run(label: string, url: string, dir: string) {
  const registry = createRegistry(plugins);
  const database = await createDatabase(url);
  try {
    await migrateAll(database.db, registry);
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
    const figures: Record<string, { ms: number; changed: number; refused: number }> = {};
    for (const [name, action] of actions) {
      const start = performance.now();
      const outcome = await service.bulk(numbers, action, actor);
      figures[name] = { ms: Math.round(performance.now() - start), changed: outcome.changed.length, refused: outcome.refused.length };
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
