import type { LoadFixture } from './load-fixture.js';

/** Benchmark scenarios: later features add theirs here. Paths are inside the load tenant unless `platform` is set. */
export interface Scenario {
  name: string;
  path: string;
  /** Sign in as the load agent first (session cookie). */
  signedIn: boolean;
  /** Sign in as the load tenant's supervisor instead (pages an agent may not open, e.g. statistics). */
  supervisor?: boolean;
  /** Outside any tenant (e.g. /healthz). */
  platform?: boolean;
  headers?: Record<string, string>;
  /** The DESIGN.md budget for p95, in milliseconds, when there is one. */
  budgetP95Ms?: number;
}

/**
 * What htmx sends when a list refreshes itself (live, on every ticket event) or the filter form
 * is submitted: both swap the results (core/routes/desk/ticket-list.tsx, LIST_IDS.results), so
 * the server renders the results with the tab counts, not the whole workspace.
 */
const results = { 'HX-Request': 'true', 'HX-Target': 'ticket-results' };

/** The day 1,094 days before `now` (three years of days with today), as YYYY-MM-DD. */
const threeYearsBefore = (now: Date) => new Date(now.getTime() - 1094 * 86_400_000).toISOString().slice(0, 10);

/** The scenarios, with what the seed wrote down (a real ticket number, search words, the API token). */
export function scenarios(fixture: LoadFixture): Scenario[] {
  return [
    { name: 'healthz', path: '/healthz', signedIn: false, platform: true },
    { name: 'dashboard', path: '/desk', signedIn: true },
    { name: 'queue-new-fragment', path: '/desk/tickets?queue=new', signedIn: true, headers: results, budgetP95Ms: 25 },
    { name: 'queue-customer-fragment', path: '/desk/tickets?queue=customer', signedIn: true, headers: results, budgetP95Ms: 25 },
    { name: 'queue-support-fragment', path: '/desk/tickets?queue=support', signedIn: true, headers: results, budgetP95Ms: 25 },
    // Ticket management's plain list (every live ticket, newest change first) and its total.
    { name: 'queue-all-fragment', path: '/desk/tickets?queue=all', signedIn: true, headers: results, budgetP95Ms: 25 },
    { name: 'search-common-word', path: `/desk/tickets?queue=all&q=${encodeURIComponent(fixture.commonWord)}`, signedIn: true, headers: results, budgetP95Ms: 50 },
    { name: 'search-rare-word', path: `/desk/tickets?queue=all&q=${encodeURIComponent(fixture.rareWord)}`, signedIn: true, headers: results, budgetP95Ms: 50 },
    // The SLA plugin's list filter (plugins/sla/README.md); with the plugin off the parameter is dropped: the whole list.
    { name: 'list-sla-overdue', path: '/desk/tickets?queue=all&p.sla.due=overdue', signedIn: true, headers: results, budgetP95Ms: 50 },
    // The hotline statistics (supervisors and admins), 30 days and three years.
    { name: 'statistics-30d', path: '/desk/statistics?period=30d', signedIn: true, supervisor: true, budgetP95Ms: 50 },
    { name: 'statistics-3-years', path: `/desk/statistics?period=custom&from=${threeYearsBefore(new Date())}&to=${new Date().toISOString().slice(0, 10)}`, signedIn: true, supervisor: true, budgetP95Ms: 50 },
    { name: 'ticket-page', path: `/desk/tickets/${fixture.ticketNumber}`, signedIn: true, budgetP95Ms: 30 },
    // The knowledge panel's suggestions, loaded by htmx after the ticket page (only once knowledge-ticket-entries.ts ran).
    ...(fixture.ticketId ? [{ name: 'ticket-suggestions', path: `/p/knowledge/tickets/${fixture.ticketId}/suggestions`, signedIn: true, headers: { 'HX-Request': 'true' }, budgetP95Ms: 30 }] : []),
    { name: 'api-list', path: '/api/v1/tickets?status=open', signedIn: false, headers: { Authorization: `Bearer ${fixture.apiToken}` } },
  ];
}
