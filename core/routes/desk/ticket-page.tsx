import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../../http/app-env.js';
import { href, isHtmx, requirePermission, requireTenant, requireUser, staff, tenantOf } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { BACKGROUND_HEADERS } from '../../http/flash.js';
import { render } from '../../http/render.js';
import type { SlotContext } from '../../plugin-host/define-plugin.js';
import { slotContext } from '../../plugin-host/slot-context.js';
import { TICKET_BADGES, TICKET_MAIN, TICKET_SIDE } from '../../plugin-host/slots.js';
import { ARTICLE_VIEW_POINT, type ArticleViewRenderer } from '../../tickets/article-view.js';
import { ticketService } from '../../tickets/ticket-context.js';
import { Composer, FieldsForm, StatusAfterOob } from './ticket-forms.js';
import { composerExtras } from './reply-composer-data.js';
import { Header } from './ticket-header.js';
import { loadTicketView, TICKET_PATH } from './ticket-page-data.js';
import { oobAttr, ticketUrl, type ArticleView, type PageState, type TicketPart, type ViewProps } from './ticket-page-parts.js';
import { Timeline } from './ticket-timeline.js';
import { TimeSpentFact } from './reply-tools.js';
import { FollowupSide } from './ticket-followup-side.js';
import { CustomerContextFrame } from './customer-context.js';
import { FieldMarks } from './ticket-version-parts.js';
import { PresenceBar } from './ticket-presence.js';
import { OwnerForm } from './ticket-owner-form.js';

export type { FormState, PageState, SlotViews, TicketPart } from './ticket-page-parts.js';

/**
 * A slot's views in a region of their own. Only the full page renders it: a plugin's panel may hold
 * half-typed input, so it refreshes its own parts (e.g. on sse:ticket) instead of the host swapping it.
 */
function PluginSlot(props: { id: string; views: Child[] }) {
  return props.views.length ? <div id={props.id} class="plugin-slot stack">{props.views}</div> : null;
}

/**
 * Listens for ticket events; asks the server whether this ticket moved since the version on screen. It sends the
 * sidebar's version and whether it was touched (static/ticket-live.js): an untouched sidebar comes back fresh, a
 * touched one gets marks at the fields colleagues changed (ticket-version-parts.tsx).
 */
function LiveMarker({ c, view, oob }: ViewProps) {
  const url = ticketUrl(c, view.ticket.number, `/live?since=${view.ticket.version}`);
  return <div id="ticket-live" hidden hx-get={url} hx-trigger="sse:ticket" hx-headers={BACKGROUND_HEADERS} hx-swap="outerHTML" hx-include="#ticket-fields [name=version], #ticket-fields [name=touched]" {...oobAttr(oob)}></div>;
}

function Workspace(props: ViewProps) {
  const { c, view } = props;
  const t = c.var.t;
  return (
    <div class="ticket-page" id="ticket">
      <nav class="crumbs" aria-label="Breadcrumb">
        <ol>
          <li><a href={href(c, '/desk')}>{t('nav.dashboard')}</a></li>
          <li><a href={href(c, '/desk/tickets')}>{t('ticketPage.tickets')}</a></li>
          <li>{view.ticket.number}</li>
        </ol>
      </nav>
      <PresenceBar c={c} number={view.ticket.number} />
      <Header {...props} />
      <div class="ticket-layout">
        <div class="ticket-main">
          <Timeline {...props} />
          <Composer {...props} />
          <PluginSlot id="ticket-slot-main" views={props.slots.main} />
        </div>
        <aside class="ticket-side">
          <OwnerForm {...props} />
          <CustomerContextFrame c={c} number={view.ticket.number} />
          <FieldsForm {...props} />
          <TimeSpentFact c={c} ticket={view.ticket} />
          <FollowupSide {...props} />
          <PluginSlot id="ticket-slot-side" views={props.slots.side} />
        </aside>
      </div>
      <LiveMarker {...props} />
    </div>
  );
}

/** The first enabled plugin renderer that takes an article; a failing one falls back to the plain text. */
function articleViewOf(c: Context<AppEnv>, renderers: ArticleViewRenderer[], context: SlotContext<unknown>): ArticleView | undefined {
  if (!renderers.length) return undefined;
  return (article) => {
    for (const renderer of renderers) {
      try {
        const shown = renderer.render(article, context);
        if (shown !== undefined) return shown;
      } catch (error) {
        c.var.services.log.error('article view failed', { article: article.id, error: error instanceof Error ? error.stack ?? error.message : String(error) });
      }
    }
    return undefined;
  };
}

/**
 * The ticket page, or for htmx the part that was acted on with the parts it changed
 * out-of-band: the header and timeline always follow, the live marker carries the new version.
 */
