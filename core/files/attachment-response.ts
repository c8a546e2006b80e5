import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { scope } from '../http/guards.js';

/** RFC 5987 value: percent-encoded UTF-8, with the characters encodeURIComponent leaves that the grammar does not allow. */
function encodeFilename(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A plain ASCII name for old clients that ignore filename*. */
function asciiFallback(name: string): string {
  return name.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/["\\%;]/g, '_').trim() || 'attachment';
}

/**
 * Stored bytes as a download: never rendered inline, typed from our own table and marked
 * nosniff, so an uploaded HTML or SVG file cannot run in the application's origin.
 * `inline` only for types the caller knows are safe to show (raster images, video, PDF; never SVG or HTML).
 */
export function attachmentResponse(c: Context, file: { bytes: Uint8Array; filename: string; mimeType: string }, cacheControl = 'private', disposition: 'attachment' | 'inline' = 'attachment'): Response {
  c.header('Content-Type', file.mimeType);
  c.header('Content-Length', String(file.bytes.byteLength));
  c.header('Content-Disposition', `${disposition}; filename="${asciiFallback(file.filename)}"; filename*=UTF-8''${encodeFilename(file.filename)}`);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Cache-Control', cacheControl);
  return c.body(new Uint8Array(file.bytes));
}

/**
 * A ticket's stored attachment as a download, or `undefined` when the id is not one of the ticket's
 * attachments or its bytes are gone: each caller finds the ticket its own way and says its own 404.
 */
export async function ticketAttachmentResponse(c: Context<AppEnv>, ticket: { id: number; tenant_id: number }, attachmentId: number, cacheControl?: string): Promise<Response | undefined> {
  const attachment = await scope(c).selectFrom('ticket_attachments').select(['sha256', 'filename', 'mime_type'])
    .where('id', '=', attachmentId).where('ticket_id', '=', ticket.id).executeTakeFirst();
  const file = attachment && await c.var.services.files.get(ticket.tenant_id, attachment.sha256);
  if (!attachment || !file) return undefined;
  return attachmentResponse(c, { bytes: file.bytes, filename: attachment.filename, mimeType: attachment.mime_type }, cacheControl);
}
