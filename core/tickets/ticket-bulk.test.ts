import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB, Tenant } from '../db/schema.js';
import { DomainError } from '../domain-error.js';
import { createEventBus, type AppEvent } from '../events/event-bus.js';
import { createFileStore } from '../files/file-store.js';
import { createCatalog } from '../i18n/translate.js';
import { en } from '../i18n/messages-en.js';
import type { EventPayload, EventRef } from '../plugin-host/refs.js';
import { createTenant } from '../tenancy/tenant-service.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';
import { bulkMessages } from '../routes/desk/bulk-messages.js';
import { ticketMessages } from './messages.js';
import { allowedBulkActions } from './ticket-bulk.js';
import { TICKET_EVENTS_JOB, ticketEventsJob } from './ticket-event-outbox.js';
import { recountTicketCounters, storedTicketCounters } from './ticket-counters.js';
import { recountHotline, storedHotline } from '../statistics/hotline-aggregate.js';
import { recountKpiFacts, storedKpiFacts } from '../statistics/kpi-fact-store.js';
import type { TicketChangePayload } from './ticket-events.js';
import { createTicketService, type TicketActor, type TicketHooks } from './ticket-service.js';

const t = createCatalog([{ en, de: en }, ticketMessages, bulkMessages]).translator('en');
const rights = (...keys: string[]) => (key: string) => keys.includes(key);

