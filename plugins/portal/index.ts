import { definePlugin, TICKET_ARTICLE, TICKET_CREATED, TICKET_STATUS_CHANGED } from '../../core/plugin-api.js';
import { portalAuditActions } from './audit-actions.js';
import { portalMessages } from './messages.js';
import { portalMigrations } from './migrations.js';
import { portalDirectoryRoutes } from './portal-directory.js';
import { portalErrors } from './portal-errors.js';
import { homeRoutes } from './portal-home.js';
import { passwordRoutes } from './portal-password.js';
import { signInRoutes } from './portal-sign-in.js';
import { requestFormRoutes } from './request-form.js';
import { requestListRoutes } from './request-list.js';
import { requestPageRoutes } from './request-page.js';
import { mailRequester, newStatus } from './requester-mail.js';
import { settingsRoutes } from './settings-page.js';
import { portalSettingsSchema } from './settings.js';

/**
 * The branded customer self-service portal at /portal of each tenant: portal users sign in
 * (password or mail link), register where the tenant allows it, submit and follow requests,
 * answer, attach files, mark solved or reopen; requesters get mail on answers and status changes.
 * Other plugins extend it through plugins/portal/extension-points.ts.
 */
export const portalPlugin = definePlugin({
  id: 'portal',
  version: '1.0.0',
  core: '^1.0.0',
  name: 'portal.name',
  settings: portalSettingsSchema,
  permissions: [{ key: 'portal.settings', roles: ['admin'], label: { en: 'Set up the customer portal', de: 'Kundenportal einrichten' } }],
  // Its settings page is a section of the tenant's Administration page, beside the other channels.
  adminSections: [{ id: 'portal-settings', label: 'portal.settings.title', description: 'portal.settings.section', href: '/p/portal/settings', permission: 'portal.settings', group: 'channels', order: 20 }],
  migrations: portalMigrations,
  messages: portalMessages,
  // portal.css: the portal's frame and pages, linked while the tenant has the portal on.
  static: new URL('./static/', import.meta.url),
  auditActions: portalAuditActions,
  register(api) {
    api.routes(settingsRoutes);
    // Order matters: /requests/new before /requests/:number (the number pattern excludes it anyway).
    api.portalRoutes((app) => {
      app.use('/*', portalErrors);
      homeRoutes(app);
      signInRoutes(app);
      passwordRoutes(app);
      requestListRoutes(app);
      requestFormRoutes(app);
      requestPageRoutes(app);
      portalDirectoryRoutes(app);
    });
    // Staff recorded a request for the customer (phone, API): they get its number. A request the customer sent
    // themselves (portal, mail) is confirmed on the screen or by the mail channel.
    api.on(TICKET_CREATED, async (payload, ctx) => {
      // A ticket solved on the spot (phone form) gets no confirmation: the solution's reply mail is the one they get.
      const solvedOnTheSpot = payload.changes.some((change) => change.field === 'article');
      if (payload.actorUserId !== null && !solvedOnTheSpot) await mailRequester(payload, ctx, { kind: 'created' });
    });
    api.on(TICKET_ARTICLE, async (payload, ctx) => {
      if (payload.kind === 'reply') await mailRequester(payload, ctx, { kind: 'reply', articleId: payload.articleId });
    });
    api.on(TICKET_STATUS_CHANGED, async (payload, ctx) => {
      // A status that moved with an article (an agent's reply, a customer's answer) needs no mail of its own:
      // the reply's mail names the new status, and the requester knows what they wrote.
      if (payload.changes.some((change) => change.field === 'article')) return;
      const status = newStatus(payload);
      if (status) await mailRequester(payload, ctx, { kind: 'status', status });
    });
  },
});
