import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disablePlugin, enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../harness/test-app.js';
import { dialects } from '../harness/test-database.js';
import type { HardwareDB } from '../../plugins/hardware/hardware-db.js';
import { hardwareWorld, type HardwareWorld } from '../../plugins/hardware/hardware-fixture.js';
import { hardwarePlugin } from '../../plugins/hardware/index.js';
import { portalPlugin } from '../../plugins/portal/index.js';
import { connectPlugin } from '../../plugins/connect/index.js';
import { sourceStore } from '../../plugins/connect/source-store.js';

/** Cross-plugin (connect with hardware and its fixture, so under test/): the monitoring webhook links the device its host names through hardware's published point, only while hardware is on. */
describe.each(dialects)('connect alerts and hardware devices on %s', (dialect) => {
  let app: TestApp;
  let a: HardwareWorld;
  let b: HardwareWorld;
  const tokens: Record<string, string> = {};
  const devices: Record<string, number> = {};

  const post = (world: HardwareWorld, host: string, service: string, state = 'CRITICAL') =>
    app.request(`/t/${world.tenant.slug}/hooks/monitoring/generic`, {
      method: 'POST', body: JSON.stringify({ host, service, state, output: `${service} ${state}` }),
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens[world.tenant.slug]}` },
    });
  const opened = async (world: HardwareWorld, response: Response) => {
    expect(response.status).toBe(202);
    const [settled] = ((await response.json()) as { data: Array<{ outcome: string; ticket: string }> }).data;
    return pluginScope<HardwareDB>(app.services.db, world.tenant.id).selectFrom('tickets').select(['id', 'number']).where('number', '=', settled!.ticket).executeTakeFirstOrThrow();
  };
  const linksOf = (world: HardwareWorld, ticketId: number) => pluginScope<HardwareDB>(app.services.db, world.tenant.id).selectFrom('hardware_ticket_links')
    .select(['device_id', 'reason', 'linked_by']).where('ticket_id', '=', ticketId).orderBy('device_id').execute();

  beforeAll(async () => {
    app = await createTestApp(dialect, [portalPlugin, hardwarePlugin, connectPlugin]);
    a = await hardwareWorld(app, 'cd-a');
    b = await hardwareWorld(app, 'cd-b');
    for (const world of [a, b]) tokens[world.tenant.slug] = (await sourceStore(app.services, world.tenant.id).create('generic', { id: world.adminId, label: world.adminEmail })).token;
    devices.db = (await a.device({ inventory_number: 'SRV-1', host: 'db1.example.net' })).id;
    devices.web = (await a.device({ inventory_number: 'SRV-2', host: 'web1' })).id;
    // Tenant b has a device of the same host name: never linked to tenant a's tickets.
    devices.other = (await b.device({ inventory_number: 'SRV-9', host: 'db1.example.net' })).id;
  });
  afterAll(() => app.cleanup());

  it('links the device whose host name the alert names, as a defect, with a history line; repeats link nothing more', async () => {
    const ticket = await opened(a, await post(a, 'db1.example.net', 'postgres'));
    expect(await linksOf(a, ticket.id)).toEqual([{ device_id: devices.db, reason: 'defect', linked_by: null }]);
    const history = await pluginScope(app.services.db, a.tenant.id).selectFrom('ticket_history').select(['action', 'note', 'actor_label']).where('ticket_id', '=', ticket.id).where('action', '=', 'hardware.device_linked').execute();
    expect(history).toEqual([{ action: 'hardware.device_linked', note: 'SRV-1', actor_label: 'Monitoring (generic)' }]);
    expect((await post(a, 'db1.example.net', 'postgres')).status).toBe(202);
    expect(await linksOf(a, ticket.id)).toHaveLength(1);
    // The ticket page shows the device in hardware's panel.
    const page = await (await app.request(`/t/cd-a/desk/tickets/${ticket.number}`, { cookie: await a.agentCookie() })).text();
    expect(page).toContain(`id="hardware-linked-${devices.db}"`);
  });

  it('matches a host sent in upper case, and links nothing for an unknown host', async () => {
    const upper = await opened(a, await post(a, 'WEB1', 'http'));
    expect((await linksOf(a, upper.id)).map((link) => link.device_id)).toEqual([devices.web]);
    const unknown = await opened(a, await post(a, 'nobody.example.net', 'ping'));
    expect(await linksOf(a, unknown.id)).toEqual([]);
  });

  it('keeps tenants apart: tenant b\'s alert links tenant b\'s device only', async () => {
    const ticket = await opened(b, await post(b, 'db1.example.net', 'postgres'));
    expect((await linksOf(b, ticket.id)).map((link) => link.device_id)).toEqual([devices.other]);
  });

  it('links nothing while the tenant has hardware off, and the alert still opens its ticket', async () => {
    await disablePlugin(app.services.db, app.services.registry, a.tenant.id, 'hardware');
    try {
      const ticket = await opened(a, await post(a, 'db1.example.net', 'backup'));
      expect(await linksOf(a, ticket.id)).toEqual([]);
    } finally {
      await enablePlugin(app.services.db, app.services.registry, a.tenant.id, 'hardware');
    }
  });
});
