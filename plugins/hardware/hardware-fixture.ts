import { portalWorld, type PortalWorld } from '../../test/harness/portal-world.js';
import type { TestApp } from '../../test/harness/test-app.js';
import { catalogueStore } from './catalogue-store.js';
import { deviceStore } from './device-store.js';
import type { DeviceInput } from './device-fields.js';

/**
 * A portal world (two customers, portal people, an agent) with the hardware plugin on, an admin, and a
 * small catalogue: a printer and a notebook model, a site › building › room.
 */
export async function hardwareWorld(app: TestApp, slug: string) {
  const world = await portalWorld(app, slug);
  const adminEmail = `admin@${slug}.test`;
  const adminId = await app.createStaff(world.tenant.id, 'admin', adminEmail);
  const actor = { id: adminId, label: adminEmail };
  const catalogue = catalogueStore(app.services, world.tenant.id);
  const types = await catalogue.types();
  const typeId = (key: string) => types.find((type) => type.key === key)!.id;
  const hp = await catalogue.addManufacturer('HP', actor);
  const lenovo = await catalogue.addManufacturer('Lenovo', actor);
  const printer = await catalogue.addModel({ type_id: String(typeId('printer')), manufacturer_id: String(hp), name: 'LaserJet 4000' }, actor);
  const notebook = await catalogue.addModel({ type_id: String(typeId('notebook')), manufacturer_id: String(lenovo), name: 'ThinkPad T14' }, actor);
  const site = await catalogue.addLocation({ kind: 'site', name: 'Campus', parent_id: '' }, actor);
  const building = await catalogue.addLocation({ kind: 'building', name: 'House A', parent_id: String(site) }, actor);
  const room = await catalogue.addLocation({ kind: 'room', name: 'Room 101', parent_id: String(building) }, actor);
  const devices = deviceStore(app.services, world.tenant.id);
  const device = (input: Partial<DeviceInput> & { inventory_number: string }) => devices.create({
    serial_number: '', model_id: String(printer), organisation_id: String(world.organisations.acme), person: '', location_id: '', state: 'in_service',
    purchased_on: '', warranty_until: '', host: '', notes: '', ...input,
  }, actor);
  return {
    ...world, adminEmail, adminId, actor, typeId,
    manufacturers: { hp, lenovo }, models: { printer, notebook }, locations: { site, building, room },
    device,
    admin: () => app.signIn(adminEmail, slug),
    agentCookie: () => app.signIn(world.agentEmail, slug),
  };
}
export type HardwareWorld = Awaited<ReturnType<typeof hardwareWorld>>;
export type { PortalWorld };
