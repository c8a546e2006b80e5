import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { hardwareWorld, type HardwareWorld } from './hardware-fixture.js';
import type { HardwareDB } from './hardware-db.js';
import { hardwarePlugin } from './index.js';
import { inventoryNumbers } from './mail-link.js';
import { mailPatternProblem } from './mail-pattern.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

describe('the subject pattern', () => {
  it('finds each number once, accepts only expressions with a group', () => {
    expect(inventoryNumbers('Re: printer [INV-1234] and [inv-9] [INV-1234]', String.raw`\[(INV-[^\]\s]+)\]`)).toEqual(['INV-1234', 'inv-9']);
    expect(mailPatternProblem('INV-\\d+')).toBe('hardware.settings.mailPatternGroup');
    expect(mailPatternProblem('(')).toBe('hardware.settings.mailPatternInvalid');
    expect(mailPatternProblem(String.raw`#(\d+)`)).toBeNull();
  });
});

/** A mail ticket whose subject names an inventory number is linked to that device of its organisation, and only that. */
describe.each(dialects)('hardware mail link on %s', (dialect) => {
  let app: TestApp;
  let a: HardwareWorld;
  let b: HardwareWorld;
  const ids: Record<string, number> = {};
  const linked = async (world: HardwareWorld, ticketId: number) => (await pluginScope<HardwareDB>(app.services.db, world.tenant.id).selectFrom('hardware_ticket_links')
    .innerJoin('hardware_devices', 'hardware_devices.id', 'hardware_ticket_links.device_id')
    .select(['hardware_devices.inventory_number', 'hardware_ticket_links.reason']).where('ticket_id', '=', ticketId).orderBy('inventory_number').execute());
  let loner = 0;
  const mailTicket = (world: HardwareWorld, subject: string, organisationId: number | null, channel: 'mail' | 'web' = 'mail') =>
    world.service().create({ subject, description: 'From a mail', requesterId: organisationId === null ? loner : world.people.colleague, organisationId, channel }, world.agent);

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('portal'), hardwarePlugin]);
    a = await hardwareWorld(app, 'hm-a');
    b = await hardwareWorld(app, 'hm-b');
    ids.acme = (await a.device({ inventory_number: 'INV-1234' })).id;
    ids.globex = (await a.device({ inventory_number: 'INV-5678', organisation_id: String(a.organisations.globex) })).id;
    ids.other = (await b.device({ inventory_number: 'INV-9999' })).id;
    // A sender the tenant knows by address only: no organisation.
    loner = (await a.scope.insertInto('people', { organisation_id: null, name: 'Lone Sender', email: 'lone@example.test', phone: null, portal_role: 'customer', is_org_manager: 0, password_hash: null, locale: 'en', active: 1 })
      .returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => app.cleanup());

  it('links the organisation\'s devices named in a mail subject with the reason "question"', async () => {
    const ticket = await mailTicket(a, 'Printer jams [INV-1234] [INV-5678] [INV-9999] [INV-0000]', a.organisations.acme);
    // Globex's device and another tenant's are not the customer's; an unknown number is no error.
    expect(await linked(a, ticket.id)).toEqual([{ inventory_number: 'INV-1234', reason: 'question' }]);
    const globex = await mailTicket(a, 'Also [INV-5678]', a.organisations.globex);
    expect(await linked(a, globex.id)).toEqual([{ inventory_number: 'INV-5678', reason: 'question' }]);
  });

  it('links nothing for a ticket without an organisation, nor for another channel', async () => {
    expect(await linked(a, (await mailTicket(a, 'Unknown sender [INV-1234]', null)).id)).toEqual([]);
    expect(await linked(a, (await mailTicket(a, 'Web form [INV-1234]', a.organisations.acme, 'web')).id)).toEqual([]);
  });

  it('follows the tenant\'s pattern, and refuses a pattern without a group', async () => {
    await updatePluginSettings(app.services.db, app.services.registry, a.tenant.id, 'hardware', { portalPick: false, mailPattern: String.raw`Gerät (INV-\d+)` });
    expect(await linked(a, (await mailTicket(a, 'Gerät INV-1234 defekt', a.organisations.acme)).id)).toEqual([{ inventory_number: 'INV-1234', reason: 'question' }]);
    expect(await linked(a, (await mailTicket(a, 'Printer [INV-1234]', a.organisations.acme)).id)).toEqual([]);
    await expect(updatePluginSettings(app.services.db, app.services.registry, a.tenant.id, 'hardware', { mailPattern: 'INV-\\d+' })).rejects.toThrow();
    const admin = await a.admin();
    const refused = await app.request('/t/hm-a/p/hardware/admin/settings', { method: 'POST', cookie: admin, body: new URLSearchParams({ mailPattern: '(' }) });
    expect(refused.status).toBe(303);
    const page = await (await app.request('/t/hm-a/p/hardware/admin', { cookie: admin })).text();
    // Refused: the stored pattern stays.
    expect(page).toContain('value="Gerät (INV-\\d+)"');
  });
});
