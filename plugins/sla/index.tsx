import {
  CONTRACT_PAGE, KPI_BUSINESS_TIME, ON_CALL_POINT, ORGANISATION_PAGE, TICKET_ARTICLE_ADDED, TICKET_BADGES, TICKET_CHANGED, TICKET_LIST_COLUMNS, TICKET_LIST_FILTERS, TICKET_LIST_VIEWS, TICKET_SIDE, USER_MENU, definePlugin, type AppEnv,
} from '../../core/plugin-api.js';
import { onCallProvider } from './on-call-provider.js';
import { SLA_BUSINESS_TIME } from './extension-points.js';
import { ticketBusinessTime } from './ticket-business-time.js';
import { kpiBusinessTime } from './kpi-business-time.js';
import type { Hono } from 'hono';
import { MANAGE } from './admin-page.js';
import { atRiskRoutes } from './at-risk-routes.js';
import { recomputeProgressRoutes } from './recompute-progress.js';
import { firstLineJob } from './first-line-store.js';
import { calendarRoutes } from './calendar-routes.js';
import { recomputeJob, registerClockEvents } from './clock-events.js';
import { escalationJob } from './escalation-sweep.js';
import { levelRoutes } from './level-routes.js';
import { lockRoutes } from './lock-routes.js';
import { pruneLocksJob, refuseLockedChange } from './lock-store.js';
import { TicketLockPanel } from './lock-views.js';
import { complianceStatisticsPanel } from './report-panel.js';
import { REPORTS } from './report-query.js';
import { reportRoutes } from './report-routes.js';
import { slaApiRoutes } from './sla-api.js';
import { dueColumn, dueFilter, overdueView } from './list-extensions.js';
import { slaMessages } from './messages.js';
import { slaMigrations } from './migrations.js';
import { ASSIGN, ContractLevel, OrganisationLevel } from './record-views.js';
import { MyOnCallLink, rotaFeedRoutes, rotaRoutes } from './rota-routes.js';
import { settingsRoutes } from './settings-routes.js';
import { slaSettingsSchema } from './settings.js';
import { ClockBadges, TicketLevelPanel, VIEW } from './ticket-views.js';

/**
 * Plugin "sla" (Helpdesk II): business-hours calendars with holidays, service levels with target times per
 * priority on contracts, organisations and the tenant, and three clocks per ticket (first response, update,
 * solution) that pause while the ticket waits, shown on the ticket and in the lists. See README.md.
 */
