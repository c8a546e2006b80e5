import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { cookiesOf } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';
import { form, htmx, ticketPageFixture, type TicketPageFixture } from './ticket-page-fixture.js';

describe.each(dialects)('organisation picker on %s', (dialect) => {
  let f: TicketPageFixture;
  let globexCookie: string;
  let globexOrg: number;
  /** The 501st customer in name order: no select of 500 could offer it. */
  let org501: number;
  let number: string;

  beforeAll(async () => {
    f = await ticketPageFixture(dialect);
    const row = (name: string) => ({ name, number: null, email_domains: '', phone: null, address: null, notes: null });
    await tenantScope(f.app.services.db, f.acme.id).insertInto('organisations', Array.from({ length: 600 }, (_, i) => row(`Apex ${String(i + 1).padStart(4, '0')}`))).execute();
    const ordered = await tenantScope(f.app.services.db, f.acme.id).selectFrom('organisations').select(['id', 'name']).orderBy('name').orderBy('id').execute();
    expect(ordered[500]!.name).toBe('Apex 0501');
    org501 = ordered[500]!.id;
    globexOrg = (await tenantScope(f.app.services.db, f.globex.id).insertInto('organisations', row('Apex Globex Secret')).returning('id').executeTakeFirstOrThrow()).id;
    globexCookie = await f.app.signIn('agent@globex.test', 'globex');
    number = (await f.open()).number;
  });
  afterAll(() => f.app.cleanup());

  const search = (q: string, cookie = f.cookies.agent, tenant = 'acme') =>
    f.app.request(`/t/${tenant}/desk/pick/organisations?listbox=org-options&q=${encodeURIComponent(q)}`, { cookie, headers: htmx });

  it('answers htmx with listbox options of this tenant only, at most 20', async () => {
    const response = await search('apex');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toContain('<html');
    expect((html.match(/role="option"/g) ?? []).length).toBe(20);
    expect(html).toContain('id="org-options-');
    expect(html).not.toContain('Apex Globex Secret');
    const one = await (await search('Apex 0501')).text();
    expect(one).toContain(`data-value="${org501}"`);
    expect(one).toContain('data-label="Apex 0501"');
    expect(await (await search('customer.test')).text()).toContain('Customer Ltd');
    expect(await (await search('no such customer')).text()).toContain('aria-disabled="true"');
    const foreign = await (await search('apex', globexCookie, 'globex')).text();
    expect(foreign).toContain('Apex Globex Secret');
    expect(foreign).not.toContain('Apex 0001');
    // Another tenant's session is nobody here.
    expect((await f.app.request('/t/acme/desk/pick/organisations?q=apex', { cookie: globexCookie })).status).toBe(303);
    // Opened without htmx it is a page, not a fragment.
    const page = await (await f.app.request('/t/acme/desk/pick/organisations?q=apex%200501', { cookie: f.cookies.agent })).text();
    expect(page).toContain('<html');
    expect(page).toContain('Apex 0501');
  });

  it('sets the 501st customer on a ticket and filters ticket management by it, the URL keeping its id', async () => {
    const saved = await f.app.request(`/t/acme/desk/tickets/${number}/fields`, form({ priority: '2', organisation_id: String(org501), requester_id: '', contract_id: '' }, f.cookies.agent, htmx));
    expect(saved.status).toBe(200);
    expect((await f.ticket(number)).organisation_id).toBe(org501);
    const fieldsHtml = await saved.text();
    expect(fieldsHtml).toContain('role="combobox"');
    expect(fieldsHtml).toMatch(/name="organisation_id" value="\d+"/);
    expect(fieldsHtml).toContain('value="Apex 0501"');

    const list = await f.app.request(`/t/acme/desk/tickets?queue=all&organisation=${org501}`, { cookie: f.cookies.agent });
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain(`name="organisation" value="${org501}"`);
    expect(html).toContain('value="Apex 0501"');
    expect(html).toContain(`data-number="${number}"`);
    const other = await (await f.app.request(`/t/acme/desk/tickets?queue=all&organisation=${f.otherOrganisationId}`, { cookie: f.cookies.agent })).text();
    expect(other).not.toContain(`data-number="${number}"`);
  });

  it('refuses another tenant\'s organisation id: 422 on the ticket and the phone form, nothing changes; the filter finds nothing', async () => {
    const before = await f.ticket(number);
    const refused = await f.app.request(`/t/acme/desk/tickets/${number}/fields`, form({ priority: '2', organisation_id: String(globexOrg), requester_id: '', contract_id: '' }, f.cookies.agent, htmx));
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('This entry does not exist (any more).');
    expect(html).not.toContain('Apex Globex Secret');
    expect(await f.ticket(number)).toEqual(before);

    // As with a foreign group, a foreign organisation id filters to nothing (the scoped query finds none) and shows no name.
    const list = await f.app.request(`/t/acme/desk/tickets?queue=all&organisation=${globexOrg}`, { cookie: f.cookies.agent });
    expect(list.status).toBe(200);
    const listHtml = await list.text();
    expect(listHtml).not.toContain('Apex Globex Secret');
    expect(listHtml).not.toContain('data-ticket-row');

    const people = () => tenantScope(f.app.services.db, f.acme.id).selectFrom('people').select('id').execute().then((r) => r.length);
    const tickets = () => tenantScope(f.app.services.db, f.acme.id).selectFrom('tickets').select('id').execute().then((r) => r.length);
    const [peopleBefore, ticketsBefore] = [await people(), await tickets()];
    const phone = await f.app.request('/t/acme/desk/tickets/new', form({
      subject: 'Foreign customer', description: '', priority: '2', channel: 'phone', category: '', group_id: '', requester_id: '', organisation_id: '',
      new_person_name: 'Fritz Fremd', new_person_email: 'fritz@fremd.test', new_person_organisation_id: String(globexOrg),
    }, f.cookies.agent));
    expect(phone.status).toBe(422);
    expect([await people(), await tickets()]).toEqual([peopleBefore, ticketsBefore]);
  });

  it('saves a new caller of the 501st customer from the phone ticket form', async () => {
    const response = await f.app.request('/t/acme/desk/tickets/new', form({
      subject: 'Call from Apex', description: '', priority: '2', channel: 'phone', category: '', group_id: '', requester_id: '', organisation_id: '',
      new_person_name: 'Paula Apex', new_person_email: 'paula@apex.test', new_person_organisation_id: String(org501),
    }, f.cookies.agent));
    expect(response.status).toBe(303);
    const person = await tenantScope(f.app.services.db, f.acme.id).selectFrom('people').select(['id', 'organisation_id']).where('email', '=', 'paula@apex.test').executeTakeFirstOrThrow();
    expect(person.organisation_id).toBe(org501);
    const page = await (await f.app.request('/t/acme/desk/tickets/new', { cookie: f.cookies.agent })).text();
    expect(page).toContain('name="new_person_organisation_id_text"');
    expect(page).not.toMatch(/<option[^>]*>Apex 0001<\/option>/);
  });

  it('without JavaScript resolves a typed name, keeps an unchanged one, and answers 422 for none or several', async () => {
    const post = (values: Record<string, string>) => f.app.request(`/t/acme/desk/tickets/${number}/fields`, form({ priority: '2', requester_id: '', contract_id: '', ...values }, f.cookies.agent));
    const apex = await tenantScope(f.app.services.db, f.acme.id).selectFrom('organisations').select('id').where('name', '=', 'Apex 0042').executeTakeFirstOrThrow();
    expect((await post({ organisation_id: String(org501), organisation_id_text: 'apex 0042' })).status).toBe(303);
    expect((await f.ticket(number)).organisation_id).toBe(apex.id);
    expect((await post({ organisation_id: String(apex.id), organisation_id_text: 'Apex 0042' })).status).toBe(303);
    expect((await f.ticket(number)).organisation_id).toBe(apex.id);

    const several = await post({ organisation_id: String(apex.id), organisation_id_text: 'Apex 05' });
    expect(several.status).toBe(422);
    const severalHtml = await several.text();
    expect(severalHtml).toContain('Several customers match “Apex 05”: Apex 0500, Apex 0501, Apex 0502, Apex 0503, Apex 0504. Type more of the name.');
    expect(severalHtml).toContain('value="Apex 05"');
    const none = await post({ organisation_id: String(apex.id), organisation_id_text: 'Apex Globex Secret' });
    expect(none.status).toBe(422);
    expect(await none.text()).toContain('No customer matches “Apex Globex Secret”.');
    expect((await f.ticket(number)).organisation_id).toBe(apex.id);

    expect((await post({ organisation_id: String(apex.id), organisation_id_text: '' })).status).toBe(303);
    expect((await f.ticket(number)).organisation_id).toBeNull();

    const list = await f.app.request('/t/acme/desk/tickets?queue=all&organisation=&organisation_text=apex+0501', { cookie: f.cookies.agent });
    expect(list.status).toBe(200);
    expect(await list.text()).toContain(`name="organisation" value="${org501}"`);
    const unresolved = await f.app.request('/t/acme/desk/tickets?queue=all&organisation=&organisation_text=apex', { cookie: f.cookies.agent });
    expect(unresolved.status).toBe(422);
    expect(await unresolved.text()).toContain('Several customers match “apex”');
  });

  it('picks the organisation of a contact person in the admin people form and list, the 501st included', async () => {
    const person = (values: Record<string, string>) => ({ name: 'Olga Org', email: '', phone: '', portal_role: 'customer', locale: '', active: '1', password: '', ...values });
    const form501 = await (await f.app.request('/t/acme/admin/people/new', { cookie: f.cookies.admin })).text();
    expect(form501).toContain('name="organisation_id_text"');
    expect(form501).not.toMatch(/<option[^>]*>Apex 0001<\/option>/);
    const created = await f.app.request('/t/acme/admin/people', form(person({ organisation_id: String(org501), email: 'olga@apex.test' }), f.cookies.admin));
    expect(created.status).toBe(303);
    const people = tenantScope(f.app.services.db, f.acme.id).selectFrom('people');
    expect((await people.select('organisation_id').where('email', '=', 'olga@apex.test').executeTakeFirstOrThrow()).organisation_id).toBe(org501);
    const edit = await (await f.app.request(created.headers.get('Location')!, { cookie: f.cookies.admin })).text();
    expect(edit).toContain('value="Apex 0501"');
    // Without JavaScript: a typed name; another tenant's customer is unknown here.
    const typed = await f.app.request('/t/acme/admin/people', form(person({ name: 'Otto Typed', organisation_id: '', organisation_id_text: 'APEX 0502', email: 'otto@apex.test' }), f.cookies.admin));
    expect(typed.status).toBe(303);
    const apex502 = await tenantScope(f.app.services.db, f.acme.id).selectFrom('organisations').select('id').where('name', '=', 'Apex 0502').executeTakeFirstOrThrow();
    expect((await people.select('organisation_id').where('email', '=', 'otto@apex.test').executeTakeFirstOrThrow()).organisation_id).toBe(apex502.id);
    const unknown = await f.app.request('/t/acme/admin/people', form(person({ organisation_id: '', organisation_id_text: 'Apex Globex Secret', email: 'nope@apex.test' }), f.cookies.admin));
    expect(unknown.status).toBe(422);
    expect(await unknown.text()).toContain('No customer matches “Apex Globex Secret”.');
    const foreign = await f.app.request('/t/acme/admin/people', form(person({ organisation_id: String(globexOrg), email: 'foreign@apex.test' }), f.cookies.admin));
    expect(foreign.status).toBe(422);
    expect(await people.select('id').where('email', 'in', ['nope@apex.test', 'foreign@apex.test']).execute()).toEqual([]);
    const list = await (await f.app.request(`/t/acme/admin/people?organisation=${org501}`, { cookie: f.cookies.admin })).text();
    expect(list).toContain('value="Apex 0501"');
    expect(list).toContain('Olga Org');
    expect(list).not.toContain('Otto Typed');
  });

  it('speaks German', async () => {
    const cookie = cookiesOf(await f.app.request('/t/acme/locale', form({ locale: 'de' }, f.cookies.admin)), f.cookies.admin);
    const html = await (await f.app.request('/t/acme/desk/tickets?queue=all&organisation=&organisation_text=niemand', { cookie })).text();
    expect(html).toContain('Kein Kunde passt zu „niemand“.');
    expect(html).toContain('placeholder="Name, Kundennummer oder Mail-Domain"');
  });
});
