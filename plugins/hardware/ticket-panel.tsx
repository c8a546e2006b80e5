import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import {
  DomainError, Page, flash, formatDate, href, isHtmx, isoToZoned, pluginScope, redirectTo, render, requirePermission, staff, tenantOf, type AppEnv, type SlotContext,
  type TicketSlotProps, type Translate,
} from '../../core/plugin-api.js';
import { LINK_REASONS, type HardwareDB } from './hardware-db.js';
import { linkStore, type Candidate } from './link-store.js';
import { chosenParts, offeredParts, partStore, type TicketPart } from './part-links.js';

export const LINK = 'hardware.link';
const VIEW = 'hardware.view';

/** One device an agent may link: its facts and a small form with the reason. */
function CandidateRow(props: { t: Translate; action: string; candidate: Candidate }) {
  const { t, candidate } = props;
  return (
    <li class="hardware-candidate" id={`hardware-candidate-${candidate.id}`}>
      <span><strong>{candidate.inventory_number}</strong> {candidate.manufacturer} {candidate.model}
        <span class="muted"> {[candidate.serial_number, candidate.host, candidate.organisation].filter(Boolean).join(' · ')}</span>
        {candidate.own ? <span class="badge hardware-own">{t('hardware.link.customer')}</span> : null}
      </span>
      <form method="post" action={props.action} class="hardware-link-form">
        <input type="hidden" name="device_id" value={String(candidate.id)} />
        <label class="visually-hidden" for={`hardware-reason-${candidate.id}`}>{t('hardware.link.reason')}</label>
        <select name="reason" class="hardware-reason" id={`hardware-reason-${candidate.id}`}>{LINK_REASONS.map((r) => <option value={r}>{t(`hardware.reason.${r}`)}</option>)}</select>
        <button type="submit" class="button-small">{t('hardware.link.add')}</button>
      </form>
    </li>
  );
}

function Candidates(props: { t: Translate; action: string; candidates: Candidate[]; q: string }) {
  if (props.candidates.length === 0) return <p class="muted">{props.q ? props.t('hardware.link.noMatch') : props.t('hardware.link.noCustomerDevices')}</p>;
  return <ul class="hardware-list">{props.candidates.map((candidate) => <CandidateRow t={props.t} action={props.action} candidate={candidate} />)}</ul>;
}

/**
 * The named parts of installations chosen on the ticket (each with removal) and a choice among the ticket customer's
 * parts not chosen yet; shown only when there is something to show.
 */
