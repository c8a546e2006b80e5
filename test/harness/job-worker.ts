// A child process for the exactly-once test: ensures the schedule, then runs due jobs for a while.
import { createDatabase } from '../../core/db/create-database.js';
import { createJobRunner } from '../../core/jobs/job-runner.js';
import { ensureSchedule } from '../../core/jobs/job-queue.js';

const [url, seconds = '3'] = process.argv.slice(2);
if (!url) throw new Error('usage: job-worker <database url> [seconds]');
const database = await createDatabase(url, { poolSize: 3 });
const clock = () => new Date();
const runner = createJobRunner({
  db: database.db,
  clock,
  pollMs: 20,
  handlers: {
    'test.tick': async ({ db }) => {
      await db.insertInto('audit_log').values({ actor_label: `pid:${process.pid}`, action: 'job.tick' }).execute();
      // Long enough that the other process polls while this one holds the lease.
      await new Promise((r) => setTimeout(r, 200));
    },
  },
});
await ensureSchedule(database.db, clock, { name: 'test.tick', rrule: 'FREQ=DAILY', uniqueKey: 'test.tick' });
runner.start();
await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
await runner.stop();
await database.close();
