import type { Context, Hono } from 'hono';
import { sql } from 'kysely';
import { Pagination, TICKET_STATUSES, formatDateTime, href, pageParam, type AppEnv, type TicketStatus } from '../../core/plugin-api.js';
import { person, requirePerson, seesOrganisation, visibleTickets } from './portal-access.js';
import { PortalHead, portalRender } from './portal-shell.js';

const PAGE_SIZE = 25;
const SORTS = { number: 'tickets.number', subject: 'tickets.subject', status: 'tickets.status', updated: 'tickets.updated_at' } as const;
type Sort = keyof typeof SORTS;

export interface RequestFilter { status: TicketStatus | 'active' | ''; q: string; number: string; sort: Sort; dir: 'asc' | 'desc'; page: number }

export function requestFilter(query: Record<string, string | undefined>): RequestFilter {
  const status = query.status ?? '';
  const sort = query.sort ?? '';
  return {
    status: status === 'active' || (TICKET_STATUSES as readonly string[]).includes(status) ? (status as RequestFilter['status']) : '',
    q: (query.q ?? '').trim().slice(0, 200),
    number: (query.number ?? '').trim().slice(0, 40),
    sort: sort in SORTS ? (sort as Sort) : 'updated',
    dir: query.dir === 'asc' ? 'asc' : query.dir === 'desc' ? 'desc' : sort in SORTS && sort !== 'updated' ? 'asc' : 'desc',
    page: pageParam(query.page),
  };
}

