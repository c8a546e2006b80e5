// `BENCH_DATA_DIR=<dir> npx tsx test/load/sla-bench-levels.ts`: gives the seeded load tenant (`npm run seed:load`) a
// service level around the clock as its default and computes the clocks of all its live tickets through the recompute
// queue (as a settings change does), so `npm run bench` then measures the queue pages with a filled SLA column.
// Prints how many tickets were recomputed and how long it took. Run it on a copy of the bench data. With DATABASE_URL
// (postgres://…) it works on that database, as `npm run bench` does.
import { join, resolve } from 'node:path';
import { installedPlugins } from '../../config/plugins.js';
import { createApp } from '../../core/app/create-app.js';
import { createDatabase } from '../../core/db/create-database.js';
import { migrateAll } from '../../core/db/migrate.js';
import { createEventBus } from '../../core/events/event-bus.js';
import { createLogger } from '../../core/logger.js';
import { createMailer } from '../../core/mail/mailer.js';
import { enablePlugin, updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { calendarStore } from '../../plugins/sla/calendar-store.js';
import { clockStore } from '../../plugins/sla/clock-store.js';
import { levelStore } from '../../plugins/sla/level-store.js';
import { enqueueTickets, ticketsAffectedBy } from '../../plugins/sla/recompute-queue.js';
import type { SlaDB } from '../../plugins/sla/sla-db.js';
import { testConfig } from '../harness/test-app.js';
import { LOAD_TENANT } from './load-fixture.js';

const dir = resolve(process.env.BENCH_DATA_DIR ?? '.tmp/bench');
// DATABASE_URL (postgres://…) as for `npm run bench`: that database instead of the SQLite file in BENCH_DATA_DIR.
const postgresUrl = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL! : undefined;
const database = await createDatabase(postgresUrl ?? `sqlite:${join(dir, 'tresen.db')}`);
const registry = createRegistry(installedPlugins);
await migrateAll(database.db, registry);
const clock = () => new Date();
const log = createLogger('silent');
const mailer = createMailer({ db: database.db, clock, defaultSmtpUrl: undefined, defaultFrom: 'bench@tresen.test', log });
const services = createApp(registry, { config: testConfig(), database, clock, log, mailer, events: createEventBus() }).services;
const tenant = await database.db.selectFrom('tenants').select('id').where('slug', '=', LOAD_TENANT).executeTakeFirstOrThrow();
await enablePlugin(database.db, registry, tenant.id, 'sla').catch(() => undefined);
const actor = { id: null, label: 'bench' };
const always = await calendarStore(services, tenant.id).ensureDefault();
const targets = Object.fromEntries([1, 2, 3, 4].flatMap((p) => [[`target.first_response.${p}`, '60'], [`target.update.${p}`, '240'], [`target.solution.${p}`, '1440']]));
const level = await levelStore(services, tenant.id).save(null, { name: `Bench ${Date.now()}`, calendarId: String(always), targets }, actor);
await updatePluginSettings(database.db, registry, tenant.id, 'sla', { defaultLevelId: level, pausingStatuses: ['waiting'] });
const scope = pluginScope<SlaDB>(database.db, tenant.id);
const started = performance.now();
await enqueueTickets(scope, await ticketsAffectedBy(scope, { kind: 'tenant' }));
const done = await clockStore(services, tenant.id).drain();
const seconds = (performance.now() - started) / 1000;
const clocks = Number((await scope.selectFrom('sla_clocks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
console.log(JSON.stringify({ recomputed: done, clocks, seconds: Math.round(seconds * 10) / 10, perSecond: Math.round(done / seconds) }));
await mailer.close();
await database.close();