function PartsOfTicket(props: { ctx: SlotContext<TicketSlotProps>; base: string; chosen: TicketPart[]; offered: TicketPart[] }) {
  const { ctx, base, chosen, offered } = props;
  if (chosen.length === 0 && offered.length === 0) return null;
  const name = (part: TicketPart) => `${part.installation} · ${part.name}`;
  return (
    <div class="stack" id="hardware-parts">
      <h3>{ctx.t('hardware.part.title')}</h3>
      {chosen.length === 0 ? <p class="muted" id="hardware-parts-none">{ctx.t('hardware.part.none')}</p> : (
        <ul class="hardware-list">
          {chosen.map((part) => (
            <li id={`hardware-part-${part.id}`}>
              {name(part)}
              {ctx.can(LINK) ? (
                <form method="post" action={ctx.href(`${base}/parts/${part.id}/delete`)} class="hardware-inline">
                  <button type="submit" class="button-small" aria-label={ctx.t('hardware.part.removeLabel', { name: name(part) })}>{ctx.t('hardware.link.remove')}</button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {ctx.can(LINK) && offered.length ? (
        <form method="post" action={ctx.href(`${base}/parts`)} class="hardware-actions hardware-part-form" id="hardware-part-form">
          <label class="visually-hidden" for="hardware-part-choice">{ctx.t('hardware.part.label')}</label>
          <select name="component_id" id="hardware-part-choice">{offered.map((part) => <option value={String(part.id)}>{name(part)}</option>)}</select>
          <button type="submit" class="button-small">{ctx.t('hardware.part.add')}</button>
        </form>
      ) : null}
    </div>
  );
}

/** The ticket page's panel: the linked devices (with unlinking) and a search that offers the customer's devices first. */
export async function TicketDevicesPanel(ctx: SlotContext<TicketSlotProps>): Promise<Child> {
  if (!ctx.can(VIEW)) return null;
  const scope = pluginScope<HardwareDB>(ctx.scope.db, ctx.tenantId);
  const ticketId = ctx.props.ticket.id;
  const linked = await scope.selectFrom('hardware_ticket_links')
    .innerJoin('hardware_devices', 'hardware_devices.id', 'hardware_ticket_links.device_id')
    .innerJoin('hardware_models', 'hardware_models.id', 'hardware_devices.model_id')
    .select(['hardware_devices.id', 'hardware_devices.inventory_number', 'hardware_models.name as model', 'hardware_ticket_links.reason', 'hardware_ticket_links.ticket_date'])
    .where('hardware_ticket_links.ticket_id', '=', ticketId).orderBy('hardware_devices.inventory_number').execute();
  const base = `/p/hardware/tickets/${ticketId}`;
  const [chosen, offered] = await Promise.all([chosenParts(scope, ticketId), ctx.can(LINK) ? offeredParts(scope, ticketId) : Promise.resolve([])]);
  return (
    <section class="card stack hardware-panel" id="hardware-ticket-devices">
      <h2>{ctx.t('hardware.devices')}</h2>
      {linked.length === 0 ? <p class="muted" id="hardware-linked-none">{ctx.t('hardware.link.none')}</p> : (
        <ul class="hardware-list" id="hardware-linked">
          {linked.map((row) => {
            // The device as it was on the ticket's day (its creation, in the tenant's zone): the device page's `asOf`.
            const day = isoToZoned(row.ticket_date, ctx.dates.timeZone).slice(0, 10);
            return (
              <li id={`hardware-linked-${row.id}`}>
                <a href={ctx.href(`/p/hardware/devices/${row.id}`)}>{row.inventory_number}</a> {row.model} <span class="muted">{ctx.t(`hardware.reason.${row.reason}`)}</span>
                {' '}<a href={ctx.href(`/p/hardware/devices/${row.id}?asOf=${day}`)} id={`hardware-asof-${row.id}`} class="hardware-asof"
                  title={ctx.t('hardware.link.asOfTitle')}>{ctx.t('hardware.link.asOf', { date: formatDate(day, ctx.dates) })}</a>
                {ctx.can(LINK) ? (
                  <form method="post" action={ctx.href(`${base}/links/${row.id}/delete`)} class="hardware-inline">
                    <button type="submit" class="button-small" aria-label={ctx.t('hardware.link.removeLabel', { number: row.inventory_number })}>{ctx.t('hardware.link.remove')}</button>
                  </form>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      <PartsOfTicket ctx={ctx} base={base} chosen={chosen} offered={offered} />
      {ctx.can(LINK) ? (
        <form method="get" action={ctx.href(`${base}/pick`)} class="hardware-search" role="search"
          hx-get={ctx.href(`${base}/pick`)} hx-target="#hardware-candidates" hx-trigger="input changed delay:250ms from:#hardware-q, submit" hx-swap="innerHTML">
          <label for="hardware-q">{ctx.t('hardware.link.search')}</label>
          <div class="hardware-actions">
            <input id="hardware-q" type="search" name="q" maxlength={100} placeholder={ctx.t('hardware.link.placeholder')} autocomplete="off" />
            <button type="submit" class="button-small">{ctx.t('hardware.link.find')}</button>
          </div>
        </form>
      ) : null}
      {/* Outside the search form: each candidate carries its own link form. */}
      {ctx.can(LINK) ? <div id="hardware-candidates" hx-get={ctx.href(`${base}/pick`)} hx-trigger="load" hx-swap="innerHTML"></div> : null}
    </section>
  );
}

/** The panel's routes: candidates (a fragment for htmx, a page without it), link and unlink. */
export function ticketLinkRoutes(app: Hono<AppEnv>): void {
  const ticketOf = async (c: Context<AppEnv>) => {
    const row = await pluginScope(c.var.services.db, tenantOf(c).id).selectFrom('tickets').select(['id', 'number', 'status']).where('id', '=', Number(c.req.param('id'))).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) throw new DomainError('not_found', 'error.notFound');
    return row;
  };
  /** After commit: open pages of the ticket refresh (its history gained a line), then back to the ticket. */
  const back = (c: Context<AppEnv>, ticket: { number: string; status: string }) => {
    c.var.services.events.publish({ tenantId: tenantOf(c).id, type: 'ticket', data: { number: ticket.number, status: ticket.status, action: 'hardware' } });
    return redirectTo(c, href(c, `/desk/tickets/${ticket.number}#hardware-ticket-devices`));
  };

  app.get('/tickets/:id{[0-9]+}/pick', requirePermission(LINK), async (c) => {
    const ticket = await ticketOf(c);
    const q = (c.req.query('q') ?? '').slice(0, 100);
    const candidates = await linkStore(c.var.services, tenantOf(c).id).candidates(ticket.id, q);
    const action = href(c, `/p/hardware/tickets/${ticket.id}/links`);
    c.header('Cache-Control', 'no-store');
    if (isHtmx(c)) return c.html(<Candidates t={c.var.t} action={action} candidates={candidates} q={q} />);
    return render(c, {
      title: c.var.t('hardware.link.search'),
      page: (
        <Page title={c.var.t('hardware.link.search')} crumbs={[{ label: ticket.number, href: href(c, `/desk/tickets/${ticket.number}`) }, { label: c.var.t('hardware.link.search') }]}>
          <section class="card stack" id="hardware-candidates">
            <form method="get" action={href(c, `/p/hardware/tickets/${ticket.id}/pick`)} class="hardware-actions" role="search">
              <label for="hardware-q" class="visually-hidden">{c.var.t('hardware.link.search')}</label>
              <input id="hardware-q" type="search" name="q" value={q} maxlength={100} />
              <button type="submit" class="button">{c.var.t('hardware.link.find')}</button>
            </form>
            <Candidates t={c.var.t} action={action} candidates={candidates} q={q} />
          </section>
        </Page>
      ),
    });
  });

  app.post('/tickets/:id{[0-9]+}/links', requirePermission(LINK), async (c) => {
    const ticket = await ticketOf(c);
    const form = await c.req.parseBody();
    try {
      await linkStore(c.var.services, tenantOf(c).id).link({ ticketId: ticket.id, deviceId: String(form.device_id ?? ''), reason: String(form.reason ?? '') }, { id: staff(c).id, label: staff(c).email });
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'not_found') throw error;
      const t = c.var.t;
      const messages = Object.values(error.fields).map((key) => t(key));
      return render(c, {
        title: t('hardware.link.search'), status: 422,
        page: (
          <Page title={t('hardware.link.search')} crumbs={[{ label: ticket.number, href: href(c, `/desk/tickets/${ticket.number}`) }, { label: t('hardware.link.search') }]}>
            <div class="form-error" role="alert" id="hardware-link-error">{messages.join(' ')}</div>
          </Page>
        ),
      });
    }
    flash(c, 'success', c.var.t('hardware.link.added'));
    return back(c, ticket);
  });

  app.post('/tickets/:id{[0-9]+}/links/:device{[0-9]+}/delete', requirePermission(LINK), async (c) => {
    const ticket = await ticketOf(c);
    await linkStore(c.var.services, tenantOf(c).id).unlink(ticket.id, Number(c.req.param('device')), { id: staff(c).id, label: staff(c).email });
    flash(c, 'success', c.var.t('hardware.link.removed'));
    return back(c, ticket);
  });

  // A named part of one of the ticket customer's installations (part-links.ts): chosen and removed like a device link.
  app.post('/tickets/:id{[0-9]+}/parts', requirePermission(LINK), async (c) => {
    const ticket = await ticketOf(c);
    const form = await c.req.parseBody();
    try {
      await partStore(c.var.services, tenantOf(c).id).choose(ticket.id, String(form.component_id ?? ''), { id: staff(c).id, label: staff(c).email });
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'not_found') throw error;
      const t = c.var.t;
      return render(c, {
        title: t('hardware.part.title'), status: 422,
        page: (
          <Page title={t('hardware.part.title')} crumbs={[{ label: ticket.number, href: href(c, `/desk/tickets/${ticket.number}`) }, { label: t('hardware.part.title') }]}>
            <div class="form-error" role="alert" id="hardware-part-error">{Object.values(error.fields).map((key) => t(key)).join(' ')}</div>
          </Page>
        ),
      });
    }
    flash(c, 'success', c.var.t('hardware.part.added'));
    return back(c, ticket);
  });

  app.post('/tickets/:id{[0-9]+}/parts/:component{[0-9]+}/delete', requirePermission(LINK), async (c) => {
    const ticket = await ticketOf(c);
    await partStore(c.var.services, tenantOf(c).id).remove(ticket.id, Number(c.req.param('component')), { id: staff(c).id, label: staff(c).email });
    flash(c, 'success', c.var.t('hardware.part.removed'));
    return back(c, ticket);
  });
}
