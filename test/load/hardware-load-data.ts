// The seeded data of the hardware benchmarks (test/load/hardware-bench.ts on the data layer, hardware-http-bench.ts through
// the real server): a tenant "bench" with helpdesk, portal and hardware on, 200 customers, 40 models, a site with 20
// buildings, `devices` devices (one state line each, and its kept period in service), `tickets` tickets over a year of
// which `links` link a device (a third as defects). A benchmark's fixture, not a test's.
import { sql } from 'kysely';
import type { Database } from '../../core/db/create-database.js';
import type { Services } from '../../core/http/app-env.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import type { PluginRegistry } from '../../core/plugin-host/registry.js';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import { rebuildTicketCounters } from '../../core/tickets/ticket-counters.js';
import { catalogueStore } from '../../plugins/hardware/catalogue-store.js';
import type { HardwareDB } from '../../plugins/hardware/hardware-db.js';
import { insertSpans, serviceSpans } from '../../plugins/hardware/service-spans.js';

export const SEED_NOW = Date.parse('2026-12-15T10:00:00Z');
const YEAR_AGO = Date.parse('2025-12-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

export async function seedHardware(database: Database, registry: PluginRegistry, services: Services, size: { devices: number; tickets: number; links: number }) {
  const tenant = await createTenant(database.db, { slug: 'bench', name: 'Bench', locale: 'en' });
  for (const id of ['helpdesk', 'portal', 'hardware']) await enablePlugin(database.db, registry, tenant.id, id);
  const scope = pluginScope<HardwareDB>(database.db, tenant.id);
  const orgs = (await scope.insertInto('organisations', Array.from({ length: 200 }, (_, i) => ({ name: `Customer ${i}`, number: `K-${i}` }) as never)).returning('id').execute()).map((r) => r.id);
  const catalogue = catalogueStore(services, tenant.id);
  const types = await catalogue.types();
  const makers = await Promise.all(['HP', 'Lenovo', 'Dell', 'Cisco', 'Brother'].map((name) => catalogue.addManufacturer(name, { id: 0, label: 'bench' }).catch(() => 0)));
  const models: number[] = [];
  for (let i = 0; i < 40; i++) models.push(await catalogue.addModel({ type_id: String(types[i % types.length]!.id), manufacturer_id: String(makers[i % makers.length]), name: `Model ${i}` }, { id: 0, label: 'bench' }));
  const site = await catalogue.addLocation({ kind: 'site', name: 'Site', parent_id: '' }, { id: 0, label: 'bench' });
  const rooms: number[] = [];
  for (let i = 0; i < 20; i++) rooms.push(await catalogue.addLocation({ kind: 'building', name: `House ${i}`, parent_id: String(site) }, { id: 0, label: 'bench' }));
  for (let i = 0; i < size.devices; i += 500) {
    const rows = await scope.insertInto('hardware_devices', Array.from({ length: Math.min(500, size.devices - i) }, (_, k) => {
      const n = i + k;
      return { inventory_number: `INV-${String(n).padStart(6, '0')}`, serial_number: `SN${n}`, model_id: models[n % models.length]!, organisation_id: orgs[n % orgs.length]!, person_id: null,
        location_id: rooms[n % rooms.length]!, state: n % 10 === 0 ? 'in_stock' as const : 'in_service' as const, purchased_on: null, warranty_until: null, host: `host-${n}`, notes: null, created_at: iso(YEAR_AGO - 86_400_000), updated_at: iso(YEAR_AGO) };
    })).returning(['id', 'state']).execute();
    const lines = rows.map((row, k) => ({ device_id: row.id, at: iso(YEAR_AGO - 86_400_000 + (i + k) * 1000), actor_id: null, actor_label: 'bench', field: 'state', old_value: null, new_value: row.state }));
    await scope.insertInto('hardware_device_history', lines).execute();
    // The kept periods in service, as the store writes them with its state lines.
    await insertSpans(scope, serviceSpans(lines.map((line) => ({ deviceId: line.device_id, at: Date.parse(line.at), state: line.new_value }))));
  }
  const deviceIds = (await scope.selectFrom('hardware_devices').select('id').orderBy('id').execute()).map((r) => r.id);
  const first = await (await tenantTicketService(services, tenant.id)).create({ subject: 'Bench ticket', description: 'x' }, { kind: 'system', label: 'bench' });
  const { id: _id, ...row } = await scope.selectFrom('tickets').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
  for (let i = 1; i < size.tickets; i += 500) {
    await database.db.insertInto('tickets').values(Array.from({ length: Math.min(500, size.tickets - i) }, (_, k) => ({ ...row, number: `B-${i + k}`, created_at: iso(YEAR_AGO + ((i + k) % 365) * 86_400_000) }))).execute();
  }
  // The rows above went past the ticket service: the queue counters count them afresh (as the job would on its next run).
  await rebuildTicketCounters(database.db, database.dialect, tenant.id, new Date().toISOString());
  const tickets = await scope.selectFrom('tickets').select(['id', 'created_at']).orderBy('id').limit(size.links).execute();
  for (let i = 0; i < tickets.length; i += 500) {
    await scope.insertInto('hardware_ticket_links', tickets.slice(i, i + 500).map((t, k) => ({
      ticket_id: t.id, device_id: deviceIds[((i + k) * 7) % deviceIds.length]!, reason: (i + k) % 3 === 0 ? 'defect' as const : 'question' as const, ticket_date: t.created_at, linked_at: t.created_at, linked_by: null,
    }))).execute();
  }
  // A bulk load leaves PostgreSQL without statistics until autovacuum's analyze runs; a live database has them.
  if (database.dialect === 'postgres') await sql`analyze`.execute(database.db);
  return { tenant, scope, orgs, models, site, deviceIds, links: tickets };
}
