import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../db/schema.js';
import { runCli } from '../../cli/run-cli.js';
import { createTicketService, type TicketActor } from '../../tickets/ticket-service.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

const post = (values: Record<string, string>, cookie: string, headers: Record<string, string> = {}) => ({ method: 'POST', body: new URLSearchParams(values), cookie, headers });
const branding = { name: 'ACME', locale: 'en', primary_color: '#112233', accent_color: '#445566', mail_from_name: '', mail_from_address: '' };
const numbersIn = (html: string) => [...html.matchAll(/data-number="([^"]+)"/g)].map((m) => m[1]!).sort();

describe.each(dialects)('tenant time zone on %s', (dialect) => {
  let app: TestApp;
  let acme: Tenant;
  let globex: Tenant;
  let admin: string;
  let globexAdmin: string;
  let operator: string;
  let adminId: number;

  const actor = (): TicketActor => ({ kind: 'user', id: adminId, label: 'admin', can: () => true });
  const ticketAt = async (tenant: Tenant, at: string, subject: string) => (await createTicketService({
    db: app.services.db, dialect, clock: () => new Date(at), events: app.services.events, files: app.services.files,
  }, tenant, app.services.catalog.translator('en')).create({ subject, description: subject }, actor())).number;
  const zoneOf = async (tenant: Tenant) => (await app.services.db.selectFrom('tenants').select('time_zone').where('id', '=', tenant.id).executeTakeFirstOrThrow()).time_zone;

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = await app.createTenant('acme');
    globex = await app.createTenant('globex');
    adminId = await app.createStaff(acme.id, 'admin', 'admin@acme.test');
    await app.createStaff(globex.id, 'admin', 'admin@globex.test');
    await app.createStaff(null, 'operator', 'op@platform.test');
    [admin, globexAdmin, operator] = await Promise.all([app.signIn('admin@acme.test', 'acme'), app.signIn('admin@globex.test', 'globex'), app.signIn('op@platform.test')]);
  });
  afterAll(() => app.cleanup());

  it('starts in Europe/Berlin; the branding page offers the zones grouped, the current one selected', async () => {
    expect(acme.time_zone).toBe('Europe/Berlin');
    const html = await (await app.request('/t/acme/admin/branding', { cookie: admin })).text();
    expect(html).toContain('<optgroup label="America">');
    expect(html).toMatch(/<option value="Europe\/Berlin" selected="">Europe\/Berlin<\/option>/);
    expect(html).toContain('<option value="America/New_York">America/New York</option>');
  });

  it('refuses an unknown zone with a field message in English and German, keeping what was typed', async () => {
    const bad = await app.request('/t/acme/admin/branding', post({ ...branding, name: 'ACME Wien', time_zone: 'Europe/Atlantis' }, admin));
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('id="time_zone-error" class="field-error">Choose a time zone from the list');
    expect(html).toContain('value="ACME Wien"');
    const german = await app.request('/t/acme/admin/branding', post({ ...branding, time_zone: '+02:00' }, admin, { 'Accept-Language': 'de' }));
    expect(german.status).toBe(422);
    expect(await german.text()).toContain('Bitte eine Zeitzone aus der Liste wählen');
    expect(await zoneOf(acme)).toBe('Europe/Berlin');
  });

  it('saves a zone for its own tenant only; another tenant\'s admin cannot change it', async () => {
    const saved = await app.request('/t/acme/admin/branding', post({ ...branding, time_zone: 'America/New_York' }, admin));
    expect(saved.status).toBe(303);
    expect(await zoneOf(acme)).toBe('America/New_York');
    expect((await app.services.tenants.byId(acme.id))!.time_zone).toBe('America/New_York');
    // ACME's session is nobody at Globex: sent to sign in, nothing changes.
    const across = await app.request('/t/globex/admin/branding', post({ ...branding, name: 'Hijacked', time_zone: 'Asia/Tokyo' }, admin));
    expect(across.status).toBe(303);
    expect(across.headers.get('Location')).toContain('/t/globex/login');
    const globexRow = await app.services.db.selectFrom('tenants').select(['name', 'time_zone']).where('id', '=', globex.id).executeTakeFirstOrThrow();
    expect(globexRow).toEqual({ name: 'GLOBEX', time_zone: 'Europe/Berlin' });
    const audit = await app.services.db.selectFrom('audit_log').select(['tenant_id', 'details']).where('action', '=', 'admin.branding_updated').execute();
    expect(audit.map((a) => a.tenant_id)).toEqual([acme.id]);
    expect(audit[0]!.details).toContain('America/New_York');
    // The hotline statistics' days are counted afresh in the new zone, for ACME alone, at once.
    const rebuilds = await app.services.db.selectFrom('jobs').select(['tenant_id', 'run_at']).where('name', '=', 'core.hotline-rebuild').execute();
    expect(rebuilds.map((j) => j.tenant_id)).toEqual([acme.id]);
  });

  it('shows timestamps in the tenant zone: New York for ACME, Berlin for Globex', async () => {
    const acmeTicket = await ticketAt(acme, '2026-12-01T23:30:00.000Z', 'Late printer');
    const globexTicket = await ticketAt(globex, '2026-12-01T23:30:00.000Z', 'Late printer');
    const acmeList = await (await app.request(`/t/acme/desk/tickets?queue=all&q=${acmeTicket}`, { cookie: admin })).text();
    expect(acmeList).toContain('1 Dec 2026, 18:30');
    expect(acmeList).not.toContain('2 Dec 2026, 00:30');
    const globexList = await (await app.request(`/t/globex/desk/tickets?queue=all&q=${globexTicket}`, { cookie: globexAdmin })).text();
    expect(globexList).toContain('2 Dec 2026, 00:30');
  });

  it('filters ticket management by the tenant\'s calendar days, across the DST change', async () => {
    // New York leaves daylight saving time on 1 November 2026 (a 25-hour day).
    const before = await ticketAt(acme, '2026-11-01T03:59:00.000Z', 'NY Oct 31 23:59');
    const first = await ticketAt(acme, '2026-11-01T04:00:00.000Z', 'NY Nov 1 00:00');
    const last = await ticketAt(acme, '2026-11-02T04:59:00.000Z', 'NY Nov 1 23:59');
    const after = await ticketAt(acme, '2026-11-02T05:00:00.000Z', 'NY Nov 2 00:00');
    const day = await (await app.request('/t/acme/desk/tickets?queue=all&from=2026-11-01&to=2026-11-01', { cookie: admin })).text();
    expect(numbersIn(day)).toEqual([first, last].sort());
    const from = await (await app.request('/t/acme/desk/tickets?queue=all&from=2026-11-02&to=2026-11-30', { cookie: admin })).text();
    expect(numbersIn(from)).toEqual([after]);
    const to = await (await app.request('/t/acme/desk/tickets?queue=all&from=2026-10-01&to=2026-10-31', { cookie: admin })).text();
    expect(numbersIn(to)).toEqual([before]);
    // Berlin starts daylight saving time on 29 March 2026 (a 23-hour day).
    const berlin = [
      await ticketAt(globex, '2026-03-28T22:59:00.000Z', 'Berlin Mar 28 23:59'),
      await ticketAt(globex, '2026-03-28T23:00:00.000Z', 'Berlin Mar 29 00:00'),
      await ticketAt(globex, '2026-03-29T21:59:00.000Z', 'Berlin Mar 29 23:59'),
      await ticketAt(globex, '2026-03-29T22:00:00.000Z', 'Berlin Mar 30 00:00'),
    ];
    const berlinDay = await (await app.request('/t/globex/desk/tickets?queue=all&from=2026-03-29&to=2026-03-29', { cookie: globexAdmin })).text();
    expect(numbersIn(berlinDay)).toEqual([berlin[1]!, berlin[2]!].sort());
  });

  it('lets the operator create a tenant in a zone, defaulting to Berlin and refusing unknown zones', async () => {
    const bad = await app.request('/platform/tenants', post({ slug: 'wien', name: 'Wien GmbH', locale: 'de', time_zone: 'Vienna' }, operator));
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('id="time_zone-error"');
    expect((await app.request('/platform/tenants', post({ slug: 'wien', name: 'Wien GmbH', locale: 'de', time_zone: 'Europe/Vienna' }, operator))).status).toBe(303);
    expect((await app.request('/platform/tenants', post({ slug: 'berlin', name: 'Berlin AG', locale: 'de' }, operator))).status).toBe(303);
    const rows = await app.services.db.selectFrom('tenants').select(['slug', 'time_zone']).where('slug', 'in', ['wien', 'berlin']).orderBy('slug').execute();
    expect(rows).toEqual([{ slug: 'berlin', time_zone: 'Europe/Berlin' }, { slug: 'wien', time_zone: 'Europe/Vienna' }]);
  });

  it('tenant:create takes --time-zone and says what is wrong with a bad one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tresen-tz-cli-'));
    const run = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: { DATABASE_URL: app.services.database.url, DATA_DIR: dataDir, SECRET: 'x'.repeat(40) } }, []);
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    expect(await run('tenant:create', '--slug', 'london', '--name', 'London Ltd', '--locale', 'en', '--time-zone', 'Europe/London')).toMatchObject({ code: 0 });
    expect(await run('tenant:create', '--slug', 'mars', '--name', 'Mars', '--time-zone', 'Mars/Base')).toMatchObject({ code: 2, err: expect.stringContaining('--time-zone: "Mars/Base" is no IANA time zone') });
    const rows = await app.services.db.selectFrom('tenants').select(['slug', 'time_zone']).where('slug', 'in', ['london', 'mars']).execute();
    expect(rows).toEqual([{ slug: 'london', time_zone: 'Europe/London' }]);
  });
});
