import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { requirePermission, requireTenant, requireUser, staff } from '../../http/guards.js';
import { HttpError, toHttpError } from '../../http/http-error.js';
import { markdownToHtml } from '../../text/markdown.js';
import { attachmentType, checkAttachments, cleanFilename, filesFromForm } from '../../tickets/attachment-rules.js';
import { MAX_DRAFT_TEXT, type DraftAttachment } from '../../tickets/reply-drafts.js';
import { draftsOf, lastMessageQuote } from './reply-composer-data.js';
import { DraftFiles, DraftState, PreviewBody } from './reply-composer.js';
import { findTicket, TICKET_PATH } from './ticket-page-data.js';
import { lastValues } from './ticket-page.js';

/**
 * The reply composer's helpers beside the send itself (ticket-actions.ts): the server's preview of the
 * markdown, the customer's last message as a quote, the autosaved draft and the files dropped or pasted
 * into it. Every route finds the ticket in the tenant first (a foreign number is 404) and touches only
 * the signed-in agent's own draft.
 */
export function replyComposerRoutes(app: Hono<AppEnv>): void {
  const edit = [requireTenant, requireUser, requirePermission('tickets.edit')] as const;
  const ticketOf = (c: Context<AppEnv>) => findTicket(c, c.req.param('number')!);

  app.post(`${TICKET_PATH}/reply/preview`, ...edit, async (c) => {
    await ticketOf(c);
    const body = lastValues(await c.req.parseBody()).body ?? '';
    if (body.length > MAX_DRAFT_TEXT) throw new HttpError(422, c.var.t('validation.tooLong', { max: MAX_DRAFT_TEXT }), { body: c.var.t('validation.tooLong', { max: MAX_DRAFT_TEXT }) });
    return c.html(<PreviewBody html={markdownToHtml(body)} t={c.var.t} />);
  });

  app.get(`${TICKET_PATH}/reply/quote`, ...edit, async (c) => {
    const quote = await lastMessageQuote(c, await ticketOf(c));
    c.header('Cache-Control', 'no-store');
    return quote === undefined ? c.body(null, 204) : c.text(quote);
  });

  app.post(`${TICKET_PATH}/reply/draft`, ...edit, async (c) => {
    const ticket = await ticketOf(c);
    const values = lastValues(await c.req.parseBody());
    try {
      const draft = await draftsOf(c).save(ticket.id, staff(c).id, {
        kind: values.kind === 'note' ? 'note' : 'reply', body: values.body ?? '', cc: values.cc ?? '', bcc: values.bcc ?? '',
        statusAfter: values.statusAfter === 'waiting' || values.statusAfter === 'solved' ? values.statusAfter : '',
      });
      return c.html(<DraftState c={c} number={ticket.number} savedAt={draft.updatedAt} />);
    } catch (error) {
      if (toHttpError(error)?.status !== 422) throw error;
      return c.html(<DraftState c={c} number={ticket.number} failed />, 422);
    }
  });

  app.post(`${TICKET_PATH}/reply/attachments`, ...edit, async (c) => {
    const ticket = await ticketOf(c);
    const drafts = draftsOf(c);
    const userId = staff(c).id;
    const body = await c.req.parseBody({ all: true });
    const files = await filesFromForm(body.file);
    const current = (await drafts.load(ticket.id, userId))?.attachments ?? [];
    const refusal = files.length ? checkAttachments(files) : { key: 'validation.required' as const, params: {} };
    if (refusal) return c.html(<DraftFiles c={c} number={ticket.number} files={current} error={c.var.t(refusal.key, refusal.params)} />, 422);
    const stored: DraftAttachment[] = [];
    for (const file of files) {
      const filename = cleanFilename(file.filename);
      stored.push({ filename, size: file.bytes.byteLength, sha256: await c.var.services.files.put(ticket.tenant_id, file.bytes, attachmentType(filename) ?? 'application/octet-stream') });
    }
    try {
      const draft = await drafts.attach(ticket.id, userId, stored);
      return c.html(<DraftFiles c={c} number={ticket.number} files={draft.attachments} />);
    } catch (error) {
      const refused = toHttpError(error);
      if (refused?.status !== 422) throw error;
      return c.html(<DraftFiles c={c} number={ticket.number} files={current} error={refused.message} />, 422);
    }
  });

  app.post(`${TICKET_PATH}/reply/attachments/remove`, ...edit, async (c) => {
    const ticket = await ticketOf(c);
    const index = lastValues(await c.req.parseBody()).index ?? '';
    if (!/^\d{1,3}$/.test(index)) throw new HttpError(422, c.var.t('error.invalid'), { index: c.var.t('validation.choice') });
    const draft = await draftsOf(c).detach(ticket.id, staff(c).id, Number(index));
    return c.html(<DraftFiles c={c} number={ticket.number} files={draft?.attachments ?? []} />);
  });
}
