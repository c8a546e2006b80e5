import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { href, requirePermission, requireTenant, requireUser, scope, tenantOf } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { tenantPhoneCountry } from '../../directory/directory-settings.js';
import { customerContext, type ContextTicket } from '../../people/customer-context-queries.js';
import { formatPhone, telUri, toE164 } from '../../text/phone-number.js';
import { ticketService } from '../../tickets/ticket-context.js';
import { ContractValidity } from './contract-page.js';
import { TICKET_PATH } from './ticket-page-data.js';

// The customer context beside a ticket (issue 18 point 4): who asked and how to reach them (phone as tel:,
// e-mail as mailto:, address), their contract and whether it is valid, their and their organisation's other
// open tickets and the last closed ones, and "New ticket for this customer". The ticket page holds a frame
// that loads it (so the page itself reads nothing more); folded on a phone, open on a wide screen.

const CONTEXT_ID = 'customer-context';

/** The frame on the ticket page (agents who may see customers): the panel loads into it. */
export function CustomerContextFrame(props: { c: Context<AppEnv>; number: string }) {
  const { c } = props;
  if (!c.var.can('people.view')) return null;
  const url = href(c, `/desk/tickets/${props.number}/context`);
  return (
    <section id={CONTEXT_ID} class="card customer-context" hx-get={url} hx-trigger="load" hx-swap="outerHTML">
      <h2>{c.var.t('context.title')}</h2>
      <p class="muted"><a href={url}>{c.var.t('context.load')}</a></p>
    </section>
  );
}

/** A `tel:` link for a stored number: E.164 read in the tenant's phone country, else the digits as typed. */
function PhoneLink(props: { phone: string | null; country: string; id: string }) {
  if (!props.phone) return null;
  const e164 = toE164(props.phone, props.country);
  const uri = e164 ? telUri(e164) : props.phone.replace(/[^+\d]/g, '') ? `tel:${props.phone.replace(/[^+\d]/g, '')}` : null;
  const shown = e164 ? formatPhone(e164) : props.phone;
  return uri ? <a href={uri} id={props.id} class="tel-link">{shown}</a> : <span id={props.id}>{shown}</span>;
}

function TicketLinks(props: { c: Context<AppEnv>; rows: ContextTicket[]; id: string }) {
  const t = props.c.var.t;
  return (
    <ul class="plain-list context-tickets" id={props.id}>
      {props.rows.map((row) => (
        <li>
          <a href={href(props.c, `/desk/tickets/${row.number}`)}>{row.number}</a> {row.subject}{' '}
          <span class={`badge status-badge status-badge-${row.status}`}>{t(`status.${row.status}`)}</span>
        </li>
      ))}
    </ul>
  );
}

export function customerContextRoutes(app: Hono<AppEnv>): void {
  app.get(`${TICKET_PATH}/context`, requireTenant, requireUser, requirePermission('tickets.view'), requirePermission('people.view'), async (c) => {
    const t = c.var.t;
    // A deleted ticket's page is open to whoever may delete (and restore) tickets: so is its customer context.
    const ticket = await ticketService(c).find(c.req.param('number'), { includeDeleted: c.var.can('tickets.delete') });
    if (!ticket) throw new HttpError(404, t('ticket.notFound'));
    const [context, country] = await Promise.all([customerContext(scope(c), ticket), tenantPhoneCountry(c.var.services.db, tenantOf(c).id)]);
    const { person, organisation, contract } = context;
    const newTicket = new URLSearchParams();
    if (person) newTicket.set('requester_id', String(person.id));
    if (organisation) newTicket.set('organisation_id', String(organisation.id));
    const panel = (
      <details id={CONTEXT_ID} class="card customer-context" open data-fold-narrow>
        <summary><h2>{t('context.title')}</h2></summary>
        {!person && !organisation ? <p class="muted" id="context-none">{t('context.none')}</p> : null}
        {person ? (
          <div class="context-block" id="context-person">
            <h3><a href={href(c, `/desk/people/${person.id}`)} id="context-person-link">{person.name}</a></h3>
            <dl class="record-facts">
              {person.phone ? <div class="fact"><dt>{t('context.phone')}</dt><dd><PhoneLink phone={person.phone} country={country} id="context-person-phone" /></dd></div> : null}
              {person.email ? <div class="fact"><dt>{t('context.email')}</dt><dd><a href={`mailto:${person.email}`} id="context-person-email">{person.email}</a></dd></div> : null}
            </dl>
          </div>
        ) : null}
        {organisation ? (
          <div class="context-block" id="context-organisation">
            <h3><a href={href(c, `/desk/organisations/${organisation.id}`)} id="context-organisation-link">{organisation.name}</a>{organisation.number ? <small class="muted"> {organisation.number}</small> : null}</h3>
            <dl class="record-facts">
              {organisation.phone ? <div class="fact"><dt>{t('context.phone')}</dt><dd><PhoneLink phone={organisation.phone} country={country} id="context-organisation-phone" /></dd></div> : null}
              {organisation.address ? <div class="fact"><dt>{t('context.address')}</dt><dd class="pre-line" id="context-address">{organisation.address}</dd></div> : null}
            </dl>
          </div>
        ) : null}
        {contract ? (
          <div class="context-block" id="context-contract">
            <h3>{t('context.contract')}</h3>
            <p><a href={href(c, `/desk/contracts/${contract.id}`)}>{contract.name} ({contract.number})</a></p>
            <p><ContractValidity c={c} contract={contract} /></p>
          </div>
        ) : organisation ? <p class="muted" id="context-no-contract">{t('context.noContract')}</p> : null}
        {person ? (
          <div class="context-block">
            <h3>{t('context.personOpen', { name: person.name })}</h3>
            {context.personOpen.rows.length ? <TicketLinks c={c} rows={context.personOpen.rows} id="context-person-open" /> : <p class="muted">{t('context.noneOpen')}</p>}
            {context.personOpen.more ? <p><a href={href(c, `/desk/people/${person.id}`)}>{t('context.more')}</a></p> : null}
          </div>
        ) : null}
        {organisation ? (
          <div class="context-block">
            <h3>{t('context.organisationOpen', { name: organisation.name })}</h3>
            {context.organisationOpen.rows.length ? <TicketLinks c={c} rows={context.organisationOpen.rows} id="context-organisation-open" /> : <p class="muted">{t('context.noneOpen')}</p>}
            {context.organisationOpen.more ? <p><a href={href(c, `/desk/organisations/${organisation.id}`)}>{t('context.more')}</a></p> : null}
          </div>
        ) : null}
        {context.recentClosed.length ? (
          <div class="context-block">
            <h3>{t('context.recentClosed')}</h3>
            <TicketLinks c={c} rows={context.recentClosed} id="context-recent-closed" />
          </div>
        ) : null}
        {(person || organisation) && c.var.can('tickets.edit') ? (
          <p><a class="button" id="context-new-ticket" href={href(c, `/desk/tickets/new?${newTicket.toString()}`)}>{t('context.newTicket')}</a></p>
        ) : null}
      </details>
    );
    return c.html(panel);
  });
}
