import type { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { attachmentDownloadRoutes } from './attachment-download.js';
import { savedViewRoutes } from './saved-views.js';
import { ticketActionRoutes } from './ticket-actions.js';
import { ticketListRoutes } from './ticket-list.js';
import { ticketPageRoutes } from './ticket-page.js';

/** The agent workspace under /desk: ticket lists, the ticket page, new and phone tickets. Each area adds one line here. */
export function deskRoutes(app: Hono<AppEnv>): void {
  ticketListRoutes(app);
  savedViewRoutes(app);
  ticketPageRoutes(app);
  ticketActionRoutes(app);
  attachmentDownloadRoutes(app);
}
