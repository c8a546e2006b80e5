import { recordTicketHistory, pluginScope } from '../../core/plugin-api.js';
import { SLA_COMPONENTS_CHANGED } from '../sla/events.js';
import type { HardwareDeviceLinks } from './extension-points.js';
import type { HardwareDB } from './hardware-db.js';

/** At most this many devices share a host name on one ticket (a host name is meant to name one device). */
const HOST_LINK_MAX = 5;

/**
 * `hardware.deviceLinks` (extension-points.ts): the devices named by a host link to a ticket as a system change.
 * The host is compared as sent and in lower case, both through the (tenant, host) index; no match links nothing.
 */
export const deviceLinks: HardwareDeviceLinks = {
  async linkByHost({ services, tenantId, ticketId, host, reason, actorLabel }) {
    const name = host.trim().slice(0, 255);
    if (!name) return [];
    const scope = pluginScope<HardwareDB>(services.db, tenantId);
    const linked = await services.db.transaction().execute(async (trx) => {
      const tx = scope.withDb(trx);
      const ticket = await tx.selectFrom('tickets').select(['id', 'number', 'created_at']).where('id', '=', ticketId).where('deleted_at', 'is', null).executeTakeFirst();
      if (!ticket) return [];
      const devices = await tx.selectFrom('hardware_devices').select(['id', 'inventory_number'])
        .where('host', 'in', [...new Set([name, name.toLowerCase()])])
        .where('id', 'not in', tx.selectFrom('hardware_ticket_links').select('device_id').where('ticket_id', '=', ticket.id))
        .orderBy('inventory_number').limit(HOST_LINK_MAX).execute();
      if (!devices.length) return [];
      const now = services.clock().toISOString();
      await tx.insertInto('hardware_ticket_links', devices.map((device) => ({
        ticket_id: ticket.id, device_id: device.id, reason, ticket_date: ticket.created_at, linked_at: now, linked_by: null,
      }))).execute();
      const actor = { kind: 'system' as const, label: actorLabel };
      await recordTicketHistory(trx, tenantId, ticket.id, actor, devices.map((device) => ({ action: 'hardware.device_linked', field: 'reason', new: reason, note: device.inventory_number })), now);
      for (const device of devices) {
        await services.audit.record({ tenantId, actor: { userId: null, label: actorLabel }, action: 'hardware.device_linked', target: ticket.number, details: { device: device.inventory_number, reason, host: name } }, trx);
      }
      return devices.map((device) => device.inventory_number);
    });
    // The ticket may concern a component with a service level now (the sla plugin, when on, chooses again).
    if (linked.length) await services.hooks.emit(SLA_COMPONENTS_CHANGED, { tenantId, ticketIds: [ticketId] });
    return linked;
  },
};
