// `BENCH_DATA_DIR=<seeded dir> npx tsx test/load/knowledge-ticket-entries.ts`: adds BENCH_ENTRIES (10,000)
// generated knowledge entries to the load tenant of a database `npm run seed:load` made (the seed switches every
// installed plugin on, knowledge among them), and writes the showcase ticket's id into load-fixture.json so that
// `npm run bench` also measures the ticket's suggestion panel (scenario `ticket-suggestions`). With it, the
// `ticket-page` scenario measures the ticket page with the knowledge panel over a full knowledge base (issue 11,
// point 9). SQLite only (BENCH_DATA_DIR) or DATABASE_URL of a seeded PostgreSQL database.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../../config/env.js';
import { createDatabase } from '../../core/db/create-database.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { knowledgeLoadData } from './knowledge-load-data.js';
import { LOAD_FIXTURE_FILE, LOAD_TENANT, type LoadFixture } from './load-fixture.js';

const dataDir = resolve(process.env.BENCH_DATA_DIR ?? '.tmp/bench');
const total = Number(process.env.BENCH_ENTRIES ?? 10_000);
const fixtureFile = resolve(dataDir, LOAD_FIXTURE_FILE);
const fixture = JSON.parse(readFileSync(fixtureFile, 'utf8')) as LoadFixture;
const config = loadConfig({ ...process.env, DATA_DIR: dataDir, TRESEN_DEMO: '0' });
const database = await createDatabase(config.databaseUrl);
try {
  const tenant = await database.db.selectFrom('tenants').select('id').where('slug', '=', LOAD_TENANT).executeTakeFirst();
  if (!tenant) throw new Error(`no tenant "${LOAD_TENANT}" in ${dataDir}: run \`npm run seed:load\` (or \`npm run bench\`) first`);
  const switched = await database.db.selectFrom('tenant_plugins').select('enabled').where('tenant_id', '=', tenant.id).where('plugin_id', '=', 'knowledge').executeTakeFirst();
  if (!switched?.enabled) throw new Error('the knowledge plugin is off for the load tenant');
  const ticket = await tenantScope(database.db, tenant.id).selectFrom('tickets').select('id').where('number', '=', fixture.ticketNumber).executeTakeFirstOrThrow();
  const started = performance.now();
  await knowledgeLoadData(11).seed(database.db, tenant.id, total);
  writeFileSync(fixtureFile, JSON.stringify({ ...fixture, ticketId: ticket.id, knowledgeEntries: (fixture.knowledgeEntries ?? 0) + total }, null, 2));
  process.stdout.write(`${total} knowledge entries added to "${LOAD_TENANT}" in ${Math.round(performance.now() - started)} ms; showcase ticket id ${ticket.id}\n`);
} finally {
  await database.close();
}
