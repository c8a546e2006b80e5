// Seeds a realistic tenant for benchmarks: `npm run seed:load -- --tickets 100000 [--tenant load]`.
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/env.js';
import { installedPlugins } from '../../config/plugins.js';
import { createDatabase } from '../../core/db/create-database.js';
import { migrateAll } from '../../core/db/migrate.js';
import type { TicketStatus } from '../../core/db/schema.js';
import { hashPassword } from '../../core/auth/password.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { LOAD_AGENT_EMAIL, LOAD_PASSWORD, LOAD_TENANT } from './load-fixture.js';


const WORDS = ('Drucker Netzwerk VPN Outlook Passwort Zugang Laptop Monitor Server Backup Lizenz Telefon Scanner WLAN Firewall ' +
  'Zertifikat Datenbank Rechnung Lieferschein Etikett Terminal Kasse Webshop Update Absturz Fehler langsam gesperrt defekt ' +
  'printer network password access laptop server backup license phone scanner wifi certificate invoice update crash error slow locked').split(' ');

function pick<T>(items: readonly T[], n: number): T {
  return items[n % items.length]!;
}

function progress(label: string, done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tickets: { type: 'string', default: '100000' }, tenant: { type: 'string', default: LOAD_TENANT } } });
  const ticketCount = Number(values.tickets);
  if (!Number.isInteger(ticketCount) || ticketCount < 1) throw new Error('--tickets must be a positive whole number');
  const config = loadConfig({ ...process.env, TRESEN_DEMO: '0' });
  const registry = createRegistry(installedPlugins);
  const database = await createDatabase(config.databaseUrl);
  await migrateAll(database.db, registry);
  const { db } = database;
  if (await db.selectFrom('tenants').select('id').where('slug', '=', values.tenant!).executeTakeFirst()) {
    throw new Error(`tenant "${values.tenant}" exists already; use a fresh DATA_DIR or another --tenant`);
  }
  const tenant = await createTenant(db, { slug: values.tenant!, name: 'Load Test GmbH', locale: 'de' });
  for (const plugin of registry.plugins) await enablePlugin(db, registry, tenant.id, plugin.id);
  const scope = tenantScope(db, tenant.id);
  const passwordHash = await hashPassword(LOAD_PASSWORD, config.scryptLogN);

  const agents = await db.insertInto('users').values(Array.from({ length: 20 }, (_, i) => ({
    tenant_id: tenant.id, email: `agent${i + 1}@load.test`, name: `Agent ${i + 1}`, role: i === 0 ? 'admin' as const : i < 3 ? 'supervisor' as const : 'agent' as const, password_hash: passwordHash,
  }))).returning('id').execute();
  const groups = await scope.insertInto('support_groups', [
    { name: 'Servicedesk', level: 'first' }, { name: 'Systemtechnik', level: 'second' }, { name: 'Entwicklung', level: 'third' }, { name: 'Netzwerk', level: 'expert' },
  ]).returning('id').execute();
  await scope.insertInto('group_members', agents.map((a, i) => ({ group_id: groups[i % groups.length]!.id, user_id: a.id }))).execute();

  const orgIds: number[] = [];
  for (let i = 0; i < 500; i += 250) {
    const rows = await scope.insertInto('organisations', Array.from({ length: 250 }, (_, j) => ({ name: `Kunde ${i + j + 1} GmbH`, number: `K-${10000 + i + j}` }))).returning('id').execute();
    orgIds.push(...rows.map((r) => r.id));
  }
  const personIds: number[] = [];
  for (let i = 0; i < 5000; i += 500) {
    const rows = await scope.insertInto('people', Array.from({ length: 500 }, (_, j) => ({
      organisation_id: pick(orgIds, i + j), name: `Kontakt ${i + j + 1}`, email: `kontakt${i + j + 1}@kunde${(i + j) % 500}.example`,
    }))).returning('id').execute();
    personIds.push(...rows.map((r) => r.id));
  }

  // Most of the archive is closed; the live queues hold a realistic few thousand.
  const statusFor = (n: number): TicketStatus => {
    const r = (n * 7919) % 1000;
    return r < 20 ? 'new' : r < 60 ? 'open' : r < 80 ? 'waiting' : r < 150 ? 'solved' : 'closed';
  };
  const year = new Date().getUTCFullYear();
  const start = Date.now() - 3 * 365 * 24 * 3600 * 1000;
  const step = (Date.now() - start) / ticketCount;
  const batch = 1000;
  for (let offset = 0; offset < ticketCount; offset += batch) {
    const size = Math.min(batch, ticketCount - offset);
    await db.transaction().execute(async (trx) => {
      const rows = Array.from({ length: size }, (_, k) => {
        const n = offset + k;
        const status = statusFor(n);
        const created = new Date(start + n * step);
        const updated = new Date(created.getTime() + ((n * 37) % 72) * 3600 * 1000);
        const person = pick(personIds, n * 13);
        return {
          number: `${year}-${String(n + 1).padStart(6, '0')}`,
          subject: `${pick(WORDS, n)} ${pick(WORDS, n * 3 + 1)} ${pick(WORDS, n * 7 + 2)}`,
          description: `${pick(WORDS, n * 11)} ${pick(WORDS, n * 5)} ${pick(WORDS, n * 17)} ${pick(WORDS, n * 19)} seit ${n % 12 + 1} Tagen.`,
          status,
          priority: (n % 4) + 1,
          channel: pick(['mail', 'web', 'phone', 'mail'] as const, n),
          organisation_id: pick(orgIds, n * 13),
          requester_id: person,
          assignee_id: status === 'new' ? null : pick(agents, n).id,
          group_id: pick(groups, n).id,
          created_at: created.toISOString(),
          updated_at: updated.toISOString(),
          first_response_at: status === 'new' ? null : new Date(created.getTime() + 3600 * 1000).toISOString(),
          solved_at: status === 'solved' || status === 'closed' ? updated.toISOString() : null,
          closed_at: status === 'closed' ? updated.toISOString() : null,
        };
      });
      await scope.withDb(trx).insertInto('tickets', rows).execute();
    });
    progress('tickets', offset + size, ticketCount);
  }
  await db.insertInto('ticket_counters').values({ tenant_id: tenant.id, year, last_value: ticketCount }).execute();
  if (database.sqlite) database.sqlite.exec('analyze');
  else await database.pool!.query('analyze');
  await database.close();
  process.stdout.write(`${JSON.stringify({ tenant: tenant.slug, tickets: ticketCount, signIn: { email: LOAD_AGENT_EMAIL, password: LOAD_PASSWORD } })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`seed:load: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
