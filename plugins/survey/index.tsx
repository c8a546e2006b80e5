import { TICKET_CLOSED, definePlugin } from '../../core/plugin-api.js';
import { surveyMessages } from './messages.js';
import { surveyMigrations } from './migrations.js';
import { surveySettingsSchema } from './settings.js';
import { settingsRoutes } from './settings-routes.js';
import { MANAGE } from './settings-store.js';
import { recordSurvey } from './survey-record.js';
import { sendJob } from './survey-send.js';

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
  settings: surveySettingsSchema,
  permissions: [
    { key: MANAGE, roles: ['admin'], label: { en: 'Set up the satisfaction survey', de: 'Zufriedenheitsumfrage einrichten' } },
  ],
  adminSections: [{ id: 'survey-settings', label: 'survey.settings', description: 'survey.settings.text', href: '/p/survey/settings', permission: MANAGE, group: 'tickets' }],
  auditActions: { 'survey.settings_changed': { en: 'Changed the survey settings', de: 'Umfrage-Einstellungen geändert' } },
  migrations: surveyMigrations,
  messages: surveyMessages,
  static: new URL('./static/', import.meta.url),
  register(api) {
    api.routes(settingsRoutes);
    // After commit: the closed ticket's survey is recorded as pending; the send job mails it when due.
    api.on(TICKET_CLOSED, async (payload, { services }) => {
      await recordSurvey(services, payload.tenantId, payload.ticketId);
    });
    api.job(sendJob);
  },
});
