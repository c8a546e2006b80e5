import type { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { flash } from '../../http/flash.js';
import { href, isHtmx, redirectTo, requirePermission, requireTenant, requireUser } from '../../http/guards.js';
import { HttpError, toHttpError } from '../../http/http-error.js';
import { toast } from '../../http/render.js';
import { ticketActor, ticketService } from '../../tickets/ticket-context.js';
import { ownerOptions } from '../../tickets/ticket-owner.js';
import { StaleTicketError } from '../../tickets/ticket-stale-fields.js';
import { findTicket, TICKET_PATH } from './ticket-page-data.js';
import { respondWithTicket } from './ticket-page.js';
import { versionOf } from './ticket-version-parts.js';

/** The sidebar's owner picker (ticket-owner-form.tsx): assign, refused like every ticket form when a colleague changed the owner since. */
export function ticketOwnerRoutes(app: Hono<AppEnv>): void {
  app.post(`${TICKET_PATH}/owner`, requireTenant, requireUser, requirePermission('tickets.edit'), async (c) => {
    const t = c.var.t;
    const { number } = await findTicket(c, c.req.param('number'));
    const body = await c.req.parseBody();
    const values = Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    const raw = (values.assignee_id ?? '').trim();
    const assigneeId = raw === '' ? null : /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
    try {
      if (assigneeId === undefined) throw new HttpError(422, t('error.invalid'), { assignee_id: t('validation.choice') });
      const ticket = await ticketService(c).assign(number, assigneeId, ticketActor(c), { version: versionOf(values) });
      const name = ticket.assignee_id === null ? undefined : (await ownerOptions(c.var.services.db, ticket.tenant_id, ticket)).find((o) => o.id === ticket.assignee_id)?.name;
      const message = name ? t('ticket.owner.saved', { name }) : t('ticket.owner.savedNobody');
      if (!isHtmx(c)) {
        flash(c, 'success', message);
        return redirectTo(c, href(c, `/desk/tickets/${number}`));
      }
      toast(c, 'success', message);
      return respondWithTicket(c, number, 'header');
    } catch (error) {
      if (error instanceof StaleTicketError) {
        return respondWithTicket(c, number, 'header', { state: { owner: { values, errors: { ...error.fields, _form: error.message }, changes: error.changes } }, status: 409 });
      }
      const refusal = toHttpError(error);
      if (refusal?.status !== 422) throw error;
      return respondWithTicket(c, number, 'header', { state: { owner: { values, errors: { ...refusal.fields, _form: refusal.message } } }, status: 422 });
    }
  });
}
