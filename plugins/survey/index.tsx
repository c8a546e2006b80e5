import { TICKET_CLOSED, TICKET_SIDE, definePlugin } from '../../core/plugin-api.js';
import { PORTAL_HOME, PORTAL_NAV } from '../portal/extension-points.js';
import { ALL, VIEW, alertRoutes } from './alert-routes.js';
import { escalateJob } from './alert-store.js';
import { surveyMessages } from './messages.js';
import { surveyMigrations } from './migrations.js';
import { resultsPanel, resultsRoutes } from './results-routes.js';
import { surveySettingsSchema } from './settings.js';
import { settingsRoutes } from './settings-routes.js';
import { MANAGE } from './settings-store.js';
import { surveyApiRoutes } from './survey-api.js';
import { surveyPageRoutes } from './survey-page.js';
import { PortalSurveyCard, surveyPortalNav, surveyPortalRoutes } from './survey-portal.js';
import { recordSurvey } from './survey-record.js';
import { sendJob } from './survey-send.js';
import { TicketSurvey } from './survey-ticket.js';

/**
 * Plugin "survey": asks the customer of every closed ticket (or a sample) to grade the work, by mail and in
 * the portal, and raises a quality alert with a call to make when a grade is bad. Everything it contributes
 * is declared below; plugins/README.md lists every seam.
 */
export const surveyPlugin = definePlugin({
  id: 'survey',
  version: '0.1.0',
  core: '^1.0.0',
  name: 'survey.name',
  // Works without each of them. Portal: a signed-in customer finds the open surveys there too. Helpdesk: no survey
  // for a ticket a robot's mail opened. Sla: an unhandled alert escalates after business hours of the ticket's calendar.
  enhances: ['portal', 'helpdesk', 'sla'],
  settings: surveySettingsSchema,
  permissions: [
    { key: VIEW, roles: ['admin', 'supervisor', 'agent'], label: { en: 'See own satisfaction results', de: 'Eigene Zufriedenheitsergebnisse sehen' } },
    { key: ALL, roles: ['admin', 'supervisor'], label: { en: 'See everyone\'s satisfaction results and quality alerts', de: 'Zufriedenheitsergebnisse und Qualitätsalarme aller sehen' } },
    { key: MANAGE, roles: ['admin'], label: { en: 'Set up the satisfaction survey', de: 'Zufriedenheitsumfrage einrichten' } },
  ],
  adminSections: [{ id: 'survey-settings', label: 'survey.settings', description: 'survey.settings.text', href: '/p/survey/settings', permission: MANAGE, group: 'tickets' }],
  auditActions: {
    'survey.settings_changed': { en: 'Changed the survey settings', de: 'Umfrage-Einstellungen geändert' },
    'survey.alert_done': { en: 'Recorded the outcome of a quality alert call', de: 'Ergebnis eines Qualitätsalarm-Anrufs festgehalten' },
  },
  notificationKinds: {
    'survey.alert': { en: 'Quality alert: a bad grade', de: 'Qualitätsalarm: eine schlechte Note' },
    'survey.escalated': { en: 'Quality alert not handled in time', de: 'Qualitätsalarm nicht rechtzeitig bearbeitet' },
  },
  migrations: surveyMigrations,
  messages: surveyMessages,
  static: new URL('./static/', import.meta.url),
  register(api) {
    api.nav({ id: 'results', label: 'survey.name', href: '/p/survey/results', permission: VIEW, order: 70 });
    api.nav({ id: 'alerts', label: 'survey.alerts', href: '/p/survey/alerts', permission: ALL, order: 71 });
    api.routes(settingsRoutes);
    api.routes(alertRoutes);
    api.routes(resultsRoutes);
    // The survey page behind the mail's link: no sign-in (the signed link is the key).
    api.publicRoutes(surveyPageRoutes);
    api.portalRoutes(surveyPortalRoutes);
    for (const route of surveyApiRoutes) api.apiRoute(route);

    // After commit: the closed ticket's survey is recorded as pending; the send job mails it when due.
    api.on(TICKET_CLOSED, async (payload, { services }) => {
      await recordSurvey(services, payload.tenantId, payload.ticketId);
    });
    api.job(sendJob);
    api.job(escalateJob);

    api.slot(TICKET_SIDE, TicketSurvey);
    api.slot(PORTAL_HOME, PortalSurveyCard);
    api.provide(PORTAL_NAV, surveyPortalNav);
    api.statisticsPanel(resultsPanel);
  },
});
