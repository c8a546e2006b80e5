import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { dialects } from '../../../test/harness/test-database.js';
import { form, htmx, ticketPageFixture, type TicketPageFixture } from './ticket-page-fixture.js';

describe.each(dialects)('ticket actions on %s', (dialect) => {
  let f: TicketPageFixture;
  beforeAll(async () => { f = await ticketPageFixture(dialect); });
  afterAll(() => f.app.cleanup());

  const post = (number: string, action: string, values: Record<string, string>, cookie = f.cookies.agent, headers: Record<string, string> = {}) =>
    f.app.request(`/t/acme/desk/tickets/${number}/${action}`, form(values, cookie, headers));
  const articles = (ticketId: number) => tenantScope(f.app.services.db, f.acme.id).selectFrom('ticket_articles').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();

  it('accepts a new ticket: mine, open, with the chosen priority', async () => {
    const ticket = await f.open('Accept me');
    const response = await post(ticket.number, 'accept', { priority: '3' });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe(`/t/acme/desk/tickets/${ticket.number}`);
    expect(await f.ticket(ticket.number)).toMatchObject({ status: 'open', assignee_id: f.agentId, priority: 3 });
  });

  it('walks every status action over HTTP; a forbidden move is 409, an agent closing is 403', async () => {
    const ticket = await f.open('Lifecycle');
    await post(ticket.number, 'accept', {});
    for (const [to, expected] of [['waiting', 'waiting'], ['open', 'open'], ['solved', 'solved'], ['open', 'open'], ['solved', 'solved']] as const) {
      const response = await post(ticket.number, 'status', { to });
      expect(response.status, to).toBe(303);
      expect((await f.ticket(ticket.number)).status).toBe(expected);
    }
    // The reply box's "status after sending" follows the header's action without a reload (out of band; the composer stays).
    const reopened = await (await post(ticket.number, 'status', { to: 'open' }, f.cookies.agent, htmx)).text();
    expect(reopened).toMatch(/<div id="composer-status-after" class="composer-status-after" hx-swap-oob="true">.*<option value="">keep \(Customer waits\)<\/option><option value="waiting">Support waits<\/option><option value="solved">Solved<\/option>/s);
    expect(reopened).not.toContain('id="ticket-composer"');
    expect((await post(ticket.number, 'status', { to: 'solved' }, f.cookies.agent, htmx)).status).toBe(200);
    const agentCloses = await post(ticket.number, 'status', { to: 'closed' }, f.cookies.agent, htmx);
    expect(agentCloses.status).toBe(403);
    expect(await agentCloses.text()).toContain('Only supervisors may close tickets');
    expect((await f.ticket(ticket.number)).status).toBe('solved');
    const closes = await post(ticket.number, 'status', { to: 'closed' }, f.cookies.supervisor, htmx);
    expect(closes.status).toBe(200);
    const fragment = await closes.text();
    expect(fragment).not.toContain('<html');
    expect(fragment).toMatch(/id="ticket-status">Closed</);
    expect(fragment).toMatch(/id="ticket-composer"[^>]*hx-swap-oob="true"/);
    expect(fragment).toContain('Status is now “Closed”.');
    expect((await f.ticket(ticket.number)).status).toBe('closed');
    // A closed ticket is final: reopening is refused with a message htmx shows as a toast.
    const reopen = await post(ticket.number, 'status', { to: 'open' }, f.cookies.supervisor, htmx);
    expect(reopen.status).toBe(409);
    expect(reopen.headers.get('HX-Retarget')).toBe('#toasts');
    expect(await reopen.text()).toContain('A closed ticket cannot be changed.');
    const other = await f.open('Not solved yet');
    await post(other.number, 'accept', {});
    const early = await post(other.number, 'status', { to: 'closed' }, f.cookies.supervisor);
    expect(early.status).toBe(409);
    expect(await early.text()).toContain('A ticket must be solved before it can be closed.');
    expect((await post(other.number, 'status', { to: 'bogus' })).status).toBe(422);
    expect((await f.ticket(other.number)).status).toBe('open');
  });

  it('sends a reply with attachments and a status after sending; htmx gets a cleared composer and the new timeline', async () => {
    const ticket = await f.open('Reply with files');
    const body = new FormData();
    body.set('kind', 'reply');
    body.set('body', 'Please see the attached log.');
    body.set('statusAfter', 'waiting');
    body.append('attachments', new File(['line 1\nline 2\n'], 'drucker log ä.txt', { type: 'text/plain' }));
    body.append('attachments', new File([new Uint8Array([1, 2, 3])], 'shot.png', { type: 'image/png' }));
    const response = await f.app.request(`/t/acme/desk/tickets/${ticket.number}/articles`, { method: 'POST', body, cookie: f.cookies.agent, headers: htmx });
    expect(response.status).toBe(200);
    const fragment = await response.text();
    expect(fragment).toMatch(/^<form id="ticket-composer"/);
    expect(fragment).toMatch(/<textarea id="f-body" name="body" rows="6"[^>]*><\/textarea>/);
    expect(fragment).toMatch(/id="ticket-timeline"[^>]*hx-swap-oob="true"/);
    expect(fragment).toContain('Please see the attached log.');
    expect(fragment).toContain('drucker log ä.txt');
    expect(fragment).toContain('Reply sent.');
    const current = await f.ticket(ticket.number);
    expect(current.status).toBe('waiting');
    const [article] = await articles(current.id);
    expect(article).toMatchObject({ kind: 'reply', body_text: 'Please see the attached log.', author_user_id: f.agentId });
    const files = await tenantScope(f.app.services.db, f.acme.id).selectFrom('ticket_attachments').select(['id', 'filename', 'article_id', 'size']).where('ticket_id', '=', current.id).orderBy('id').execute();
    expect(files).toMatchObject([{ filename: 'drucker log ä.txt', article_id: article!.id, size: 14 }, { filename: 'shot.png', size: 3 }]);
    const download = await f.app.request(`/t/acme/desk/tickets/${ticket.number}/attachments/${files[0]!.id}`, { cookie: f.cookies.agent });
    expect(download.status).toBe(200);
    expect(download.headers.get('Content-Type')).toBe('text/plain');
    expect(download.headers.get('Content-Disposition')).toBe(`attachment; filename="drucker log a.txt"; filename*=UTF-8''drucker%20log%20%C3%A4.txt`);
    expect(download.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(download.headers.get('Cache-Control')).toBe('private');
    expect(await download.text()).toBe('line 1\nline 2\n');
  });

  it('sets "waiting until" with the reply that sets waiting, in the tenant\'s zone; a past or impossible time is refused at the field, keeping the text', async () => {
    const zone = (await f.app.services.db.selectFrom('tenants').select('time_zone').where('id', '=', f.acme.id).executeTakeFirstOrThrow()).time_zone;
    expect(zone).toBe('Europe/Berlin');
    const ticket = await f.open('Ask back with a time');
    await post(ticket.number, 'accept', {});
    const page = await (await f.app.request(`/t/acme/desk/tickets/${ticket.number}`, { cookie: f.cookies.agent })).text();
    // The composer's field has ids of its own beside the header's waiting form.
    expect(page).toMatch(/<div class="field composer-waiting"><label for="composer-f-waiting_until">Waiting until<\/label><input id="composer-f-waiting_until" name="waiting_until" type="datetime-local"/);
    const past = await post(ticket.number, 'articles', { kind: 'reply', body: 'Which version do you run?', statusAfter: 'waiting', waiting_until: '2020-01-02T09:00' });
    expect(past.status).toBe(422);
    const refused = await past.text();
    expect(refused).toMatch(/id="composer-waiting_until-error" class="field-error">Choose a time in the future.</);
    expect(refused).toMatch(/<textarea id="f-body" name="body"[^>]*>Which version do you run\?<\/textarea>/);
    expect((await post(ticket.number, 'articles', { kind: 'reply', body: 'x', statusAfter: 'waiting', waiting_until: 'next week' })).status).toBe(422);
    expect(await articles((await f.ticket(ticket.number)).id)).toEqual([]);
    expect((await f.ticket(ticket.number)).status).toBe('open');
    const sent = await post(ticket.number, 'articles', { kind: 'reply', body: 'Which version do you run?', statusAfter: 'waiting', waiting_until: '2030-03-04T09:30' });
    expect(sent.status).toBe(303);
    expect(await f.ticket(ticket.number)).toMatchObject({ status: 'waiting', waiting_until: '2030-03-04T08:30:00.000Z' });
    const lines = await tenantScope(f.app.services.db, f.acme.id).selectFrom('ticket_history').select(['action', 'note']).where('ticket_id', '=', ticket.id).where('action', '=', 'waiting_until').execute();
    expect(lines).toEqual([{ action: 'waiting_until', note: '2030-03-04 09:30' }]);
    // With another status after sending the (hidden) field is ignored; solving clears the time.
    expect((await post(ticket.number, 'articles', { kind: 'reply', body: 'Fixed.', statusAfter: 'solved', waiting_until: '2031-01-01T10:00' })).status).toBe(303);
    expect(await f.ticket(ticket.number)).toMatchObject({ status: 'solved', waiting_until: null });
  });

  it('refuses an .exe with 422 at the attachment field and stores nothing; without JS the page keeps the text', async () => {
    const ticket = await f.open('Dangerous file');
    const body = new FormData();
    body.set('kind', 'reply');
    body.set('body', 'Here is the tool');
    body.append('attachments', new File([new Uint8Array([77, 90])], 'tool.exe'));
    const response = await f.app.request(`/t/acme/desk/tickets/${ticket.number}/articles`, { method: 'POST', body, cookie: f.cookies.agent });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('<!doctype html>');
    expect(html).toMatch(/id="attachments-error" class="field-error">“tool.exe” is a file type that cannot be attached.</);
    expect(html).toMatch(/<textarea id="f-body" name="body"[^>]*>Here is the tool<\/textarea>/);
    expect(await articles(ticket.id)).toEqual([]);
    expect((await f.ticket(ticket.number)).status).toBe('new');
    const empty = await post(ticket.number, 'articles', { kind: 'reply', body: '  ' }, f.cookies.agent, htmx);
    expect(empty.status).toBe(422);
    expect(await empty.text()).toMatch(/^<form id="ticket-composer"[\s\S]*id="body-error"/);
  });

  it('saves an internal note that is shown as internal and leaves the status alone', async () => {
    const ticket = await f.open('Internal');
    expect((await post(ticket.number, 'articles', { kind: 'note', body: 'Only for us' })).status).toBe(303);
    const [note] = await articles(ticket.id);
    expect(note).toMatchObject({ kind: 'note', body_text: 'Only for us' });
    expect((await f.ticket(ticket.number)).status).toBe('new');
    const html = await (await f.app.request(`/t/acme/desk/tickets/${ticket.number}`, { cookie: f.cookies.agent })).text();
    expect(html).toMatch(new RegExp(`class="entry entry-article entry-note" id="article-${note!.id}"[\\s\\S]*?Internal note[\\s\\S]*?Only for us`));
  });

  it('forwards to another group with a note and a message to the customer; nothing chosen is 422 in the open dialog', async () => {
    const ticket = await f.open('Forward me');
    await post(ticket.number, 'accept', {});
    const missing = await post(ticket.number, 'forward', { group_id: '', assignee_id: '', note: 'x' }, f.cookies.agent, htmx);
    expect(missing.status).toBe(422);
    const dialog = await missing.text();
    expect(dialog).toMatch(/^<section id="ticket-header"/);
    expect(dialog).toMatch(/<details class="ticket-disclosure" id="forward" open/);
    expect(dialog).toContain('Choose a group or an agent to forward to.');
    const response = await post(ticket.number, 'forward', { group_id: String(f.secondLevel), assignee_id: '', note: 'Needs 2nd level', customerMessage: 'We passed this to our specialists.' });
    expect(response.status).toBe(303);
    const current = await f.ticket(ticket.number);
    // The agent is no member of Systems, so the ticket goes to the group.
    expect(current).toMatchObject({ group_id: f.secondLevel, assignee_id: null });
    expect((await articles(current.id)).map((a) => [a.kind, a.body_text])).toEqual([['note', 'Needs 2nd level'], ['reply', 'We passed this to our specialists.']]);
    expect((await post(ticket.number, 'forward', { group_id: '999999' })).status).toBe(422);
  });

  it('updates fields and custom fields; a missing required custom field is 422 inline and changes nothing', async () => {
    const ticket = await f.open('Fields', { category: 'Software' });
    const before = await f.ticket(ticket.number);
    const refused = await post(ticket.number, 'fields', {
      priority: '4', category: 'Hardware', organisation_id: String(f.organisationId), requester_id: String(f.requesterId), contract_id: String(f.contractId),
      'custom_fields.serial': '', 'custom_fields.impact': 'company', 'custom_fields.onsite': '',
    }, f.cookies.agent, htmx);
    expect(refused.status).toBe(422);
    const fragment = await refused.text();
    expect(fragment).toMatch(/^<form id="ticket-fields"/);
    expect(fragment).toMatch(/id="custom_fields.serial-error" class="field-error">Please fill in this field./);
    expect(fragment).toMatch(/<option value="4" selected="">critical<\/option>/);
    expect(await f.ticket(ticket.number)).toEqual(before);
    expect(before).toMatchObject({ priority: 2, category: 'Software' });
    const bad = await post(ticket.number, 'fields', { priority: '2', category: 'Software', 'custom_fields.impact': 'planet' });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toMatch(/id="custom_fields.impact-error"/);
    const saved = await post(ticket.number, 'fields', {
      priority: '4', category: 'Hardware', organisation_id: String(f.organisationId), requester_id: String(f.requesterId), contract_id: '',
      'custom_fields.serial': 'SN-42', 'custom_fields.impact': 'company', 'custom_fields.onsite': '1',
    }, f.cookies.agent, htmx);
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('Details saved.');
    const current = await f.ticket(ticket.number);
    expect(current).toMatchObject({ priority: 4, category: 'Hardware', contract_id: null });
    expect(JSON.parse(current.custom_fields)).toEqual({ serial: 'SN-42', impact: 'company', onsite: true });
    const foreignContract = await post(ticket.number, 'fields', { priority: '4', category: 'Hardware', organisation_id: String(f.otherOrganisationId), contract_id: String(f.contractId), 'custom_fields.serial': 'SN-42' });
    expect(foreignContract.status).toBe(422);
    expect(await foreignContract.text()).toContain('The contract belongs to another organisation.');
    expect((await f.ticket(ticket.number)).organisation_id).toBe(f.organisationId);
  });

  it('deletes and restores for admins only', async () => {
    const ticket = await f.open('Delete me');
    expect((await post(ticket.number, 'delete', {})).status).toBe(403);
    expect((await post(ticket.number, 'delete', {}, f.cookies.supervisor)).status).toBe(403);
    expect((await f.ticket(ticket.number)).deleted_at).toBeNull();
    // The page asks first and says where a deleted ticket can be restored; a post without that confirmation deletes nothing.
    const page = await (await f.app.request(`/t/acme/desk/tickets/${ticket.number}`, { cookie: f.cookies.admin })).text();
    expect(page).toContain('id="delete-confirm"');
    expect(page).toContain('Show deleted tickets');
    expect((await post(ticket.number, 'delete', {}, f.cookies.admin)).status).toBe(303);
    expect((await f.ticket(ticket.number)).deleted_at).toBeNull();
    expect((await post(ticket.number, 'delete', { confirm: '1' }, f.cookies.admin)).status).toBe(303);
    expect((await f.ticket(ticket.number)).deleted_at).not.toBeNull();
    expect((await f.app.request(`/t/acme/desk/tickets/${ticket.number}`, { cookie: f.cookies.agent })).status).toBe(404);
    expect((await post(ticket.number, 'status', { to: 'solved' })).status).toBe(404);
    expect((await post(ticket.number, 'restore', {})).status).toBe(403);
    expect((await post(ticket.number, 'restore', {}, f.cookies.admin)).status).toBe(303);
    expect((await f.ticket(ticket.number)).deleted_at).toBeNull();
  });

  it('answers 404 for another tenant\'s ticket on every action and changes nothing', async () => {
    const foreign = await f.openGlobex();
    const before = await f.ticket(foreign.number);
    const actions: Array<[string, Record<string, string>]> = [
      ['accept', {}], ['status', { to: 'solved' }], ['articles', { kind: 'reply', body: 'hijack' }], ['forward', { group_id: String(f.secondLevel) }],
      ['fields', { priority: '4' }], ['delete', { confirm: '1' }], ['restore', {}],
    ];
    for (const [action, values] of actions) {
      const response = await post(foreign.number, action, values, f.cookies.admin);
      expect(response.status, action).toBe(404);
    }
    expect(await f.ticket(foreign.number)).toEqual(before);
    expect(await f.app.services.db.selectFrom('ticket_articles').select('id').where('ticket_id', '=', before.id).execute()).toEqual([]);
    expect(await f.app.services.db.selectFrom('ticket_history').select('action').where('ticket_id', '=', before.id).execute()).toEqual([{ action: 'created' }]);
  });
});
