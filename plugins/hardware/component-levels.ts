import { scopeFor } from '../../core/plugin-api.js';
import type { SlaComponentLevels } from '../sla/extension-points.js';
import type { HardwareDB } from './hardware-db.js';

/**
 * The sla plugin's `sla.componentLevels`: a ticket concerns the components whose devices are linked to it.
 * The first linked device (in the order of linking) that stands in an installation with a level gives the
 * ticket's level, labelled "installation · inventory number (serial number)". Named parts have no device,
 * so no ticket reaches them through a link.
 */
export const componentLevels: SlaComponentLevels = {
  async levelFor({ ticketId, scope }) {
    const row = await scopeFor<HardwareDB>(scope).selectFrom('hardware_ticket_links')
      .innerJoin('hardware_installation_components', 'hardware_installation_components.device_id', 'hardware_ticket_links.device_id')
      .innerJoin('hardware_installations', 'hardware_installations.id', 'hardware_installation_components.installation_id')
      .innerJoin('hardware_devices', 'hardware_devices.id', 'hardware_ticket_links.device_id')
      .select(['hardware_installation_components.sla_level_id', 'hardware_installation_components.name', 'hardware_installations.name as installation',
        'hardware_devices.inventory_number', 'hardware_devices.serial_number'])
      .where('hardware_ticket_links.ticket_id', '=', ticketId).where('hardware_installation_components.sla_level_id', 'is not', null)
      .orderBy('hardware_ticket_links.id').limit(1).executeTakeFirst();
    if (!row || row.sla_level_id === null) return null;
    const device = row.serial_number ? `${row.inventory_number} (${row.serial_number})` : row.inventory_number;
    return { levelId: row.sla_level_id, label: `${row.installation} · ${row.name ? `${row.name} ` : ''}${device}` };
  },
};
