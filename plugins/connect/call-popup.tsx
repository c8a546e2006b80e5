import type { Context, Hono } from 'hono';
import { DashboardTile, formatDateTime, formatPhone, href, pluginScope, requirePermission, staff, tenantOf, type AppEnv, type SlotContext } from '../../core/plugin-api.js';
import { openTicketsOf } from './call-lookup.js';
import { countTodos } from './call-list.js';
import { callLiveEvent } from './call-store.js';
import type { ConnectDB } from './connect-db.js';

export const CALLS = 'connect.calls';
/** The plugin field on the phone ticket form that links the new ticket to its call. */
export const CALL_FIELD = 'p.connect.call';
/** A call stays in the pop-up while it rings or is talked, and this long after it ended (unless closed). */
const ENDED_SHOWN_MS = 2 * 60_000;
const STARTED_WITHIN_MS = 4 * 3600_000;

/** The slot shell.overlay: an empty box on every staff page that loads the viewer's calls and reloads on each of their call events. */
export function CallOverlay(ctx: SlotContext<Record<string, never>>) {
  if (!ctx.can(CALLS) || ctx.userId === undefined) return null;
  return (
    <div id="connect-call-popup" class="call-popup" aria-live="assertive" hx-get={ctx.href('/p/connect/calls/popup')}
      hx-trigger={`load, sse:${callLiveEvent(ctx.userId)}, htmx:sseOpen from:body`} hx-swap="innerHTML"></div>
  );
}

/** The dashboard tile: missed calls waiting for the viewer's groups to call back (nothing when none wait). */
export async function MissedCallsTile(ctx: SlotContext<Record<string, never>>) {
  if (!ctx.can(CALLS) || ctx.userId === undefined) return null;
  const waiting = await countTodos(ctx.scope, ctx.userId);
  if (!waiting) return null;
  return <DashboardTile id="connect-missed-tile" value={waiting} label={ctx.t('connect.todos')} href={ctx.href('/p/connect/calls')} tone="warning" />;
}

