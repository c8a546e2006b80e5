// A child process for the helpdesk crash test: runs the mail import job for one tenant until it
// has nothing left to do (exit 0), unless the parent kills it first. Its clock runs `offset` ms
// ahead, so a claim left by a killed predecessor has expired for it.
import { createDatabase } from '../../core/db/create-database.js';
import { createEventBus } from '../../core/events/event-bus.js';
import { createApp } from '../../core/app/create-app.js';
import { createLogger } from '../../core/logger.js';
import { createMailer } from '../../core/mail/mailer.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { helpdeskPlugin } from '../../plugins/helpdesk/index.js';
import { helpdeskDb } from '../../plugins/helpdesk/helpdesk-db.js';
import { testConfig } from './test-app.js';

const [url, dataDir, offset = '0', tenant = '1'] = process.argv.slice(2);
if (!url || !dataDir) throw new Error('usage: helpdesk-import-child <database url> <data dir> [clock offset ms] [tenant id]');
const tenantId = Number(tenant);
const database = await createDatabase(url, { poolSize: 3 });
const clock = () => new Date(Date.now() + Number(offset));
const log = createLogger('silent');
const config = testConfig({ dataDir, databaseUrl: url });
const mailer = createMailer({ db: database.db, clock, defaultSmtpUrl: undefined, defaultFrom: config.smtpFrom, log });
const registry = createRegistry([helpdeskPlugin]);
const { services } = createApp(registry, { config, database, clock, log, mailer, events: createEventBus() });
const job = registry.get('helpdesk')!.contributions.jobs.find((j) => j.id === 'mail-import')!;
process.stdout.write('ready\n');
for (;;) {
  await job.run({ tenantId, payload: {}, db: database.db, clock, services });
  const left = await helpdeskDb(database.db).selectFrom('helpdesk_mails').select('id').where('tenant_id', '=', tenantId).where('status', 'in', ['pending', 'processing']).limit(1).executeTakeFirst();
  if (!left) break;
}
await database.close();
process.exit(0);
