// A server process for the SLA exactly-once test: runs the escalation sweep of one tenant at a given time on a shared
// database. Mode `die`: once it has claimed a firing (record and notifications committed), it prints "claimed" and
// hangs until the test kills it (SIGKILL), as a crash between the record and its follow-up would. Mode `sweep`: runs
// the sweep and prints its result as JSON.
import { createApp } from '../../core/app/create-app.js';
import { createDatabase } from '../../core/db/create-database.js';
import { createEventBus } from '../../core/events/event-bus.js';
import { createLogger } from '../../core/logger.js';
import { createMailer } from '../../core/mail/mailer.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { helpdeskPlugin } from '../../plugins/helpdesk/index.js';
import { sweepEscalations } from '../../plugins/sla/escalation-sweep.js';
import { slaPlugin } from '../../plugins/sla/index.js';
import { testConfig } from './test-app.js';

const [url, tenant, at, mode = 'sweep'] = process.argv.slice(2);
if (!url || !tenant || !at) throw new Error('usage: sla-sweep-worker <database url> <tenant id> <ISO time> [die|sweep]');
const now = new Date(at);
const database = await createDatabase(url, { poolSize: 3 });
const clock = () => now;
const log = createLogger('silent');
const mailer = createMailer({ db: database.db, clock, defaultSmtpUrl: undefined, defaultFrom: 'worker@tresen.test', log });
const app = createApp(createRegistry([helpdeskPlugin, slaPlugin]), { config: testConfig(), database, clock, log, mailer, events: createEventBus() });
const result = await sweepEscalations(app.services, Number(tenant), {
  now,
  onClaimed: mode === 'die' ? async () => {
    process.stdout.write('claimed\n');
    await new Promise(() => {});
  } : undefined,
});
process.stdout.write(`${JSON.stringify(result)}\n`);
await mailer.close();
await database.close();
