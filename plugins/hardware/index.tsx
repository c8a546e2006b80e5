import {
  TICKET_CREATED, TICKET_CREATE_FIELDS, TICKET_LIST_COLUMNS, TICKET_LIST_FILTERS, TICKET_MAIN, TextField, definePlugin, href, invalidFields, redirectTo, requirePermission, scopeFor,
} from '../../core/plugin-api.js';
import { PORTAL_HOME } from '../portal/extension-points.js';
import { SLA_COMPONENT_LEVELS } from '../sla/extension-points.js';
import { MANAGE, catalogueRoutes } from './catalogue-routes.js';
import { componentLevels } from './component-levels.js';
import { csvRoutes } from './csv-routes.js';
import { hardwareApiRoutes } from './device-api.js';
import { HARDWARE_DEVICE_LINKS } from './extension-points.js';
import { deviceLinks } from './host-link.js';
import { partApiRoutes } from './part-api.js';
import { deviceFileRoutes } from './device-file-routes.js';
import { STATS, defectRoutes, defectsPanel } from './defect-routes.js';
import { INVENTORY_MAX } from './device-fields.js';
import { EDIT, VIEW, deviceRoutes } from './device-routes.js';
import type { HardwareDB } from './hardware-db.js';
import { installationRoutes } from './installation-routes.js';
import { labelRoutes } from './label-sheet.js';
import { linkMailedDevices } from './mail-link.js';
import { deviceRecordKind } from './device-kind.js';
import { hardwareMessages } from './messages.js';
import { hardwareMigrations } from './migrations.js';
import { DevicePickField, PortalDevicesCard, checkPickedDevice } from './portal-devices.js';
import { hardwareSettingsSchema } from './settings.js';
import { LINK, TicketDevicesPanel, ticketLinkRoutes } from './ticket-panel.js';

/**
 * Plugin "hardware": the tenant's device catalogue (types, manufacturers, models, locations), its devices
 * with a history of every change (shown "as of" any day), and links between devices and tickets, for agents
 * on the ticket page and lists and for customers in the portal; installations of devices whose components may
 * carry a service level of the sla plugin. Defect statistics per group and month (absolute,
 * per 100 installed units, MTBF). CSV export and import of devices; the REST API (device-api.ts).
 */
