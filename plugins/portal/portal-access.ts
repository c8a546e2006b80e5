import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HttpError, href, redirectTo, scope, type AppEnv, type PortalPerson, type Ticket, type TicketActor } from '../../core/plugin-api.js';

/** The signed-in portal user, or a redirect to the portal sign-in (back here afterwards for a GET). */
export const requirePerson = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.var.person) {
    const target = new URL(c.req.url);
    const back = c.req.method === 'GET' ? `?next=${encodeURIComponent(`${target.pathname}${target.search}`)}` : '';
    return redirectTo(c, href(c, `/portal/login${back}`));
  }
  return next();
});

export function person(c: Context<AppEnv>): PortalPerson {
  const signedIn = c.var.person;
  if (!signedIn) throw new HttpError(401, c.var.t('error.forbidden'));
  return signedIn;
}

/** The portal user as the ticket service's actor (never the staff user that may share the browser). */
export function personActor(c: Context<AppEnv>): TicketActor {
  const viewer = person(c);
  return { kind: 'person', id: viewer.id, label: viewer.name };
}

/** An organisation manager sees every request of the organisation; everyone else only their own. */
export function seesOrganisation(viewer: PortalPerson): boolean {
  return Boolean(viewer.is_org_manager) && viewer.organisation_id !== null;
}

/** The tenant's live tickets this portal user may see, as a query to refine. */
export function visibleTickets(c: Context<AppEnv>) {
  const viewer = person(c);
  const query = scope(c).selectFrom('tickets').where('tickets.deleted_at', 'is', null);
  if (seesOrganisation(viewer)) {
    return query.where((eb) => eb.or([eb('tickets.organisation_id', '=', viewer.organisation_id), eb('tickets.requester_id', '=', viewer.id)]));
  }
  return query.where('tickets.requester_id', '=', viewer.id);
}

/** A ticket by number that this portal user may see; 404 otherwise (foreign and invisible look the same). */
export async function findVisibleTicket(c: Context<AppEnv>, number: string | undefined): Promise<Ticket> {
  if (!number || !/^[0-9A-Za-z-]{1,40}$/.test(number)) throw new HttpError(404, c.var.t('error.notFound'));
  const ticket = await visibleTickets(c).selectAll('tickets').where('tickets.number', '=', number).executeTakeFirst();
  if (!ticket) throw new HttpError(404, c.var.t('error.notFound'));
  return ticket;
}

/** Only the requester marks a request solved or reopens it. */
export function isRequester(c: Context<AppEnv>, ticket: Ticket): boolean {
  return ticket.requester_id === person(c).id;
}
