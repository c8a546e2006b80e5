import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { hardwareWorld, type HardwareWorld } from './hardware-fixture.js';
import type { HardwareDB, LinkReason } from './hardware-db.js';
import { hardwarePlugin } from './index.js';
import { refreshServiceSpans } from './service-spans.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

/**
 * The defect statistics against a hand-computed fixture, in Europe/Berlin (January to March 2024: 31 + 29 + 31
 * days, the last hour lost to summer time on 31 March, so the period is 90 days and 23 hours):
 *
 * | device | model    | customer | in service                           | days  | months   | defects (Berlin month)      |
 * | P1     | printer  | ACME     | since 2023 (whole period)            | 90.958| J, F, M  | 10 Jan, 31 Jan 23:30Z = Feb, 5 Mar |
 * | P2     | printer  | Globex   | 11 Feb 00:00 → 11 Mar 00:00 (local)  | 29    | F, M     | 1 Mar                        |
 * | N1     | notebook | ACME     | since 2023, retired 16 Jan 00:00     | 15    | J        | 5 Jan                        |
 * | N2     | notebook | ACME     | never (in stock)                     | 0     | –        | none counted                 |
 *
 * Not counted: N2's defect on 31 Dec 23:30 local, its "question" link, P1's defect on a deleted ticket, P1's
 * defect at 1 April 00:30 local. Months: Jan 2 defects / 2 installed = 100 per 100; Feb 1 / 2 = 50; Mar 2 / 2 = 100.
 * By type: printers 4 defects, (3 + 2) / 3 = 1.667 installed, 240 per 100, 119.958 days ÷ 4 = 29.99 days MTBF;
 * notebooks 1, 1 / 3 = 0.333, 300, 15 days. All: 5, 2, 250, 134.958 ÷ 5 = 26.99.
 * By customer: ACME 4, 4 / 3 = 1.333, 300, 105.958 ÷ 4 = 26.49; Globex 1, 0.667, 150, 29.
 */