export const hardwarePlugin = definePlugin({
  id: 'hardware',
  version: '0.1.0',
  core: '^1.0.0',
  name: 'hardware.name',
  // Works without the portal; while the portal is on, customers see their devices there and may pick one.
  // Works without sla; while it is on, an installation's components may carry a service level for their tickets.
  enhances: ['portal', 'sla'],
  settings: hardwareSettingsSchema,
  permissions: [
    { key: VIEW, roles: ['admin', 'supervisor', 'agent'], label: { en: 'See devices and their history', de: 'Geräte und ihre Historie sehen' } },
    { key: EDIT, roles: ['admin', 'supervisor'], label: { en: 'Add and change devices', de: 'Geräte anlegen und ändern' } },
    { key: LINK, roles: ['admin', 'supervisor', 'agent'], label: { en: 'Link devices to tickets', de: 'Geräte mit Tickets verknüpfen' } },
    { key: STATS, roles: ['admin', 'supervisor'], label: { en: 'See the hardware defect statistics', de: 'Hardware-Defektstatistik sehen' } },
    { key: MANAGE, roles: ['admin'], label: { en: 'Set up the hardware catalogue', de: 'Hardware-Katalog einrichten' } },
  ],
  adminSections: [
    { id: 'hardware-catalogue', label: 'hardware.catalogue', description: 'hardware.catalogue.text', href: '/p/hardware/admin', permission: MANAGE },
    { id: 'hardware-fields', label: 'hardware.fields.title', description: 'hardware.fields.text', href: '/p/hardware/fields', permission: MANAGE },
  ],
  auditActions: {
    'hardware.catalogue_changed': { en: 'Changed the hardware catalogue', de: 'Hardware-Katalog geändert' },
    'hardware.fields_changed': { en: 'Changed the custom fields of devices', de: 'Eigene Felder der Geräte geändert' },
    'hardware.file_added': { en: 'Added a file to a device', de: 'Datei an ein Gerät angehängt' },
    'hardware.file_removed': { en: 'Removed a file from a device', de: 'Datei von einem Gerät entfernt' },
    'hardware.device_created': { en: 'Added a device', de: 'Gerät angelegt' },
    'hardware.device_changed': { en: 'Changed a device', de: 'Gerät geändert' },
    'hardware.device_deleted': { en: 'Deleted a device', de: 'Gerät gelöscht' },
    'hardware.device_linked': { en: 'Linked a device to a ticket', de: 'Gerät mit Ticket verknüpft' },
    'hardware.device_unlinked': { en: 'Removed a device from a ticket', de: 'Gerät vom Ticket gelöst' },
    'hardware.part_linked': { en: 'Chose a part of an installation on a ticket', de: 'Teil einer Anlage am Ticket gewählt' },
    'hardware.part_unlinked': { en: 'Removed a part of an installation from a ticket', de: 'Teil einer Anlage vom Ticket entfernt' },
    'hardware.installation_created': { en: 'Added an installation', de: 'Anlage angelegt' },
    'hardware.installation_changed': { en: 'Changed an installation', de: 'Anlage geändert' },
    'hardware.devices_imported': { en: 'Imported devices from a CSV file', de: 'Geräte aus CSV-Datei importiert' },
    'hardware.settings_changed': { en: 'Changed the hardware settings', de: 'Hardware-Einstellungen geändert' },
  },
  migrations: hardwareMigrations,
  messages: hardwareMessages,
  static: new URL('./static/', import.meta.url),
  register(api) {
    // The device list is daily work for agents (a navigation entry); the catalogue is an Administration section.
    api.nav({ id: 'hardware', label: 'hardware.devices', href: '/p/hardware', permission: VIEW, order: 80 });
    // Before the device routes: /devices.csv is no device id.
    api.routes(csvRoutes);
    api.routes(labelRoutes);
    api.routes(deviceRoutes);
    api.routes(deviceFileRoutes);
    api.routes(ticketLinkRoutes);
    api.routes(catalogueRoutes);
    // Custom fields of devices are the core's (Administration → Custom fields, kind 'device'); the old address leads there.
    api.routes((app) => app.get('/fields', requirePermission(MANAGE), (c) => redirectTo(c, href(c, '/admin/fields#kind-device'))));
    api.recordKind(deviceRecordKind);
    api.routes(installationRoutes);
    api.routes(defectRoutes);
    api.statisticsPanel(defectsPanel);
    for (const route of [...hardwareApiRoutes, ...partApiRoutes]) api.apiRoute(route);
    api.slot(TICKET_MAIN, TicketDevicesPanel);

    api.provide(TICKET_LIST_COLUMNS, {
      key: 'hardware.devices',
      label: (t) => t('hardware.column'),
      async cells(ticketIds, ctx) {
        const rows = await scopeFor<HardwareDB>(ctx.scope).selectFrom('hardware_ticket_links')
          .innerJoin('hardware_devices', 'hardware_devices.id', 'hardware_ticket_links.device_id')
          .select(['hardware_ticket_links.ticket_id', 'hardware_devices.inventory_number'])
          .where('hardware_ticket_links.ticket_id', 'in', [...ticketIds]).orderBy('hardware_devices.inventory_number').execute();
        const numbers = new Map<number, string[]>();
        for (const row of rows) numbers.set(row.ticket_id, [...(numbers.get(row.ticket_id) ?? []), row.inventory_number]);
        return new Map([...numbers].map(([id, list]) => [id, <span class="hardware-cell">{list.join(', ')}</span>]));
      },
    });
    api.provide(TICKET_LIST_FILTERS, {
      key: 'hardware.device',
      label: (t) => t('hardware.filter.device'),
      control: (_ctx, field) => <TextField name={field.name} label={field.label} value={field.value} errors={field.errors} maxlength={INVENTORY_MAX} />,
      ticketIds(scope, value) {
        const number = value.trim();
        if (!number) return undefined;
        if (number.length > INVENTORY_MAX || /\s/.test(number)) throw invalidFields('hardware.device.inventoryInvalid', { 'p.hardware.device': 'hardware.device.inventoryInvalid' });
        // Both steps are indexed: the number through (tenant, inventory_number), the tickets through (tenant, device_id, ticket_id).
        const hw = scopeFor<HardwareDB>(scope);
        return hw.selectFrom('hardware_ticket_links').select('hardware_ticket_links.ticket_id')
          .where('hardware_ticket_links.device_id', 'in', hw.selectFrom('hardware_devices').select('hardware_devices.id').where('hardware_devices.inventory_number', '=', number));
      },
    });

    // The portal (enhanced, not required): the viewer's devices on its home page, and the pick on the new request form.
    api.slot(PORTAL_HOME, PortalDevicesCard);
    api.slot(TICKET_CREATE_FIELDS, DevicePickField);
    api.filter(TICKET_CREATED, checkPickedDevice);
    // The mail channel: "[INV-1234]" in a mail ticket's subject links the customer's device (the pattern is a setting).
    api.filter(TICKET_CREATED, linkMailedDevices);

    // The sla plugin (enhanced): a ticket about a device in an installation runs under that component's level.
    api.provide(SLA_COMPONENT_LEVELS, componentLevels);
    // Its own point (extension-points.ts): a monitoring alert's host links its device (the connect plugin asks).
    api.provide(HARDWARE_DEVICE_LINKS, deviceLinks);
  },
});
