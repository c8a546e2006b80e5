import type { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { csvResponse } from '../../http/csv-response.js';
import { requirePermission, requireTenant, requireUser, scope, staff } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { csvDocument, type CsvCell } from '../../text/csv.js';
import { ticketQueries } from '../../tickets/ticket-context.js';
import { tagsOfTickets } from '../../tickets/ticket-tags.js';
import { filterQuery } from './saved-view-store.js';
import { readFilter } from './ticket-list-state.js';

// Ticket management as CSV (issue 18 point 7: tags in the export): the tickets the current filter finds, with
// their tags, in the list's order, at most MAX_ROWS. Read through the same query as the list (tenant scope).

const PAGE = 500;
export const MAX_ROWS = 10_000;

/** The CSV address for a filter (the results region links to it). */
export const csvQuery = (filter: Parameters<typeof filterQuery>[0]) => filterQuery(filter).toString();

export function ticketListCsvRoutes(app: Hono<AppEnv>): void {
  app.get('/desk/tickets.csv', requireTenant, requireUser, requirePermission('tickets.view'), async (c) => {
    const t = c.var.t;
    const { filter, errors } = readFilter(c, c.req.query());
    if (errors) throw new HttpError(422, t('error.invalid'), errors);
    const queries = ticketQueries(c);
    const viewer = await queries.viewer(staff(c).id);
    const rows: CsvCell[][] = [[t('list.number'), t('list.subject'), t('list.status'), t('list.priority'), t('list.organisation'), t('list.group'), t('list.assignee'), t('list.created'), t('list.updated'), t('tag.title')]];
    for (let page = 1; (page - 1) * PAGE < MAX_ROWS; page += 1) {
      const result = await queries.search({ ...filter, page }, viewer, PAGE);
      const tags = await tagsOfTickets(scope(c), result.rows.map((r) => r.id));
      for (const r of result.rows) {
        rows.push([r.number, r.subject, t(`status.${r.status}`), r.priority, r.organisation_name ?? '', r.group_name ?? '', r.assignee_name ?? '', r.created_at, r.updated_at, (tags.get(r.id) ?? []).join(', ')]);
      }
      if (result.rows.length < PAGE) break;
    }
    return csvResponse(c, 'tickets.csv', csvDocument(rows));
  });
}
