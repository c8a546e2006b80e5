import { TICKET_SIDE, TICKET_SOLVED, definePlugin } from '../../core/plugin-api.js';
import { entryRoutes } from './entry-routes.js';
import { knowledgeEntriesFromTickets } from './entries-from-tickets.js';
import { KNOWLEDGE_ENTRIES } from './extension-points.js';
import { helpCentreRoutes } from './help-centre.js';
import { knowledgeApiRoutes } from './knowledge-api.js';
import { extractPendingTexts } from './file-text.js';
import { knowledgeMessages } from './messages.js';
import { knowledgeMigrations } from './migrations.js';
import { knowledgePortalNav, knowledgeSuggestions, portalKnowledgeRoutes } from './portal-pages.js';
import { KNOWLEDGE_SUGGESTIONS, PORTAL_NAV } from '../portal/extension-points.js';
import { createKnowledgeSearch } from './search/knowledge-search.js';
import { countSolved } from './ticket-knowledge.js';
import { TicketKnowledgePanel, ticketPanelRoutes } from './ticket-panel.js';
import { topicRoutes } from './topic-routes.js';
import { usagePanel } from './usage-panel.js';

/**
 * Plugin "knowledge": topics shared by FAQ entries, documentation and knowledge base entries, each with
 * versions, states and visibility, and one German-aware search across them (an index per tenant).
 */
export const knowledgePlugin = definePlugin({
  id: 'knowledge',
  version: '0.1.0',
  core: '^1.0.0',
  // Customers' pages, navigation and suggestions in the portal when it is on (the knowledge base works without it).
  enhances: ['portal'],
  name: 'knowledge.name',
  permissions: [
    { key: 'knowledge.view', roles: ['admin', 'supervisor', 'agent'], label: { en: 'Read the knowledge base', de: 'Die Wissensdatenbank lesen' } },
    { key: 'knowledge.edit', roles: ['admin', 'supervisor', 'agent'], label: { en: 'Write, publish and archive knowledge entries', de: 'Wissenseinträge schreiben, veröffentlichen und archivieren' } },
    { key: 'knowledge.topics', roles: ['admin', 'supervisor'], label: { en: 'Manage the knowledge topics', de: 'Die Themen des Wissens verwalten' } },
  ],
  adminSections: [{ id: 'knowledge-topics', label: 'knowledge.topics', description: 'knowledge.topics.text', href: '/p/knowledge/topics', permission: 'knowledge.topics', group: 'tickets' }],
  auditActions: {
    'knowledge.topic_created': { en: 'Created a knowledge topic', de: 'Wissensthema angelegt' },
    'knowledge.topic_updated': { en: 'Changed a knowledge topic', de: 'Wissensthema geändert' },
    'knowledge.topic_deleted': { en: 'Deleted a knowledge topic', de: 'Wissensthema gelöscht' },
    'knowledge.entry_created': { en: 'Created a knowledge entry', de: 'Wissenseintrag angelegt' },
    'knowledge.entry_updated': { en: 'Changed a knowledge entry', de: 'Wissenseintrag geändert' },
    'knowledge.entry_state_changed': { en: 'Changed a knowledge entry\'s state', de: 'Status eines Wissenseintrags geändert' },
    'knowledge.entry_deleted': { en: 'Deleted a knowledge entry', de: 'Wissenseintrag gelöscht' },
    'knowledge.entry_restored': { en: 'Restored a version of a knowledge entry', de: 'Version eines Wissenseintrags wiederhergestellt' },
    'knowledge.file_added': { en: 'Added files to a knowledge entry', de: 'Dateien zu einem Wissenseintrag hinzugefügt' },
    'knowledge.file_removed': { en: 'Removed a file from a knowledge entry', de: 'Datei aus einem Wissenseintrag entfernt' },
  },
  migrations: knowledgeMigrations,
  messages: knowledgeMessages,
  static: new URL('./static/', import.meta.url),
  register(api) {
    // This app's search: its indexes live in this closure (per registry) and per Services object, never in module state.
    const search = createKnowledgeSearch();
    api.nav({ id: 'knowledge', label: 'knowledge.name', href: '/p/knowledge', permission: 'knowledge.view', order: 80, primary: true });
    api.routes(entryRoutes(search));
    api.routes(topicRoutes);
    api.statisticsPanel(usagePanel);
    api.routes(ticketPanelRoutes(search));
    api.portalRoutes(portalKnowledgeRoutes(search));
    api.publicRoutes(helpCentreRoutes(search));
    for (const route of knowledgeApiRoutes(search)) api.apiRoute(route);
    api.provide(PORTAL_NAV, knowledgePortalNav);
    api.provide(KNOWLEDGE_SUGGESTIONS, knowledgeSuggestions(search));
    // Published (extension-points.ts): KB entries from tickets for plugins that depend on this one (ideas).
    api.provide(KNOWLEDGE_ENTRIES, knowledgeEntriesFromTickets(search));
    api.slot(TICKET_SIDE, TicketKnowledgePanel, 60);
    // An entry put into a ticket's reply counts "solved a ticket" in the transaction that solves the ticket.
    api.filter(TICKET_SOLVED, (payload, ctx) => countSolved(ctx.trx, payload.tenantId, payload.ticketId));
    // After a restart the indexes are built ahead of the first search; any index behind the database (another
    // instance changed entries) catches up. Searches check the revision themselves, so this only saves waiting.
    api.job({
      id: 'knowledge.index-refresh',
      schedule: 'FREQ=MINUTELY;INTERVAL=5',
      run: async (ctx) => {
        if (ctx.services && ctx.tenantId !== null) await search.refresh(ctx.services, ctx.tenantId);
      },
    });
    // The text of uploaded PDF and Word files, read off the request path (a few files per tenant and run) and
    // indexed with the entry; a file that cannot be read is marked and stays a plain file.
    api.job({
      id: 'knowledge.extract-text',
      schedule: 'FREQ=MINUTELY',
      run: async (ctx) => {
        if (ctx.services && ctx.tenantId !== null) await extractPendingTexts(ctx.services, ctx.tenantId, search);
      },
    });
  },
});
