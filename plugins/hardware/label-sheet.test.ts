import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { hardwareWorld, type HardwareWorld } from './hardware-fixture.js';
import { hardwarePlugin } from './index.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

/** The QR label sheet: the filtered list or one device, each label with its QR code, number, model and customer. */
describe.each(dialects)('hardware QR labels on %s', (dialect) => {
  let app: TestApp;
  let a: HardwareWorld;
  let b: HardwareWorld;
  let agentA: string;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('portal'), hardwarePlugin]);
    a = await hardwareWorld(app, 'hq-a');
    b = await hardwareWorld(app, 'hq-b');
    agentA = await a.agentCookie();
    ids.printer = (await a.device({ inventory_number: 'INV-1' })).id;
    ids.notebook = (await a.device({ inventory_number: 'INV-2', model_id: String(a.models.notebook), organisation_id: String(a.organisations.globex) })).id;
    ids.other = (await b.device({ inventory_number: 'B-1' })).id;
  });
  afterAll(() => app.cleanup());

  it('prints a label per device of the filtered list, with a QR code of the device page', async () => {
    const response = await app.request(`/t/hq-a/p/hardware/labels?model=${a.models.notebook}`, { cookie: agentA });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`id="hardware-label-${ids.notebook}"`);
    expect(html).not.toContain(`id="hardware-label-${ids.printer}"`);
    expect(html).toMatch(/<svg[^>]*viewBox/);
    expect(html).toContain('Lenovo ThinkPad T14');
    expect(html).toMatch(/Globex/i);
    expect(html).toContain('1 labels on A4');
    const all = await (await app.request('/t/hq-a/p/hardware/labels', { cookie: agentA })).text();
    expect(all.match(/class="hardware-label"/g)).toHaveLength(2);
    expect((await app.request('/static/p/hardware/labels.css')).status).toBe(200);
  });

  it('prints one device, refuses another tenant\'s device and bad filters, speaks German', async () => {
    const one = await (await app.request(`/t/hq-a/p/hardware/labels?id=${ids.printer}`, { cookie: agentA, headers: { 'Accept-Language': 'de' } })).text();
    expect(one.match(/class="hardware-label"/g)).toHaveLength(1);
    expect(one).toContain('INV-1');
    expect((await app.request(`/t/hq-a/p/hardware/labels?id=${ids.other}`, { cookie: agentA })).status).toBe(404);
    expect((await app.request('/t/hq-a/p/hardware/labels?state=flying', { cookie: agentA })).status).toBe(422);
    expect((await app.request('/t/hq-a/p/hardware/labels?id=x', { cookie: agentA })).status).toBe(422);
    const page = await (await app.request(`/t/hq-a/p/hardware/devices/${ids.printer}`, { cookie: agentA })).text();
    expect(page).toContain(`/t/hq-a/p/hardware/labels?id=${ids.printer}`);
  });
});
