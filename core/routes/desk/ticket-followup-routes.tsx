import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { flash } from '../../http/flash.js';
import { href, isHtmx, redirectTo, requirePermission, requireTenant, requireUser, scope, tenantOf } from '../../http/guards.js';
import { HttpError, toHttpError } from '../../http/http-error.js';
import { toast } from '../../http/render.js';
import { ticketActor, ticketService } from '../../tickets/ticket-context.js';
import { addTicketLink, LINK_CHOICES, removeTicketLink, ticketLinks, type LinkDeps, type LinkRole } from '../../tickets/ticket-links.js';
import { addTicketTag, removeTicketTag, suggestTags } from '../../tickets/ticket-tags.js';
import { ticketSettings } from '../../tickets/ticket-settings.js';
import { findTicket, TICKET_PATH } from './ticket-page-data.js';
import { lastValues, respondWithTicket } from './ticket-page.js';
import type { PageState } from './ticket-page-parts.js';

// Routes of the ticket page's links and tags (ticket-followup-side.tsx). Every route first finds the ticket in
// this tenant, so another tenant's number is 404 before anything is read or written.

function deps(c: Context<AppEnv>): LinkDeps {
  const { db, events, clock } = c.var.services;
  return { db, events, clock, tenantId: tenantOf(c).id, t: c.var.t };
}

function done(c: Context<AppEnv>, number: string, message: string) {
  if (isHtmx(c)) {
    toast(c, 'success', message);
    return respondWithTicket(c, number, 'followup');
  }
  flash(c, 'success', message);
  return redirectTo(c, href(c, `/desk/tickets/${number}`));
}

async function refused(c: Context<AppEnv>, error: unknown, number: string, key: 'links' | 'tags', values: Record<string, string>) {
  const refusal = toHttpError(error);
  if (refusal?.status !== 422) throw error;
  const state: PageState = { [key]: { values, errors: Object.keys(refusal.fields).length ? { ...refusal.fields } : { _form: refusal.message } } };
  return respondWithTicket(c, number, isHtmx(c) ? 'followup' : 'page', { state, status: 422 });
}

const idParam = (c: Context<AppEnv>) => {
  const id = Number(c.req.param('id'));
  if (!Number.isInteger(id) || id <= 0) throw new HttpError(404, c.var.t('error.notFound'));
  return id;
};

export function ticketFollowupRoutes(app: Hono<AppEnv>): void {
  const view = [requireTenant, requireUser, requirePermission('tickets.view')] as const;
  const edit = [requireTenant, requireUser, requirePermission('tickets.edit')] as const;
  const ticketOf = async (c: Context<AppEnv>) => (await findTicket(c, c.req.param('number')!)).number;

  // The typed number's ticket (subject and status) under the link field, as it is typed.
  app.get(`${TICKET_PATH}/links/lookup`, ...view, async (c) => {
    const t = c.var.t;
    const number = await ticketOf(c);
    const typed = (c.req.query('other') ?? '').trim().replace(/^#/, '');
    const other = /^\d{4}-\d{6,}$/.test(typed) ? await scope(c).selectFrom('tickets').select(['number', 'subject', 'status']).where('number', '=', typed).where('deleted_at', 'is', null).executeTakeFirst() : undefined;
    const text = !typed ? '' : other && other.number !== number ? `${other.number} · ${other.subject} (${t(`status.${other.status}`)})` : t(other ? 'link.self' : 'link.noTicket');
    return c.html(<small id="link-lookup" class="hint" aria-live="polite" data-found={other && other.number !== number ? '1' : '0'}>{text}</small>);
  });

  app.post(`${TICKET_PATH}/links`, ...edit, async (c) => {
    const number = await ticketOf(c);
    const values = lastValues(await c.req.parseBody({ all: true }));
    const role = (LINK_CHOICES as readonly string[]).includes(values.role ?? '') ? values.role as LinkRole : undefined;
    try {
      if (!role) throw new HttpError(422, c.var.t('error.invalid'), { role: c.var.t('validation.choice') });
      const { other } = await addTicketLink(deps(c), number, values.other ?? '', role, ticketActor(c));
      return done(c, number, c.var.t('link.added', { number: other }));
    } catch (error) {
      return refused(c, error, number, 'links', values);
    }
  });

  app.post(`${TICKET_PATH}/links/:id/delete`, ...edit, async (c) => {
    const number = await ticketOf(c);
    const other = await removeTicketLink(deps(c), number, idParam(c), ticketActor(c));
    return done(c, number, c.var.t('link.removed', { number: other }));
  });

  // "Duplicate of": solve the duplicate with a note naming the original, and close it where the agent may close.
  app.post(`${TICKET_PATH}/close-duplicate`, ...edit, async (c) => {
    const t = c.var.t;
    const ticket = await findTicket(c, c.req.param('number')!);
    const original = (await ticketLinks(scope(c), ticket.id)).find((l) => l.role === 'duplicate_of');
    if (!original) throw new HttpError(409, t('link.noDuplicate'));
    const service = ticketService(c);
    const actor = ticketActor(c);
    await service.apply(ticket.number, { article: { kind: 'note', body: t('link.duplicateNote', { number: original.number }) }, status: 'solved' }, actor);
    const settings = ticketSettings(tenantOf(c));
    if (settings.closeRequiresSupervisor ? c.var.can('tickets.close') : c.var.can('tickets.edit')) await service.changeStatus(ticket.number, 'closed', actor);
    return done(c, ticket.number, t('link.duplicateClosed', { number: original.number }));
  });

  // The tenant's tags that start with what is typed, as the options of the tag field's datalist.
  app.get(`${TICKET_PATH}/tags/suggest`, ...view, async (c) => {
    await ticketOf(c);
    const tags = await suggestTags(scope(c), c.req.query('tag') ?? '');
    c.header('Cache-Control', 'no-store');
    return c.html(<>{tags.map((tag) => <option value={tag.name}></option>)}</>);
  });

  app.post(`${TICKET_PATH}/tags`, ...edit, async (c) => {
    const number = await ticketOf(c);
    const values = lastValues(await c.req.parseBody({ all: true }));
    try {
      const tag = await addTicketTag(deps(c), number, values.tag ?? '', ticketActor(c));
      return done(c, number, c.var.t('tag.added', { name: tag.name }));
    } catch (error) {
      return refused(c, error, number, 'tags', values);
    }
  });

  app.post(`${TICKET_PATH}/tags/:id/delete`, ...edit, async (c) => {
    const number = await ticketOf(c);
    await removeTicketTag(deps(c), number, idParam(c), ticketActor(c));
    return done(c, number, c.var.t('tag.removed'));
  });
}
