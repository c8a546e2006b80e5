import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../../http/app-env.js';
import { href } from '../../http/guards.js';
import { formatDateTime } from '../../i18n/format.js';
import { RECORD_TICKET_FILTERS, type RecordTicketFilter, type RecordTicketPage } from '../../people/record-queries.js';
import { priorityName, ticketSettings } from '../../tickets/ticket-settings.js';
import { Pagination, pageParam } from '../../../views/components/pagination.js';

/** Tickets per page on a record page: a glance, not ticket management. */
export const RECORD_PAGE_SIZE = 20;

/** The record page's filter and page from the query string; anything else falls back to active tickets, page 1. */
export function recordFilter(c: Context<AppEnv>): { status: RecordTicketFilter; page: number; pageSize: number } {
  const status = c.req.query('status');
  return {
    status: RECORD_TICKET_FILTERS.find((f) => f === status) ?? 'active',
    page: pageParam(c.req.query('page')),
    pageSize: RECORD_PAGE_SIZE,
  };
}

/** A record page's URL with a filter and page (the defaults left out). */
export function recordUrl(c: Context<AppEnv>, path: string, status: RecordTicketFilter, page = 1): string {
  const params = new URLSearchParams();
  if (status !== 'active') params.set('status', status);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return href(c, query ? `${path}?${query}` : path);
}

/**
 * A record's tickets: the filter (active or all, with counts), one page latest change first, the
 * pager. `path` is the record page's own path; `requester` names the requester under the subject (not on a
 * person's own page); `more` adds a link (e.g. the customer's tickets in ticket management).
 */
export function RecordTickets(props: { c: Context<AppEnv>; path: string; result: RecordTicketPage; status: RecordTicketFilter; requester: boolean; more?: Child }) {
  const { c, result, status } = props;
  const t = c.var.t;
  const settings = ticketSettings(c.var.tenant!);
  return (
    <section class="card record-tickets" id="record-tickets">
      <div class="card-head">
        <h2>{t('record.tickets')}</h2>
        {props.more ?? null}
      </div>
      <nav class="queue-tabs record-filter" aria-label={t('record.filter')}>
        <ul>
          {RECORD_TICKET_FILTERS.map((filter) => (
            <li>
              <a href={recordUrl(c, props.path, filter)} id={`record-filter-${filter}`} class="queue-tab" aria-current={filter === status ? 'page' : undefined}>
                <span class="queue-tab-label">{t(`record.filter.${filter}`)}</span>
                <span class="queue-count">{result.counts[filter]}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {result.rows.length === 0 ? (
        <div class="empty-state" id="record-tickets-empty"><p>{t(`record.empty.${status}`)}</p></div>
      ) : (
        <div class="table-wrap">
          <table class="table ticket-table" id="record-ticket-table">
            <thead>
              <tr>
                <th scope="col">{t('list.number')}</th>
                <th scope="col">{t('list.subject')}</th>
                <th scope="col">{t('list.status')}</th>
                <th scope="col">{t('list.priority')}</th>
                <th scope="col">{t('list.assignee')}</th>
                <th scope="col">{t('list.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((row) => {
                const url = href(c, `/desk/tickets/${row.number}`);
                const classes = ['ticket-row', `row-${row.status}`, row.priority >= 3 ? `prio-high${row.priority >= 4 ? ' prio-critical' : ''}` : ''].filter(Boolean).join(' ');
                return (
                  <tr class={classes} data-number={row.number}>
                    <td class="col-number nowrap">{row.number}</td>
                    <td class="col-subject">
                      <a href={url} class="ticket-link" id={`record-ticket-${row.number}`}>{row.subject}</a>
                      {props.requester && row.requester_name ? <small class="record-sub" title={t('list.requester')}>{row.requester_name}</small> : null}
                    </td>
                    <td class="col-status"><span class={`badge status-badge status-badge-${row.status}`}>{t(`status.${row.status}`)}</span></td>
                    <td class="col-priority"><span class={`prio prio-${row.priority}`}>{priorityName(settings, row.priority, t)}</span></td>
                    <td class="col-assignee">{row.assignee_name ?? <span class="muted">{t('list.unassigned')}</span>}</td>
                    <td class="col-updated nowrap"><time datetime={row.updated_at}>{formatDateTime(row.updated_at, c.var.dates)}</time></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={result.page} pageSize={result.pageSize} total={result.total} t={t} link={(page) => recordUrl(c, props.path, status, page)} />
    </section>
  );
}

/** A record's facts as a definition list; empty values read "—". */
export function RecordFacts(props: { id: string; facts: Array<[label: string, value: Child, id?: string]> }) {
  return (
    <dl class="record-facts" id={props.id}>
      {props.facts.map(([label, value, id]) => (
        <div class="fact" id={id}>
          <dt>{label}</dt>
          <dd>{value === null || value === undefined || value === '' ? '—' : value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The two columns of a record page: facts and plugin panels beside (on a phone: above) the tickets. */
export function RecordLayout(props: { side: Child; main: Child }) {
  return (
    <div class="record-layout">
      <div class="record-side">{props.side}</div>
      <div class="record-main">{props.main}</div>
    </div>
  );
}
