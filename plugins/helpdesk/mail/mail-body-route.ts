import type { Context, Hono } from 'hono';
import { HttpError, requirePermission, scope, tenantOf, type AppEnv } from '../../../core/plugin-api.js';
import type { HelpdeskDB } from '../helpdesk-db.js';
import { sanitizeMailHtml } from './html-safety.js';

/**
 * The stored (sanitized) mail HTML as its own document, for a sandboxed iframe: a strict CSP
 * (no script at all, no forms, no plugins, nothing framed or framing except our own page),
 * remote images only after the agent asked (?images=1), inline cid: images from the stored parts.
 */
export function mailDocument(html: string, cidUrl: (contentId: string) => string | undefined): string {
  // Sanitized at ingest already; once more here, so what reaches the frame never depends on the stored bytes alone.
  const body = sanitizeMailHtml(html).replace(/(<img\b[^>]*?\bsrc=")cid:([^"]+)"/gi, (match, start: string, cid: string) => {
    const url = cidUrl(decodeURIComponent(cid));
    return url ? `${start}${url}"` : `${start}"`;
  });
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><base target="_blank"><style>body{font-family:sans-serif;margin:.5rem;overflow-wrap:anywhere}img{max-width:100%;height:auto}</style></head><body>${body}</body></html>`;
}

const INLINE_IMAGE_MAX = 3 * 1024 * 1024;

/**
 * cid: images as data: URLs inside the framed document: the sandboxed frame has an opaque
 * origin, so its own requests carry no session cookie; embedding needs none.
 */
async function inlineImages(c: Context<AppEnv>, parts: Array<{ content_id: string | null; sha256: string }>): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (const part of parts) {
    if (!part.content_id) continue;
    const file = await c.var.services.files.get(tenantOf(c).id, part.sha256);
    if (!file || file.bytes.byteLength > INLINE_IMAGE_MAX || !/^image\/(png|jpeg|gif|webp|bmp)$/.test(file.mimeType)) continue;
    map.set(part.content_id, `data:${file.mimeType};base64,${file.bytes.toString('base64')}`);
  }
  return map;
}

function send(c: Context<AppEnv>, html: string, images: boolean): Response {
  const imgSrc = images ? 'data: https: http:' : 'data:';
  c.header('Content-Security-Policy', `default-src 'none'; img-src ${imgSrc}; style-src 'unsafe-inline'; font-src 'none'; form-action 'none'; frame-ancestors 'self'; base-uri 'none'; sandbox allow-popups allow-popups-to-escape-sandbox`);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'private, no-store');
  return c.body(html, 200, { 'Content-Type': 'text/html; charset=utf-8' });
}

const idOf = (c: Context<AppEnv>, name: string) => {
  const id = Number(c.req.param(name));
  if (!Number.isInteger(id) || id <= 0) throw new HttpError(404, c.var.t('helpdesk.mails.notFound'));
  return id;
};

async function download(c: Context<AppEnv>, sha256: string, filename: string, fallbackType: string): Promise<Response> {
  const file = await c.var.services.files.get(tenantOf(c).id, sha256);
  if (!file) throw new HttpError(404, c.var.t('helpdesk.mails.notFound'));
  // Images may show inline (the iframe needs them); everything else only as a download.
  const image = /^image\/(png|jpeg|gif|webp|bmp)$/.test(file.mimeType || fallbackType);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Content-Security-Policy', "default-src 'none'; sandbox");
  c.header('Content-Disposition', `${image ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(filename)}`);
  return c.body(new Uint8Array(file.bytes), 200, { 'Content-Type': image ? file.mimeType : 'application/octet-stream' });
}

export function mailBodyRoutes(app: Hono<AppEnv>): void {
  app.use('/articles/*', requirePermission('helpdesk.mails'));

  app.get('/mails/:id/body', async (c) => {
    const s = scope<HelpdeskDB>(c);
    const mail = await s.selectFrom('helpdesk_mails').select(['id', 'body_html']).where('id', '=', idOf(c, 'id')).executeTakeFirst();
    if (!mail?.body_html) throw new HttpError(404, c.var.t('helpdesk.mails.notFound'));
    const parts = await s.selectFrom('helpdesk_mail_parts').select(['sha256', 'content_id']).where('mail_id', '=', mail.id).execute();
    const images = await inlineImages(c, parts);
    return send(c, mailDocument(mail.body_html, (cid) => images.get(cid)), c.req.query('images') === '1');
  });

  app.get('/mails/:id/parts/:partId', async (c) => {
    const part = await scope<HelpdeskDB>(c).selectFrom('helpdesk_mail_parts').select(['sha256', 'filename', 'mime_type'])
      .where('mail_id', '=', idOf(c, 'id')).where('id', '=', idOf(c, 'partId')).executeTakeFirst();
    if (!part) throw new HttpError(404, c.var.t('helpdesk.mails.notFound'));
    return download(c, part.sha256, part.filename, part.mime_type);
  });

  app.get('/mails/:id/raw', async (c) => {
    const mail = await scope<HelpdeskDB>(c).selectFrom('helpdesk_mails').select(['id', 'raw_sha256']).where('id', '=', idOf(c, 'id')).executeTakeFirst();
    if (!mail) throw new HttpError(404, c.var.t('helpdesk.mails.notFound'));
    return download(c, mail.raw_sha256, `mail-${mail.id}.eml`, 'message/rfc822');
  });

  /** A ticket article's mail HTML (the ticket page frames this), cid: from the article's attachments. */
  app.get('/articles/:articleId/body', async (c) => {
    const s = scope(c);
    // The ticket is joined on the article's tenant too, so it is the scope's tenant's like the article.
    const article = await s.selectFrom('ticket_articles').innerJoin('tickets', (join) => join.onRef('tickets.id', '=', 'ticket_articles.ticket_id').onRef('tickets.tenant_id', '=', 'ticket_articles.tenant_id'))
      .select(['ticket_articles.id', 'ticket_articles.body_html', 'tickets.number'])
      .where('tickets.deleted_at', 'is', null).where('ticket_articles.id', '=', idOf(c, 'articleId')).executeTakeFirst();
    if (!article?.body_html || !c.var.can('tickets.view')) throw new HttpError(404, c.var.t('helpdesk.mails.notFound'));
    const files = await s.selectFrom('ticket_attachments').select(['sha256', 'content_id']).where('article_id', '=', article.id).execute();
    const images = await inlineImages(c, files);
    return send(c, mailDocument(article.body_html, (cid) => images.get(cid)), c.req.query('images') === '1');
  });
}
