import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../auth/password.js';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

const post = (values: Record<string, string>, cookie: string) => ({ method: 'POST', body: new URLSearchParams(values), cookie });
/** The person form as a browser sends it: an unchecked box (value '') is left out. */
const person = (values: Record<string, string>) => Object.fromEntries(Object.entries({ organisation_id: '', name: 'Klara Kunde', email: '', phone: '', portal_role: 'customer', locale: '', active: '1', password: '', ...values })
  .filter(([key, value]) => !((key === 'active' || key === 'is_org_manager') && value === '')));
const idFrom = (response: Response) => Number(/\/(\d+)$/.exec(response.headers.get('Location') ?? '')?.[1]);

describe.each(dialects)('customers, contact persons and contracts on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let globex: number;
  let admin: string;
  let supervisor: string;
  let agent: string;
  let globexOrg: number;
  let globexPerson: number;
  let globexContract: number;

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = (await app.createTenant('acme')).id;
    globex = (await app.createTenant('globex')).id;
    await app.createStaff(acme, 'admin', 'admin@acme.test');
    await app.createStaff(acme, 'supervisor', 'super@acme.test');
    await app.createStaff(acme, 'agent', 'agent@acme.test');
    admin = await app.signIn('admin@acme.test', 'acme');
    supervisor = await app.signIn('super@acme.test', 'acme');
    agent = await app.signIn('agent@acme.test', 'acme');
    const g = tenantScope(app.services.db, globex);
    globexOrg = (await g.insertInto('organisations', { name: 'Globex Corp', number: 'G-1' }).returning('id').executeTakeFirstOrThrow()).id;
    globexPerson = (await g.insertInto('people', { organisation_id: globexOrg, name: 'Gina Globex', email: 'gina@globex.test' }).returning('id').executeTakeFirstOrThrow()).id;
    globexContract = (await g.insertInto('contracts', { organisation_id: globexOrg, name: 'Globex support', number: 'GV-1' }).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => app.cleanup());

  const acmeScope = () => tenantScope(app.services.db, acme);
  const auditActions = async () => (await app.services.db.selectFrom('audit_log').select('action').where('tenant_id', '=', acme).where('action', 'like', 'admin.%').orderBy('id').execute()).map((r) => r.action);

  it('creates a customer, refuses bad domains and a taken customer number, and edits it', async () => {
    const bad = await app.request('/t/acme/admin/organisations', post({ name: '', number: 'K-1', email_domains: 'acme.test, not a domain', phone: '', address: '', notes: '' }, admin));
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain('Comma-separated domains such as example.com.');
    expect(badHtml).toContain('Please fill in this field.');
    expect(badHtml).toContain('value="acme.test, not a domain"');
    expect(await acmeScope().selectFrom('organisations').select('id').execute()).toEqual([]);

    const created = await app.request('/t/acme/admin/organisations', post({ name: 'Beispiel GmbH', number: 'K-1', email_domains: 'Beispiel.de, @beispiel.com', phone: '+49 40 1', address: 'Hafen 1\n20457 Hamburg', notes: 'VIP' }, admin));
    expect(created.status).toBe(303);
    const id = idFrom(created);
    expect(await acmeScope().selectFrom('organisations').select(['name', 'number', 'email_domains', 'address']).where('id', '=', id).executeTakeFirstOrThrow())
      .toEqual({ name: 'Beispiel GmbH', number: 'K-1', email_domains: 'beispiel.de,beispiel.com', address: 'Hafen 1\n20457 Hamburg' });

    const dup = await app.request('/t/acme/admin/organisations', post({ name: 'Copy', number: 'k-1' }, admin));
    expect(dup.status).toBe(422);
    expect(await dup.text()).toContain('Another customer has this customer number.');

    const page = await app.request(`/t/acme/admin/organisations/${id}`, { cookie: admin });
    expect(await page.text()).toContain('value="beispiel.de, beispiel.com"');
    expect((await app.request(`/t/acme/admin/organisations/${id}`, post({ name: 'Beispiel AG', number: 'K-1', email_domains: 'beispiel.de' }, admin))).status).toBe(303);
    expect((await acmeScope().selectFrom('organisations').select(['name', 'email_domains', 'phone']).where('id', '=', id).executeTakeFirstOrThrow()))
      .toEqual({ name: 'Beispiel AG', email_domains: 'beispiel.de', phone: null });
    expect(await auditActions()).toEqual(['admin.organisation_created', 'admin.organisation_updated']);
  });

  it('lists customers 25 a page and searches by name or number', async () => {
    await acmeScope().insertInto('organisations', Array.from({ length: 30 }, (_, i) => ({ name: `Kunde ${String(i).padStart(2, '0')}`, number: `N-${i}` }))).execute();
    const first = await (await app.request('/t/acme/admin/organisations', { cookie: admin })).text();
    expect(first).toContain('31 in total · Page 1 of 2');
    expect(first).not.toContain('Kunde 29');
    expect(await (await app.request('/t/acme/admin/organisations?page=2', { cookie: admin })).text()).toContain('Kunde 29');
    const byNumber = await (await app.request('/t/acme/admin/organisations?q=n-17', { cookie: admin })).text();
    expect(byNumber).toContain('Kunde 17');
    expect(byNumber).not.toContain('Kunde 16');
    const byName = await (await app.request('/t/acme/admin/organisations?q=beispiel', { cookie: admin })).text();
    expect(byName).toContain('Beispiel AG');
    expect(byName).toContain('1 in total');
    // LIKE wildcards are taken literally.
    expect(await (await app.request('/t/acme/admin/organisations?q=%25', { cookie: admin })).text()).toContain('0 in total');
    expect(await (await app.request('/t/acme/admin/organisations?q=globex', { cookie: admin })).text()).not.toContain('Globex Corp');
  });

  it('creates and edits contact persons with validation, a unique e-mail and an initial portal password', async () => {
    const org = (await acmeScope().selectFrom('organisations').select('id').where('number', '=', 'K-1').executeTakeFirstOrThrow()).id;
    const bad = await app.request('/t/acme/admin/people', post(person({ organisation_id: String(org), name: '', email: 'nope', portal_role: 'boss', password: 'short' }), admin));
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('Please enter a valid e-mail address.');
    expect(html).toContain('Please choose one of the offered values.');
    expect(html).toContain('At least 10 characters.');
    expect(html).toContain('value="nope"');

    const created = await app.request('/t/acme/admin/people', post(person({ organisation_id: String(org), email: 'Klara@Beispiel.de', portal_role: 'requester', is_org_manager: '1', locale: 'de', password: 'portal password 1' }), admin));
    expect(created.status).toBe(303);
    const klara = idFrom(created);
    const row = await acmeScope().selectFrom('people').selectAll().where('id', '=', klara).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ organisation_id: org, email: 'klara@beispiel.de', portal_role: 'requester', is_org_manager: 1, locale: 'de', active: 1 });
    expect(await verifyPassword('portal password 1', row.password_hash)).toBe(true);

    const withoutPassword = await app.request('/t/acme/admin/people', post(person({ name: 'Bernd Bedarf', email: '' }), admin));
    expect(withoutPassword.status).toBe(303);
    expect(await acmeScope().selectFrom('people').select(['password_hash', 'email', 'organisation_id']).where('id', '=', idFrom(withoutPassword)).executeTakeFirstOrThrow())
      .toEqual({ password_hash: null, email: null, organisation_id: null });

    const dup = await app.request('/t/acme/admin/people', post(person({ name: 'Other', email: 'KLARA@beispiel.de' }), admin));
    expect(dup.status).toBe(422);
    expect(await dup.text()).toContain('A contact person with this e-mail exists already.');
    // The same e-mail in another tenant is no duplicate.
    expect((await app.request('/t/acme/admin/people', post(person({ name: 'Gina here', email: 'gina@globex.test' }), admin))).status).toBe(303);

    const unknownOrg = await app.request('/t/acme/admin/people', post(person({ name: 'Sneaky', organisation_id: String(globexOrg) }), admin));
    expect(unknownOrg.status).toBe(422);
    expect(await acmeScope().selectFrom('people').select('id').where('name', '=', 'Sneaky').execute()).toEqual([]);

    // Editing keeps the password when the field is empty and changes it when filled.
    expect((await app.request(`/t/acme/admin/people/${klara}`, post(person({ organisation_id: String(org), name: 'Klara K.', email: 'klara@beispiel.de', portal_role: 'staff' }), admin))).status).toBe(303);
    const edited = await acmeScope().selectFrom('people').selectAll().where('id', '=', klara).executeTakeFirstOrThrow();
    expect(edited).toMatchObject({ name: 'Klara K.', portal_role: 'staff', is_org_manager: 0, locale: null });
    expect(edited.password_hash).toBe(row.password_hash);
    expect((await app.request(`/t/acme/admin/people/${klara}`, post(person({ organisation_id: String(org), name: 'Klara K.', email: 'klara@beispiel.de', password: 'another password' }), admin))).status).toBe(303);
    expect(await verifyPassword('another password', (await acmeScope().selectFrom('people').select('password_hash').where('id', '=', klara).executeTakeFirstOrThrow()).password_hash)).toBe(true);
    const dupEdit = await app.request(`/t/acme/admin/people/${klara}`, post(person({ name: 'Klara K.', email: 'gina@globex.test' }), admin));
    expect(dupEdit.status).toBe(422);
    expect(await auditActions()).toContain('admin.person_created');
    expect(await auditActions()).toContain('admin.person_updated');
  });

  it('deactivating a person ends their portal sessions', async () => {
    const klara = (await acmeScope().selectFrom('people').select('id').where('email', '=', 'klara@beispiel.de').executeTakeFirstOrThrow()).id;
    await app.services.sessions.create({ tenantId: acme, personId: klara }, {});
    await app.services.sessions.create({ tenantId: acme, personId: klara }, {});
    const count = async () => (await app.services.db.selectFrom('sessions').select('id').where('person_id', '=', klara).execute()).length;
    expect(await count()).toBe(2);
    const org = (await acmeScope().selectFrom('organisations').select('id').where('number', '=', 'K-1').executeTakeFirstOrThrow()).id;
    const response = await app.request(`/t/acme/admin/people/${klara}`, post(person({ organisation_id: String(org), name: 'Klara K.', email: 'klara@beispiel.de', active: '' }), admin));
    expect(response.status).toBe(303);
    expect(await count()).toBe(0);
    expect((await acmeScope().selectFrom('people').select('active').where('id', '=', klara).executeTakeFirstOrThrow()).active).toBe(0);
  });

  it('lists people with search and the organisation filter; the organisation page lists its people', async () => {
    const org = (await acmeScope().selectFrom('organisations').select('id').where('number', '=', 'K-1').executeTakeFirstOrThrow()).id;
    const all = await (await app.request('/t/acme/admin/people', { cookie: admin })).text();
    expect(all).toContain('Klara K.');
    expect(all).toContain('Bernd Bedarf');
    expect(all).not.toContain('Gina Globex');
    const filtered = await (await app.request(`/t/acme/admin/people?organisation=${org}`, { cookie: admin })).text();
    expect(filtered).toContain('Klara K.');
    expect(filtered).not.toContain('Bernd Bedarf');
    const searched = await (await app.request('/t/acme/admin/people?q=BEISPIEL.DE', { cookie: admin })).text();
    expect(searched).toContain('Klara K.');
    expect(searched).not.toContain('Bernd Bedarf');
    await acmeScope().insertInto('people', Array.from({ length: 26 }, (_, i) => ({ name: `Zeta ${String(i).padStart(2, '0')}` }))).execute();
    const paged = await (await app.request('/t/acme/admin/people?q=zeta&page=2', { cookie: admin })).text();
    expect(paged).toContain('Zeta 25');
    expect(paged).not.toContain('Zeta 00');
    expect(paged).toContain('href="/t/acme/admin/people?q=zeta&amp;page=1"');
    const detail = await (await app.request(`/t/acme/admin/organisations/${org}`, { cookie: admin })).text();
    expect(detail).toContain('Klara K.');
    expect(detail).not.toContain('Bernd Bedarf');
  });

  it('creates and edits contracts; numbers are unique per tenant and the end may not precede the start', async () => {
    const org = (await acmeScope().selectFrom('organisations').select('id').where('number', '=', 'K-1').executeTakeFirstOrThrow()).id;
    const base = `/t/acme/admin/organisations/${org}/contracts`;
    const reversed = await app.request(base, post({ name: 'Wartung', number: 'V-1', valid_from: '2026-06-01', valid_to: '2026-05-31' }, supervisor));
    expect(reversed.status).toBe(422);
    const html = await reversed.text();
    expect(html).toContain('The end must not be before the start.');
    expect(html).toContain('value="2026-05-31"');
    const badDate = await app.request(base, post({ name: 'Wartung', number: 'V-1', valid_from: '2026-02-30', valid_to: '' }, supervisor));
    expect(badDate.status).toBe(422);
    expect(await badDate.text()).toContain('A date such as 2026-12-31.');
    expect(await acmeScope().selectFrom('contracts').select('id').execute()).toEqual([]);

    expect((await app.request(base, post({ name: 'Wartung', number: 'V-1', valid_from: '2026-01-01', valid_to: '2026-12-31' }, supervisor))).status).toBe(303);
    expect((await app.request(base, post({ name: 'Open end', number: 'V-2', valid_from: '', valid_to: '' }, supervisor))).status).toBe(303);
    // Globex's GV-1 does not block the same number here, but V-1 is taken in this tenant.
    expect((await app.request(base, post({ name: 'Same as globex', number: 'GV-1', valid_from: '', valid_to: '' }, supervisor))).status).toBe(303);
    const dup = await app.request(base, post({ name: 'Copy', number: 'v-1', valid_from: '', valid_to: '' }, supervisor));
    expect(dup.status).toBe(422);
    expect(await dup.text()).toContain('A contract with this number exists already.');

    const contracts = await acmeScope().selectFrom('contracts').select(['id', 'number', 'valid_from', 'valid_to', 'organisation_id']).orderBy('id').execute();
    expect(contracts.map((x) => [x.number, x.valid_from, x.valid_to, x.organisation_id])).toEqual([['V-1', '2026-01-01', '2026-12-31', org], ['V-2', null, null, org], ['GV-1', null, null, org]]);
    const v2 = contracts[1]!.id;
    const editDup = await app.request(`${base}/${v2}`, post({ name: 'Open end', number: 'V-1', valid_from: '', valid_to: '' }, supervisor));
    expect(editDup.status).toBe(422);
    const editOrder = await app.request(`${base}/${v2}`, post({ name: 'Open end', number: 'V-2', valid_from: '2027-01-02', valid_to: '2027-01-01' }, supervisor));
    expect(editOrder.status).toBe(422);
    expect((await app.request(`${base}/${v2}`, post({ name: 'Renamed', number: 'V-2', valid_from: '2027-01-01', valid_to: '2027-01-01' }, supervisor))).status).toBe(303);
    expect(await acmeScope().selectFrom('contracts').select(['name', 'valid_from', 'valid_to']).where('id', '=', v2).executeTakeFirstOrThrow())
      .toEqual({ name: 'Renamed', valid_from: '2027-01-01', valid_to: '2027-01-01' });

    const detail = await (await app.request(`/t/acme/admin/organisations/${org}`, { cookie: supervisor })).text();
    expect(detail).toContain('Renamed');
    expect(detail).toContain(`href="/t/acme/admin/organisations/${org}/contracts/${v2}"`);
    // A contract answers only under its own organisation.
    const other = (await acmeScope().selectFrom('organisations').select('id').where('number', '=', 'N-3').executeTakeFirstOrThrow()).id;
    expect((await app.request(`/t/acme/admin/organisations/${other}/contracts/${v2}`, { cookie: supervisor })).status).toBe(404);
    expect(await auditActions()).toContain('admin.contract_updated');
  });

  it('a supervisor manages customers and contacts; an agent is refused everywhere', async () => {
    expect((await app.request('/t/acme/admin', { cookie: supervisor })).status).toBe(200);
    expect((await app.request('/t/acme/admin/organisations', post({ name: 'By supervisor' }, supervisor))).status).toBe(303);
    expect((await app.request('/t/acme/admin/people', { cookie: supervisor })).status).toBe(200);
    const org = (await acmeScope().selectFrom('organisations').select('id').where('number', '=', 'K-1').executeTakeFirstOrThrow()).id;
    const klara = (await acmeScope().selectFrom('people').select('id').where('email', '=', 'klara@beispiel.de').executeTakeFirstOrThrow()).id;
    const contract = (await acmeScope().selectFrom('contracts').select('id').where('number', '=', 'V-1').executeTakeFirstOrThrow()).id;
    const gets = ['/admin', '/admin/organisations', '/admin/organisations/new', `/admin/organisations/${org}`, '/admin/people', '/admin/people/new',
      `/admin/people/${klara}`, `/admin/organisations/${org}/contracts/new`, `/admin/organisations/${org}/contracts/${contract}`];
    for (const path of gets) expect((await app.request(`/t/acme${path}`, { cookie: agent })).status, path).toBe(403);
    const posts = ['/admin/organisations', `/admin/organisations/${org}`, '/admin/people', `/admin/people/${klara}`,
      `/admin/organisations/${org}/contracts`, `/admin/organisations/${org}/contracts/${contract}`];
    for (const path of posts) expect((await app.request(`/t/acme${path}`, post({ name: 'agent was here', number: 'X-9' }, agent))).status, path).toBe(403);
    expect(await acmeScope().selectFrom('organisations').select('id').where('name', '=', 'agent was here').execute()).toEqual([]);
    expect(await (await app.request('/t/acme/desk', { cookie: agent })).text()).not.toContain('href="/t/acme/admin"');
    expect(await (await app.request('/t/acme/desk', { cookie: supervisor })).text()).toContain('href="/t/acme/admin"');
  });

  it('never reaches another tenant\'s customers, people or contracts', async () => {
    const before = await app.services.db.selectFrom('organisations').selectAll().where('tenant_id', '=', globex).execute();
    const beforePeople = await app.services.db.selectFrom('people').selectAll().where('tenant_id', '=', globex).execute();
    const beforeContracts = await app.services.db.selectFrom('contracts').selectAll().where('tenant_id', '=', globex).execute();
    const acmeOrg = (await acmeScope().selectFrom('organisations').select('id').where('number', '=', 'K-1').executeTakeFirstOrThrow()).id;
    const paths: Array<[string, Record<string, string>]> = [
      [`/admin/organisations/${globexOrg}`, { name: 'hijacked', number: 'G-1' }],
      [`/admin/people/${globexPerson}`, person({ name: 'hijacked', email: 'gina@globex.test' })],
      [`/admin/organisations/${globexOrg}/contracts/${globexContract}`, { name: 'hijacked', number: 'GV-9', valid_from: '', valid_to: '' }],
      [`/admin/organisations/${acmeOrg}/contracts/${globexContract}`, { name: 'hijacked', number: 'GV-9', valid_from: '', valid_to: '' }],
    ];
    for (const [path, body] of paths) {
      expect((await app.request(`/t/acme${path}`, { cookie: admin })).status, path).toBe(404);
      expect((await app.request(`/t/acme${path}`, post(body, admin))).status, path).toBe(404);
    }
    expect((await app.request(`/t/acme/admin/organisations/${globexOrg}/contracts/new`, { cookie: admin })).status).toBe(404);
    expect((await app.request(`/t/acme/admin/organisations/${globexOrg}/contracts`, post({ name: 'planted', number: 'P-1', valid_from: '', valid_to: '' }, admin))).status).toBe(404);
    expect((await app.request('/t/acme/admin/people/not-a-number', { cookie: admin })).status).toBe(404);
    // An acme person cannot be moved into a globex organisation.
    const klara = (await acmeScope().selectFrom('people').select('id').where('email', '=', 'klara@beispiel.de').executeTakeFirstOrThrow()).id;
    expect((await app.request(`/t/acme/admin/people/${klara}`, post(person({ name: 'Klara K.', email: 'klara@beispiel.de', organisation_id: String(globexOrg) }), admin))).status).toBe(422);
    expect(await (await app.request(`/t/acme/admin/people?organisation=${globexOrg}`, { cookie: admin })).text()).not.toContain('Gina Globex');
    expect(await app.services.db.selectFrom('organisations').selectAll().where('tenant_id', '=', globex).execute()).toEqual(before);
    expect(await app.services.db.selectFrom('people').selectAll().where('tenant_id', '=', globex).execute()).toEqual(beforePeople);
    expect(await app.services.db.selectFrom('contracts').selectAll().where('tenant_id', '=', globex).execute()).toEqual(beforeContracts);
  });

  it('speaks German when asked to', async () => {
    const html = await (await app.request('/t/acme/admin/organisations', { cookie: `${admin}; tresen_lang=de` })).text();
    expect(html).toContain('Neuer Kunde');
    expect(html).toContain('Name oder Kundennummer');
    expect(html).not.toContain('organisation.');
  });
});
