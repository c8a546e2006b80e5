import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../auth/api-tokens.js';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

function cardForm(fields: Record<string, string | string[]>, photo?: { bytes: Uint8Array; name: string; type: string }): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const one of [value].flat()) form.append(key, one);
  if (photo) form.append('photo', new File([new Uint8Array(photo.bytes)], photo.name, { type: photo.type }));
  return form;
}

describe.each(dialects)('the support directory for staff on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let globex: number;
  let ids: { agent: number; colleague: number; hidden: number; globexAgent: number };
  let cookies: { agent: string; colleague: string; admin: string; globexAgent: string };
  let tokens: { agent: string; globex: string };
  const profile = (userId: number) => app.services.db.selectFrom('directory_profiles').selectAll().where('user_id', '=', userId).executeTakeFirst();
  const text = async (path: string, cookie: string, headers: Record<string, string> = {}) => (await app.request(path, { cookie, headers })).text();

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = (await app.createTenant('acme', 'ACME Service')).id;
    globex = (await app.createTenant('globex')).id;
    ids = {
      agent: await app.createStaff(acme, 'agent', 'anna@acme.test'),
      colleague: await app.createStaff(acme, 'supervisor', 'bert@acme.test'),
      hidden: await app.createStaff(acme, 'agent', 'hidden@acme.test'),
      globexAgent: await app.createStaff(globex, 'agent', 'gina@globex.test'),
    };
    await app.createStaff(acme, 'admin', 'admin@acme.test');
    cookies = {
      agent: await app.signIn('anna@acme.test', 'acme'), colleague: await app.signIn('bert@acme.test', 'acme'),
      admin: await app.signIn('admin@acme.test', 'acme'), globexAgent: await app.signIn('gina@globex.test', 'globex'),
    };
    tokens = {
      agent: (await createApiToken(app.services.db, { tenantId: acme, userId: ids.agent, name: 'directory' })).token,
      globex: (await createApiToken(app.services.db, { tenantId: globex, userId: ids.globexAgent, name: 'directory' })).token,
    };
    const scope = tenantScope(app.services.db, acme);
    const group = (await scope.insertInto('support_groups', { name: 'Hotline 1st level', level: 'first' }).returning('id').executeTakeFirstOrThrow()).id;
    await scope.insertInto('group_members', { group_id: group, user_id: ids.agent }).execute();
  });
  afterAll(() => app.cleanup());

  it('refuses a bad card with 422 and a message at each field, in German too, and saves nothing', async () => {
    const response = await app.request('/t/acme/account/directory', { method: 'POST', cookie: cookies.agent, body: cardForm({ listed: '1', phone: 'call me', sip: 'anna', languages: ['de', 'xx'], availability: 'sleeping' }) });
    expect(response.status).toBe(422);
    const html = await response.text();
    for (const field of ['phone', 'sip', 'languages', 'availability']) expect(html, field).toContain(`id="${field}-error"`);
    expect(html).toContain('value="call me"');
    const german = await app.request('/t/acme/account/directory', { method: 'POST', cookie: cookies.agent, headers: { 'Accept-Language': 'de' }, body: cardForm({ phone: '12' }) });
    expect(german.status).toBe(422);
    expect(await german.text()).toContain('Keine Telefonnummer');
    const svg = await app.request('/t/acme/account/directory', { method: 'POST', cookie: cookies.agent, body: cardForm({ listed: '1' }, { bytes: SVG, name: 'me.png', type: 'image/png' }) });
    expect(svg.status).toBe(422);
    expect(await svg.text()).toContain('Only PNG, JPEG or WebP photos.');
    expect(await profile(ids.agent)).toBeUndefined();
  });

  it('saves the own card with numbers in E.164 (the tenant\'s country), the SIP address as a URI and a photo', async () => {
    const saved = await app.request('/t/acme/account/directory', {
      method: 'POST', cookie: cookies.agent,
      body: cardForm({ listed: '1', job_title: 'Hotline lead', phone: '030 1234567', mobile: '0171 1234567', sip: 'anna@pbx.acme.test', languages: ['en', 'de'], availability: 'busy' }, { bytes: PNG, name: 'anna.png', type: 'image/png' }),
    });
    expect(saved.status).toBe(303);
    expect(await profile(ids.agent)).toMatchObject({ tenant_id: acme, listed: 1, job_title: 'Hotline lead', phone: '+49301234567', mobile: '+491711234567', sip: 'sip:anna@pbx.acme.test', languages: 'de,en', availability: 'busy' });
    expect((await profile(ids.agent))!.photo_file).toMatch(/^[0-9a-f]{64}$/);
    const account = await text('/t/acme/account', cookies.agent);
    expect(account).toContain('value="+49 30 1234567"');
    expect(account).toContain('/t/acme/account/directory/photo?v=');
    expect((await app.request('/t/acme/account/directory/photo', { cookie: cookies.agent })).headers.get('Content-Type')).toBe('image/png');
    expect((await app.request('/t/acme/account/directory/photo', { cookie: cookies.colleague })).status).toBe(404);
    // Austria as the tenant's country: the same national digits are another number.
    await app.request('/t/acme/admin/directory', { method: 'POST', cookie: cookies.admin, body: new URLSearchParams({ phone_country: 'AT' }) });
    await app.request('/t/acme/account/directory', { method: 'POST', cookie: cookies.colleague, body: cardForm({ listed: '1', phone: '01 5354000', availability: 'available' }) });
    expect((await profile(ids.colleague))!.phone).toBe('+4315354000');
    await app.request('/t/acme/admin/directory', { method: 'POST', cookie: cookies.admin, body: new URLSearchParams({ phone_country: 'DE' }) });
    // Someone who saved a card without opting in stays out of the directory.
    await app.request('/t/acme/account/directory', { method: 'POST', cookie: await app.signIn('hidden@acme.test', 'acme'), body: cardForm({ phone: '030 999999', availability: 'available' }) });
    expect((await profile(ids.hidden))!.listed).toBe(0);
  });

  it('lists who opted in, available first, with tel: and sip: links, groups, languages and the desk navigation entry', async () => {
    const html = await text('/t/acme/desk/directory', cookies.colleague);
    expect(html).toContain('id="nav-directory"');
    expect(html).toContain('href="tel:+49301234567"');
    expect(html).toContain('+49 30 1234567');
    expect(html).toContain('href="tel:+491711234567"');
    expect(html).toContain('href="sip:anna@pbx.acme.test"');
    expect(html).toContain('Hotline 1st level');
    expect(html).toContain('German, English');
    expect(html).toContain('Hotline lead');
    expect(html.indexOf(`directory-card-${ids.colleague}`)).toBeLessThan(html.indexOf(`directory-card-${ids.agent}`));
    expect(html).toContain('>Busy<');
    expect(html).not.toContain(`directory-card-${ids.hidden}`);
    expect(html).not.toContain('tel:+4930999999');
    const german = await text('/t/acme/desk/directory', cookies.colleague, { 'Accept-Language': 'de' });
    expect(german).toContain('Kundendienst');
    expect(german).toContain('>Beschäftigt<');
    expect(german).toContain('Deutsch, Englisch');
    const filtered = await text('/t/acme/desk/directory?availability=busy&q=hotline', cookies.colleague);
    expect(filtered).toContain(`directory-card-${ids.agent}`);
    expect(filtered).not.toContain(`directory-card-${ids.colleague}`);
    expect(await text('/t/acme/desk/directory?q=nobody-here', cookies.colleague)).toContain('Nobody matches.');
  });

  it('opens the contact card, the vCard and the photo', async () => {
    const card = await text(`/t/acme/desk/directory/${ids.agent}`, cookies.colleague);
    expect(card).toContain('id="directory-detail"');
    expect(card).toContain(`/t/acme/desk/directory/${ids.agent}/vcard`);
    const vcard = await app.request(`/t/acme/desk/directory/${ids.agent}/vcard`, { cookie: cookies.colleague });
    expect(vcard.headers.get('Content-Type')).toBe('text/vcard; charset=utf-8');
    expect(vcard.headers.get('Content-Disposition')).toBe('attachment; filename="anna.vcf"');
    const parsed = new ICAL.Component(ICAL.parse(await vcard.text()));
    expect(parsed.getFirstPropertyValue('fn')).toBe('anna');
    expect(parsed.getAllProperties('tel').map((p) => p.getFirstValue())).toEqual(['tel:+49301234567', 'tel:+491711234567']);
    expect(parsed.getFirstPropertyValue('impp')).toBe('sip:anna@pbx.acme.test');
    expect(parsed.getFirstPropertyValue('title')).toBe('Hotline lead');
    const photo = await app.request(`/t/acme/desk/directory/${ids.agent}/photo`, { cookie: cookies.colleague });
    expect(photo.status).toBe(200);
    expect(photo.headers.get('Content-Type')).toBe('image/png');
    expect(new Uint8Array(await photo.arrayBuffer())).toEqual(PNG);
    expect((await app.request(`/t/acme/desk/directory/${ids.colleague}/photo`, { cookie: cookies.colleague })).status).toBe(404);
    for (const path of [`/desk/directory/${ids.hidden}`, `/desk/directory/${ids.hidden}/vcard`, '/desk/directory/99999', '/desk/directory/0']) {
      expect((await app.request(`/t/acme${path}`, { cookie: cookies.colleague })).status, path).toBe(404);
    }
  });

  it('sets the own availability from the directory page, and only the own', async () => {
    expect((await app.request('/t/acme/desk/directory/availability', { method: 'POST', cookie: cookies.agent, body: new URLSearchParams({ availability: 'nap' }) })).status).toBe(422);
    const set = await app.request('/t/acme/desk/directory/availability', { method: 'POST', cookie: cookies.agent, body: new URLSearchParams({ availability: 'away', user_id: String(ids.colleague) }) });
    expect(set.status).toBe(303);
    expect((await profile(ids.agent))!.availability).toBe('away');
    expect((await profile(ids.colleague))!.availability).toBe('available');
  });

  it('keeps every route to its tenant: another tenant\'s staff get 404 for ACME\'s cards and see none in their list or API', async () => {
    for (const path of ['', '/vcard', '/photo']) {
      expect((await app.request(`/t/globex/desk/directory/${ids.agent}${path}`, { cookie: cookies.globexAgent })).status, path).toBe(404);
    }
    // ACME's session on globex's address is not signed in there: not the directory, not the own card's routes.
    expect((await app.request(`/t/globex/desk/directory/${ids.agent}`, { cookie: cookies.agent })).status).toBe(303);
    expect((await app.request('/t/globex/account/directory', { method: 'POST', cookie: cookies.agent, body: cardForm({ listed: '0', phone: '', availability: 'off' }) })).status).toBe(303);
    expect((await app.request('/t/globex/account/directory/photo', { cookie: cookies.agent })).status).toBe(303);
    expect((await app.request('/t/globex/account/directory/photo/remove', { method: 'POST', cookie: cookies.agent })).status).toBe(303);
    expect(await profile(ids.agent)).toMatchObject({ tenant_id: acme, listed: 1, phone: '+49301234567' });
    expect((await profile(ids.agent))!.photo_file).not.toBeNull();
    const list = await text('/t/globex/desk/directory', cookies.globexAgent);
    expect(list).not.toContain('anna');
    expect(list).toContain('Nobody is listed yet.');
    await app.request('/t/globex/desk/directory/availability', { method: 'POST', cookie: cookies.globexAgent, body: new URLSearchParams({ availability: 'off' }) });
    expect((await profile(ids.globexAgent))!.tenant_id).toBe(globex);
    expect((await profile(ids.agent))!.availability).toBe('away');
    const api = await app.request('/t/globex/api/v1/directory', { headers: { Authorization: `Bearer ${tokens.globex}` } });
    expect((await api.json() as { data: unknown[] }).data).toEqual([]);
    expect((await app.request('/t/globex/api/v1/directory', { headers: { Authorization: `Bearer ${tokens.agent}` } })).status).toBe(401);
    expect((await app.request('/t/globex/admin/directory', { method: 'POST', cookie: cookies.admin, body: new URLSearchParams({ phone_country: 'FR' }) })).status).toBe(303);
    expect((await app.services.db.selectFrom('directory_settings').select('phone_country').where('tenant_id', '=', globex).executeTakeFirst())).toBeUndefined();
  });

  it('answers GET /api/v1/directory with the cards the token\'s user sees, as documented in openapi.json', async () => {
    const response = await app.request('/t/acme/api/v1/directory', { headers: { Authorization: `Bearer ${tokens.agent}` } });
    expect(response.status).toBe(200);
    const body = await response.json() as { data: Array<Record<string, unknown>> };
    expect(body.data.map((c) => c.user_id)).toEqual([ids.colleague, ids.agent]);
    expect(body.data[1]).toMatchObject({
      name: 'anna', role: 'agent', job_title: 'Hotline lead', groups: ['Hotline 1st level'], languages: ['de', 'en'], email: 'anna@acme.test',
      phone: '+49301234567', phone_uri: 'tel:+49301234567', mobile: '+491711234567', sip: 'sip:anna@pbx.acme.test', availability: 'away', on_call: [], has_photo: true,
    });
    const filtered = await app.request('/t/acme/api/v1/directory?availability=away', { headers: { Authorization: `Bearer ${tokens.agent}` } });
    expect((await filtered.json() as { data: unknown[] }).data).toHaveLength(1);
    expect((await app.request('/t/acme/api/v1/directory?availability=sleeping', { headers: { Authorization: `Bearer ${tokens.agent}` } })).status).toBe(422);
    expect((await app.request('/t/acme/api/v1/directory')).status).toBe(401);
    const openapi = await (await app.request('/t/acme/api/v1/openapi.json')).json() as { paths: Record<string, { get?: { operationId: string } }> };
    expect(openapi.paths['/directory']?.get?.operationId).toBe('listDirectory');
  });

  it('lets an admin set the phone country and the portal\'s fields (422 for an unknown country, audited)', async () => {
    const page = await text('/t/acme/admin/directory', cookies.admin, { 'Accept-Language': 'de' });
    expect(page).toContain('Land nationaler Telefonnummern');
    expect(page).toContain('Deutschland (DE)');
    const bad = await app.request('/t/acme/admin/directory', { method: 'POST', cookie: cookies.admin, body: new URLSearchParams({ phone_country: 'XX', portal_fields: 'phone' }) });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('id="phone_country-error"');
    const form = new URLSearchParams({ phone_country: 'CH', portal_visible: '1', portal_callback: '1' });
    form.append('portal_fields', 'phone');
    form.append('portal_fields', 'availability');
    expect((await app.request('/t/acme/admin/directory', { method: 'POST', cookie: cookies.admin, body: form })).status).toBe(303);
    expect(await app.services.db.selectFrom('directory_settings').selectAll().where('tenant_id', '=', acme).executeTakeFirst())
      .toMatchObject({ phone_country: 'CH', portal_visible: 1, portal_fields: 'phone,availability', portal_callback: 1 });
    const audit = await app.services.db.selectFrom('audit_log').select('action').where('tenant_id', '=', acme).where('action', '=', 'admin.directory_settings_updated').execute();
    expect(audit.length).toBeGreaterThan(0);
    expect((await app.request('/t/acme/admin/directory', { cookie: cookies.agent })).status).toBe(403);
  });
});
