import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { pluginScope, tenantScope } from '../../core/plugin-api.js';
import { SEARCH_COUNT_CAP, createTicketQueries } from '../../core/tickets/ticket-queries.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { slaPlugin } from './index.js';
import { dueFilter, overdueForm, overdueTicketIds, type OverdueForm } from './list-extensions.js';
import type { SlaDB } from './sla-db.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The "overdue" filter's count and pages in both of its forms: exact below the list's count cap, capped above it,
 * and the same tickets on every page (the filter compares due times with the real time).
 */
describe.each(dialects)('sla overdue filter: count and pages on %s', (dialect) => {
  let app: TestApp;
  let tenantId: number;
  let cookie: string;
  let scope: ReturnType<typeof pluginScope<SlaDB>>;
  let level: number;
  let serial = 0;
  /** Overdue, live tickets: newest change first, as the list orders them. */
  const expected: number[] = [];

  type Kind = 'late' | 'pausedLate' | 'pausedEarly' | 'achievedLate' | 'calm' | 'deletedLate';
  /** `count` tickets of one kind, each changed a second after the previous one, with first-response and solution clocks. */
  async function seed(kind: Kind, count: number) {
    const now = Date.now();
    for (let done = 0; done < count; done += 250) {
      const rows = Array.from({ length: Math.min(250, count - done) }, () => {
        serial++;
        return {
          tenant_id: tenantId, number: `O-${serial}`, subject: `Overdue fixture ${kind}`, description: 'x', status: 'open' as const, priority: 2,
          created_at: iso(now - 2 * DAY), updated_at: iso(now - DAY + serial * 1000), deleted_at: kind === 'deletedLate' ? iso(now) : null,
        };
      });
      const ids = (await app.services.db.insertInto('tickets').values(rows as never).returning('id').execute()).map((row) => row.id);
      const clock = (ticketId: number, name: 'first_response' | 'solution', state: 'running' | 'paused' | 'met' | 'breached', dueAt: string | null) => ({
        ticket_id: ticketId, clock: name, level_id: level, started_at: iso(now - 2 * DAY), due_at: dueAt, achieved_at: state === 'met' || state === 'breached' ? iso(now - DAY) : null,
        paused_minutes: 0, over_minutes: null, remaining_minutes: 0, state, next_escalation_at: null, computed_at: iso(now),
      });
      const past = iso(now - DAY);
      const future = iso(now + DAY);
      await scope.insertInto('sla_clocks', ids.flatMap((id) => {
        switch (kind) {
          case 'late': case 'deletedLate': return [clock(id, 'first_response', 'met', past), clock(id, 'solution', 'running', past)];
          case 'pausedLate': return [clock(id, 'first_response', 'paused', past), clock(id, 'solution', 'paused', future)];
          case 'pausedEarly': return [clock(id, 'first_response', 'paused', null), clock(id, 'solution', 'running', future)];
          case 'achievedLate': return [clock(id, 'first_response', 'met', past), clock(id, 'solution', 'breached', past)];
          case 'calm': return [clock(id, 'first_response', 'running', future), clock(id, 'solution', 'running', future)];
        }
      })).execute();
      if (kind === 'late' || kind === 'pausedLate') expected.unshift(...ids.reverse());
    }
  }

  const queries = () => createTicketQueries(app.services.db, dialect, tenantId);
  const viewer = { userId: 0, groupIds: [] };
  const list = { dialect };
  // `ids` unnests an array: PostgreSQL only.
  const forms: readonly OverdueForm[] = dialect === 'postgres' ? ['list', 'row', 'ids'] : ['list', 'row'];
  const page = (form: OverdueForm, number: number) => queries().search({ page: number }, viewer, 25, [overdueTicketIds(tenantScope(app.services.db, tenantId), new Date(), form)]);
  const ids = (result: { rows: Array<{ id: number }> }) => result.rows.map((row) => row.id);

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('helpdesk'), slaPlugin]);
    const tenant = await app.createTenant('sla-overdue');
    tenantId = tenant.id;
    for (const id of ['helpdesk', 'sla']) await enablePlugin(app.services.db, app.services.registry, tenantId, id);
    await app.createStaff(tenantId, 'agent', 'agent@sla-overdue.test');
    cookie = await app.signIn('agent@sla-overdue.test', 'sla-overdue');
    scope = pluginScope<SlaDB>(app.services.db, tenantId);
    const calendar = (await scope.insertInto('sla_calendars', { name: 'Always', time_zone: 'Europe/Berlin', hours: JSON.stringify(Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [[0, 1440]]]))), is_default: 0, created_at: iso(Date.now()), updated_at: iso(Date.now()) }).returning('id').executeTakeFirstOrThrow()).id;
    level = (await scope.insertInto('sla_levels', {
      name: 'Fixture', calendar_id: calendar, targets: JSON.stringify({ first_response: [60, 60, 60, 60], update: [null, null, null, null], solution: [480, 480, 480, 480] }),
      first_line_minutes: null, first_line_group_id: null, first_line_forward_group_id: null, created_at: iso(Date.now()), updated_at: iso(Date.now()),
    }).returning('id').executeTakeFirstOrThrow()).id;
    await seed('calm', 20);
    await seed('late', 30);
    await seed('achievedLate', 10);
    await seed('pausedLate', 5);
    await seed('pausedEarly', 10);
    await seed('deletedLate', 5);
  });
  afterAll(() => app.cleanup());

  it('counts exactly below the cap, in both forms, with the right tickets on each page', async () => {
    expect(expected).toHaveLength(35);
    for (const form of forms) {
      const first = await page(form, 1);
      expect(first).toMatchObject({ total: 35, totalCapped: false });
      expect(ids(first)).toEqual(expected.slice(0, 25));
      expect(ids(await page(form, 2))).toEqual(expected.slice(25));
    }
    // The filter itself (as the list calls it) picks a form and answers the same.
    const viaFilter = await queries().search({}, viewer, 25, [(await dueFilter.ticketIds(tenantScope(app.services.db, tenantId), 'overdue', list))!]);
    expect(viaFilter).toMatchObject({ total: 35, totalCapped: false });
    expect(ids(viaFilter)).toEqual(expected.slice(0, 25));
  });

  it('picks the form by the dialect and by how many clocks are late', async () => {
    const s = tenantScope(app.services.db, tenantId);
    const [few, many] = dialect === 'postgres' ? ['ids', 'list'] : ['list', 'row'];
    // 40 late open clocks: one each on the 35 listed tickets and the 5 deleted ones (the look counts clocks, not tickets).
    expect(await overdueForm(s, new Date(), list, 40)).toBe(few);
    expect(await overdueForm(s, new Date(), list, 39)).toBe(many);
    expect(await overdueForm(s, new Date(), list)).toBe(few);
  });

  it('stops counting at the cap and says so, while every page still lists the right tickets', async () => {
    await seed('late', SEARCH_COUNT_CAP);
    await seed('calm', 15);
    expect(expected).toHaveLength(SEARCH_COUNT_CAP + 35);
    const lastPage = Math.ceil(expected.length / 25);
    for (const form of forms) {
      const first = await page(form, 1);
      expect(first).toMatchObject({ total: SEARCH_COUNT_CAP, totalCapped: true });
      expect(ids(first)).toEqual(expected.slice(0, 25));
      expect(ids(await page(form, 40))).toEqual(expected.slice(975, 1000));
      expect(ids(await page(form, lastPage))).toEqual(expected.slice((lastPage - 1) * 25));
      expect(ids(await page(form, lastPage + 1))).toEqual([]);
    }
    // Through HTTP: the list says "more than 1,000" and offers the next page while pages are full.
    const html = await (await app.request('/t/sla-overdue/desk/tickets?queue=all&p.sla.due=overdue', { cookie })).text();
    expect(html).toMatch(/more than 1,?000/);
    expect(html).toContain('rel="next"');
    await app.services.db.updateTable('users').set({ locale: 'de' }).where('email', '=', 'agent@sla-overdue.test').execute();
    const german = await (await app.request('/t/sla-overdue/desk/tickets?queue=all&p.sla.due=overdue', { cookie })).text();
    expect(german).toMatch(/mehr als 1\.?000/);
    await app.services.db.updateTable('users').set({ locale: 'en' }).where('email', '=', 'agent@sla-overdue.test').execute();
    const last = await (await app.request(`/t/sla-overdue/desk/tickets?queue=all&p.sla.due=overdue&page=${lastPage}`, { cookie })).text();
    expect(last).not.toContain('rel="next"');
    for (const id of expected.slice((lastPage - 1) * 25)) {
      const number = (await scope.selectFrom('tickets').select('number').where('id', '=', id).executeTakeFirstOrThrow()).number;
      expect(last).toContain(`>${number}<`);
    }
  });
});
