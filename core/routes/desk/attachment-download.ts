import type { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { requirePermission, requireTenant, requireUser, scope } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { findTicket, TICKET_PATH } from './ticket-page-data.js';

/** RFC 5987 value: percent-encoded UTF-8, with the characters encodeURIComponent leaves that the grammar does not allow. */
function encodeFilename(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A plain ASCII name for old clients that ignore filename*. */
function asciiFallback(name: string): string {
  return name.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/["\\%;]/g, '_').trim() || 'attachment';
}

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
    c.header('Content-Type', attachment.mime_type);
    c.header('Content-Length', String(file.bytes.byteLength));
    c.header('Content-Disposition', `attachment; filename="${asciiFallback(attachment.filename)}"; filename*=UTF-8''${encodeFilename(attachment.filename)}`);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Cache-Control', 'private');
    return c.body(new Uint8Array(file.bytes));
  });
}
