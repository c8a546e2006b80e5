import type { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { attachmentDownloadRoutes } from './attachment-download.js';
import { contractPageRoutes } from './contract-page.js';
import { directoryRoutes } from './directory.js';
import { macroApplyRoutes } from './macro-apply.js';
import { macroRoutes } from './macros.js';
import { textModuleRoutes } from './text-modules.js';
import { notificationRoutes } from './notifications.js';
import { stickyToastRoutes } from './sticky-toasts.js';
import { organisationPageRoutes } from './organisation-page.js';
import { organisationPickerRoutes } from './organisation-picker.js';
import { peopleLookupRoutes } from './people-lookup.js';
import { personPageRoutes } from './person-page.js';
import { phoneTicketRoutes } from './phone-ticket.js';
import { savedViewRoutes } from './saved-views.js';
import { statisticsRoutes } from './statistics.js';
import { kpiReportRoutes } from './kpi-report.js';
import { ticketActionRoutes } from './ticket-actions.js';
import { ticketWaitingRoutes } from './ticket-waiting.js';
import { todoRoutes } from './todos.js';
import { ticketFollowupRoutes } from './ticket-followup-routes.js';
import { ticketListCsvRoutes } from './ticket-list-csv.js';
import { ticketListRoutes } from './ticket-list.js';
import { ticketBulkRoutes } from './ticket-bulk.js';
import { customerContextRoutes } from './customer-context.js';
import { ticketPageRoutes } from './ticket-page.js';
import { ticketPresenceRoutes } from './ticket-presence.js';
import { ticketOwnerRoutes } from './ticket-owner-actions.js';
import { timelineRoutes } from './timeline.js';
import { shareSolutionRoutes } from './timeline-share.js';

/** The agent workspace under /desk: ticket lists, the ticket page, new and phone tickets. Each area adds one line here. */
export function deskRoutes(app: Hono<AppEnv>): void {
  // Before /desk/tickets/:number, which would otherwise take 'new' for a ticket number.
  phoneTicketRoutes(app);
  peopleLookupRoutes(app);
  organisationPickerRoutes(app);
  macroRoutes(app);
  macroApplyRoutes(app);
  textModuleRoutes(app);
  notificationRoutes(app);
  stickyToastRoutes(app);
  statisticsRoutes(app);
  kpiReportRoutes(app);
  timelineRoutes(app);
  directoryRoutes(app);
  shareSolutionRoutes(app);
  ticketListCsvRoutes(app);
  ticketBulkRoutes(app);
  ticketListRoutes(app);
  savedViewRoutes(app);
  ticketPageRoutes(app);
  customerContextRoutes(app);
  ticketActionRoutes(app);
  ticketWaitingRoutes(app);
  todoRoutes(app);
  ticketFollowupRoutes(app);
  ticketPresenceRoutes(app);
  ticketOwnerRoutes(app);
  attachmentDownloadRoutes(app);
  // Read-only record pages: a customer, a contact person, a contract, each with its tickets.
  organisationPageRoutes(app);
  personPageRoutes(app);
  contractPageRoutes(app);
}