export const slaPlugin = definePlugin({
  id: 'sla',
  version: '0.1.0',
  core: '^1.0.0',
  name: 'sla.name',
  dependsOn: ['helpdesk'],
  settings: slaSettingsSchema,
  permissions: [
    { key: VIEW, roles: ['admin', 'supervisor', 'agent'], label: { en: 'See service levels and ticket clocks', de: 'Service-Level und Ticket-Uhren sehen' } },
    { key: ASSIGN, roles: ['admin', 'supervisor'], label: { en: 'Assign service levels to contracts and organisations', de: 'Service-Level Verträgen und Organisationen zuweisen' } },
    { key: MANAGE, roles: ['admin'], label: { en: 'Set up calendars and service levels', de: 'Kalender und Service-Level einrichten' } },
    { key: REPORTS, roles: ['admin', 'supervisor'], label: { en: 'See SLA compliance reports', de: 'SLA-Berichte sehen' } },
  ],
  adminSections: [
    { id: 'sla-calendars', label: 'sla.calendars', description: 'sla.calendars.text', href: '/p/sla/calendars', permission: MANAGE, group: 'tickets' },
    { id: 'sla-levels', label: 'sla.levels', description: 'sla.levels.text', href: '/p/sla/levels', permission: MANAGE, group: 'tickets' },
    { id: 'sla-settings', label: 'sla.settings', description: 'sla.settings.text', href: '/p/sla/settings', permission: MANAGE, group: 'tickets' },
    { id: 'sla-rotas', label: 'sla.rotas', description: 'sla.rotas.text', href: '/p/sla/rotas', permission: MANAGE, group: 'tickets' },
  ],
  auditActions: {
    'sla.calendar_created': { en: 'Created a business-hours calendar', de: 'Geschäftszeiten-Kalender angelegt' },
    'sla.calendar_changed': { en: 'Changed a business-hours calendar', de: 'Geschäftszeiten-Kalender geändert' },
    'sla.calendar_deleted': { en: 'Deleted a business-hours calendar', de: 'Geschäftszeiten-Kalender gelöscht' },
    'sla.holiday_added': { en: 'Added a holiday', de: 'Feiertag hinzugefügt' },
    'sla.holiday_removed': { en: 'Removed a holiday', de: 'Feiertag entfernt' },
    'sla.holidays_imported': { en: 'Imported holidays from an iCal file', de: 'Feiertage aus iCal-Datei importiert' },
    'sla.level_created': { en: 'Created a service level', de: 'Service-Level angelegt' },
    'sla.level_changed': { en: 'Changed a service level', de: 'Service-Level geändert' },
    'sla.level_deleted': { en: 'Deleted a service level', de: 'Service-Level gelöscht' },
    'sla.level_assigned': { en: 'Assigned a service level', de: 'Service-Level zugewiesen' },
    'sla.settings_changed': { en: 'Changed the service level settings', de: 'Service-Level-Einstellungen geändert' },
    'sla.escalation_point_added': { en: 'Added an escalation point', de: 'Eskalationspunkt hinzugefügt' },
    'sla.escalation_point_removed': { en: 'Removed an escalation point', de: 'Eskalationspunkt entfernt' },
    'sla.rota_created': { en: 'Created an on-call rota', de: 'Bereitschaftsplan angelegt' },
    'sla.rota_changed': { en: 'Changed an on-call rota', de: 'Bereitschaftsplan geändert' },
    'sla.rota_deleted': { en: 'Deleted an on-call rota', de: 'Bereitschaftsplan gelöscht' },
    'sla.rota_override_added': { en: 'Added an on-call override', de: 'Bereitschaftsvertretung hinzugefügt' },
    'sla.rota_override_removed': { en: 'Removed an on-call override', de: 'Bereitschaftsvertretung entfernt' },
    'sla.lock_taken_over': { en: 'Took over editing a ticket from a colleague', de: 'Bearbeitung eines Tickets von Kollegin oder Kollege übernommen' },
  },
  notificationKinds: {
    'sla.escalation': { en: 'Service level escalation', de: 'Service-Level-Eskalation' },
    'sla.lock_taken': { en: 'A colleague took over editing your ticket', de: 'Bearbeitung Ihres Tickets übernommen' },
  },
  // Escalations and a taken-over lock pop up on the recipient's pages until read (core's sticky toasts).
  stickyNotificationKinds: ['sla.escalation', 'sla.lock_taken'],
  migrations: slaMigrations,
  messages: slaMessages,
  static: new URL('./static/', import.meta.url),
  register(api) {
    api.routes((app: Hono<AppEnv>) => {
      calendarRoutes(app);
      levelRoutes(app);
      settingsRoutes(app);
      rotaRoutes(app);
      lockRoutes(app);
      reportRoutes(app);
      atRiskRoutes(app);
      recomputeProgressRoutes(app);
    });
    for (const route of slaApiRoutes) api.apiRoute(route);
    api.nav({ id: 'sla-at-risk', label: 'sla.risk.nav', href: '/p/sla/at-risk', permission: REPORTS, order: 84 });
    api.nav({ id: 'sla-reports', label: 'sla.report.nav', href: '/p/sla/reports', permission: REPORTS, order: 85 });
    api.statisticsPanel(complianceStatisticsPanel);
    api.job(recomputeJob);
    api.job(escalationJob);
    api.job(firstLineJob);
    api.portalRoutes(rotaFeedRoutes);
    api.slot(USER_MENU, MyOnCallLink);
    registerClockEvents(api);
    api.slot(TICKET_BADGES, ClockBadges);
    api.slot(TICKET_SIDE, TicketLevelPanel);
    api.slot(CONTRACT_PAGE, ContractLevel);
    api.slot(ORGANISATION_PAGE, OrganisationLevel);
    api.provide(TICKET_LIST_COLUMNS, dueColumn);
    api.provide(TICKET_LIST_FILTERS, dueFilter);
    // "Overdue" as a one-click view with its count beside "My tickets" (core counts it as the list it opens).
    api.provide(TICKET_LIST_VIEWS, overdueView);
    // Who is on call now, for the support directory's availability (core seam; gone with sla off).
    api.provide(ON_CALL_POINT, onCallProvider);
    // Business minutes on a ticket's calendar for other plugins (extension-points.ts); no provider while sla is off.
    api.provide(SLA_BUSINESS_TIME, ticketBusinessTime);
    // The same for the core's KPI reports (first response and resolution in business time while sla is on).
    api.provide(KPI_BUSINESS_TIME, kpiBusinessTime);
    // Edit locks: the panel takes and renews the lock; a staff change while a colleague holds it is refused in its transaction.
    api.slot(TICKET_SIDE, TicketLockPanel);
    api.job(pruneLocksJob);
    api.filter(TICKET_CHANGED, (payload, { trx }) => refuseLockedChange(trx, payload.tenantId, payload.ticketId, payload.actorUserId));
    api.filter(TICKET_ARTICLE_ADDED, (payload, { trx }) => refuseLockedChange(trx, payload.tenantId, payload.ticketId, payload.actorUserId));
  },
});
