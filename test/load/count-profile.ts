// The ticket counts alone, counted in the tickets table against read from the counters (migration 0016), on a
// seeded SQLite file: `npx tsx test/load/count-profile.ts .tmp/bench-100000/tresen.db` (opened for reading only
// in effect: nothing is written). Medians and p95 of 40 calls after 5 warm-ups, and the process's CPU per call.
import { createDatabase } from '../../core/db/create-database.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { countAssignedActive, countFiltered, countQueues, countQueuesInTickets } from '../../core/tickets/ticket-counts.js';
import { LOAD_AGENT_EMAIL, LOAD_TENANT } from './load-fixture.js';

const file = process.argv[2];
if (!file) throw new Error('usage: count-profile.ts <path to tresen.db>');
const database = await createDatabase(`sqlite:${file}`);
const db = database.db;
const tenant = await db.selectFrom('tenants').select('id').where('slug', '=', LOAD_TENANT).executeTakeFirstOrThrow();
const user = await db.selectFrom('users').select('id').where('email', '=', LOAD_AGENT_EMAIL).executeTakeFirstOrThrow();
const scope = tenantScope(db, tenant.id);
const groupIds = (await scope.selectFrom('group_members').select('group_id').where('user_id', '=', user.id).execute()).map((g) => g.group_id);
const viewer = { userId: user.id, groupIds };
const liveTickets = () => scope.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).where('deleted_at', 'is', null);

async function time(label: string, count: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 5; i++) await count();
  const ms: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < 40; i++) {
    const start = performance.now();
    await count();
    ms.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuBefore);
  ms.sort((a, b) => a - b);
  process.stdout.write(`${label.padEnd(36)} median ${ms[20]!.toFixed(3)} ms, p95 ${ms[38]!.toFixed(3)} ms, CPU ${((cpu.user + cpu.system) / 40_000).toFixed(3)} ms  ${JSON.stringify(await count())}\n`);
}

await time('queue counts, tickets table', () => countQueuesInTickets(scope, viewer));
await time('queue counts, counters', () => countQueues(scope, viewer));
await time('mine, tickets table', async () => Number((await liveTickets().where('assignee_id', '=', user.id).where('status', 'in', ['new', 'open', 'waiting']).executeTakeFirstOrThrow()).n));
await time('mine, counters', () => countAssignedActive(scope, user.id));
await time('list total (all live), tickets table', async () => Number((await liveTickets().executeTakeFirstOrThrow()).n));
await time('list total (all live), counters', () => countFiltered(scope, {}));
await time('list total (closed), tickets table', async () => Number((await liveTickets().where('status', '=', 'closed').executeTakeFirstOrThrow()).n));
await time('list total (closed), counters', () => countFiltered(scope, { status: 'closed' }));
await database.close();
