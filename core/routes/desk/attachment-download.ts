import type { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { requirePermission, requireTenant, requireUser, scope } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { attachmentResponse } from '../../files/attachment-response.js';
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
    const attachment = await scope(c).selectFrom('ticket_attachments').select(['sha256', 'filename', 'mime_type'])
      .where('id', '=', id).where('ticket_id', '=', ticket.id).executeTakeFirst();
    if (!attachment) throw notFound();
    const file = await c.var.services.files.get(ticket.tenant_id, attachment.sha256);
    if (!file) throw notFound();
    return attachmentResponse(c, { bytes: file.bytes, filename: attachment.filename, mimeType: attachment.mime_type });
  });
}
