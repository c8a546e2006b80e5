// Seeds a realistic tenant for benchmarks: `npm run seed:load -- --tickets 100000 [--tenant load] [--seed 1]`.
// Rows go in with multi-row inserts of ~1,000, one transaction per 1,000 tickets; the ticket
// service is not used (it would take an hour). What the bench needs (API token, a ticket
// number, search words) lands in <DATA_DIR>/load-fixture.json.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { loadConfig } from '../../config/env.js';
import { installedPlugins } from '../../config/plugins.js';
import { hashPassword } from '../../core/auth/password.js';
import { hashToken } from '../../core/auth/session-store.js';
import { createDatabase } from '../../core/db/create-database.js';
import { migrateAll } from '../../core/db/migrate.js';
import type { ArticleKind, DB, TicketChannel, TicketStatus } from '../../core/db/schema.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { matchingTicketIds, writeSearchDocuments } from '../../core/tickets/ticket-search.js';
import { rebuildHotline } from '../../core/statistics/hotline-aggregate.js';
import { rebuildTicketCounters } from '../../core/tickets/ticket-counters.js';
import { LOAD_AGENT_EMAIL, LOAD_FIXTURE_FILE, LOAD_PASSWORD, LOAD_TENANT, type LoadFixture } from './load-fixture.js';
import {
  CATEGORIES, followUpText, noteText, organisationName, personName, pick, randomSource, replyText, slug, ticketText, weighted, zipf,
  type Language, type Random,
} from './load-text.js';

const HOUR = 3600 * 1000;
const BATCH = 1000;

function progress(label: string, done: number, total: number, startedAt: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const elapsed = (performance.now() - startedAt) / 1000;
  const eta = done > 0 && done < total ? ` eta ${Math.round((elapsed / done) * (total - done))} s` : '';
  process.stderr.write(`\r${label.padEnd(8)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${elapsed.toFixed(1)} s${eta}   `);
  if (done === total) process.stderr.write('\n');
}

/** Multi-row inserts of at most BATCH rows (SQLite allows 32,766 parameters per statement). */
async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

/**
 * Statuses by age, as a live helpdesk has them: the archive is closed, the queues hold
 * the recent few hundred new and one to two thousand open or waiting tickets.
 */
function statusesFor(count: number, random: Random): TicketStatus[] {
  const statuses = new Array<TicketStatus>(count).fill('closed');
  const assign = (status: TicketStatus, share: number, window: number) => {
    const wanted = Math.max(1, Math.round(count * share));
    const from = Math.max(0, count - Math.max(wanted * 2, Math.round(count * window)));
    let placed = 0;
    for (let tries = 0; placed < wanted && tries < wanted * 50; tries++) {
      const i = from + Math.floor(random() * (count - from));
      if (statuses[i] !== 'closed') continue;
      statuses[i] = status;
      placed++;
    }
  };
  assign('new', 0.003, 0.01);
  assign('open', 0.011, 0.08);
  assign('waiting', 0.006, 0.08);
  assign('solved', 0.03, 0.06);
  return statuses;
}

