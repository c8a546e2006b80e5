import type { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { requirePermission, requireTenant, requireUser } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { ticketAttachmentResponse } from '../../files/attachment-response.js';
import { findTicket, TICKET_PATH } from './ticket-page-data.js';

/**
 * Attachment bytes of a ticket of this tenant. Always a download (never rendered inline),
 * typed from our own table and marked nosniff, so an uploaded HTML or SVG cannot run here.
 */
export function attachmentDownloadRoutes(app: Hono<AppEnv>): void {
  app.get(`${TICKET_PATH}/attachments/:id{[0-9]+}`, requireTenant, requireUser, requirePermission('tickets.view'), async (c) => {
    const notFound = () => new HttpError(404, c.var.t('error.notFound'));
    const ticket = await findTicket(c, c.req.param('number'));
    const id = Number(c.req.param('id'));
    if (!Number.isSafeInteger(id)) throw notFound();
    const response = await ticketAttachmentResponse(c, ticket, id);
    if (!response) throw notFound();
    return response;
  });
}
