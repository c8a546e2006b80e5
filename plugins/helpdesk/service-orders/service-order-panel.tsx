import type { SlotContext, Ticket, TicketSlotProps } from '../../../core/plugin-api.js';
import { formatDateTime } from '../../../core/plugin-api.js';
import { OrderFields, StatusBadge, type FormState } from './service-order-fields.js';
import { formatDuration } from './service-order-rules.js';
import { createServiceOrderStore, type ServiceOrderRow } from './service-order-store.js';

export const PANEL_ID = 'service-orders-panel';
export const ticketOrdersPath = (number: string) => `/p/helpdesk/tickets/${number}/service-orders`;
export const orderPath = (id: number) => `/p/helpdesk/service-orders/${id}`;

/** The ticket's orders; it reloads itself on ticket events, leaving the form below it alone. */
export function TicketOrderList(props: { ctx: SlotContext; ticket: Pick<Ticket, 'number'>; orders: ServiceOrderRow[] }) {
  const { ctx, orders } = props;
  const { t } = ctx;
  return (
    <div id="so-ticket-orders" hx-get={ctx.href(ticketOrdersPath(props.ticket.number))} hx-trigger="sse:ticket delay:300ms" hx-swap="outerHTML">
      {orders.length === 0 ? <p class="muted" id="so-none">{t('helpdesk.so.none')}</p> : (
        <ul class="so-list">
          {orders.map((o) => (
            <li class={`so-item so-item-${o.status}`} id={`so-${o.id}`}>
              <a href={ctx.href(orderPath(o.id))} class="so-item-title"><strong>{t(`helpdesk.so.type.${o.type}`)}</strong> <span class="muted">#{o.id}</span></a>
              <StatusBadge t={t} status={o.status} />
              <span class="so-item-when"><time datetime={o.planned_at}>{formatDateTime(o.planned_at, ctx.dates)}</time>{o.planned_end ? <> – <time datetime={o.planned_end}>{formatDateTime(o.planned_end, ctx.dates)}</time></> : null}</span>
              <span class="so-item-who">{o.technician_name ?? <span class="muted">{t('helpdesk.so.noTechnician')}</span>}</span>
              {o.minutes_spent !== null ? <span class="so-item-time" >{t('helpdesk.so.field.time_spent')} {formatDuration(o.minutes_spent)} h</span> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The service orders on the ticket page (slot `ticket.main`): the list and, for editors, a folded "new" form. */
export function ServiceOrderPanel(props: { ctx: SlotContext; ticket: Ticket; orders: ServiceOrderRow[]; technicians: Array<{ id: number; name: string }>; form?: FormState | undefined }) {
  const { ctx, ticket } = props;
  const t = ctx.t;
  const action = ctx.href(ticketOrdersPath(ticket.number));
  // A closed ticket takes no new orders (the server refuses them with 409 as well).
  const editable = ctx.can('helpdesk.service_orders.edit') && !ticket.deleted_at && ticket.status !== 'closed';
  return (
    <section class="card so-panel" id={PANEL_ID} aria-labelledby="so-panel-title">
      <div class="so-panel-head">
        <h2 id="so-panel-title">{t('helpdesk.so.title')}</h2>
        <a href={ctx.href(`/p/helpdesk/service-orders?q=${encodeURIComponent(ticket.number)}`)} class="so-all">{t('helpdesk.so.openAll')}</a>
      </div>
      <TicketOrderList ctx={ctx} ticket={ticket} orders={props.orders} />
      {editable ? (
        <details class="so-new" id="so-new" open={props.form?.errors ? true : undefined}>
          <summary class="button">{t('helpdesk.so.new')}</summary>
          <form method="post" action={action} hx-post={action} hx-target={`#${PANEL_ID}`} hx-swap="outerHTML" class="stack so-new-form">
            {props.form?.errors ? <div class="form-error" role="alert">{props.form.errors._form ?? t('error.invalid')}</div> : null}
            <OrderFields t={t} timeZone={ctx.dates.timeZone} prefix="so-new" technicians={props.technicians} state={props.form} />
            <div><button type="submit" class="button-primary" id="so-create">{t('helpdesk.so.create')}</button></div>
          </form>
        </details>
      ) : null}
    </section>
  );
}

/** The slot view: reads the ticket's orders with the viewer's tenant scope. */
export async function serviceOrderSlot(ctx: SlotContext<TicketSlotProps>) {
  const { ticket } = ctx.props;
  if (!ctx.can('helpdesk.service_orders.view')) return null;
  const store = createServiceOrderStore({ db: ctx.scope.db, clock: () => ctx.now, t: ctx.t, timeZone: ctx.dates.timeZone }, ctx.tenantId);
  const [orders, technicians] = await Promise.all([store.forTicket(ticket.id), store.technicians()]);
  return <ServiceOrderPanel ctx={ctx} ticket={ticket} orders={orders} technicians={technicians} />;
}
