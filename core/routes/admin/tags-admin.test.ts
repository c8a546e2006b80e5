import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { dialects } from '../../../test/harness/test-database.js';
import { form, ticketPageFixture, type TicketPageFixture } from '../desk/ticket-page-fixture.js';

// The admin's tag page: rename, rename onto another tag's name (a merge), merge, delete; each tenant its own.

describe.each(dialects)('tag administration on %s', (dialect) => {
  let f: TicketPageFixture;
  beforeAll(async () => { f = await ticketPageFixture(dialect); });
  afterAll(() => f.app.cleanup());

  const tag = (number: string, name: string) => f.app.request(`/t/acme/desk/tickets/${number}/tags`, form({ tag: name }, f.cookies.agent));
  const tags = () => tenantScope(f.app.services.db, f.acme.id).selectFrom('tags').select(['id', 'name']).orderBy('name_key').execute();
  const carriers = async (name: string) => (await tenantScope(f.app.services.db, f.acme.id).selectFrom('ticket_tags').innerJoin('tags', 'tags.id', 'ticket_tags.tag_id')
    .innerJoin('tickets', 'tickets.id', 'ticket_tags.ticket_id').select('tickets.number').where('tags.name', '=', name).orderBy('tickets.number').execute()).map((r) => r.number);
  const admin = (path: string, values: Record<string, string>, cookie = f.cookies.admin) => f.app.request(`/t/acme/admin/tags${path}`, form(values, cookie, { 'Accept-Language': 'en' }));

  it('lists the tags with their counts, renames, merges on a taken name, merges and deletes, audited', async () => {
    const one = await f.open('One');
    const two = await f.open('Two');
    await tag(one.number, 'Druker');
    await tag(two.number, 'Drucker');
    await tag(two.number, 'Druker');
    await tag(one.number, 'Alt');
    const page = await (await f.app.request('/t/acme/admin/tags', { cookie: f.cookies.admin, headers: { 'Accept-Language': 'de' } })).text();
    expect(page).toMatch(/Druker <span class="badge">2 Tickets<\/span>/);
    expect(await (await f.app.request('/t/acme/admin', { cookie: f.cookies.admin })).text()).toContain('id="admin-section-tags"');

    const [alt, drucker, druker] = await tags();
    expect((await admin(`/${alt!.id}/rename`, { name: 'Altgerät' })).status).toBe(303);
    // Renamed onto a taken name (any case): one tag, each ticket once.
    expect((await admin(`/${druker!.id}/rename`, { name: 'drucker' })).status).toBe(303);
    expect((await tags()).map((t) => t.name)).toEqual(['Altgerät', 'Drucker']);
    expect(await carriers('Drucker')).toEqual([one.number, two.number].sort());
    expect((await admin(`/${alt!.id}/rename`, { name: ' ' })).status).toBe(422);

    expect((await admin(`/${alt!.id}/merge`, { into: String(drucker!.id) })).status).toBe(303);
    expect((await tags()).map((t) => t.name)).toEqual(['Drucker']);
    // Unconfirmed deletes nothing; confirmed takes it off every ticket.
    await admin(`/${drucker!.id}/delete`, {});
    expect(await tags()).toHaveLength(1);
    expect((await admin(`/${drucker!.id}/delete`, { confirm: '1' })).status).toBe(303);
    expect(await tags()).toEqual([]);
    expect(await tenantScope(f.app.services.db, f.acme.id).selectFrom('ticket_tags').select('ticket_id').execute()).toEqual([]);
    const audited = await f.app.services.db.selectFrom('audit_log').select('action').where('action', 'like', 'admin.tag_%').orderBy('id').execute();
    expect(audited.map((a) => a.action)).toEqual(['admin.tag_renamed', 'admin.tag_merged', 'admin.tag_merged', 'admin.tag_deleted']);
    // Each ticket that carried a tag has each admin change in its history, by the admin; the ticket's version stays.
    const lines = async (ticketId: number) => (await tenantScope(f.app.services.db, f.acme.id).selectFrom('ticket_history').select(['action', 'note', 'actor_label'])
      .where('ticket_id', '=', ticketId).where('action', 'in', ['tag_renamed', 'tag_merged', 'tag_deleted']).orderBy('id').execute()).map((l) => `${l.action} ${l.note} ${l.actor_label}`);
    expect(await lines(one.id)).toEqual(['tag_renamed Alt → Altgerät admin', 'tag_merged Druker → Drucker admin', 'tag_merged Altgerät → Drucker admin', 'tag_deleted Drucker admin']);
    expect(await lines(two.id)).toEqual(['tag_merged Druker → Drucker admin', 'tag_deleted Drucker admin']);
    const history = await (await f.app.request(`/t/acme/desk/tickets/${one.number}`, { cookie: f.cookies.agent })).text();
    expect(history).toContain('merged the tag Altgerät → Drucker (Administration)');
    expect((await f.ticket(two.number)).version).toBe(two.version + 2);
  });

  it('is for admins only, and another tenant\'s tag is not found', async () => {
    const ticket = await f.open('Three');
    await tag(ticket.number, 'Netz');
    const [netz] = await tags();
    expect((await f.app.request('/t/acme/admin/tags', { cookie: f.cookies.agent })).status).toBe(403);
    expect((await admin(`/${netz!.id}/delete`, { confirm: '1' }, f.cookies.agent)).status).toBe(403);
    const globexAdmin = await f.app.createStaff(f.globex.id, 'admin', 'admin@globex.test');
    expect(globexAdmin).toBeGreaterThan(0);
    const cookie = await f.app.signIn('admin@globex.test', 'globex');
    for (const action of ['rename', 'merge', 'delete']) {
      const response = await f.app.request(`/t/globex/admin/tags/${netz!.id}/${action}`, form({ name: 'x', into: String(netz!.id), confirm: '1' }, cookie));
      expect(response.status, action).toBe(404);
    }
    expect(await tags()).toEqual([netz]);
    expect(await (await f.app.request('/t/globex/admin/tags', { cookie })).text()).not.toContain('Netz');
  });
});