describe.each(dialects)('bulk changes on %s', (dialect) => {
  let database: TestDatabase;
  let tenant: Tenant;
  let other: Tenant;
  let agent: Extract<TicketActor, { kind: 'user' }>;
  let supervisor: Extract<TicketActor, { kind: 'user' }>;
  let otherAgent: Extract<TicketActor, { kind: 'user' }>;
  let group: number;
  const published: AppEvent[] = [];
  /** A plugin's filter refusing this ticket after its steps wrote (history, counters): the savepoint must undo them. */
  let refuseInFilter: string | undefined;
  const hooks: TicketHooks = {
    async runFilters<P extends EventPayload>(_event: EventRef<P>, payload: P, _trx: Kysely<DB>) {
      if ((payload as unknown as TicketChangePayload).number === refuseInFilter) throw new DomainError('conflict', 'locked by a colleague');
    },
    async emit<P extends EventPayload>(event: EventRef<P>, payload: P) {
      emitted.push(`${event.name} ${(payload as unknown as TicketChangePayload).number}`);
    },
  };
  /** What the plugins heard after commit ("ticket.closed 2026-000123"). */
  const emitted: string[] = [];

  const service = (forTenant: Tenant) => {
    const events = createEventBus();
    events.subscribe(forTenant.id, (event) => published.push(event));
    return createTicketService({ db: database.db, dialect, clock: () => new Date(), events, hooks, files: createFileStore(database.db, mkdtempSync(join(tmpdir(), 'tresen-files-'))) }, forTenant, t);
  };

  async function open(forTenant: Tenant, count: number, actor: TicketActor): Promise<string[]> {
    const numbers: string[] = [];
    for (let i = 0; i < count; i++) numbers.push((await service(forTenant).create({ subject: `Printer ${i}`, description: 'jams', priority: 2 }, actor)).number);
    return numbers;
  }

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const db = database.db;
    tenant = await createTenant(db, { slug: 'acme', name: 'ACME', locale: 'en' });
    other = await createTenant(db, { slug: 'globex', name: 'Globex', locale: 'en' });
    const user = (tenantId: number, email: string, role: 'agent' | 'supervisor') =>
      db.insertInto('users').values({ tenant_id: tenantId, email, name: email.split('@')[0]!, role }).returning('id').executeTakeFirstOrThrow().then((r) => r.id);
    agent = { kind: 'user', id: await user(tenant.id, 'ada@acme.test', 'agent'), label: 'ada', can: rights('tickets.edit') };
    supervisor = { kind: 'user', id: await user(tenant.id, 'sue@acme.test', 'supervisor'), label: 'sue', can: rights('tickets.edit', 'tickets.close') };
    otherAgent = { kind: 'user', id: await user(other.id, 'gus@globex.test', 'agent'), label: 'gus', can: rights('tickets.edit') };
    group = (await tenantScope(db, tenant.id).insertInto('support_groups', { name: 'Servicedesk', level: 'first' }).returning('id').executeTakeFirstOrThrow()).id;
  }, 120_000);
  afterAll(() => database.cleanup());

  const history = (numbers: readonly string[], field: string) => tenantScope(database.db, tenant.id).selectFrom('ticket_history')
    .innerJoin('tickets', 'tickets.id', 'ticket_history.ticket_id').select(['tickets.number', 'ticket_history.new_value', 'ticket_history.actor_user_id'])
    .where('tickets.number', 'in', [...numbers]).where('ticket_history.field', '=', field).where('ticket_history.action', '!=', 'created').execute();

  it('changes 1,000 tickets in one action, each with its history entry, the counters in step, one live event', async () => {
    const numbers = await open(tenant, 1000, agent);
    published.length = 0;
    const outcome = await service(tenant).bulk(numbers, { kind: 'priority', priority: 4 }, agent);
    expect(outcome.changed).toHaveLength(1000);
    expect(outcome.refused).toEqual([]);
    const rows = await history(numbers, 'priority');
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((row) => row.number))).toEqual(new Set(numbers));
    expect(rows.every((row) => row.new_value === '4' && row.actor_user_id === agent.id)).toBe(true);
    const priorities = await tenantScope(database.db, tenant.id).selectFrom('tickets').select('priority').where('number', 'in', numbers).execute();
    expect(priorities.every((row) => row.priority === 4)).toBe(true);
    // The live lists hear of the whole action once, not 1,000 times.
    expect(published.filter((event) => event.type === 'ticket')).toHaveLength(1);

    // Assigning moves the queue counters in the same transactions.
    const assigned = await service(tenant).bulk(numbers, { kind: 'assign', assigneeId: agent.id }, agent);
    expect(assigned.changed).toHaveLength(1000);
    expect(await history(numbers, 'assignee_id')).toHaveLength(1000);
    expect(await storedTicketCounters(database.db, tenant.id)).toEqual(await recountTicketCounters(database.db, tenant.id));
  }, 180_000);

  it('writes batch by batch what single changes would: statistics equal a recount, each ticket one version per action', async () => {
    // 250 tickets: three batches, the last one short; a quarter already in the group (forwarding skips them).
    const numbers = await open(tenant, 250, agent);
    await service(tenant).bulk(numbers.slice(0, 60), { kind: 'forward', groupId: group }, agent);
    for (const action of [{ kind: 'status', status: 'open' }, { kind: 'forward', groupId: group }, { kind: 'close' }] as const) {
      const outcome = await service(tenant).bulk(numbers, action, supervisor);
      expect(outcome.refused).toEqual([]);
    }
    expect(await storedHotline(database.db, tenant.id)).toEqual(await recountHotline(database.db, tenant.id, tenant.time_zone));
    expect(await storedKpiFacts(database.db, tenant.id)).toEqual(await recountKpiFacts(database.db, tenant.id, tenant.time_zone, undefined));
    expect(await storedTicketCounters(database.db, tenant.id)).toEqual(await recountTicketCounters(database.db, tenant.id));
    const rows = await tenantScope(database.db, tenant.id).selectFrom('tickets').select(['id', 'number', 'version', 'status']).where('number', 'in', numbers).execute();
    expect(rows.every((row) => row.status === 'closed')).toBe(true);
    // Created, forwarded, opened, closed: four versions each (the 60 forwarded first were left alone by the second forward).
    expect(rows.map((row) => row.version)).toEqual(rows.map(() => 4));
    // Each history line carries the version its change made.
    const lines = await tenantScope(database.db, tenant.id).selectFrom('ticket_history').select(['ticket_id', 'version', 'field', 'new_value'])
      .where('ticket_id', 'in', rows.map((row) => row.id)).where('field', '=', 'status').where('new_value', '=', 'closed').execute();
    const versionOf = new Map(rows.map((row) => [row.id, row.version]));
    expect(lines).toHaveLength(250);
    expect(lines.every((line) => line.version === versionOf.get(line.ticket_id))).toBe(true);
  }, 180_000);

  it('refuses per ticket with the reason, leaving each refused ticket as it was (all or nothing per ticket)', async () => {
    const numbers = await open(tenant, 4, agent);
    const [first, second, third, fourth] = numbers as [string, string, string, string];
    await service(tenant).bulk([first], { kind: 'close' }, supervisor);
    refuseInFilter = third;
    const before = await history([third], 'status');
    await database.db.deleteFrom('jobs').where('name', '=', TICKET_EVENTS_JOB).execute();
    emitted.length = 0;
    const outcome = await service(tenant).bulk(numbers, { kind: 'close' }, supervisor).finally(() => { refuseInFilter = undefined; });
    expect(outcome.changed.sort()).toEqual([second, fourth].sort());
    expect(outcome.refused).toEqual(expect.arrayContaining([
      { number: first, reason: t('ticket.refused.closed') },
      { number: third, reason: 'locked by a colleague' },
    ]));
    // Closing took the lifecycle's way: solved, then closed, both in the history.
    expect((await history([second], 'status')).map((row) => row.new_value).sort()).toEqual(['closed', 'solved']);
    // The refused one: no history, its status, counters as the recount.
    expect(await history([third], 'status')).toEqual(before);
    const row = await tenantScope(database.db, tenant.id).selectFrom('tickets').select('status').where('number', '=', third).executeTakeFirstOrThrow();
    expect(row.status).toBe('new');
    expect(await storedTicketCounters(database.db, tenant.id)).toEqual(await recountTicketCounters(database.db, tenant.id));

    // The plugins hear the changed tickets' events through the job the batch queued in its transaction, once each;
    // the refused ticket's (rolled back with its savepoint) are not among them, and the request itself raised none.
    expect(emitted).toEqual([]);
    const jobs = await database.db.selectFrom('jobs').select(['id', 'tenant_id', 'payload']).where('name', '=', TICKET_EVENTS_JOB).where('status', '=', 'queued').orderBy('id').execute();
    const run = ticketEventsJob(hooks.emit);
    for (const job of jobs) await run({ tenantId: job.tenant_id, payload: JSON.parse(job.payload), db: database.db, clock: () => new Date() });
    const ours = (number: string) => emitted.filter((line) => line.endsWith(` ${number}`));
    // (Solving an unassigned ticket assigns it to whoever solved it: 'ticket.assigned' comes too.)
    expect(ours(second)).toEqual([`ticket.changed ${second}`, `ticket.status_changed ${second}`, `ticket.solved ${second}`, `ticket.closed ${second}`, `ticket.assigned ${second}`]);
    expect(ours(fourth)).toEqual(ours(second).map((line) => line.replace(second, fourth)));
    expect(ours(third)).toEqual([]);
    // A job never raises another tenant's events, whatever its payload says.
    emitted.length = 0;
    for (const job of jobs) await run({ tenantId: other.id, payload: JSON.parse(job.payload), db: database.db, clock: () => new Date() });
    expect(emitted).toEqual([]);
    await database.db.deleteFrom('jobs').where('name', '=', TICKET_EVENTS_JOB).execute();
  }, 60_000);

  it('offers and allows only what the role may do; the service checks again', async () => {
    expect(allowedBulkActions(rights('tickets.view'), true)).toEqual([]);
    expect(allowedBulkActions(agent.can, true)).not.toContain('close');
    expect(allowedBulkActions(agent.can, false)).toContain('close');
    expect(allowedBulkActions(supervisor.can, true)).toContain('close');
    const [number] = await open(tenant, 1, agent);
    await expect(service(tenant).bulk([number!], { kind: 'close' }, agent)).rejects.toMatchObject({ kind: 'forbidden' });
    const viewer = { ...agent, can: rights('tickets.view') };
    await expect(service(tenant).bulk([number!], { kind: 'priority', priority: 3 }, viewer)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(service(tenant).bulk([number!], { kind: 'forward', groupId: 999_999 }, agent)).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('never reaches another tenant: its ticket numbers are refused as not found and stay untouched', async () => {
    const [theirs] = await open(other, 1, otherAgent);
    const ours = new Set((await tenantScope(database.db, tenant.id).selectFrom('tickets').select('number').execute()).map((row) => row.number));
    const foreign = ours.has(theirs!) ? '999999' : theirs!;
    const outcome = await service(tenant).bulk([foreign], { kind: 'priority', priority: 1 }, agent);
    expect(outcome.changed).toEqual([]);
    expect(outcome.refused).toEqual([{ number: foreign, reason: t('ticket.notFound') }]);
    const row = await tenantScope(database.db, other.id).selectFrom('tickets').select('priority').where('number', '=', theirs!).executeTakeFirstOrThrow();
    expect(row.priority).toBe(2);
  });

  it('forwards keeping an assignee only into a group they belong to, and tells the new group\'s members of each unassigned ticket', async () => {
    const s = tenantScope(database.db, tenant.id);
    const team = (await s.insertInto('support_groups', { name: 'Field service', level: 'second' }).returning('id').executeTakeFirstOrThrow()).id;
    await s.insertInto('group_members', [{ group_id: team, user_id: agent.id }, { group_id: team, user_id: supervisor.id }]).execute();
    const numbers = await open(tenant, 4, agent);
    await service(tenant).bulk(numbers.slice(0, 2), { kind: 'assign', assigneeId: agent.id }, supervisor);
    const assignees = async () => new Map((await s.selectFrom('tickets').select(['number', 'assignee_id']).where('number', 'in', numbers).execute()).map((row) => [row.number, row.assignee_id]));
    const told = () => s.selectFrom('notifications').innerJoin('tickets', 'tickets.id', 'notifications.ticket_id')
      .select(['tickets.number', 'notifications.user_id']).where('notifications.kind', '=', 'forwarded').where('tickets.number', 'in', numbers).execute();
    expect((await service(tenant).bulk(numbers, { kind: 'forward', groupId: team }, supervisor)).changed).toHaveLength(4);
    expect(await assignees()).toEqual(new Map(numbers.map((number, i) => [number, i < 2 ? agent.id : null])));
    // The assignee hears of theirs; the group's members (but the one forwarding) of the unassigned ones.
    expect((await told()).map((row) => `${row.number} ${row.user_id}`).sort()).toEqual(numbers.map((number) => `${number} ${agent.id}`).sort());
    // Into a group the agent is not in: nobody keeps them.
    expect((await service(tenant).bulk(numbers, { kind: 'forward', groupId: group }, supervisor)).changed).toHaveLength(4);
    expect([...(await assignees()).values()]).toEqual([null, null, null, null]);
  });

  it('forwards to a group and merges into one ticket', async () => {
    const numbers = await open(tenant, 3, agent);
    const forwarded = await service(tenant).bulk(numbers, { kind: 'forward', groupId: group }, agent);
    expect(forwarded.changed).toHaveLength(3);
    expect(await history(numbers, 'group_id')).toHaveLength(3);
    const [into, ...rest] = numbers as [string, ...string[]];
    const merged = await service(tenant).bulk(numbers, { kind: 'merge', into }, agent);
    expect(merged.changed.sort()).toEqual([...rest].sort());
    const closed = await tenantScope(database.db, tenant.id).selectFrom('tickets').select(['number', 'close_reason']).where('number', 'in', rest).execute();
    expect(closed.every((row) => row.close_reason === 'merged')).toBe(true);
  });
});
