import { scopeFor } from '../../core/plugin-api.js';
import type { SlaComponentLevels } from '../sla/extension-points.js';
import type { HardwareDB } from './hardware-db.js';

/**
 * The sla plugin's `sla.componentLevels`: a ticket concerns the components whose devices are linked to it and the
 * named parts chosen on it (part-links.ts). Of those with a level, the one linked or chosen first gives the ticket's
 * level (a device before a part chosen at the same instant; then in the order of linking), labelled "installation ·
 * role inventory number (serial number)" for a device and "installation · part" for a part.
 */
export const componentLevels: SlaComponentLevels = {
  async levelFor({ ticketId, scope }) {
    const hw = scopeFor<HardwareDB>(scope);
    const [device, part] = await Promise.all([
      hw.selectFrom('hardware_ticket_links')
        .innerJoin('hardware_installation_components', 'hardware_installation_components.device_id', 'hardware_ticket_links.device_id')
        .innerJoin('hardware_installations', 'hardware_installations.id', 'hardware_installation_components.installation_id')
        .innerJoin('hardware_devices', 'hardware_devices.id', 'hardware_ticket_links.device_id')
        .select(['hardware_installation_components.sla_level_id', 'hardware_installation_components.name', 'hardware_installations.name as installation',
          'hardware_devices.inventory_number', 'hardware_devices.serial_number', 'hardware_ticket_links.linked_at'])
        .where('hardware_ticket_links.ticket_id', '=', ticketId).where('hardware_installation_components.sla_level_id', 'is not', null)
        .orderBy('hardware_ticket_links.id').limit(1).executeTakeFirst(),
      hw.selectFrom('hardware_ticket_parts')
        .innerJoin('hardware_installation_components', 'hardware_installation_components.id', 'hardware_ticket_parts.component_id')
        .innerJoin('hardware_installations', 'hardware_installations.id', 'hardware_installation_components.installation_id')
        .select(['hardware_installation_components.sla_level_id', 'hardware_installation_components.name', 'hardware_installations.name as installation', 'hardware_ticket_parts.linked_at'])
        .where('hardware_ticket_parts.ticket_id', '=', ticketId).where('hardware_installation_components.sla_level_id', 'is not', null)
        .orderBy('hardware_ticket_parts.id').limit(1).executeTakeFirst(),
    ]);
    if (device && device.sla_level_id !== null && !(part && part.linked_at < device.linked_at)) {
      const label = device.serial_number ? `${device.inventory_number} (${device.serial_number})` : device.inventory_number;
      return { levelId: device.sla_level_id, label: `${device.installation} · ${device.name ? `${device.name} ` : ''}${label}` };
    }
    if (part && part.sla_level_id !== null) return { levelId: part.sla_level_id, label: `${part.installation} · ${part.name ?? ''}` };
    return null;
  },
};