describe.each(dialects)('hardware defect statistics on %s', (dialect) => {
  let app: TestApp;
  let a: HardwareWorld;
  let b: HardwareWorld;
  let adminA: string;
  const ids: Record<string, number> = {};
  const period = 'from=2024-01-01&to=2024-03-31';

  const page = async (path: string, cookie: string) => (await app.request(path, { cookie })).text();
  /** The body as sent, byte-order mark included (Response.text() drops it). */
  const raw = async (response: Response) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
  const row = (html: string, id: string) => new RegExp(`<tr[^>]*${id}[^>]*>(.*?)</tr>`).exec(html)?.[1]?.replace(/<[^>]+>/g, '|').replace(/\|+/g, '|') ?? '';

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('portal'), hardwarePlugin]);
    a = await hardwareWorld(app, 'hd-a');
    b = await hardwareWorld(app, 'hd-b');
    adminA = await a.admin();
    const hw = pluginScope<HardwareDB>(app.services.db, a.tenant.id);
    ids.p1 = (await a.device({ inventory_number: 'P1' })).id;
    ids.p2 = (await a.device({ inventory_number: 'P2', organisation_id: String(a.organisations.globex) })).id;
    ids.n1 = (await a.device({ inventory_number: 'N1', model_id: String(a.models.notebook) })).id;
    ids.n2 = (await a.device({ inventory_number: 'N2', model_id: String(a.models.notebook) })).id;
    // The state history as the fixture says (the store wrote today's lines; these replace them).
    await hw.deleteFrom('hardware_device_history').where('field', '=', 'state').execute();
    const state = (device: number, at: string, from: string | null, to: string) => ({ device_id: device, at, actor_id: null, actor_label: 'import', field: 'state', old_value: from, new_value: to });
    await hw.insertInto('hardware_device_history', [
      state(ids.p1!, '2023-06-01T00:00:00.000Z', null, 'in_service'),
      state(ids.p2!, '2023-06-01T00:00:00.000Z', null, 'in_stock'),
      state(ids.p2!, '2024-02-10T23:00:00.000Z', 'in_stock', 'in_service'),
      state(ids.p2!, '2024-03-10T23:00:00.000Z', 'in_service', 'in_repair'),
      state(ids.n1!, '2023-06-01T00:00:00.000Z', null, 'in_service'),
      state(ids.n1!, '2024-01-15T23:00:00.000Z', 'in_service', 'retired'),
      state(ids.n2!, '2023-06-01T00:00:00.000Z', null, 'in_stock'),
    ]).execute();
    // Written by hand: the kept periods in service are counted again, as the store does with its own lines.
    await refreshServiceSpans(hw, Object.values(ids));
    const link = async (device: number, date: string, reason: LinkReason = 'defect', deleted = false) => {
      const ticket = await a.ticketFor(a.people.colleague, a.organisations.acme, `About ${date}`);
      if (deleted) await a.scope.updateTable('tickets').set({ deleted_at: '2024-03-01T00:00:00.000Z' }).where('id', '=', ticket.id).execute();
      await hw.insertInto('hardware_ticket_links', { ticket_id: ticket.id, device_id: device, reason, ticket_date: date, linked_at: date, linked_by: null }).execute();
    };
    await link(ids.p1!, '2024-01-10T10:00:00.000Z');
    await link(ids.p1!, '2024-01-31T23:30:00.000Z');
    await link(ids.p1!, '2024-03-05T10:00:00.000Z');
    await link(ids.p1!, '2024-02-15T10:00:00.000Z', 'defect', true);
    await link(ids.p1!, '2024-03-31T22:30:00.000Z');
    await link(ids.p2!, '2024-03-01T10:00:00.000Z');
    await link(ids.n1!, '2024-01-05T10:00:00.000Z');
    await link(ids.n2!, '2024-02-01T10:00:00.000Z', 'question');
    await link(ids.n2!, '2023-12-31T22:30:00.000Z');
  });
  afterAll(() => app.cleanup());

  it('counts defects by type, absolute and per 100 installed units, with MTBF, month by month in the tenant\'s zone', async () => {
    expect(a.tenant.time_zone).toBe('Europe/Berlin');
    const html = await page(`/t/hd-a/p/hardware/statistics?${period}&groupBy=type`, adminA);
    expect(html).toContain('id="hardware-stats-chart"');
    expect(html).toContain('id="hardware-stats-line"');
    const printer = String(a.typeId('printer'));
    const notebook = String(a.typeId('notebook'));
    expect(row(html, `data-group="${printer}"`)).toBe('|Printer|4|1.7|240.0|30.0|');
    expect(row(html, `data-group="${notebook}"`)).toBe('|Notebook|1|0.3|300.0|15.0|');
    expect(row(html, 'id="hardware-stats-total"')).toBe('|All|5|2.0|250.0|27.0|');
    expect(row(html, 'data-month="2024-01"')).toBe('|2024-01|2|2|100.0|');
    expect(row(html, 'data-month="2024-02"')).toBe('|2024-02|1|2|50.0|');
    expect(row(html, 'data-month="2024-03"')).toBe('|2024-03|2|2|100.0|');
    // Top devices: P1 first, then the two with one defect each.
    expect(html.indexOf(`hardware-stats-device-${ids.p1}`)).toBeLessThan(html.indexOf(`hardware-stats-device-${ids.p2}`));
    expect(html).toContain(`hardware-stats-device-${ids.n1}`);
    expect(html).not.toContain(`hardware-stats-device-${ids.n2}`);
  });

  it('groups by customer and exports each table as CSV with the page\'s filters', async () => {
    const html = await page(`/t/hd-a/p/hardware/statistics?${period}&groupBy=organisation`, adminA);
    expect(row(html, `data-group="${a.organisations.acme}"`)).toBe('|ACME|4|1.3|300.0|26.5|');
    expect(row(html, `data-group="${a.organisations.globex}"`)).toBe('|Globex|1|0.7|150.0|29.0|');
    expect(html).toContain(`href="/t/hd-a/p/hardware/statistics/defects.csv?from=2024-01-01&amp;to=2024-03-31&amp;groupBy=organisation&amp;table=groups"`);

    const csv = await app.request(`/t/hd-a/p/hardware/statistics/defects.csv?${period}&groupBy=organisation&table=groups`, { cookie: adminA });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await raw(csv)).toBe('\uFEFFCustomer,Defects,Installed units (average),Defects per 100 units,Days in service,MTBF (days)\r\n'
      + 'ACME,4,1.33,300,105.96,26.49\r\nGlobex,1,0.67,150,29,29\r\n');
    const months = await raw(await app.request(`/t/hd-a/p/hardware/statistics/defects.csv?${period}&table=months`, { cookie: adminA }));
    expect(months).toBe('\uFEFFMonth,Defects,Installed units (average),Defects per 100 units\r\n2024-01,2,2,100\r\n2024-02,1,2,50\r\n2024-03,2,2,100\r\n');
    expect((await app.request(`/t/hd-a/p/hardware/statistics/defects.csv?${period}&table=nope`, { cookie: adminA })).status).toBe(422);
  });

  it('groups by model, manufacturer and location too', async () => {
    const byModel = await page(`/t/hd-a/p/hardware/statistics?${period}&groupBy=model`, adminA);
    expect(row(byModel, `data-group="${a.models.printer}"`)).toBe('|HP LaserJet 4000|4|1.7|240.0|30.0|');
    const byMaker = await page(`/t/hd-a/p/hardware/statistics?${period}&groupBy=manufacturer`, adminA);
    expect(row(byMaker, `data-group="${a.manufacturers.lenovo}"`)).toBe('|Lenovo|1|0.3|300.0|15.0|');
    const byLocation = await page(`/t/hd-a/p/hardware/statistics?${period}&groupBy=location`, adminA);
    expect(row(byLocation, 'data-group="none"')).toBe('|No location|5|2.0|250.0|27.0|');
  });

  it('refuses a bad period at its fields (422), is for supervisors and admins only, and shows a tenant only its own devices', async () => {
    const reversed = await app.request(`/t/hd-a/p/hardware/statistics?from=2024-03-01&to=2024-01-01`, { cookie: adminA });
    expect(reversed.status).toBe(422);
    expect(await reversed.text()).toContain('The end lies before the start.');
    const long = await app.request(`/t/hd-a/p/hardware/statistics?from=2020-01-01&to=2024-01-01&groupBy=colour`, { cookie: adminA });
    expect(long.status).toBe(422);
    const text = await long.text();
    expect(text).toContain('A period spans at most 36 months.');
    expect(text).toContain('id="groupBy-error"');
    expect((await app.request(`/t/hd-a/p/hardware/statistics?from=2024-02-30`, { cookie: adminA })).status).toBe(422);
    expect((await app.request(`/t/hd-a/p/hardware/statistics?${period}`, { cookie: await a.agentCookie() })).status).toBe(403);
    expect((await app.request(`/t/hd-a/p/hardware/statistics/defects.csv?${period}`, { cookie: await a.agentCookie() })).status).toBe(403);
    const other = await page(`/t/hd-b/p/hardware/statistics?${period}`, await b.admin());
    expect(other).toContain('No defects in this period.');
    expect(other).not.toContain('P1');
  });

  it('has a panel on the Statistics page for supervisors and admins, and speaks German', async () => {
    const statistics = await page('/t/hd-a/desk/statistics', adminA);
    expect(statistics).toContain('id="stat-hardware-defects"');
    expect(statistics).toContain('id="hardware-stats-panel-link"');
    expect(await page('/t/hd-a/desk/statistics', await a.agentCookie())).not.toContain('stat-hardware-defects');
    await app.services.db.updateTable('users').set({ locale: 'de' }).where('email', '=', a.adminEmail).execute();
    const german = await page(`/t/hd-a/p/hardware/statistics?${period}&groupBy=type`, adminA);
    await app.services.db.updateTable('users').set({ locale: 'en' }).where('email', '=', a.adminEmail).execute();
    expect(german).toContain('Hardware-Defektstatistik');
    expect(row(german, `data-group="${a.typeId('printer')}"`)).toBe('|Drucker|4|1,7|240,0|30,0|');
  });
});
