import { TICKET_CREATED, TICKET_CREATE_FIELDS, definePlugin } from '../../core/plugin-api.js';
import { PORTAL_HOME, PORTAL_NAV } from '../portal/extension-points.js';
import { boardRoutes } from './board-routes.js';
import { ideasApiRoutes } from './ideas-api.js';
import { ideasMessages } from './messages.js';
import { ideasMigrations } from './migrations.js';
import { PortalIdeasCard, ideasPortalNav, ideasPortalRoutes } from './portal-routes.js';
import { proposalCreated } from './proposal-created.js';
import { ProposalCreateFields } from './create-fields.js';
import { proposalRoutes } from './proposal-routes.js';
import { reportRoutes } from './report-routes.js';
import { ideasSettingsSchema } from './settings.js';
import { MANAGE, MODERATE, VIEW } from './viewer.js';
import { submittersPanel } from './submitters-panel.js';

/**
 * Plugin "ideas": improvement proposals as tickets of their own kind, with a board (likes, comments, trending),
 * statuses that notify submitter and followers, and accepted proposals taken into the knowledge base (through the
 * knowledge plugin's published KNOWLEDGE_ENTRIES point) with a report of their submitters.
 */
export const ideasPlugin = definePlugin({
  id: 'ideas',
  version: '0.1.0',
  core: '^1.0.0',
  name: 'ideas.name',
  // Accepting takes a proposal into the knowledge base: refused to switch on without it.
  dependsOn: ['knowledge'],
  // Portal users submit and like when the portal is on and the tenant allows it.
  enhances: ['portal'],
  settings: ideasSettingsSchema,
  permissions: [
    { key: VIEW, roles: ['admin', 'supervisor', 'agent'], label: { en: 'See, submit, like and comment on improvement proposals', de: 'Verbesserungsvorschläge sehen, einreichen, liken und kommentieren' } },
    { key: MANAGE, roles: ['admin', 'supervisor'], label: { en: 'Manage improvement proposals (idea managers: status, accept, names of anonymous submitters, report)', de: 'Verbesserungsvorschläge verwalten (Ideenmanagement: Status, Annahme, Namen anonymer Einreichender, Auswertung)' } },
    { key: MODERATE, roles: ['admin', 'supervisor'], label: { en: 'Delete others\' comments on proposals', de: 'Kommentare anderer zu Vorschlägen löschen' } },
  ],
  adminSections: [{ id: 'ideas-settings', label: 'ideas.settings', description: 'ideas.settings.text', href: '/p/ideas/settings', permission: MANAGE, group: 'tickets' }],
  auditActions: { 'ideas.settings_changed': { en: 'Changed the improvement proposal settings', de: 'Einstellungen der Verbesserungsvorschläge geändert' } },
  notificationKinds: {
    'ideas.mention': { en: 'Mentioned in a proposal comment', de: 'In einem Vorschlagskommentar erwähnt' },
    'ideas.status': { en: 'A proposal\'s status changed', de: 'Status eines Vorschlags geändert' },
  },
  migrations: ideasMigrations,
  messages: ideasMessages,
  static: new URL('./static/', import.meta.url),
  register(api) {
    api.nav({ id: 'ideas', label: 'ideas.name', href: '/p/ideas', permission: VIEW, order: 85 });
    api.nav({ id: 'ideas-report', label: 'ideas.report', href: '/p/ideas/report', permission: MANAGE, order: 86 });
    api.routes(reportRoutes);
    api.statisticsPanel(submittersPanel);
    api.routes(boardRoutes);
    api.routes(proposalRoutes);
    api.portalRoutes(ideasPortalRoutes);
    for (const route of ideasApiRoutes) api.apiRoute(route);

    // The create forms (desk and, while portal ideas are allowed, portal): "this request is an improvement proposal" with its
    // benefit, or the proposal topic as category; the filter stores the proposal in the create transaction.
    api.slot(TICKET_CREATE_FIELDS, ProposalCreateFields);
    api.filter(TICKET_CREATED, proposalCreated);

    api.slot(PORTAL_HOME, PortalIdeasCard);
    api.provide(PORTAL_NAV, ideasPortalNav);
  },
});
