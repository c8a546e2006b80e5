import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope } from '../../core/plugin-api.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { portalPlugin } from './index.js';
import { portalWorld, type PortalWorld } from '../../test/harness/portal-world.js';
import { portalMessages } from './messages.js';
import { portalSettings } from './settings.js';

describe('portal messages', () => {
  it('German and English have the same keys and placeholders', () => {
    const { en, de } = portalMessages;
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en)) expect(placeholders(de[key]!), key).toEqual(placeholders(en[key]!));
  });
});

describe.each(dialects)('portal settings page on %s', (dialect) => {
  let app: TestApp;
  let world: PortalWorld;
  let admin: string;
  let agent: string;

  beforeAll(async () => {
    app = await createTestApp(dialect, [portalPlugin]);
    world = await portalWorld(app, 'set');
    await app.createStaff(world.tenant.id, 'admin', 'admin@set.test');
    admin = await app.signIn('admin@set.test', 'set');
    agent = await app.signIn(world.agentEmail, 'set');
  });
  afterAll(() => app.cleanup());

  const save = (cookie: string, fields: Record<string, string>) => app.request('/t/set/p/portal/settings', { method: 'POST', body: new URLSearchParams(fields), cookie });

  it('is for tenant admins only, and a section of their Administration page (no loose nav item)', async () => {
    expect((await app.request('/t/set/p/portal/settings', { cookie: agent })).status).toBe(403);
    expect((await save(agent, { registration: 'off' })).status).toBe(403);
    const page = await app.request('/t/set/p/portal/settings', { cookie: admin });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/t/set/portal');
    expect(html).not.toContain('id="nav-portal-settings"');
    expect(html).toContain('id="nav-admin" aria-current="page"');
    const administration = await (await app.request('/t/set/admin', { cookie: admin })).text();
    expect(administration).toMatch(/id="admin-group-channels".*href="\/t\/set\/p\/portal\/settings" id="admin-section-portal-settings"/s);
    expect(administration).toContain('Welcome text, registration and mail to requesters of the self-service portal.');
    expect(await (await app.request('/t/set/admin', { cookie: agent })).text()).not.toContain('admin-section-portal-settings');
  });

  it('saves welcome texts, registration domains, priority and requester mails through the plugin schema', async () => {
    const response = await save(admin, { welcomeDe: 'Hallo!', welcomeEn: 'Hello!', registration: 'domains', registrationDomains: 'acme-set.test\n@Example.org', allowPriority: '1', requesterMails: 'everyStatus' });
    expect(response.status).toBe(303);
    expect(await portalSettings(app.services, world.tenant.id)).toEqual({
      welcomeDe: 'Hallo!', welcomeEn: 'Hello!', registration: 'domains', registrationDomains: ['acme-set.test', 'example.org'], allowPriority: true, notifyRequester: false, requesterMails: 'everyStatus',
    });
    const audit = await tenantScope(app.services.db, world.tenant.id).selectFrom('audit_log').select('action').where('action', '=', 'portal.settings').execute();
    expect(audit.length).toBe(1);
    expect(await (await app.request('/t/set/portal', { headers: { 'Accept-Language': 'en' } })).text()).toContain('Hello!');
  });

  it('refuses bad settings with field messages and keeps the stored ones', async () => {
    const before = await portalSettings(app.services, world.tenant.id);
    const noDomains = await save(admin, { registration: 'domains', registrationDomains: '' });
    expect(noDomains.status).toBe(422);
    expect(await noDomains.text()).toContain('Name at least one domain');
    const badDomain = await save(admin, { registration: 'domains', registrationDomains: 'not a domain' });
    expect(badDomain.status).toBe(422);
    expect(await badDomain.text()).toContain('Enter domains like example.com.');
    const badMode = await save(admin, { registration: 'everyone' });
    expect(badMode.status).toBe(422);
    const badMails = await save(admin, { registration: 'off', requesterMails: 'never' });
    expect(badMails.status).toBe(422);
    expect(await badMails.text()).toMatch(/id="f-requesterMails"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-requesterMails"/);
    expect(await portalSettings(app.services, world.tenant.id)).toEqual(before);
  });

  it('another tenant\'s admin changes nothing here', async () => {
    const other = await portalWorld(app, 'set-other');
    await app.createStaff(other.tenant.id, 'admin', 'admin@set-other.test');
    const otherAdmin = await app.signIn('admin@set-other.test', 'set-other');
    const before = await portalSettings(app.services, world.tenant.id);
    const response = await app.request('/t/set/p/portal/settings', { method: 'POST', body: new URLSearchParams({ registration: 'off' }), cookie: otherAdmin });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toContain('/t/set/login');
    expect(await portalSettings(app.services, world.tenant.id)).toEqual(before);
  });
});
