import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';
import { checklistPlugin, notesPlugin } from '../../../test/plugins/test-plugins.js';

const post = (values: Record<string, string>, cookie: string) => ({ method: 'POST', body: new URLSearchParams(values), cookie });

describe.each(dialects)('platform screens on %s', (dialect) => {
  let app: TestApp;
  let operator: string;
  let acme: number;

  beforeAll(async () => {
    app = await createTestApp(dialect, [notesPlugin, checklistPlugin]);
    acme = (await app.createTenant('acme')).id;
    await app.createStaff(null, 'operator', 'op@platform.test');
    await app.createStaff(acme, 'admin', 'admin@acme.test');
    operator = await app.signIn('op@platform.test');
  });
  afterAll(() => app.cleanup());

  it('lists tenants and creates one; a taken or malformed slug is a field error and nothing is saved', async () => {
    expect(await (await app.request('/platform', { cookie: operator })).text()).toContain('/t/acme/');
    const created = await app.request('/platform/tenants', post({ slug: 'globex', name: 'Globex AG', locale: 'en' }, operator));
    expect(created.status).toBe(303);
    expect(await app.services.tenants.bySlug('globex')).toMatchObject({ name: 'Globex AG', locale: 'en' });
    const taken = await app.request('/platform/tenants', post({ slug: 'globex', name: 'Again', locale: 'de' }, operator));
    expect(taken.status).toBe(422);
    expect(await taken.text()).toContain('This short name is taken.');
    const bad = await app.request('/platform/tenants', post({ slug: 'No Good!', name: '', locale: 'fr' }, operator));
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('2 to 40 lower-case letters, digits or dashes.');
    expect(html).toContain('Please fill in this field.');
    expect((await app.database.db.selectFrom('tenants').select('slug').execute()).map((r) => r.slug).sort()).toEqual(['acme', 'globex']);
  });

  it('switches plugins, refuses a missing dependency and a needed plugin, and audits', async () => {
    const base = `/platform/tenants/${acme}/plugins`;
    const refused = await app.request(`${base}/checklist/enable`, post({}, operator));
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('needs &quot;notes&quot; switched on first');
    expect((await app.request(`${base}/notes/enable`, post({}, operator))).status).toBe(303);
    expect((await app.request(`${base}/checklist/enable`, post({}, operator))).status).toBe(303);
    expect((await app.request(`${base}/notes/disable`, post({ confirm: '1' }, operator))).status).toBe(409);
    expect(await app.services.tenants.enabledPlugins(acme)).toEqual(new Set(['notes', 'checklist']));
    // Switching off asks first and says what the tenant loses; a post without the confirmation switches nothing off.
    const page = await (await app.request(`/platform/tenants/${acme}`, { cookie: operator })).text();
    expect(page).toContain('id="plugin-off-checklist"');
    expect(page).toContain('Its data and settings stay');
    expect((await app.request(`${base}/checklist/disable`, post({}, operator))).status).toBe(303);
    expect(await app.services.tenants.enabledPlugins(acme)).toEqual(new Set(['notes', 'checklist']));
    expect((await app.request(`${base}/checklist/disable`, post({ confirm: '1' }, operator))).status).toBe(303);
    expect(await app.services.tenants.enabledPlugins(acme)).toEqual(new Set(['notes']));
    expect((await app.request(`${base}/checklist/enable`, post({}, operator))).status).toBe(303);
    expect((await app.request(`${base}/ghost/enable`, post({}, operator))).status).toBe(404);
    const audit = await app.database.db.selectFrom('audit_log').select('action').where('tenant_id', '=', acme).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['platform.plugin_enabled']));
  });

  it('validates plugin settings with the plugin schema', async () => {
    const bad = await app.request(`/platform/tenants/${acme}/plugins/notes/settings`, post({ greeting: '' }, operator));
    expect(bad.status).toBe(422);
    const good = await app.request(`/platform/tenants/${acme}/plugins/notes/settings`, post({ greeting: 'Servus' }, operator));
    expect(good.status).toBe(303);
    expect(await app.services.tenants.pluginSettings(acme, 'notes')).toEqual({ greeting: 'Servus' });
  });

  it('edits host names and refuses one another tenant has', async () => {
    const globex = (await app.services.tenants.bySlug('globex'))!;
    expect((await app.request(`/platform/tenants/${globex.id}`, post({ name: 'Globex AG', hosts: 'help.globex.example' }, operator))).status).toBe(303);
    const clash = await app.request(`/platform/tenants/${acme}`, post({ name: 'ACME', hosts: 'help.globex.example' }, operator));
    expect(clash.status).toBe(422);
    expect(await clash.text()).toContain('A host name belongs to another tenant.');
    const bad = await app.request(`/platform/tenants/${acme}`, post({ name: 'ACME', hosts: 'not a host!' }, operator));
    expect(bad.status).toBe(422);
  });

  it('shows and changes the tenant’s time zone: same select and validation as the branding page, 422 at the field, audited', async () => {
    const page = await (await app.request(`/platform/tenants/${acme}`, { cookie: operator })).text();
    expect(page).toContain('Time zone: <strong>Europe/Berlin</strong>');
    expect(page).toMatch(/<option value="Europe\/Berlin" selected="">Europe\/Berlin<\/option>/);
    expect(page).toContain('<option value="UTC">UTC</option>');
    const hosts = (await app.database.db.selectFrom('tenant_hosts').select('host').where('tenant_id', '=', acme).execute()).map((h) => h.host).join('\n');
    const unknown = await app.request(`/platform/tenants/${acme}`, post({ name: 'ACME Renamed', hosts, time_zone: 'Mars/Olympus_Mons' }, operator));
    expect(unknown.status).toBe(422);
    const html = await unknown.text();
    expect(html).toContain('Choose a time zone from the list (an IANA name such as Europe/Vienna).');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('<option value="Mars/Olympus_Mons" selected="">Mars/Olympus_Mons</option>');
    expect(html).not.toMatch(/<option value="UTC" selected/);
    expect(await app.services.tenants.bySlug('acme')).toMatchObject({ name: 'ACME', time_zone: 'Europe/Berlin' });
    // A differently cased name is stored as the runtime spells it.
    const saved = await app.request(`/platform/tenants/${acme}`, post({ name: 'ACME', hosts, time_zone: 'america/new_york' }, operator));
    expect(saved.status).toBe(303);
    expect((await app.services.tenants.bySlug('acme'))!.time_zone).toBe('America/New_York');
    // A form without the field keeps the zone.
    expect((await app.request(`/platform/tenants/${acme}`, post({ name: 'ACME', hosts }, operator))).status).toBe(303);
    expect((await app.services.tenants.bySlug('acme'))!.time_zone).toBe('America/New_York');
    const audit = await app.database.db.selectFrom('audit_log').select(['action', 'target', 'details']).where('tenant_id', '=', acme).where('action', '=', 'platform.time_zone_changed').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.target).toBe('acme: Europe/Berlin → America/New_York');
    expect(JSON.parse(audit[0]!.details!)).toEqual({ from: 'Europe/Berlin', to: 'America/New_York' });
    // German for a German operator.
    const { id: opId, locale } = await app.database.db.selectFrom('users').select(['id', 'locale']).where('email', '=', 'op@platform.test').executeTakeFirstOrThrow();
    await app.database.db.updateTable('users').set({ locale: 'de' }).where('id', '=', opId).execute();
    try {
      const german = await app.request(`/platform/tenants/${acme}`, post({ name: 'ACME', hosts, time_zone: '+01:00' }, operator));
      expect(german.status).toBe(422);
      const text = await german.text();
      expect(text).toContain('Zeitzone');
      expect(text).toContain('Bitte eine Zeitzone aus der Liste wählen');
    } finally {
      await app.database.db.updateTable('users').set({ locale }).where('id', '=', opId).execute();
    }
    await app.request(`/platform/tenants/${acme}`, post({ name: 'ACME', hosts, time_zone: 'Europe/Berlin' }, operator));
  });

  it('adds a tenant admin who can then sign in to that tenant', async () => {
    const response = await app.request(`/platform/tenants/${acme}/admins`, post({ email: 'second@acme.test', name: 'Second', password: 'long enough password' }, operator));
    expect(response.status).toBe(303);
    await app.signIn('second@acme.test', 'acme', 'long enough password');
    const duplicate = await app.request(`/platform/tenants/${acme}/admins`, post({ email: 'second@acme.test', name: 'Again', password: 'long enough password' }, operator));
    expect(duplicate.status).toBe(422);
  });

  it('shows the outbox and a mail in it', async () => {
    await app.services.mailer.send({ tenantId: acme, to: 'someone@example.com', subject: 'Hello <b>there</b>', text: 'Body <script>x</script>' });
    const list = await (await app.request('/platform/outbox', { cookie: operator })).text();
    expect(list).toContain('Hello &lt;b&gt;there&lt;/b&gt;');
    const id = /\/platform\/outbox\/(\d+)/.exec(list)![1];
    const detail = await (await app.request(`/platform/outbox/${id}`, { cookie: operator })).text();
    expect(detail).toContain('Body &lt;script&gt;x&lt;/script&gt;');
    expect((await app.request('/platform/outbox/999999', { cookie: operator })).status).toBe(404);
  });

  it('lists a mail’s attachments (name, type, size) and lets the operator download one; nobody else reaches it', async () => {
    const ics = 'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n';
    const html = '<script>alert(1)</script>';
    const sent = await app.services.mailer.send({
      tenantId: acme, to: 'tech@example.com', subject: 'Service order #7', text: 'See the invitation.',
      attachments: [
        { filename: 'order-7.ics', content: Buffer.from(ics), contentType: 'text/calendar; charset=utf-8; method=REQUEST' },
        { filename: 'Bericht über <Drucker>.html', content: Buffer.from(html), contentType: 'text/html' },
        { filename: 'blob.bin', content: Buffer.alloc(3 * 1024 + 512, 7), contentType: 'bad\r\ntype' },
      ],
    });
    const id = sent.id;
    const list = await (await app.request('/platform/outbox', { cookie: operator })).text();
    expect(list).toMatch(new RegExp(`href="/platform/outbox/${id}">Service order #7</a><span class="badge outbox-files-count">Attachments: 3</span>`));
    expect(list).toMatch(/>Hello &lt;b&gt;there&lt;\/b&gt;<\/a><\/td>/);
    const page = await (await app.request(`/platform/outbox/${id}`, { cookie: operator })).text();
    const rows = [...page.matchAll(/<tr><td><a href="([^"]+)"[^>]*>([^<]+)<\/a><\/td><td><code[^>]*>([^<]+)<\/code><\/td><td class="num">([^<]+)<\/td><\/tr>/g)].map((m) => m.slice(1));
    expect(rows).toEqual([
      [`/platform/outbox/${id}/attachments/0`, 'order-7.ics', 'text/calendar', `${ics.length} byte`],
      [`/platform/outbox/${id}/attachments/1`, 'Bericht über &lt;Drucker&gt;.html', 'text/html', `${html.length} byte`],
      [`/platform/outbox/${id}/attachments/2`, 'blob.bin', 'bad\r\ntype', '3.5 kB'],
    ]);
    const calendar = await app.request(`/platform/outbox/${id}/attachments/0`, { cookie: operator });
    expect(calendar.status).toBe(200);
    expect(calendar.headers.get('Content-Type')).toBe('text/calendar; charset=utf-8; method=REQUEST');
    expect(calendar.headers.get('Content-Disposition')).toBe('attachment; filename="order-7.ics"; filename*=UTF-8\'\'order-7.ics');
    expect(calendar.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(calendar.headers.get('Cache-Control')).toBe('private, no-store');
    expect(await calendar.text()).toBe(ics);
    const page2 = await app.request(`/platform/outbox/${id}/attachments/1`, { cookie: operator });
    expect(page2.headers.get('Content-Disposition')).toMatch(/^attachment; filename="Bericht uber <Drucker>.html"; filename\*=UTF-8''Bericht%20%C3%BCber%20%3CDrucker%3E.html$/);
    expect(page2.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(await page2.text()).toBe(html);
    // A stored type that is no media type is served as plain bytes.
    const blob = await app.request(`/platform/outbox/${id}/attachments/2`, { cookie: operator });
    expect(blob.headers.get('Content-Type')).toBe('application/octet-stream');
    expect((await blob.arrayBuffer()).byteLength).toBe(3 * 1024 + 512);
    expect((await app.request(`/platform/outbox/${id}/attachments/3`, { cookie: operator })).status).toBe(404);
    expect((await app.request('/platform/outbox/999999/attachments/0', { cookie: operator })).status).toBe(404);
    // German sizes and words for a German operator.
    const { id: opId, locale } = await app.database.db.selectFrom('users').select(['id', 'locale']).where('email', '=', 'op@platform.test').executeTakeFirstOrThrow();
    await app.database.db.updateTable('users').set({ locale: 'de' }).where('id', '=', opId).execute();
    try {
      const german = await (await app.request(`/platform/outbox/${id}`, { cookie: operator })).text();
      expect(german).toContain('<h2>Anhänge</h2>');
      expect(german).toContain('3,5 kB');
      expect(german).toContain('order-7.ics herunterladen');
    } finally {
      await app.database.db.updateTable('users').set({ locale }).where('id', '=', opId).execute();
    }
    // A tenant admin gets neither the platform's download nor one inside the tenant; anonymous visitors neither.
    const admin = await app.signIn('admin@acme.test', 'acme');
    const foreign = await app.request(`/platform/outbox/${id}/attachments/0`, { cookie: admin });
    expect(foreign.status).toBe(303);
    expect(await foreign.text()).not.toContain('VCALENDAR');
    expect((await app.request(`/t/acme/platform/outbox/${id}/attachments/0`, { cookie: admin })).status).toBe(404);
    expect((await app.request(`/platform/outbox/${id}/attachments/0`)).status).toBe(303);
    expect((await app.request(`/platform/outbox/${id}`, { cookie: admin })).status).toBe(303);
  });

  it('keeps tenant staff out, and answers 404 inside a tenant', async () => {
    const admin = await app.signIn('admin@acme.test', 'acme');
    expect((await app.request('/platform', { cookie: admin })).status).toBe(303);
    for (const path of ['/platform', '/platform/outbox', `/platform/tenants/${acme}`, '/platform/audit']) {
      expect((await app.request(`/t/acme${path}`, { cookie: admin })).status, path).toBe(404);
    }
    const anonymous = await app.request(`/platform/tenants/${acme}/plugins/notes/disable`, { method: 'POST' });
    expect(anonymous.status).toBe(303);
    expect(await app.services.tenants.enabledPlugins(acme)).toContain('notes');
  });
});
