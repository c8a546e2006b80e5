import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../auth/api-tokens.js';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { dialects } from '../../../test/harness/test-database.js';
import { form, htmx, ticketPageFixture, type TicketPageFixture } from './ticket-page-fixture.js';

// Ticket links and tags through the ticket page's routes, on both dialects, with another tenant next door.

describe.each(dialects)('ticket links and tags on %s', (dialect) => {
  let f: TicketPageFixture;
  beforeAll(async () => { f = await ticketPageFixture(dialect); });
  afterAll(() => f.app.cleanup());

  const post = (number: string, action: string, values: Record<string, string>, cookie = f.cookies.agent, headers: Record<string, string> = htmx) =>
    f.app.request(`/t/acme/desk/tickets/${number}/${action}`, form(values, cookie, { 'Accept-Language': 'en', ...headers }));
  const get = async (path: string, language = 'en', cookie = f.cookies.agent) => {
    const response = await f.app.request(`/t/acme${path}`, { cookie, headers: { 'Accept-Language': language, ...htmx } });
    return { status: response.status, text: await response.text() };
  };
  const page = async (number: string, language = 'en') => (await f.app.request(`/t/acme/desk/tickets/${number}`, { cookie: f.cookies.agent, headers: { 'Accept-Language': language } })).text();
  const history = async (ticketId: number, action: string) => (await tenantScope(f.app.services.db, f.acme.id).selectFrom('ticket_history').select(['field', 'note'])
    .where('ticket_id', '=', ticketId).where('action', '=', action).orderBy('id').execute());

  it('links two tickets by number with a lookup, shows the link both ways and writes it into both histories', async () => {
    const parent = await f.open('Network down in building B');
    const child = await f.open('Printer in B offline');
    const lookup = await get(`/desk/tickets/${child.number}/links/lookup?other=${parent.number}`);
    expect(lookup.status).toBe(200);
    expect(lookup.text).toContain(`${parent.number} · Network down in building B (New)`);
    expect((await get(`/desk/tickets/${child.number}/links/lookup?other=1999-000001`)).text).toContain('No ticket with this number.');

    const response = await post(child.number, 'links', { role: 'child_of', other: ` #${parent.number} ` });
    expect(response.status).toBe(200);
    const fragment = await response.text();
    expect(fragment).toMatch(/^<div id="ticket-followup"/);
    expect(fragment).toMatch(new RegExp(`child of</span> <a href="/t/acme/desk/tickets/${parent.number}">${parent.number}</a> Network down`));
    expect(fragment).toMatch(/id="ticket-header"[^>]*hx-swap-oob/);
    expect(await page(parent.number)).toMatch(new RegExp(`parent of</span> <a href="/t/acme/desk/tickets/${child.number}">${child.number}</a>`));
    expect(await page(parent.number, 'de')).toContain('übergeordnet zu</span>');
    expect(await history(child.id, 'link_added')).toEqual([{ field: 'child_of', note: parent.number }]);
    expect(await history(parent.id, 'link_added')).toEqual([{ field: 'parent_of', note: child.number }]);
    expect(await page(parent.number)).toContain(`linked: parent of ${child.number}`);

    const [row] = await tenantScope(f.app.services.db, f.acme.id).selectFrom('ticket_links').selectAll().where('to_ticket_id', '=', child.id).execute();
    expect(row).toMatchObject({ from_ticket_id: parent.id, to_ticket_id: child.id, kind: 'parent' });
    // Removing it from the other side takes it off both and says so in both histories.
    expect((await post(parent.number, `links/${row!.id}/delete`, {})).status).toBe(200);
    expect(await tenantScope(f.app.services.db, f.acme.id).selectFrom('ticket_links').select('id').execute()).toEqual([]);
    expect(await history(child.id, 'link_removed')).toEqual([{ field: 'child_of', note: parent.number }]);
    expect(await history(parent.id, 'link_removed')).toEqual([{ field: 'parent_of', note: child.number }]);
  });

  it('refuses itself, an unknown or foreign number and a pair already linked (either way) with a field message', async () => {
    const a = await f.open('A');
    const b = await f.open('B');
    const foreign = await f.openGlobex();
    expect((await post(a.number, 'links', { role: 'related', other: b.number })).status).toBe(200);
    for (const [other, message] of [[a.number, 'A ticket cannot be linked with itself.'], ['1999-000001', 'No ticket with this number.'], [foreign.number, 'No ticket with this number.']] as const) {
      const response = await post(a.number, 'links', { role: 'related', other });
      expect(response.status).toBe(422);
      expect(await response.text()).toContain(message);
    }
    const twice = await post(b.number, 'links', { role: 'duplicate_of', other: a.number });
    expect(twice.status).toBe(422);
    expect(await twice.text()).toContain(`This ticket is already linked with ${a.number}.`);
    expect((await post(a.number, 'links', { role: 'sibling_of', other: b.number })).status).toBe(422);
    expect(await tenantScope(f.app.services.db, f.acme.id).selectFrom('ticket_links').select('id').where('from_ticket_id', 'in', [a.id, b.id]).execute()).toHaveLength(1);
  });

  it('offers closing a duplicate: an agent solves it with a note, a supervisor closes it', async () => {
    const original = await f.open('Mail server slow');
    const duplicate = await f.open('Mail is slow (again)');
    const response = await post(duplicate.number, 'links', { role: 'duplicate_of', other: original.number });
    const fragment = await response.text();
    expect(fragment).toContain(`This ticket is a duplicate of ${original.number}. Close it?`);
    expect(fragment).toMatch(/<form[^>]*id="close-duplicate"/);
    expect(await page(original.number)).toContain(`has duplicate</span> <a href="/t/acme/desk/tickets/${duplicate.number}">`);
    expect((await post(duplicate.number, 'close-duplicate', {})).status).toBe(200);
    expect((await f.ticket(duplicate.number)).status).toBe('solved');
    const note = await tenantScope(f.app.services.db, f.acme.id).selectFrom('ticket_articles').select(['kind', 'body_text']).where('ticket_id', '=', duplicate.id).execute();
    expect(note).toEqual([{ kind: 'note', body_text: `Duplicate of ${original.number}.` }]);
    const second = await f.open('Mail slow, third report');
    await post(second.number, 'links', { role: 'duplicate_of', other: original.number });
    expect((await post(second.number, 'close-duplicate', {}, f.cookies.supervisor)).status).toBe(200);
    expect((await f.ticket(second.number)).status).toBe('closed');
    // Without a duplicate-of link there is nothing to close.
    expect((await post(original.number, 'close-duplicate', {})).status).toBe(409);
  });

  it('tags with suggestions from the tenant\'s own tags (case-insensitive, one tag per name), removes them, writes history', async () => {
    const ticket = await f.open('VPN drops');
    const other = await f.open('VPN slow');
    expect((await post(ticket.number, 'tags', { tag: '  VPN  ' })).status).toBe(200);
    expect((await post(other.number, 'tags', { tag: 'vpn' })).status).toBe(200);
    expect((await post(other.number, 'tags', { tag: 'Vertrieb' })).status).toBe(200);
    const globex = await f.openGlobex();
    const globexCookie = await f.app.signIn('agent@globex.test', 'globex');
    expect((await f.app.request(`/t/globex/desk/tickets/${globex.number}/tags`, form({ tag: 'Verschlüsselt' }, globexCookie, htmx))).status).toBe(200);
    const tags = await tenantScope(f.app.services.db, f.acme.id).selectFrom('tags').select(['name', 'name_key']).orderBy('name_key').execute();
    expect(tags).toEqual([{ name: 'Vertrieb', name_key: 'vertrieb' }, { name: 'VPN', name_key: 'vpn' }]);
    const suggest = await get(`/desk/tickets/${ticket.number}/tags/suggest?tag=v`);
    expect(suggest.text).toBe('<option value="Vertrieb"></option><option value="VPN"></option>');
    expect((await get(`/desk/tickets/${ticket.number}/tags/suggest?tag=VE`)).text).toBe('<option value="Vertrieb"></option>');
    const fragment = await (await post(ticket.number, 'tags', { tag: 'vpn' })).text();
    expect(fragment.match(/class="tag-name">VPN</g)).toHaveLength(1);
    expect(await history(ticket.id, 'tag_added')).toEqual([{ field: null, note: 'VPN' }]);
    expect(await page(ticket.number, 'de')).toContain('fügte das Schlagwort VPN hinzu');
    const vpn = (await tenantScope(f.app.services.db, f.acme.id).selectFrom('tags').select('id').where('name_key', '=', 'vpn').executeTakeFirstOrThrow()).id;
    expect((await post(ticket.number, `tags/${vpn}/delete`, {})).status).toBe(200);
    expect(await history(ticket.id, 'tag_removed')).toEqual([{ field: null, note: 'VPN' }]);
    expect((await post(ticket.number, `tags/${vpn}/delete`, {})).status).toBe(404);
    const tooLong = await post(ticket.number, 'tags', { tag: 'x'.repeat(41) });
    expect(tooLong.status).toBe(422);
  });

  it('answers 404 on every new route for another tenant\'s ticket, and for a link or tag of another ticket', async () => {
    const foreign = await f.openGlobex();
    for (const [method, action] of [['GET', 'links/lookup?other=x'], ['POST', 'links'], ['POST', 'links/1/delete'], ['POST', 'close-duplicate'], ['GET', 'tags/suggest?tag=v'], ['POST', 'tags'], ['POST', 'tags/1/delete']] as const) {
      const response = method === 'GET' ? await get(`/desk/tickets/${foreign.number}/${action}`) : await post(foreign.number, action, { tag: 'x', other: foreign.number, role: 'related' });
      expect(response.status, action).toBe(404);
    }
    expect(await tenantScope(f.app.services.db, f.globex.id).selectFrom('ticket_links').select('id').execute()).toEqual([]);
    // A link id of another ticket pair is not this ticket's.
    const a = await f.open('Pair A');
    const b = await f.open('Pair B');
    const c = await f.open('Bystander');
    await post(a.number, 'links', { role: 'related', other: b.number });
    const link = (await tenantScope(f.app.services.db, f.acme.id).selectFrom('ticket_links').select('id').where('from_ticket_id', '=', a.id).executeTakeFirstOrThrow()).id;
    expect((await post(c.number, `links/${link}/delete`, {})).status).toBe(404);
    // Globex's agent reaches neither ACME's link routes nor its tags through Globex's address.
    const globexCookie = await f.app.signIn('agent@globex.test', 'globex');
    expect((await f.app.request(`/t/globex/desk/tickets/${a.number}/links/${link}/delete`, form({}, globexCookie, htmx))).status).toBe(404);
    expect((await f.app.request(`/t/globex/desk/tickets/${a.number}/tags/suggest?tag=v`, { cookie: globexCookie })).status).toBe(404);
  });

  it('filters ticket management by tag through the index, offers the tag in the filter form and keeps it in a saved view', async () => {
    const printer = await f.open('Printer jams');
    const scanner = await f.open('Scanner jams');
    await f.open('Untagged jam');
    await post(printer.number, 'tags', { tag: 'Hardware-Defekt' });
    await post(scanner.number, 'tags', { tag: 'hardware-defekt' });
    const tag = (await tenantScope(f.app.services.db, f.acme.id).selectFrom('tags').select('id').where('name_key', '=', 'hardware-defekt').executeTakeFirstOrThrow()).id;
    const list = await (await f.app.request(`/t/acme/desk/tickets?queue=all&tag=${tag}`, { cookie: f.cookies.agent, headers: { 'Accept-Language': 'en' } })).text();
    expect(list).toContain('Printer jams');
    expect(list).toContain('Scanner jams');
    expect(list).not.toContain('Untagged jam');
    expect(list).toMatch(new RegExp(`<option value="${tag}" selected="">Hardware-Defekt</option>`));
    const saved = await f.app.request('/t/acme/desk/views', form({ view_name: 'Defects', query: `tag=${tag}&status=new` }, f.cookies.agent));
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/t/acme/desk/tickets?queue=all&status=new&tag=${tag}`);
    const view = await tenantScope(f.app.services.db, f.acme.id).selectFrom('saved_views').select('query').where('name', '=', 'Defects').executeTakeFirstOrThrow();
    expect(view.query).toBe(`status=new&tag=${tag}`);
    // Another tenant's tag id matches nothing here.
    const foreignTag = (await tenantScope(f.app.services.db, f.globex.id).insertInto('tags', { name: 'G', name_key: 'g', created_at: '2026-01-01T00:00:00Z' }).returning('id').executeTakeFirstOrThrow()).id;
    const foreign = await (await f.app.request(`/t/acme/desk/tickets?queue=all&tag=${foreignTag}`, { cookie: f.cookies.agent })).text();
    expect(foreign).not.toContain('Printer jams');
  });

  it('lists a ticket\'s links and tags in the API, seen from that ticket; another tenant\'s token gets 404', async () => {
    const parent = await f.open('API parent');
    const child = await f.open('API child');
    await post(parent.number, 'links', { role: 'parent_of', other: child.number });
    await post(child.number, 'tags', { tag: 'Netzwerk' });
    const token = (await createApiToken(f.app.services.db, { tenantId: f.acme.id, userId: f.agentId, name: 'test' })).token;
    const globexToken = (await createApiToken(f.app.services.db, { tenantId: f.globex.id, userId: (await f.app.services.db.selectFrom('users').select('id').where('email', '=', 'agent@globex.test').executeTakeFirstOrThrow()).id, name: 'test' })).token;
    const api = (path: string, bearer: string) => f.app.request(path, { headers: { Authorization: `Bearer ${bearer}` } });
    const links = await api(`/t/acme/api/v1/tickets/${child.number}/links`, token);
    expect(links.status).toBe(200);
    expect(await links.json()).toEqual({ data: [{ role: 'child_of', number: parent.number, subject: 'API parent', status: 'new' }] });
    expect(await (await api(`/t/acme/api/v1/tickets/${parent.number}/links`, token)).json()).toEqual({ data: [{ role: 'parent_of', number: child.number, subject: 'API child', status: 'new' }] });
    const tags = await (await api(`/t/acme/api/v1/tickets/${child.number}/tags`, token)).json() as { data: Array<{ name: string }> };
    expect(tags.data.map((t) => t.name)).toEqual(['Netzwerk']);
    expect((await api(`/t/globex/api/v1/tickets/${child.number}/links`, globexToken)).status).toBe(404);
    expect((await api(`/t/globex/api/v1/tickets/${child.number}/tags`, globexToken)).status).toBe(404);
  });
  it('exports ticket management as CSV with each ticket\'s tags, for the filter shown (a tag filter included), tenant-scoped', async () => {
    const one = await f.open('CSV one, with "quotes"');
    const two = await f.open('CSV two');
    await post(one.number, 'tags', { tag: 'Export' });
    await post(one.number, 'tags', { tag: 'Alpha' });
    await post(two.number, 'tags', { tag: 'Export' });
    const tag = (await tenantScope(f.app.services.db, f.acme.id).selectFrom('tags').select('id').where('name_key', '=', 'export').executeTakeFirstOrThrow()).id;
    const list = await (await f.app.request(`/t/acme/desk/tickets?queue=all&tag=${tag}`, { cookie: f.cookies.agent })).text();
    expect(list).toContain(`href="/t/acme/desk/tickets.csv?tag=${tag}" id="ticket-csv"`);
    const response = await f.app.request(`/t/acme/desk/tickets.csv?tag=${tag}&sort=number&dir=asc`, { cookie: f.cookies.agent, headers: { 'Accept-Language': 'de' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await response.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Nummer,Betreff,Status,Priorität,Organisation,Gruppe,Bearbeiter,Erstellt,Letzte Änderung,Schlagwörter');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(new RegExp(`^${one.number},"CSV one, with ""quotes""",Neu,2,Customer Ltd,Servicedesk,,.*,"Alpha, Export"$`));
    expect(lines[2]).toMatch(new RegExp(`^${two.number},CSV two,.*,Export$`));
    // Globex's agent exporting with ACME's tag id gets none of ACME's tickets.
    const globexCookie = await f.app.signIn('agent@globex.test', 'globex');
    const foreign = await (await f.app.request(`/t/globex/desk/tickets.csv?tag=${tag}`, { cookie: globexCookie })).text();
    expect(foreign).not.toContain('CSV one');
    expect((await f.app.request('/t/acme/desk/tickets.csv?status=bogus', { cookie: f.cookies.agent })).status).toBe(422);
  });
});