function queryString(filter: RequestFilter, change: Partial<RequestFilter>): string {
  const merged = { ...filter, ...change };
  const params = new URLSearchParams();
  if (merged.status) params.set('status', merged.status);
  if (merged.q) params.set('q', merged.q);
  if (merged.number) params.set('number', merged.number);
  if (merged.sort !== 'updated' || merged.dir !== 'desc') {
    params.set('sort', merged.sort);
    params.set('dir', merged.dir);
  }
  if (merged.page > 1) params.set('page', String(merged.page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** `%` and `_` typed by the user are searched for, not wildcards. */
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

export async function listRequests(c: Context<AppEnv>, filter: RequestFilter) {
  let query = visibleTickets(c).leftJoin('people as requester', 'requester.id', 'tickets.requester_id');
  if (filter.status === 'active') query = query.where('tickets.status', 'in', ['new', 'open', 'waiting']);
  else if (filter.status) query = query.where('tickets.status', '=', filter.status);
  if (filter.number) query = query.where('tickets.number', 'like', likePattern(filter.number));
  if (filter.q) {
    const pattern = likePattern(filter.q);
    query = query.where((eb) => eb.or([
      eb(sql`lower(tickets.subject)`, 'like', sql`${pattern} escape '\\'`),
      eb(sql`lower(tickets.description)`, 'like', sql`${pattern} escape '\\'`),
    ]));
  }
  const [rows, total] = await Promise.all([
    query.select(['tickets.number', 'tickets.subject', 'tickets.status', 'tickets.updated_at', 'requester.name as requester_name'])
      .orderBy(SORTS[filter.sort], filter.dir).orderBy('tickets.id', filter.dir)
      .limit(PAGE_SIZE).offset((filter.page - 1) * PAGE_SIZE).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

function RequestTable(props: { c: Context<AppEnv>; filter: RequestFilter; rows: Awaited<ReturnType<typeof listRequests>>['rows']; total: number; showRequester: boolean }) {
  const { c, filter } = props;
  const t = c.var.t;
  const base = href(c, '/portal/requests');
  const header = (sort: Sort, label: string) => {
    const active = filter.sort === sort;
    const dir = active && filter.dir === 'asc' ? 'desc' : active ? 'asc' : sort === 'updated' ? 'desc' : 'asc';
    const url = `${base}${queryString(filter, { sort, dir, page: 1 })}`;
    return (
      <th aria-sort={active ? (filter.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
        <a href={url} data-sort={sort} hx-get={url} hx-target="#portal-requests" hx-swap="outerHTML" hx-push-url="true">
          {label}{active ? (filter.dir === 'asc' ? ' ▲' : ' ▼') : ''}
        </a>
      </th>
    );
  };
  return (
    <section id="portal-request-list">
      {props.rows.length === 0 ? <p class="muted card" id="portal-no-requests">{t('portal.list.empty')}</p> : (
        <div class="table-wrap portal-table-card">
          <table class="table portal-table">
            <thead>
              <tr>
                {header('number', t('portal.list.number'))}
                {header('subject', t('portal.list.subject'))}
                {props.showRequester ? <th class="portal-th-plain">{t('portal.list.requester')}</th> : null}
                {header('status', t('portal.list.status'))}
                {header('updated', t('portal.list.updated'))}
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row) => (
                <tr class={row.status === 'waiting' ? 'portal-waiting' : undefined} data-request-row data-number={row.number}>
                  <td data-label={t('portal.list.number')} class="nowrap portal-number"><a href={href(c, `/portal/requests/${row.number}`)}>{row.number}</a></td>
                  <td data-label={t('portal.list.subject')} class="portal-subject">
                    <a href={href(c, `/portal/requests/${row.number}`)}>{row.subject}</a>
                  </td>
                  {props.showRequester ? <td data-label={t('portal.list.requester')}>{row.requester_name ?? '—'}</td> : null}
                  <td data-label={t('portal.list.status')}><span class={`badge status-${row.status}`}>{t(`portal.status.${row.status}`)}</span></td>
                  <td data-label={t('portal.list.updated')} class="nowrap">{formatDateTime(row.updated_at, c.var.dates)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.total > 0 ? <Pagination page={filter.page} pageSize={PAGE_SIZE} total={props.total} t={t} link={(page) => `${base}${queryString(filter, { page })}`} /> : null}
    </section>
  );
}

/** My requests (an organisation manager: the organisation's), filtered, sorted by a header click, waiting ones marked. */
export function requestListRoutes(app: Hono<AppEnv>): void {
  app.get('/requests', requirePerson, async (c) => {
    const t = c.var.t;
    const filter = requestFilter(c.req.query());
    const { rows, total } = await listRequests(c, filter);
    const manager = seesOrganisation(person(c));
    const statuses: Array<{ value: string; label: string }> = [{ value: '', label: t('portal.list.allStatuses') }, { value: 'active', label: t('portal.list.active') }, ...TICKET_STATUSES.map((s) => ({ value: s, label: t(`portal.status.${s}`) }))];
    // Filter and list are swapped together, so the form always carries the sort a header click chose.
    const requests = (
      <div id="portal-requests">
        <form method="get" action={href(c, '/portal/requests')} class="card portal-filter" role="search"
          hx-get={href(c, '/portal/requests')} hx-target="#portal-requests" hx-swap="outerHTML" hx-push-url="true" hx-trigger="submit, change from:#f-status">
          <div class="field">
            <label for="f-q">{t('portal.list.search')}</label>
            <input type="search" id="f-q" name="q" value={filter.q} maxlength={200} />
          </div>
          <div class="field portal-filter-number">
            <label for="f-number">{t('portal.list.number')}</label>
            <input type="search" id="f-number" name="number" value={filter.number} maxlength={40} inputmode="numeric" />
          </div>
          <div class="field portal-filter-status">
            <label for="f-status">{t('portal.list.status')}</label>
            <select id="f-status" name="status">
              {statuses.map((s) => <option value={s.value} selected={s.value === filter.status}>{s.label}</option>)}
            </select>
          </div>
          {filter.sort !== 'updated' || filter.dir !== 'desc' ? <><input type="hidden" name="sort" value={filter.sort} /><input type="hidden" name="dir" value={filter.dir} /></> : null}
          <button type="submit" class="button" id="portal-filter-submit">{t('portal.list.filter')}</button>
        </form>
        <RequestTable c={c} filter={filter} rows={rows} total={total} showRequester={manager} />
      </div>
    );
    return portalRender(c, {
      title: t('portal.list.title'),
      fragment: requests,
      page: (
        <>
          <PortalHead title={t('portal.list.title')} lead={manager ? t('portal.list.organisationLead') : t('portal.list.ownLead')}
            actions={<a href={href(c, '/portal/requests/new')} class="button-primary" id="portal-new-request">{t('portal.nav.new')}</a>} />
          {requests}
        </>
      ),
    });
  });
}
