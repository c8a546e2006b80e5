// The app a benchmark script measures in process: a fresh SQLite file in a temporary folder, migrated,
// with one tenant that has the given plugins on. Scripts under test/load/ share it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../core/app/create-app.js';
import { createDatabase } from '../../core/db/create-database.js';
import { migrateAll } from '../../core/db/migrate.js';
import { createEventBus } from '../../core/events/event-bus.js';
import { createLogger } from '../../core/logger.js';
import { createMailer } from '../../core/mail/mailer.js';
import type { PluginDefinition } from '../../core/plugin-host/define-plugin.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { testConfig } from '../harness/test-app.js';

export async function benchApp(name: string, plugins: PluginDefinition[], locale: 'de' | 'en') {
  const dir = mkdtempSync(join(tmpdir(), `tresen-${name}-bench-`));
  const url = `sqlite:${join(dir, 'bench.db')}`;
  const registry = createRegistry(plugins);
  const database = await createDatabase(url);
  await migrateAll(database.db, registry);
  const clock = () => new Date();
  const log = createLogger('silent');
  const config = testConfig({ dataDir: dir, databaseUrl: url });
  const mailer = createMailer({ db: database.db, clock, defaultSmtpUrl: undefined, defaultFrom: config.smtpFrom, log });
  const { services } = createApp(registry, { config, database, clock, log, mailer, events: createEventBus() });
  const tenant = await createTenant(database.db, { slug: 'acme', name: 'ACME', locale });
  for (const plugin of plugins) await enablePlugin(database.db, registry, tenant.id, plugin.id);
  return { dir, registry, database, clock, config, services, tenant };
}