/** Creation times over three years, denser towards now (the business grew), inside office hours. */
function creationTimes(count: number, random: Random, now: number): number[] {
  const span = 3 * 365 * 24 * HOUR;
  const start = now - span;
  const times = Array.from({ length: count }, () => {
    const day = Math.floor(random() ** 0.85 * (span / (24 * HOUR)));
    return start + day * 24 * HOUR + (6 + random() * 11) * HOUR;
  });
  times.sort((a, b) => a - b);
  // The latest may not lie in the future.
  return times.map((t, i) => Math.min(t, now - (count - i) * 1000));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tickets: { type: 'string', default: '100000' }, tenant: { type: 'string', default: LOAD_TENANT }, seed: { type: 'string', default: '1' } } });
  const ticketCount = Number(values.tickets);
  if (!Number.isInteger(ticketCount) || ticketCount < 1) throw new Error('--tickets must be a positive whole number');
  const startedAt = performance.now();
  const random = randomSource(Number(values.seed));
  const config = loadConfig({ ...process.env, TRESEN_DEMO: '0' });
  const registry = createRegistry(installedPlugins);
  const database = await createDatabase(config.databaseUrl);
  // A throw-away bulk load: no fsync per batch (a crash means seeding again).
  database.sqlite?.exec('pragma synchronous = OFF');
  await migrateAll(database.db, registry);
  const { db, dialect } = database;
  if (await db.selectFrom('tenants').select('id').where('slug', '=', values.tenant!).executeTakeFirst()) {
    throw new Error(`tenant "${values.tenant}" exists already; use a fresh DATA_DIR or another --tenant`);
  }
  const tenant = await createTenant(db, { slug: values.tenant!, name: 'Load Test GmbH', locale: 'de' });
  for (const plugin of registry.plugins) await enablePlugin(db, registry, tenant.id, plugin.id);
  const scope = tenantScope(db, tenant.id);
  const passwordHash = await hashPassword(LOAD_PASSWORD, config.scryptLogN);

  // Staff: an admin, two supervisors, agents; the load agent (agent4) works in two groups.
  const agentCount = 24;
  const agents = await db.insertInto('users').values(Array.from({ length: agentCount }, (_, i) => ({
    tenant_id: tenant.id, email: `agent${i + 1}@load.test`, name: `${personName(i * 7 + 3)} (Agent ${i + 1})`,
    role: i === 0 ? 'admin' as const : i < 3 ? 'supervisor' as const : 'agent' as const, password_hash: passwordHash, locale: i % 5 === 4 ? 'en' : 'de',
  }))).returning(['id', 'name', 'email']).execute();
  const groupDefs = [
    { name: '1st Level Servicedesk', level: 'first' as const, members: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
    { name: '2nd Level Systemtechnik', level: 'second' as const, members: [1, 10, 11, 12, 13, 14] },
    { name: '3rd Level Entwicklung', level: 'third' as const, members: [2, 15, 16, 17] },
    { name: 'Netzwerk', level: 'expert' as const, members: [3, 11, 18, 19] },
    { name: 'Kasse & Filialen', level: 'expert' as const, members: [2, 20, 21] },
    { name: 'Buchhaltung', level: 'second' as const, members: [1, 22, 23] },
  ];
  const groups = await scope.insertInto('support_groups', groupDefs.map((g) => ({ name: g.name, level: g.level, email: `${slug(g.name)}@load.test` }))).returning('id').execute();
  await scope.insertInto('group_members', groupDefs.flatMap((g, gi) => g.members.map((m) => ({ group_id: groups[gi]!.id, user_id: agents[m]!.id })))).execute();
  const membersOf = groupDefs.map((g) => g.members.map((m) => agents[m]!));
  const groupForCategory: Record<string, number> = { Hardware: 0, Software: 0, Zugang: 0, Netzwerk: 3, Server: 1, Kasse: 4, Abrechnung: 5, Telefonie: 0 };

  // Customers: 500 organisations with 6 contact persons each; a fifth write English.
  const orgs: Array<{ id: number; language: Language; domain: string }> = [];
  const orgRows = Array.from({ length: 500 }, (_, i) => {
    const name = organisationName(i);
    const domain = `${slug(name).slice(0, 30)}-${i}.example`;
    return { name, number: `K-${10000 + i}`, email_domains: JSON.stringify([domain]), phone: `+49 40 ${100000 + i * 37}`, address: null, notes: null, domain };
  });
  await insertChunked(orgRows, async (chunk) => {
    const rows = await scope.insertInto('organisations', chunk.map(({ domain: _, ...row }) => row)).returning('id').execute();
    rows.forEach((row, k) => orgs.push({ id: row.id, language: (orgs.length + k) % 5 === 3 ? 'en' : 'de', domain: chunk[k]!.domain }));
  });
  const people: Array<{ id: number; name: string; orgIndex: number }> = [];
  const peopleRows = Array.from({ length: 3000 }, (_, i) => {
    const orgIndex = i % orgs.length;
    const name = personName(i);
    return { organisation_id: orgs[orgIndex]!.id, name, email: `${slug(name).replace('-', '.')}@${orgs[orgIndex]!.domain}`, phone: null, portal_role: 'customer' as const, is_org_manager: i < orgs.length ? 1 : 0, password_hash: null, locale: orgs[orgIndex]!.language, orgIndex };
  });
  await insertChunked(peopleRows, async (chunk) => {
    const rows = await scope.insertInto('people', chunk.map(({ orgIndex: _, ...row }) => row)).returning('id').execute();
    rows.forEach((row, k) => people.push({ id: row.id, name: chunk[k]!.name, orgIndex: chunk[k]!.orgIndex }));
  });
  const peopleOfOrg = orgs.map(() => [] as typeof people);
  for (const person of people) peopleOfOrg[person.orgIndex]!.push(person);

  await scope.insertInto('ticket_categories', CATEGORIES.map((name, i) => ({ name, position: i, active: 1 }))).execute();
  await scope.insertInto('ticket_fields', [
    { key: 'impact', label: 'Auswirkung', type: 'select' as const, options: JSON.stringify(['niedrig', 'mittel', 'hoch']), required: 0, categories: '[]', position: 0, active: 1 },
    { key: 'on_site', label: 'Vor-Ort-Einsatz', type: 'checkbox' as const, options: '[]', required: 0, categories: '[]', position: 1, active: 1 },
    { key: 'asset_tag', label: 'Inventarnummer', type: 'text' as const, options: '[]', required: 0, categories: JSON.stringify(['Hardware']), position: 2, active: 1 },
  ]).execute();

  // Large customers open more tickets than small ones.
  const drawOrg = zipf(orgs.map((_, i) => i), 0.7);
  const drawPriority = weighted([[1, 15], [2, 60], [3, 20], [4, 5]] as const);
  const drawChannel = weighted<TicketChannel>([['mail', 55], ['web', 20], ['phone', 20], ['monitoring', 3], ['in_person', 2]]);
  const drawImpact = weighted([['', 40], ['niedrig', 25], ['mittel', 25], ['hoch', 10]] as const);

  const now = Date.now();
  const statuses = statusesFor(ticketCount, random);
  const created = creationTimes(ticketCount, random, now);
  const counters = new Map<number, number>();
  const counts = { articles: 0, history: 0 };
  let showcase: { number: string; articles: number } | undefined;
  const ticketsStartedAt = performance.now();

  for (let offset = 0; offset < ticketCount; offset += BATCH) {
    const size = Math.min(BATCH, ticketCount - offset);
    const plans = Array.from({ length: size }, (_, k) => {
      const n = offset + k;
      const status = statuses[n]!;
      const orgIndex = drawOrg(random);
      const org = orgs[orgIndex]!;
      const requester = pick(random, peopleOfOrg[orgIndex]!);
      const language = random() < 0.05 ? (org.language === 'de' ? 'en' : 'de') : org.language;
      const text = ticketText(random, language, requester.name);
      let groupIndex = random() < 0.75 ? groupForCategory[text.category] ?? 0 : Math.floor(random() * groupDefs.length);
      const assignee = status === 'new' ? null : pick(random, membersOf[groupIndex]!);
      const forwardedFrom = status !== 'new' && random() < 0.1 ? groupIndex : undefined;
      if (forwardedFrom !== undefined) groupIndex = (groupIndex + 1 + Math.floor(random() * (groupDefs.length - 1))) % groupDefs.length;
      const createdAt = created[n]!;
      // Correspondence: new tickets only got a nudge or a note; the rest a reply first.
      const articleCount = status === 'new' ? 1 : 1 + Math.floor(random() ** 1.3 * 4);
      const kinds: ArticleKind[] = [];
      for (let j = 0; j < articleCount; j++) {
        if (status === 'new') kinds.push(random() < 0.6 ? 'customer' : 'note');
        else if (j === 0) kinds.push('reply');
        else if (j === articleCount - 1) kinds.push(status === 'open' ? 'customer' : 'reply');
        else kinds.push(pick(random, ['customer', 'note', 'reply'] as const));
      }
      // The last change (solving, closing) comes a while after the last article; nothing lies in the future.
      const lastStep = articleCount + (status === 'solved' || status === 'closed' ? 1.5 : 0.5);
      let gap = (0.2 + random() * 30) * HOUR;
      if (createdAt + gap * (lastStep + 0.5) > now) gap = (now - createdAt) / (lastStep + 1);
      const articleTimes = kinds.map((_, j) => createdAt + gap * (j + 1));
      const updatedAt = createdAt + gap * lastStep;
      const year = new Date(createdAt).getUTCFullYear();
      const seq = (counters.get(year) ?? 0) + 1;
      counters.set(year, seq);
      const custom: Record<string, string | boolean> = {};
      const impact = drawImpact(random);
      if (impact) custom.impact = impact;
      if (random() < 0.5) custom.on_site = random() < 0.2;
      if (text.category === 'Hardware' && random() < 0.6) custom.asset_tag = `INV-${10000 + Math.floor(random() * 90000)}`;
      return {
        n, status, org, requester, language, text, groupIndex, forwardedFrom, assignee, createdAt, updatedAt, kinds, articleTimes, custom,
        number: `${year}-${String(seq).padStart(6, '0')}`, priority: drawPriority(random), channel: drawChannel(random),
      };
    });

    await db.transaction().execute(async (trx: Kysely<DB>) => {
      const trxScope = scope.withDb(trx);
      const iso = (t: number) => new Date(t).toISOString();
      const ticketIds: number[] = [];
      await insertChunked(plans, async (chunk) => {
        const rows = await trxScope.insertInto('tickets', chunk.map((p) => ({
          number: p.number, subject: p.text.subject, description: p.text.description, status: p.status,
          priority: p.priority, category: p.text.category, channel: p.channel,
          organisation_id: p.org.id, requester_id: p.requester.id, contract_id: null, assignee_id: p.assignee?.id ?? null,
          group_id: groups[p.groupIndex]!.id, custom_fields: JSON.stringify(p.custom),
          created_at: iso(p.createdAt), updated_at: iso(p.updatedAt),
          first_response_at: p.status === 'new' ? null : iso(p.articleTimes[0]!),
          solved_at: p.status === 'solved' || p.status === 'closed' ? iso(p.updatedAt) : null,
          closed_at: p.status === 'closed' ? iso(p.updatedAt) : null,
          // A few archived tickets were deleted by a supervisor.
          deleted_at: p.status === 'closed' && random() < 0.002 ? iso(p.updatedAt) : null,
        }))).returning('id').execute();
        ticketIds.push(...rows.map((r) => r.id));
      });

      const articles = plans.flatMap((p, k) => p.kinds.map((kind, j) => {
        const agent = p.assignee ?? pick(random, membersOf[p.groupIndex]!);
        const body = kind === 'reply' ? replyText(random, p.language, p.requester.name, agent.name)
          : kind === 'note' ? noteText(random) : followUpText(random, p.language, p.text, p.requester.name);
        const fromCustomer = kind === 'customer';
        return {
          ticket_id: ticketIds[k]!, kind, channel: fromCustomer ? p.channel : ('web' as const),
          author_user_id: fromCustomer ? null : agent.id, author_person_id: fromCustomer ? p.requester.id : null,
          author_label: fromCustomer ? p.requester.name : agent.name, body_text: body, body_html: null,
          message_id: fromCustomer ? `<${p.number}.${j}@${p.org.domain}>` : null, created_at: iso(p.articleTimes[j]!),
        };
      }));
      const articleIds: number[] = [];
      await insertChunked(articles, async (chunk) => {
        const rows = await trxScope.insertInto('ticket_articles', chunk).returning('id').execute();
        articleIds.push(...rows.map((r) => r.id));
      });
      counts.articles += articles.length;

      // History: created, accepted, forwarded, each article, the status moves.
      const history: Array<{ ticket_id: number; actor_user_id: number | null; actor_person_id: number | null; actor_label: string; action: string; field: string | null; old_value: string | null; new_value: string | null; note: string | null; created_at: string }> = [];
      let articleCursor = 0;
      plans.forEach((p, k) => {
        const ticketId = ticketIds[k]!;
        const agent = p.assignee;
        const row = (action: string, field: string | null, oldValue: string | null, newValue: string | null, at: number, by: { id: number; name: string } | null) => history.push({
          ticket_id: ticketId, actor_user_id: by?.id ?? null, actor_person_id: by ? null : p.requester.id, actor_label: by?.name ?? p.requester.name,
          action, field, old_value: oldValue, new_value: newValue, note: null, created_at: iso(at),
        });
        row('created', 'status', null, 'new', p.createdAt, null);
        if (agent) {
          const acceptedAt = p.createdAt + (p.articleTimes[0]! - p.createdAt) / 2;
          row('assigned', 'assignee_id', null, String(agent.id), acceptedAt, agent);
          row('status', 'status', 'new', 'open', acceptedAt, agent);
          if (p.forwardedFrom !== undefined) row('forwarded', 'group_id', String(groups[p.forwardedFrom]!.id), String(groups[p.groupIndex]!.id), acceptedAt, agent);
        }
        p.kinds.forEach((kind, j) => {
          const authoredBy = kind === 'customer' ? null : (agent ?? membersOf[p.groupIndex]![0]!);
          row(kind, 'article', null, String(articleIds[articleCursor + j]!), p.articleTimes[j]!, authoredBy);
        });
        articleCursor += p.kinds.length;
        if (p.status === 'waiting' && agent) row('status', 'status', 'open', 'waiting', p.updatedAt, agent);
        if ((p.status === 'solved' || p.status === 'closed') && agent) row('status', 'status', 'open', 'solved', p.updatedAt, agent);
        if (p.status === 'closed') row('status', 'status', 'solved', 'closed', p.updatedAt, agents[1]!);
      });
      await insertChunked(history, (chunk) => trxScope.insertInto('ticket_history', chunk).execute());
      counts.history += history.length;

      // The full-text documents, as reindexTicket builds them: description, then every article.
      let cursor = 0;
      const docs = plans.map((p, k) => {
        const bodies = articles.slice(cursor, cursor + p.kinds.length).map((a) => a.body_text);
        cursor += p.kinds.length;
        return { ticketId: ticketIds[k]!, tenantId: tenant.id, subject: p.text.subject, body: [p.text.description, ...bodies].join('\n\n') };
      });
      await writeSearchDocuments(trx, dialect, docs);
    });

    // The ticket page scenario opens a recent open ticket with full correspondence.
    for (const p of plans) {
      if (p.status === 'open' && p.kinds.length >= 4 && p.assignee?.email === LOAD_AGENT_EMAIL) showcase = { number: p.number, articles: p.kinds.length };
      else if (!showcase && p.kinds.length >= 3 && p.status !== 'new') showcase = { number: p.number, articles: p.kinds.length };
    }
    progress('tickets', offset + size, ticketCount, ticketsStartedAt);
  }
  for (const [year, last] of counters) await db.insertInto('ticket_counters').values({ tenant_id: tenant.id, year, last_value: last }).execute();

  // A few unread notifications for the load agent, as the shell shows them.
  const loadAgent = agents.find((a) => a.email === LOAD_AGENT_EMAIL)!;
  const recent = await scope.selectFrom('tickets').select(['id', 'number', 'subject']).where('assignee_id', '=', loadAgent.id).orderBy('updated_at', 'desc').limit(60).execute();
  if (recent.length) {
    await scope.insertInto('notifications', recent.map((t, i) => ({
      user_id: loadAgent.id, ticket_id: t.id, kind: 'customer_reply', actor_label: 'Kunde', summary: `${t.number}: ${t.subject}`.slice(0, 300),
      read_at: i < 12 ? null : new Date(now - i * HOUR).toISOString(), created_at: new Date(now - i * HOUR).toISOString(),
    }))).execute();
  }

  // An API token for the API scenario.
  const apiToken = `trs_${randomBytes(32).toString('base64url')}`;
  await db.insertInto('api_tokens').values({ tenant_id: tenant.id, user_id: loadAgent.id, name: 'load test', token_hash: hashToken(apiToken) }).execute();

  // The hotline statistics' aggregate, as the rebuild job counts it (the rows above went past the ticket service).
  process.stderr.write('hotline statistics …\n');
  const hotlineStarted = performance.now();
  const hotlineRows = await rebuildHotline(db, dialect, tenant.id, tenant.time_zone, new Date(now).toISOString());
  process.stderr.write(`hotline aggregate: ${hotlineRows} rows in ${Math.round(performance.now() - hotlineStarted)} ms\n`);
  // The queue and dashboard counters likewise.
  const countersStarted = performance.now();
  await rebuildTicketCounters(db, dialect, tenant.id, new Date(now).toISOString());
  process.stderr.write(`ticket counters in ${Math.round(performance.now() - countersStarted)} ms\n`);

  process.stderr.write('analyze …\n');
  if (database.sqlite) {
    // One merged full-text index, as after `optimize` on a maintained installation.
    database.sqlite.exec(`insert into ticket_search (ticket_search) values ('optimize'); analyze`);
  } else {
    await database.pool!.query('vacuum analyze');
  }

  const hits = async (word: string) => (await matchingTicketIds(db, dialect, tenant.id, [word], ticketCount)).length;
  const seconds = Math.round((performance.now() - startedAt) / 100) / 10;
  const fixture: LoadFixture = {
    tenant: tenant.slug, tickets: ticketCount, seededAt: new Date(now).toISOString(), seedSeconds: seconds,
    apiToken, ticketNumber: showcase?.number ?? '', ticketArticles: showcase?.articles ?? 0,
    commonWord: 'drucker', commonHits: await hits('drucker'), rareWord: 'plotter', rareHits: await hits('plotter'),
  };
  writeFileSync(join(config.dataDir, LOAD_FIXTURE_FILE), `${JSON.stringify(fixture, null, 2)}\n`, { mode: 0o600 });
  await database.close();
  const { apiToken: _, ...shown } = fixture;
  process.stderr.write(`seeded ${ticketCount} tickets, ${counts.articles} articles, ${counts.history} history rows in ${seconds} s\n`);
  process.stdout.write(`${JSON.stringify({ ...shown, articles: counts.articles, history: counts.history, signIn: { email: LOAD_AGENT_EMAIL, password: LOAD_PASSWORD } })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`seed:load: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