/** The viewer's live calls (ringing, talking, just ended), each with the caller, their open tickets and "new phone ticket". */
async function popupCards(c: Context<AppEnv>) {
  const t = c.var.t;
  const scope = pluginScope<ConnectDB>(c.var.services.db, tenantOf(c).id);
  const now = c.var.services.clock().getTime();
  const calls = await scope.selectFrom('connect_calls as c').leftJoin('people as p', 'p.id', 'c.person_id').leftJoin('organisations as o', 'o.id', 'c.organisation_id')
    .leftJoin('tickets as t', 't.id', 'c.ticket_id')
    .select(['c.id', 'c.direction', 'c.number', 'c.from_number', 'c.to_number', 'c.match', 'c.state', 'c.missed', 'c.ended_at', 'c.started_at', 'c.person_id', 'c.organisation_id',
      'p.name as person', 'o.name as organisation', 't.number as ticket_number'])
    .where('c.user_id', '=', staff(c).id).where('c.popup_closed', '=', 0).where('c.started_at', '>=', new Date(now - STARTED_WITHIN_MS).toISOString())
    .where((eb) => eb.or([eb('c.state', '<>', 'ended'), eb('c.ended_at', '>=', new Date(now - ENDED_SHOWN_MS).toISOString())]))
    .orderBy('c.started_at', 'desc').limit(3).execute();
  const cards = [];
  for (const call of calls) {
    const tickets = await openTicketsOf(scope, call.person_id, call.organisation_id);
    const shown = call.number ? formatPhone(call.number) : (call.direction === 'in' ? call.from_number : call.to_number) || t('connect.call.withheld');
    const query = new URLSearchParams({ [CALL_FIELD]: String(call.id), subject: t('connect.call.subject', { number: shown }) });
    if (call.person_id) query.set('requester_id', String(call.person_id));
    else if (call.organisation_id) query.set('organisation_id', String(call.organisation_id));
    if (!call.person_id && call.number) query.set('new_person_phone', call.number);
    const state = Number(call.missed) === 1 ? 'missed' : call.state;
    cards.push(
      <section class={`card call-card call-${state}`} id={`call-${call.id}`} data-state={state}>
        <header class="call-card-head">
          <strong>{t(`connect.call.state.${state}`)} · {t(`connect.call.${call.direction}`)}</strong>
          <form method="post" action={href(c, `/p/connect/calls/${call.id}/close`)} hx-post={href(c, `/p/connect/calls/${call.id}/close`)} hx-target="#connect-call-popup" hx-swap="innerHTML">
            <button type="submit" class="toast-close" aria-label={t('connect.call.close')} title={t('connect.call.close')}>×</button>
          </form>
        </header>
        <p class="call-number">{shown}</p>
        <p class={`call-match call-match-${call.match}`}>
          {call.match === 'known' ? <>{t('connect.call.known')}: <a href={href(c, `/desk/people/${call.person_id}`)}>{call.person}</a>{call.organisation ? ` · ${call.organisation}` : ''}</>
            : call.match === 'maybe' ? <>{t('connect.call.maybe')}: <a href={href(c, `/desk/organisations/${call.organisation_id}`)}>{call.organisation}</a></>
              : t('connect.call.unknown')}
        </p>
        {tickets.length ? (
          <ul class="call-tickets">
            {tickets.map((ticket) => <li><a href={href(c, `/desk/tickets/${ticket.number}`)}>{ticket.number}</a> {ticket.subject}</li>)}
          </ul>
        ) : <p class="muted">{t('connect.call.noTickets')}</p>}
        <p class="call-actions">
          {call.ticket_number ? <a href={href(c, `/desk/tickets/${call.ticket_number}`)}>{t('connect.call.ticket', { number: call.ticket_number })}</a>
            : (
              // A form, not a link: following it also closes the card, so it no longer covers the ticket form (at 390 px it would).
              <form method="post" action={href(c, `/p/connect/calls/${call.id}/ticket`)}>
                <input type="hidden" name="next" value={`/desk/tickets/new?${query.toString()}`} />
                <button type="submit" class="button-primary" id={`call-${call.id}-ticket`}>{t('connect.call.newTicket')}</button>
              </form>
            )}
          <span class="muted"> {formatDateTime(call.started_at, c.var.dates)}</span>
        </p>
      </section>,
    );
  }
  return <>{cards}</>;
}

export function callPopupRoutes(app: Hono<AppEnv>): void {
  // "New phone ticket" on a card: the card closes, the phone ticket form opens prefilled (only a path of this tenant's desk form).
  app.post('/calls/:id/ticket', requirePermission(CALLS), async (c) => {
    const id = Number(c.req.param('id'));
    const body = await c.req.parseBody();
    const next = typeof body.next === 'string' && body.next.startsWith('/desk/tickets/new?') && body.next.length <= 1000 ? body.next : '/desk/tickets/new';
    if (Number.isSafeInteger(id)) {
      await pluginScope<ConnectDB>(c.var.services.db, tenantOf(c).id).updateTable('connect_calls').set({ popup_closed: 1 }).where('id', '=', id).where('user_id', '=', staff(c).id).execute();
    }
    return c.redirect(href(c, next), 303);
  });

  app.get('/calls/popup', requirePermission(CALLS), async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.html(await popupCards(c));
  });

  // Closing a card: only the viewer's own call; answers the remaining cards (htmx) or goes back to the calls.
  app.post('/calls/:id/close', requirePermission(CALLS), async (c) => {
    const id = Number(c.req.param('id'));
    if (Number.isSafeInteger(id)) {
      await pluginScope<ConnectDB>(c.var.services.db, tenantOf(c).id).updateTable('connect_calls').set({ popup_closed: 1 }).where('id', '=', id).where('user_id', '=', staff(c).id).execute();
    }
    if (c.req.header('HX-Request') === 'true') return c.html(await popupCards(c));
    return c.redirect(href(c, '/p/connect/calls'), 303);
  });
}
