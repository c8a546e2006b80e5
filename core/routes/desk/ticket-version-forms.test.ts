import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/harness/test-database.js';
import { form, htmx, ticketPageFixture, type TicketPageFixture } from './ticket-page-fixture.js';

/** Every reading of the clock is one second later. */
function steppingClock() {
  let at = Date.parse('2026-03-02T09:00:00.000Z');
  return () => new Date((at += 1000));
}

describe.each(dialects)('ticket forms carry the version on %s', (dialect) => {
  let f: TicketPageFixture;
  let globexCookie: string;
  beforeAll(async () => {
    f = await ticketPageFixture(dialect, { clock: steppingClock() });
    globexCookie = await f.app.signIn('agent@globex.test', 'globex');
  });
  afterAll(() => f.app.cleanup());

  const sue = () => ({ kind: 'user' as const, id: f.supervisorId, label: 'Sue Supervisor', can: () => true });
  const post = (number: string, path: string, values: Record<string, string>, cookie = f.cookies.agent) =>
    f.app.request(`/t/acme/desk/tickets/${number}${path}`, form(values, cookie, htmx));
  const versionIn = (html: string, formId: string) => new RegExp(`id="${formId}"[\\s\\S]*?name="version" value="(\\d+)"`).exec(html)?.[1];

  it('refuses a reply with a status change after a colleague changed the status: 409, the typed text kept, what changed listed', async () => {
    const ticket = await f.open('Reply race');
    await f.service(f.acme).changeStatus(ticket.number, 'waiting', sue());
    const refused = await post(ticket.number, '/articles', { kind: 'reply', body: 'Dear Carla, all fixed now.', statusAfter: 'solved', version: String(ticket.version) });
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain('<textarea id="f-body" name="body" rows="6">Dear Carla, all fixed now.</textarea>');
    expect(html).toMatch(/id="composer-stale"[\s\S]*?<strong>Status:<\/strong> <del>New<\/del> → <ins>Support waits<\/ins><span class="muted"> · Sue Supervisor, 2 Mar 2026, \d\d:\d\d/);
    expect(html).toMatch(/<option value="solved" selected/);
    const after = await f.ticket(ticket.number);
    expect(after.status).toBe('waiting');
    expect(await f.app.services.db.selectFrom('ticket_articles').select('id').where('ticket_id', '=', after.id).execute()).toHaveLength(0);
    // Sent again from the form as it came back: a deliberate decision, it goes through.
    expect(versionIn(html, 'ticket-composer')).toBe(String(after.version));
    const sent = await post(ticket.number, '/articles', { kind: 'reply', body: 'Dear Carla, all fixed now.', statusAfter: 'solved', version: String(after.version) });
    expect(sent.status).toBe(200);
    expect((await f.ticket(ticket.number)).status).toBe('solved');
  });

  it('refuses a status button and a forward against a colleague\'s change, keeping the forward\'s note', async () => {
    const ticket = await f.open('Header race');
    await f.service(f.acme).forward(ticket.number, { groupId: f.secondLevel }, sue());
    const status = await post(ticket.number, '/status', { to: 'waiting', version: String(ticket.version) });
    // The status itself nobody changed: the button passes.
    expect(status.status).toBe(200);
    const moved = await f.ticket(ticket.number);
    await f.service(f.acme).changeStatus(ticket.number, 'solved', sue());
    const refusedStatus = await post(ticket.number, '/status', { to: 'open', version: String(moved.version) });
    expect(refusedStatus.status).toBe(409);
    expect(await refusedStatus.text()).toMatch(/id="actions-stale"[\s\S]*?<del>Support waits<\/del> → <ins>Solved<\/ins>/);
    expect((await f.ticket(ticket.number)).status).toBe('solved');
    const forward = await post(ticket.number, '/forward', { group_id: String(f.firstLevel), note: 'Back to you, see the log', version: String(ticket.version) });
    expect(forward.status).toBe(409);
    const html = await forward.text();
    expect(html).toContain('<details class="ticket-disclosure" id="forward" open=""');
    expect(html).toContain('>Back to you, see the log</textarea>');
    expect(html).toMatch(/id="forward-stale"[\s\S]*?<strong>Group:<\/strong> <del>Servicedesk<\/del> → <ins>Systems<\/ins>/);
    expect((await f.ticket(ticket.number)).group_id).toBe(f.secondLevel);
  });

  it('assigns the owner in one step from the sidebar, only agents of the group, refused against a colleague\'s assignment', async () => {
    const ticket = await f.open('Owner');
    const page = await (await f.app.request(`/t/acme/desk/tickets/${ticket.number}`, { cookie: f.cookies.agent })).text();
    expect(page).toMatch(/<form id="ticket-owner"[\s\S]*?<select id="f-owner" name="assignee_id" data-autosubmit/);
    expect(page).toContain(`<option value="${f.agentId}">Me (agent)</option>`);
    // Sue is in the second-level group only: not offered, and refused when sent anyway.
    const owners = /<select id="f-owner"[\s\S]*?<\/select>/.exec(page)![0];
    expect(owners).not.toContain(`<option value="${f.supervisorId}"`);
    const outside = await post(ticket.number, '/owner', { assignee_id: String(f.supervisorId), version: String(ticket.version) });
    expect(outside.status).toBe(422);
    expect(await outside.text()).toContain('Choose an agent of the ticket’s group');
    const mine = await post(ticket.number, '/owner', { assignee_id: String(f.agentId), version: String(ticket.version) });
    expect(mine.status).toBe(200);
    expect(await mine.text()).toContain('The ticket is now assigned to agent.');
    const assigned = await f.ticket(ticket.number);
    expect([assigned.assignee_id, assigned.version]).toEqual([f.agentId, ticket.version + 1]);
    // Meanwhile the admin unassigns it; the agent's older form would silently put the owner back: refused.
    await f.service(f.acme).assign(ticket.number, null, f.system);
    const stale = await post(ticket.number, '/owner', { assignee_id: String(f.agentId), version: String(assigned.version) });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toMatch(/id="owner-stale"[\s\S]*?<del>agent<\/del> → <ins>—<\/ins>/);
    expect((await f.ticket(ticket.number)).assignee_id).toBeNull();
  });

  it('refreshes an untouched sidebar live and marks the fields colleagues changed on a touched one', async () => {
    const ticket = await f.open('Live sidebar');
    await f.service(f.acme).update(ticket.number, { priority: 4 }, sue());
    const live = (query: string) => f.app.request(`/t/acme/desk/tickets/${ticket.number}/live?since=${ticket.version}&version=${ticket.version}${query}`, { cookie: f.cookies.agent, headers: htmx });
    const untouched = await (await live('')).text();
    expect(untouched).toMatch(/<form id="ticket-fields"[^>]*hx-swap-oob="true"/);
    expect(versionIn(untouched, 'ticket-fields')).toBe(String(ticket.version + 1));
    const touched = await (await live('&touched=1')).text();
    expect(touched).not.toContain('<form id="ticket-fields"');
    expect(touched).toMatch(/<div id="ticket-fields-marks" class="field-marks" aria-live="polite" hx-swap-oob="true">/);
    expect(touched).toContain('<p class="field-mark" data-mark-for="priority"><strong>Priority</strong> · <span class="field-mark-text">changed by Sue Supervisor: normal → critical</span></p>');
    // Your own changes are no news to you.
    await f.service(f.acme).update(ticket.number, { priority: 3 }, { kind: 'user', id: f.agentId, label: 'agent', can: () => true });
    const mine = await (await f.app.request(`/t/acme/desk/tickets/${ticket.number}/live?since=${ticket.version + 1}&version=${ticket.version + 1}&touched=1`, { cookie: f.cookies.agent, headers: htmx })).text();
    expect(mine).toMatch(/<div id="ticket-fields-marks" aria-live="polite" hx-swap-oob="true"><\/div>/);
  });

  it('answers 404 for another tenant\'s ticket on the owner, presence and live routes', async () => {
    const ticket = await f.open('Acme only');
    const foreign = await f.openGlobex();
    for (const [path, values] of [['/owner', { assignee_id: '' }], ['/presence', { tab: 'tab-aaaaaaaa', state: 'viewing' }]] as const) {
      expect((await f.app.request(`/t/globex/desk/tickets/${ticket.number}${path}`, form(values, globexCookie, htmx))).status).toBe(404);
      expect((await post(foreign.number, path, values)).status).toBe(404);
    }
    expect((await f.app.request(`/t/globex/desk/tickets/${ticket.number}/presence`, { cookie: globexCookie, headers: htmx })).status).toBe(404);
    expect((await f.ticket(ticket.number)).assignee_id).toBeNull();
  });

  it('shows who else is on the ticket, viewing or editing, and forgets a tab that said goodbye', async () => {
    const ticket = await f.open('Presence');
    const list = async (cookie: string) => (await f.app.request(`/t/acme/desk/tickets/${ticket.number}/presence`, { cookie, headers: htmx })).text();
    const beat = await post(ticket.number, '/presence', { tab: 'sue-tab-0001', state: 'viewing' }, f.cookies.supervisor);
    expect(beat.status).toBe(200);
    expect(await beat.text()).toContain('hidden=""'); // nobody else yet
    expect(await list(f.cookies.agent)).toContain('<span class="presence-person presence-viewing" data-user="' + f.supervisorId + '">sue (viewing)</span>');
    await post(ticket.number, '/presence', { tab: 'sue-tab-0001', state: 'editing' }, f.cookies.supervisor);
    expect(await list(f.cookies.agent)).toContain('sue (editing)');
    expect(await list(f.cookies.supervisor)).not.toContain('sue (');
    expect((await post(ticket.number, '/presence', { tab: 'sue-tab-0001', state: 'typing' }, f.cookies.supervisor)).status).toBe(422);
    expect((await post(ticket.number, '/presence', { tab: 'sue-tab-0001', state: 'gone' }, f.cookies.supervisor)).status).toBe(204);
    expect(await list(f.cookies.agent)).not.toContain('sue (');
  });
});
