import type { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { flash } from '../../http/flash.js';
import { href, redirectTo, requirePermission, requireTenant, requireUser, scope, staff, tenantOf } from '../../http/guards.js';
import { postToTimeline } from '../../timeline/timeline-seam.js';
import { findTicket } from './ticket-page-data.js';
import { TICKET_PATH } from './ticket-page-data.js';
import { timelineHttpError } from '../../timeline/timeline-http.js';

/**
 * The ticket's "share solution" button: posts the ticket's last public reply as a shared solution for
 * staff (a customer's ticket is not shown to other customers; a colleague may repost it wider), with a link back.
 */
export function shareSolutionRoutes(app: Hono<AppEnv>): void {
  app.post(`${TICKET_PATH}/share-solution`, requireTenant, requireUser, requirePermission('tickets.view'), requirePermission('timeline.post'), async (c) => {
    const ticket = await findTicket(c, c.req.param('number')!);
    if (ticket.close_reason) {
      flash(c, 'error', c.var.t('timeline.shareNoSolution'));
      return redirectTo(c, href(c, `/desk/tickets/${ticket.number}`));
    }
    const reply = await scope(c).selectFrom('ticket_articles').select('body_text').where('ticket_id', '=', ticket.id).where('kind', '=', 'reply')
      .orderBy('id', 'desc').limit(1).executeTakeFirst();
    const body = (reply?.body_text.trim() || ticket.subject).slice(0, 10_000);
    await postToTimeline(c.var.services, tenantOf(c).id, {
      kind: 'solution', title: c.var.t('timeline.sharedTitle', { subject: ticket.subject }).slice(0, 200), body, audience: 'staff',
      link: `/desk/tickets/${ticket.number}`, ticketId: ticket.id, author: { userId: staff(c).id, label: staff(c).name },
    }).catch((error: unknown) => timelineHttpError(c, error));
    flash(c, 'success', c.var.t('timeline.shared'));
    return redirectTo(c, href(c, `/desk/tickets/${ticket.number}`));
  });
}
