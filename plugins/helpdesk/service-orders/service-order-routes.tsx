import type { Context, Hono } from 'hono';
import { z } from 'zod';
import {
  HttpError, Page, Pagination, flash, formatDateTime, href, isHtmx, publicOrigin, render, requirePermission, slotContext, tenantOf, ticketActor, ticketService, toast, toHttpError,
  type AppEnv,
} from '../../../core/plugin-api.js';
import { OrderFields, StatusBadge, type FormState } from './service-order-fields.js';
import { PANEL_ID, ServiceOrderPanel, TicketOrderList, orderPath } from './service-order-panel.js';
import { SERVICE_ORDER_STATUSES, SERVICE_ORDER_TYPES, formatDuration, serviceOrderTransitions } from './service-order-rules.js';
import { CALENDAR_EVENT, type CalendarEventPayload } from './technician-mail.js';
import { HISTORY_ACTION, SORTS, createServiceOrderStore, type CalendarChange, type ServiceOrderFilter, type ServiceOrderInput, type ServiceOrderRow, type ServiceOrderSort } from './service-order-store.js';

const VIEW = 'helpdesk.service_orders.view';
const EDIT = 'helpdesk.service_orders.edit';
const NUMBER = ':number{[0-9]{4}-[0-9]{6,}}';
const ID = ':id{[0-9]{1,12}}';
const RESULTS_ID = 'so-results';

function store(c: Context<AppEnv>) {
  return createServiceOrderStore({ db: c.var.services.db, clock: c.var.services.clock, t: c.var.t, timeZone: c.var.dates.timeZone }, tenantOf(c).id);
}

/**
 * Tells open pages of the ticket (and lists) that it moved, and has the technicians' calendar mails
 * sent; after the commit. The mails are not awaited: the answer never waits on them. The API uses it too.
 */
export function announce(c: Context<AppEnv>, ticket: { number: string; status: string } | undefined, calendar?: CalendarChange): void {
  const tenantId = tenantOf(c).id;
  if (ticket) c.var.services.events.publish({ tenantId, type: 'ticket', data: { number: ticket.number, status: ticket.status, action: 'service_order' } });
  if (calendar && ticket) {
    const payload: CalendarEventPayload = { tenantId, ...calendar, ticketUrl: `${publicOrigin(c)}${href(c, `/desk/tickets/${ticket.number}`)}` };
    const { hooks, log } = c.var.services;
    hooks.emit(CALENDAR_EVENT, payload).catch((error: unknown) => log.error('service order calendar mail failed', { tenantId, error: String(error) }));
  }
}

async function formInput(c: Context<AppEnv>): Promise<{ input: ServiceOrderInput; values: Record<string, string> }> {
  const body = await c.req.parseBody();
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') values[key] = value;
  const pick = (key: string) => values[key];
  return { input: { type: pick('type'), technician_id: pick('technician_id'), planned_at: pick('planned_at'), planned_end: pick('planned_end'), report: pick('report'), time_spent: pick('time_spent') }, values };
}

const filterSchema = z.object({
  status: z.enum(['open', ...SERVICE_ORDER_STATUSES]).optional(),
  technician: z.coerce.number().int().positive().optional(),
  type: z.enum(SERVICE_ORDER_TYPES).optional(),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  q: z.string().trim().max(200).optional(),
  sort: z.enum(SORTS).optional(),
  dir: z.enum(['asc', 'desc']).optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
});

/** The query string as a filter; bad values are dropped and reported per field (HTTP 422). */
function readFilter(c: Context<AppEnv>): { filter: ServiceOrderFilter; errors: Record<string, string> | undefined } {
  const input: Record<string, string> = {};
  for (const [key, value] of Object.entries(c.req.query())) if (value !== '' && key in filterSchema.shape) input[key] = value;
  const errors: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) {
    const check = filterSchema.shape[key as keyof typeof filterSchema.shape].safeParse(value);
    if (!check.success) {
      errors[key] = c.var.t(key === 'from' || key === 'to' ? 'validation.date' : 'validation.choice');
      delete input[key];
    }
  }
  return { filter: filterSchema.parse(input) as ServiceOrderFilter, errors: Object.keys(errors).length ? errors : undefined };
}

function listHref(c: Context<AppEnv>, filter: ServiceOrderFilter, page?: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filter, page: page && page > 1 ? page : undefined })) {
    if (value !== undefined && value !== '' && key !== 'page') params.set(key, String(value));
  }
  if (page && page > 1) params.set('page', String(page));
  const query = params.toString();
  return href(c, `/p/helpdesk/service-orders${query ? `?${query}` : ''}`);
}

