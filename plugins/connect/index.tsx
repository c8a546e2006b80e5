import { DASHBOARD_TILES, SHELL_OVERLAY, TICKET_CREATED, TICKET_CREATE_FIELDS, definePlugin } from '../../core/plugin-api.js';
// Remote sessions: the ticket side panel and the wipe when a ticket is closed or deleted.
import { TICKET_CLOSED, TICKET_DELETED, TICKET_SIDE } from '../../core/plugin-api.js';
import { alertCreated } from './alert-created.js';
import { alertRoutes } from './alert-routes.js';
import { connectApiRoutes } from './connect-api.js';
import { callApiRoutes } from './call-api.js';
import { callsPanel } from './call-figures.js';
import { CallField, callLinked } from './call-linked.js';
import { callLogRoutes } from './call-log-routes.js';
import { CallOverlay, MissedCallsTile, callPopupRoutes } from './call-popup.js';
import { fetchRecordingsJob } from './call-recording.js';
import { telephonyRoutes } from './telephony-routes.js';
import { telephonySettingsRoutes } from './telephony-settings-routes.js';
import { pruneEventsJob } from './event-log.js';
import { connectMessages } from './messages.js';
import { connectMigrations } from './migrations.js';
import { remoteApiRoutes } from './remote-api.js';
import { RemoteSessionsPanel } from './remote-panel.js';
import { remoteRoutes } from './remote-routes.js';
import { REMOTE_REVEAL, REMOTE_USE } from './remote-store.js';
import { wipeOnClose, wipeSessionsJob } from './remote-wipe.js';
import { connectSettingsSchema } from './settings.js';
import { settingsRoutes } from './settings-routes.js';
import { sourceRoutes } from './source-routes.js';
import { webhookRoutes } from './webhook-routes.js';

/**
 * Plugin "connect": the helpdesk's links to other systems. Built so far: the monitoring webhook (Nagios, Icinga 2,
 * Checkmk, Prometheus Alertmanager, generic JSON) that opens, adds to and solves tickets per host and service.
 */
export const connectPlugin = definePlugin({
  id: 'connect',
  version: '0.1.0',
  core: '^1.0.0',
  name: 'connect.name',
  // Works without hardware; while it is on, a ticket an alert opens is linked to the device its host names.
  enhances: ['hardware'],
  permissions: [
    { key: 'connect.view', roles: ['admin', 'supervisor', 'agent'], label: { en: 'See the monitoring alerts', de: 'Störungsmeldungen (Monitoring) sehen' } },
    { key: 'connect.manage', roles: ['admin'], label: { en: 'Manage monitoring sources and settings', de: 'Monitoring-Quellen und -Einstellungen verwalten' } },
    { key: 'connect.calls', roles: ['admin', 'supervisor', 'agent'], label: { en: 'See calls: the call pop-up, the call log, missed calls', de: 'Anrufe sehen: Anruffenster, Anrufliste, verpasste Anrufe' } },
    { key: REMOTE_USE, roles: ['admin', 'supervisor', 'agent'], label: { en: 'Store remote sessions on tickets', de: 'Fernwartungssitzungen an Tickets speichern' } },
    // Reading a customer's remote-access password is desk work: the agents and supervisors who take a session over.
    { key: REMOTE_REVEAL, roles: ['supervisor', 'agent'], label: { en: 'Show the password of a remote session (recorded)', de: 'Passwort einer Fernwartungssitzung zeigen (protokolliert)' } },
  ],
  adminSections: [
    { id: 'connect-sources', label: 'connect.sources', description: 'connect.sources.text', href: '/p/connect/sources', permission: 'connect.manage', group: 'channels' },
    { id: 'connect-events', label: 'connect.events', description: 'connect.events.text', href: '/p/connect/events', permission: 'connect.manage', group: 'channels' },
    { id: 'connect-telephony', label: 'connect.phone.settings', description: 'connect.phone.settings.text', href: '/p/connect/telephony', permission: 'connect.manage', group: 'channels' },
    { id: 'connect-settings', label: 'connect.settings', description: 'connect.settings.text', href: '/p/connect/settings', permission: 'connect.manage', group: 'channels' },
  ],
  auditActions: {
    'connect.source_created': { en: 'Added a monitoring source', de: 'Monitoring-Quelle angelegt' },
    'connect.token_replaced': { en: 'Replaced a monitoring source\'s token', de: 'Token einer Monitoring-Quelle ersetzt' },
    'connect.settings_changed': { en: 'Changed the monitoring settings', de: 'Monitoring-Einstellungen geändert' },
    'connect.phone_settings_changed': { en: 'Changed the telephony settings', de: 'Telefonie-Einstellungen geändert' },
    'connect.remote_added': { en: 'Stored a remote session on a ticket', de: 'Fernwartungssitzung an einem Ticket gespeichert' },
    'connect.remote_revealed': { en: 'Showed the password of a remote session', de: 'Passwort einer Fernwartungssitzung gezeigt' },
    'connect.remote_removed': { en: 'Wiped the password of a remote session', de: 'Passwort einer Fernwartungssitzung gelöscht' },
  },
  settings: connectSettingsSchema,
  migrations: connectMigrations,
  messages: connectMessages,
  static: new URL('./static/', import.meta.url),
  register(api) {
    api.nav({ id: 'connect', label: 'connect.name', href: '/p/connect', permission: 'connect.view', order: 80 });
    api.routes(alertRoutes);
    api.routes(sourceRoutes);
    api.routes(settingsRoutes);
    api.publicRoutes(webhookRoutes);
    api.filter(TICKET_CREATED, alertCreated);
    api.job(pruneEventsJob);
    for (const route of connectApiRoutes) api.apiRoute(route);
    // Telephony (CTI): the phone system's hook, the agent's call pop-up on every page, the call log, figures.
    api.nav({ id: 'connect-calls', label: 'connect.calls', href: '/p/connect/calls', permission: 'connect.calls', order: 81 });
    api.publicRoutes(telephonyRoutes);
    api.routes(callPopupRoutes);
    api.routes(callLogRoutes);
    api.routes(telephonySettingsRoutes);
    api.slot(SHELL_OVERLAY, CallOverlay);
    api.slot(DASHBOARD_TILES, MissedCallsTile);
    api.slot(TICKET_CREATE_FIELDS, CallField);
    api.filter(TICKET_CREATED, callLinked);
    api.job(fetchRecordingsJob);
    api.statisticsPanel(callsPanel);
    for (const route of callApiRoutes) api.apiRoute(route);
    // Remote-support sessions on tickets: the side panel, its actions, the API, and the wipe on close and at expiry.
    api.slot(TICKET_SIDE, RemoteSessionsPanel);
    api.routes(remoteRoutes);
    for (const route of remoteApiRoutes) api.apiRoute(route);
    api.filter(TICKET_CLOSED, wipeOnClose);
    api.filter(TICKET_DELETED, wipeOnClose);
    api.job(wipeSessionsJob);
  },
});