export async function respondWithTicket(c: Context<AppEnv>, number: string, part: TicketPart, options: { state?: PageState; status?: 200 | 409 | 422; organisationId?: number | null } = {}) {
  const view = await loadTicketView(c, number, options.organisationId);
  const state = options.state ?? {};
  const context = slotContext(c, { ticket: view.ticket });
  const withComposer = !isHtmx(c) || part === 'page' || part === 'composer' || part === 'header';
  const [main, side, badges, renderers, composer] = await Promise.all([c.var.services.hooks.slot(TICKET_MAIN, context), c.var.services.hooks.slot(TICKET_SIDE, context),
    c.var.services.hooks.slot(TICKET_BADGES, context), c.var.services.hooks.extensions(ARTICLE_VIEW_POINT, context.tenantId, context.enabledPlugins),
    withComposer ? composerExtras(c, view.ticket) : undefined]);
  const props = { c, view, state, slots: { main, side, badges }, articleView: articleViewOf(c, renderers, context), composer };
  let fragment: Child;
  switch (part) {
    case 'page':
      fragment = <Workspace {...props} />;
      break;
    case 'header':
      // A closed or deleted ticket also locks the composer and the fields form.
      fragment = <><Header {...props} /><Timeline {...props} oob /><LiveMarker {...props} oob /><OwnerForm {...props} oob />
        {view.ticket.status === 'closed' || view.ticket.deleted_at ? <><Composer {...props} oob /><FieldsForm {...props} oob /></> : <StatusAfterOob {...props} />}</>;
      break;
    case 'composer':
      fragment = <><Composer {...props} /><Header {...props} oob /><Timeline {...props} oob /><LiveMarker {...props} oob /><TimeSpentFact c={c} ticket={view.ticket} oob /></>;
      break;
    case 'fields':
      fragment = <><FieldsForm {...props} /><Header {...props} oob /><Timeline {...props} oob /><LiveMarker {...props} oob /></>;
      break;
    case 'form':
      fragment = <FieldsForm {...props} />;
      break;
    case 'followup':
      // Links and tags (ticket-followup-side.tsx): the panel, with the header and timeline that show the change.
      fragment = <><FollowupSide {...props} /><Header {...props} oob /><Timeline {...props} oob /><LiveMarker {...props} oob /></>;
      break;
    case 'live':
      fragment = <><LiveMarker {...props} /><Header {...props} oob /><Timeline {...props} oob /><OwnerForm {...props} oob />{state.marks ? <FieldMarks c={c} changes={state.marks} oob /> : <FieldsForm {...props} oob />}<StatusAfterOob {...props} /></>;
      break;
  }
  return render(c, {
    title: `${view.ticket.number} · ${view.ticket.subject}`,
    status: options.status ?? 200,
    // The page's stream also carries who else is on this ticket (ticket-presence.tsx).
    live: href(c, `/events?ticket=${view.ticket.number}`),
    page: <Workspace {...props} />,
    fragment,
  });
}

/** The last value of each form or query field, as the forms redisplay them. */
export function lastValues(body: Record<string, string | File | Array<string | File>>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (typeof last === 'string') values[key] = last;
  }
  return values;
}

const idOrNull = (value: string | undefined) => (value && /^\d+$/.test(value) ? Number(value) : null);

export function ticketPageRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('tickets.view')] as const;

  app.get(TICKET_PATH, ...guard, (c) => respondWithTicket(c, c.req.param('number'), 'page'));

  // Re-renders the fields form for values not yet saved (a new category brings its own custom fields).
  app.get(`${TICKET_PATH}/fields-form`, ...guard, (c) => {
    const values = lastValues(c.req.queries() as Record<string, string[]>);
    return respondWithTicket(c, c.req.param('number'), 'form', { state: { fields: { values } }, organisationId: 'organisation_id' in values ? idOrNull(values.organisation_id) : undefined });
  });

  // Answers 204 while the ticket is as the page shows it, so a busy tenant's events cost one indexed read each.
  app.get(`${TICKET_PATH}/live`, ...guard, async (c) => {
    const number = c.req.param('number');
    if (!isHtmx(c)) return c.redirect(ticketUrl(c, number), 303);
    const ticket = await ticketService(c).find(number, { includeDeleted: true });
    if (!ticket) throw new HttpError(404, c.var.t('ticket.notFound'));
    if (ticket.deleted_at && !c.var.can('tickets.delete')) return c.html(<p id="ticket-live" class="notice notice-danger">{c.var.t('ticketPage.deletedLive')}</p>);
    if (String(ticket.version) === c.req.query('since')) return c.body(null, 204);
    // A sidebar being edited keeps its input: it learns what colleagues changed since its version instead.
    const formVersion = Number(c.req.query('version'));
    const marks = c.req.query('touched') === '1' && Number.isInteger(formVersion)
      ? (await ticketService(c).changesSince(ticket, formVersion)).filter((change) => change.whoUserId !== staff(c).id) : undefined;
    return respondWithTicket(c, number, 'live', { state: marks ? { marks } : {} });
  });
}
