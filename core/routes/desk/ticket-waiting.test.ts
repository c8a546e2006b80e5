import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemJobHandlers } from '../../jobs/system-jobs.js';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { bumpConfigRevision } from '../../tenancy/tenant-directory.js';
import { dialects } from '../../../test/harness/test-database.js';
import { form, htmx, ticketPageFixture, type TicketPageFixture } from './ticket-page-fixture.js';

// "Waiting until" through the real routes and the real job, in Berlin, on the day the clocks go forward
// (29 March 2026, 02:00 -> 03:00): 09:30 local is 07:30 UTC that day (it would be 08:30 the day before).

describe.each(dialects)('waiting until on %s', (dialect) => {
  let f: TicketPageFixture;
  let now = new Date('2026-03-28T10:00:00Z');
  beforeAll(async () => {
    f = await ticketPageFixture(dialect, { clock: () => now });
    await f.app.services.db.updateTable('tenants').set({ time_zone: 'Europe/Berlin' }).execute();
    await bumpConfigRevision(f.app.services.db);
  });
  afterAll(() => f.app.cleanup());

  let agent = '';
  /** Moves the clock and signs the agent in again (a session does not outlive a jump of days). */
  const at = async (iso: string) => {
    now = new Date(iso);
    agent = await f.app.signIn('agent@acme.test', 'acme');
  };
  const post = (number: string, values: Record<string, string>, cookie = agent, headers: Record<string, string> = htmx) =>
    f.app.request(`/t/acme/desk/tickets/${number}/waiting`, form(values, cookie, { ...headers, 'Accept-Language': 'en' }));
  const wake = async (iso: string) => {
    now = new Date(iso);
    const { mailer, registry, tenants } = f.app.services;
    await systemJobHandlers({ mailer, registry, tenants, services: f.app.services })['core.waiting-wakeup']!({ tenantId: null, payload: null, db: f.app.services.db, clock: () => now });
  };
  const history = async (ticketId: number) => (await tenantScope(f.app.services.db, f.acme.id).selectFrom('ticket_history').select(['action', 'field', 'old_value', 'new_value', 'note', 'actor_label'])
    .where('ticket_id', '=', ticketId).orderBy('id').execute());

  it('asks for an optional time when setting waiting, stores the instant across the DST change, and shows it in both languages', async () => {
    await at('2026-03-28T10:00:00Z');
    const ticket = await f.open('Waits on the customer');
    await f.service(f.acme).accept(ticket.number, { kind: 'user', id: f.agentId, label: 'agent', can: () => true });
    const page = await (await f.app.request(`/t/acme/desk/tickets/${ticket.number}`, { cookie: agent, headers: { 'Accept-Language': 'de' } })).text();
    expect(page).toMatch(/<form[^>]*id="waiting-form"/);
    expect(page).toContain('type="datetime-local"');
    expect(page).toContain('Wiedervorlage am');
    expect(page).toContain('Zeitzone Europe/Berlin');

    const response = await post(ticket.number, { waiting_until: '2026-03-29T09:30' });
    expect(response.status).toBe(200);
    const fragment = await response.text();
    expect(fragment).toMatch(/id="ticket-status">Support waits/);
    expect(fragment).toContain('id="fact-waiting-until"');
    const saved = await f.ticket(ticket.number);
    expect(saved).toMatchObject({ status: 'waiting', waiting_until: '2026-03-29T07:30:00.000Z' });
    // The form shows it back as the wall time it was entered in.
    expect(fragment).toContain('value="2026-03-29T09:30"');
    expect((await history(saved.id)).map((h) => h.action)).toEqual(['created', 'assigned', 'status', 'status', 'waiting_until']);
    expect((await history(saved.id)).at(-1)).toMatchObject({ note: '2026-03-29 09:30' });
    const english = await (await f.app.request(`/t/acme/desk/tickets/${ticket.number}`, { cookie: agent, headers: { 'Accept-Language': 'en' } })).text();
    expect(english).toContain('set waiting until 2026-03-29 09:30');

    // Not yet at 07:29 UTC (09:29 in Berlin, summer time); at 07:30 it comes back, once.
    await wake('2026-03-29T07:29:00Z');
    expect((await f.ticket(ticket.number)).status).toBe('waiting');
    await wake('2026-03-29T07:30:00Z');
    await wake('2026-03-29T07:31:00Z');
    const woken = await f.ticket(ticket.number);
    expect(woken).toMatchObject({ status: 'open', waiting_until: null, updated_at: '2026-03-29T07:30:00.000Z' });
    const lines = await history(woken.id);
    expect(lines.slice(-2)).toEqual([
      { action: 'waiting_due', field: null, old_value: null, new_value: null, note: '2026-03-29 09:30', actor_label: 'Follow-up' },
      { action: 'status', field: 'status', old_value: 'waiting', new_value: 'open', note: null, actor_label: 'Follow-up' },
    ]);
    const notes = await tenantScope(f.app.services.db, f.acme.id).selectFrom('notifications').select(['user_id', 'kind', 'summary']).where('ticket_id', '=', woken.id).where('kind', '=', 'waiting_due').execute();
    expect(notes).toEqual([{ user_id: f.agentId, kind: 'waiting_due', summary: `Waiting time over: ${ticket.number} Waits on the customer is back in your queue.` }]);
  });

  it('refuses a time in the past and one in the skipped hour with a field message, changing nothing', async () => {
    await at('2026-03-28T10:00:00Z');
    const ticket = await f.open('Refused times');
    const past = await post(ticket.number, { waiting_until: '2026-03-28T10:00' });
    expect(past.status).toBe(422);
    expect(await past.text()).toContain('Choose a time in the future.');
    const gap = await post(ticket.number, { waiting_until: '2026-03-29T02:30' });
    expect(gap.status).toBe(422);
    const text = await gap.text();
    expect(text).toContain('Enter a date and time that exists in this time zone.');
    expect(text).toContain('value="2026-03-29T02:30"');
    expect(await f.ticket(ticket.number)).toMatchObject({ status: 'new', waiting_until: null });
  });

  it('in the hour that repeats when the clocks go back takes the first (summer) one; a wake-up without an assignee tells the group', async () => {
    await at('2026-10-20T10:00:00Z');
    const ticket = await f.open('Autumn');
    const response = await post(ticket.number, { waiting_until: '2026-10-25T02:30' }, agent, {});
    expect(response.status).toBe(303);
    // New -> waiting by an agent takes the ticket; free it again to see the group told.
    await f.app.services.db.updateTable('tickets').set({ assignee_id: null }).where('number', '=', ticket.number).execute();
    expect((await f.ticket(ticket.number)).waiting_until).toBe('2026-10-25T00:30:00.000Z');
    await wake('2026-10-25T00:30:00Z');
    const woken = await f.ticket(ticket.number);
    expect(woken.status).toBe('open');
    const told = await tenantScope(f.app.services.db, f.acme.id).selectFrom('notifications').select('user_id').where('ticket_id', '=', woken.id).where('kind', '=', 'waiting_due').execute();
    expect(told).toEqual([{ user_id: f.agentId }]);
  });

  it('clears the time when the ticket leaves waiting any other way, and a cleared one is not woken', async () => {
    await at('2026-04-01T10:00:00Z');
    const ticket = await f.open('Customer answered');
    expect((await post(ticket.number, { waiting_until: '2026-04-02T08:00' })).status).toBe(200);
    await f.service(f.acme).changeStatus(ticket.number, 'open', f.system);
    expect(await f.ticket(ticket.number)).toMatchObject({ status: 'open', waiting_until: null });
    const again = await f.open('Changed its mind');
    expect((await post(again.number, { waiting_until: '2026-04-02T08:00' })).status).toBe(200);
    expect((await post(again.number, { waiting_until: '' })).status).toBe(200);
    expect(await f.ticket(again.number)).toMatchObject({ status: 'waiting', waiting_until: null });
    await wake('2026-04-03T00:00:00Z');
    expect((await f.ticket(again.number)).status).toBe('waiting');
  });

  it('answers 404 for another tenant\'s ticket, from either side', async () => {
    await at('2026-04-01T10:00:00Z');
    const foreign = await f.openGlobex();
    const response = await post(foreign.number, { waiting_until: '2026-04-02T08:00' });
    expect(response.status).toBe(404);
    expect(await f.ticket(foreign.number)).toMatchObject({ status: 'new', waiting_until: null });
    // A Globex agent cannot reach ACME's ticket through Globex's address either.
    const mine = await f.open('ACME only');
    const globexCookie = await f.app.signIn('agent@globex.test', 'globex');
    const cross = await f.app.request(`/t/globex/desk/tickets/${mine.number}/waiting`, form({ waiting_until: '2026-04-02T08:00' }, globexCookie, htmx));
    expect(cross.status).toBe(404);
    expect((await f.ticket(mine.number)).waiting_until).toBeNull();
  });
});
