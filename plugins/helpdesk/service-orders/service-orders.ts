import { DEFAULT_TIME_ZONE, TICKET_MAIN, type PluginApi, type PermissionDeclaration } from '../../../core/plugin-api.js';
import { SERVICE_ORDERS, type ServiceOrdersProvider } from '../../portal/extension-points.js';
import { serviceOrderSlot } from './service-order-panel.js';
import { serviceOrderApiRoutes } from './service-order-api.js';
import { serviceOrderRoutes } from './service-order-routes.js';
import { createServiceOrderStore } from './service-order-store.js';
import { CALENDAR_EVENT, mailTechnicians } from './technician-mail.js';

export const serviceOrderPermissions: PermissionDeclaration[] = [
  { key: 'helpdesk.service_orders.view', roles: ['agent', 'supervisor', 'admin'], label: { en: 'See service orders', de: 'Serviceaufträge sehen' } },
  { key: 'helpdesk.service_orders.edit', roles: ['agent', 'supervisor', 'admin'], label: { en: 'Create and change service orders', de: 'Serviceaufträge anlegen und ändern' } },
];

/** What the portal shows a customer: each order's kind, status and planned time, in the customer's language. */
export const serviceOrdersProvider: ServiceOrdersProvider = {
  async forTicket(tenantId, ticketId, { services, locale }) {
    const t = services.catalog.translator(locale);
    const timeZone = (await services.tenants.byId(tenantId))?.time_zone ?? DEFAULT_TIME_ZONE;
    const orders = await createServiceOrderStore({ db: services.db, clock: services.clock, t, timeZone }, tenantId).forTicket(ticketId);
    return orders.map((o) => ({
      label: t('helpdesk.so.portal.label', { type: t(`helpdesk.so.type.${o.type}`), id: o.id }),
      status: t(`helpdesk.so.status.${o.status}`),
      plannedAt: o.planned_at,
    }));
  },
};

/** Service orders: work orders created from a ticket, shown on its page, listed for agents, offered to the portal. */
export function registerServiceOrders(api: PluginApi): void {
  api.nav({ id: 'service-orders', label: 'helpdesk.nav.serviceOrders', href: '/p/helpdesk/service-orders', permission: 'helpdesk.service_orders.view', order: 35 });
  api.routes(serviceOrderRoutes);
  // The same over the REST API: /api/v1/service-orders and /api/v1/tickets/{number}/service-orders.
  for (const route of serviceOrderApiRoutes) api.apiRoute(route);
  api.slot(TICKET_MAIN, serviceOrderSlot, 50);
  api.provide(SERVICE_ORDERS, serviceOrdersProvider);
  // The technician's mail with the calendar entry, after the change committed.
  api.on(CALENDAR_EVENT, mailTechnicians);
}