function SortHeader(props: { c: Context<AppEnv>; filter: ServiceOrderFilter; column: ServiceOrderSort; label: string }) {
  const { c, filter, column } = props;
  const current = filter.sort ?? 'planned_at';
  const currentDir = filter.dir ?? (current === 'updated_at' ? 'desc' : 'asc');
  const active = current === column;
  const dir = active ? (currentDir === 'asc' ? 'desc' : 'asc') : column === 'updated_at' ? 'desc' : 'asc';
  const url = listHref(c, { ...filter, sort: column, dir, page: undefined });
  return (
    <th scope="col" aria-sort={active ? (currentDir === 'asc' ? 'ascending' : 'descending') : undefined} class={active ? 'sorted' : undefined}>
      <a href={url} hx-get={url} hx-target={`#${RESULTS_ID}`} hx-swap="outerHTML" hx-push-url="true" title={c.var.t('helpdesk.so.sortBy', { column: props.label })} data-sort={column}>
        {props.label}<span class="sort-mark" aria-hidden="true">{active ? (currentDir === 'asc' ? '▲' : '▼') : '↕'}</span>
      </a>
    </th>
  );
}

type ListResult = Awaited<ReturnType<ReturnType<typeof store>['list']>>;

function Results(props: { c: Context<AppEnv>; filter: ServiceOrderFilter; result: ListResult }) {
  const { c, filter, result } = props;
  const t = c.var.t;
  const self = listHref(c, filter, result.page);
  return (
    <div id={RESULTS_ID} class="so-results" hx-get={self} hx-trigger="sse:ticket delay:500ms" hx-swap="outerHTML focus-scroll:false">
      {result.rows.length === 0 ? <div class="empty-state" id="so-empty"><p>{t('helpdesk.so.empty')}</p></div> : (
        <div class="table-wrap">
          <table class="table so-table" id="so-table">
            <thead>
              <tr>
                <SortHeader c={c} filter={filter} column="planned_at" label={t('helpdesk.so.field.planned_at')} />
                <SortHeader c={c} filter={filter} column="type" label={t('helpdesk.so.field.type')} />
                <SortHeader c={c} filter={filter} column="status" label={t('helpdesk.so.field.status')} />
                <SortHeader c={c} filter={filter} column="technician" label={t('helpdesk.so.field.technician')} />
                <SortHeader c={c} filter={filter} column="ticket" label={t('helpdesk.so.ticket')} />
                <th scope="col" class="so-col-time">{t('helpdesk.so.field.time_spent')}</th>
                <SortHeader c={c} filter={filter} column="updated_at" label={t('helpdesk.so.column.updated')} />
              </tr>
            </thead>
            <tbody>
              {result.rows.map((o) => (
                <tr class={`so-row so-row-${o.status}`} data-order={o.id}>
                  <td class="nowrap so-col-when" data-label={t('helpdesk.so.field.planned_at')}><a href={href(c, orderPath(o.id))} class="so-link"><time datetime={o.planned_at}>{formatDateTime(o.planned_at, c.var.dates)}</time></a></td>
                  <td class="so-col-type" data-label={t('helpdesk.so.field.type')}><a href={href(c, orderPath(o.id))}>{t(`helpdesk.so.type.${o.type}`)}</a> <span class="muted">#{o.id}</span></td>
                  <td data-label={t('helpdesk.so.field.status')}><StatusBadge t={t} status={o.status} /></td>
                  <td data-label={t('helpdesk.so.field.technician')}>{o.technician_name ?? <span class="muted">{t('helpdesk.so.noTechnician')}</span>}</td>
                  <td class="so-col-ticket" data-label={t('helpdesk.so.ticket')}><a href={href(c, `/desk/tickets/${o.ticket_number}`)} class="nowrap">{o.ticket_number}</a><small class="so-subject">{o.ticket_subject}</small></td>
                  <td class="nowrap so-col-time" data-label={t('helpdesk.so.field.time_spent')}>{formatDuration(o.minutes_spent)}</td>
                  <td class="nowrap so-col-updated" data-label={t('helpdesk.so.column.updated')}><time datetime={o.updated_at}>{formatDateTime(o.updated_at, c.var.dates)}</time></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div hx-boost="true" hx-target={`#${RESULTS_ID}`} hx-swap="outerHTML" hx-push-url="true">
        <Pagination page={result.page} pageSize={result.pageSize} total={result.total} t={t} link={(page) => listHref(c, filter, page)} />
      </div>
    </div>
  );
}

function FilterForm(props: { c: Context<AppEnv>; filter: ServiceOrderFilter; errors: Record<string, string> | undefined; technicians: Array<{ id: number; name: string }> }) {
  const { c, filter, errors } = props;
  const t = c.var.t;
  const action = href(c, '/p/helpdesk/service-orders');
  const select = (name: string, label: string, value: string | number | undefined, options: Array<{ value: string; label: string }>) => (
    <div class={`field${errors?.[name] ? ' field-invalid' : ''}`}>
      <label for={`so-f-${name}`}>{label}</label>
      <select id={`so-f-${name}`} name={name} aria-invalid={errors?.[name] ? 'true' : undefined}>
        <option value="">{t('helpdesk.so.filter.any')}</option>
        {options.map((o) => <option value={o.value} selected={o.value === String(value ?? '')}>{o.label}</option>)}
      </select>
      {errors?.[name] ? <small class="field-error">{errors[name]}</small> : null}
    </div>
  );
  const input = (name: 'q' | 'from' | 'to', label: string, type: string, extra: Record<string, string> = {}) => (
    <div class={`field${errors?.[name] ? ' field-invalid' : ''}${name === 'q' ? ' so-filter-q' : ''}`}>
      <label for={`so-f-${name}`}>{label}</label>
      <input id={`so-f-${name}`} name={name} type={type} value={filter[name] ?? ''} aria-invalid={errors?.[name] ? 'true' : undefined} {...extra} />
      {errors?.[name] ? <small class="field-error">{errors[name]}</small> : null}
    </div>
  );
  return (
    <section class="card filter-card">
      <form method="get" action={action} id="so-filter" class="filter-form" role="search"
        hx-get={action} hx-target={`#${RESULTS_ID}`} hx-swap="outerHTML" hx-push-url="true" hx-trigger="submit, change" hx-sync={`#${RESULTS_ID}:replace`}>
        {filter.sort ? <input type="hidden" name="sort" value={filter.sort} /> : null}
        {filter.dir ? <input type="hidden" name="dir" value={filter.dir} /> : null}
        {errors ? <div class="form-error" role="alert">{t('error.invalid')}</div> : null}
        <div class="filter-grid">
          {input('q', t('helpdesk.so.filter.q'), 'search', { placeholder: t('helpdesk.so.filter.qHint'), maxlength: '200' })}
          {select('status', t('helpdesk.so.filter.status'), filter.status, [{ value: 'open', label: t('helpdesk.so.filter.open') }, ...SERVICE_ORDER_STATUSES.map((s) => ({ value: s, label: t(`helpdesk.so.status.${s}`) }))])}
          {select('technician', t('helpdesk.so.filter.technician'), filter.technician, props.technicians.map((u) => ({ value: String(u.id), label: u.name })))}
          {select('type', t('helpdesk.so.filter.type'), filter.type, SERVICE_ORDER_TYPES.map((s) => ({ value: s, label: t(`helpdesk.so.type.${s}`) })))}
          {input('from', t('helpdesk.so.filter.from'), 'date')}
          {input('to', t('helpdesk.so.filter.to'), 'date')}
        </div>
        <div class="filter-actions">
          <button type="submit" class="button-primary">{t('helpdesk.so.filter.apply')}</button>
          <a class="button" href={action}>{t('helpdesk.so.filter.reset')}</a>
        </div>
      </form>
    </section>
  );
}

async function detailPage(c: Context<AppEnv>, order: ServiceOrderRow, state: FormState = {}, status: 200 | 409 | 422 = 200) {
  const t = c.var.t;
  const orders = store(c);
  const [technicians, history] = await Promise.all([orders.technicians(), orders.history(order)]);
  const editable = c.var.can(EDIT);
  const url = href(c, orderPath(order.id));
  const word = (field: string | null, value: string | null) => {
    if (value === null || value === '') return '—';
    return field === 'status' || field === 'type' ? t(`helpdesk.so.${field}.${value}`) : value;
  };
  const moves = serviceOrderTransitions(order.status);
  return render(c, {
    title: `${t('helpdesk.so.order', { id: order.id })} · ${order.ticket_number}`,
    status,
    page: (
      <Page title={t('helpdesk.so.order', { id: order.id })}
        crumbs={[{ label: t('helpdesk.so.title'), href: href(c, '/p/helpdesk/service-orders') }, { label: order.ticket_number, href: href(c, `/desk/tickets/${order.ticket_number}`) }, { label: `#${order.id}` }]}>
        <div class="so-detail" id="so-detail" data-order={order.id}>
          <div class="so-detail-main">
            <form method="post" action={url} class="card stack so-edit" id="so-edit">
              <h2>{t('helpdesk.so.details')}</h2>
              {state.errors ? <div class="form-error" role="alert">{t('error.invalid')}</div> : null}
              <fieldset class="bare-fieldset stack" disabled={!editable}>
                <OrderFields t={t} timeZone={c.var.dates.timeZone} prefix="so-edit" technicians={technicians} order={order} state={state} full />
                {editable ? <div><button type="submit" class="button-primary" id="so-save">{t('helpdesk.so.save')}</button></div> : null}
              </fieldset>
            </form>
          </div>
          <aside class="so-detail-side stack">
            <section class="card stack" id="so-status-card">
              <h2>{t('helpdesk.so.field.status')}</h2>
              <p><StatusBadge t={t} status={order.status} /></p>
              {moves.length === 0 ? <p class="muted">{t('helpdesk.so.final', { status: t(`helpdesk.so.status.${order.status}`) })}</p> : null}
              {editable && moves.length ? (
                <div class="so-actions">
                  {moves.map((to) => (
                    <form method="post" action={`${url}/status`}>
                      <input type="hidden" name="to" value={to} />
                      <button type="submit" class={to === 'cancelled' ? 'button' : 'button-primary'} id={`so-to-${to}`}>{t(`helpdesk.so.action.${to}`)}</button>
                    </form>
                  ))}
                </div>
              ) : null}
              <dl class="so-facts">
                <div><dt>{t('helpdesk.so.ticket')}</dt><dd><a href={href(c, `/desk/tickets/${order.ticket_number}`)}>{order.ticket_number}</a> · {order.ticket_subject}</dd></div>
                <div><dt>{t('helpdesk.so.field.time_spent')}</dt><dd>{formatDuration(order.minutes_spent) || '—'}</dd></div>
              </dl>
              <p class="muted small">{t('helpdesk.so.createdBy', { name: order.created_by_label, at: formatDateTime(order.created_at, c.var.dates) })}<br />
                {t('helpdesk.so.updatedBy', { name: order.updated_by_label, at: formatDateTime(order.updated_at, c.var.dates) })}</p>
            </section>
            <section class="card" id="so-history">
              <h2>{t('helpdesk.so.history')}</h2>
              {history.length === 0 ? <p class="muted">{t('helpdesk.so.noHistory')}</p> : (
                <ol class="plain-list so-history">
                  {history.map((h) => (
                    <li>
                      <strong>{h.actor_label}</strong>{' '}
                      {h.action === HISTORY_ACTION
                        ? <>{t(`helpdesk.so.field.${h.field}`)}: {h.old_value !== null ? <><del>{word(h.field, h.old_value)}</del> → </> : null}<ins>{word(h.field, h.new_value)}</ins></>
                        : t('helpdesk.so.created', { id: order.id })}
                      <br /><small class="muted"><time datetime={h.created_at}>{formatDateTime(h.created_at, c.var.dates)}</time></small>
                    </li>
                  ))}
                </ol>
              )}
            </section>
          </aside>
        </div>
      </Page>
    ),
  });
}

async function findOrder(c: Context<AppEnv>): Promise<ServiceOrderRow> {
  const order = await store(c).get(Number(c.req.param('id')));
  if (!order) throw new HttpError(404, c.var.t('helpdesk.so.notFound'));
  return order;
}

async function findTicket(c: Context<AppEnv>) {
  return ticketService(c).get(c.req.param('number')!);
}

/** Service orders under /p/helpdesk: the agent list, one order's page, and the ticket page's panel actions. */
export function serviceOrderRoutes(app: Hono<AppEnv>): void {
  app.use('/service-orders', requirePermission(VIEW));
  app.use('/service-orders/*', requirePermission(VIEW));
  app.use('/tickets/*', requirePermission(VIEW));

  app.get('/service-orders', async (c) => {
    const t = c.var.t;
    const { filter, errors } = readFilter(c);
    const orders = store(c);
    const [result, technicians] = await Promise.all([orders.list(filter), orders.technicians()]);
    const fragment = <Results c={c} filter={{ ...filter, page: undefined }} result={result} />;
    return render(c, {
      title: t('helpdesk.so.title'),
      status: errors ? 422 : 200,
      live: href(c, '/events'),
      fragment: isHtmx(c) && c.req.header('HX-Target') === RESULTS_ID ? fragment : undefined,
      page: (
        <Page title={t('helpdesk.so.title')}>
          <div class="so-workspace">
            <FilterForm c={c} filter={filter} errors={errors} technicians={technicians} />
            {fragment}
          </div>
        </Page>
      ),
    });
  });

  app.get(`/service-orders/${ID}`, async (c) => detailPage(c, await findOrder(c)));

  app.post(`/service-orders/${ID}`, requirePermission(EDIT), async (c) => {
    const order = await findOrder(c);
    const { input, values } = await formInput(c);
    try {
      const { ticket, calendar } = await store(c).update(order.id, input, ticketActor(c));
      announce(c, ticket, calendar);
      flash(c, 'success', c.var.t(ticket ? 'helpdesk.so.saved' : 'helpdesk.so.unchanged'));
      return c.redirect(href(c, orderPath(order.id)), 303);
    } catch (error) {
      const refusal = toHttpError(error);
      if (refusal?.status === 422) return detailPage(c, order, { values, errors: refusal.fields }, 422);
      throw error;
    }
  });

  app.post(`/service-orders/${ID}/status`, requirePermission(EDIT), async (c) => {
    const order = await findOrder(c);
    const body = await c.req.parseBody();
    try {
      const moved = await store(c).changeStatus(order.id, typeof body.to === 'string' ? body.to : '', ticketActor(c));
      announce(c, moved.ticket, moved.calendar);
      flash(c, 'success', c.var.t('helpdesk.so.moved', { id: order.id, status: c.var.t(`helpdesk.so.status.${moved.order.status}`) }));
      return c.redirect(href(c, orderPath(order.id)), 303);
    } catch (error) {
      const refusal = toHttpError(error);
      if (refusal && (refusal.status === 409 || refusal.status === 422)) {
        toast(c, 'error', refusal.message);
        return detailPage(c, (await store(c).get(order.id)) ?? order, {}, refusal.status);
      }
      throw error;
    }
  });

  // The ticket page's list of orders, refreshed by htmx on ticket events.
  app.get(`/tickets/${NUMBER}/service-orders`, async (c) => {
    const ticket = await findTicket(c);
    if (!isHtmx(c)) return c.redirect(href(c, `/desk/tickets/${ticket.number}`), 303);
    return c.html(<TicketOrderList ctx={slotContext(c, { ticket })} ticket={ticket} orders={await store(c).forTicket(ticket.id)} />);
  });

  app.post(`/tickets/${NUMBER}/service-orders`, requirePermission(EDIT), async (c) => {
    const ticket = await findTicket(c);
    const orders = store(c);
    const { input, values } = await formInput(c);
    const panel = async (form: FormState | undefined, status: 200 | 422) => {
      const [list, technicians] = await Promise.all([orders.forTicket(ticket.id), orders.technicians()]);
      const view = <ServiceOrderPanel ctx={slotContext(c, { ticket })} ticket={ticket} orders={list} technicians={technicians} form={form} />;
      // Without JavaScript a refused form comes back on a page of its own.
      return render(c, {
        title: `${c.var.t('helpdesk.so.new')} · ${ticket.number}`,
        status,
        page: <Page title={c.var.t('helpdesk.so.new')} crumbs={[{ label: ticket.number, href: href(c, `/desk/tickets/${ticket.number}`) }]}>{view}</Page>,
        fragment: view,
      });
    };
    try {
      const created = await orders.create(ticket.id, input, ticketActor(c));
      announce(c, created.ticket, created.calendar);
      const message = c.var.t('helpdesk.so.created', { id: created.order.id });
      if (!isHtmx(c)) {
        flash(c, 'success', message);
        return c.redirect(href(c, `/desk/tickets/${ticket.number}#${PANEL_ID}`), 303);
      }
      toast(c, 'success', message);
      return panel(undefined, 200);
    } catch (error) {
      const refusal = toHttpError(error);
      if (refusal?.status === 422) return panel({ values, errors: refusal.fields }, 422);
      throw error;
    }
  });
}
