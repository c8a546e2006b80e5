import type { Context } from 'hono';
import type { Ticket } from '../../db/schema.js';
import type { AppEnv } from '../../http/app-env.js';
import { staff } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { renderMarkdown } from '../../text/markdown.js';
import type { AttachmentInput } from '../../tickets/attachment-rules.js';
import { parseAddressList } from '../../tickets/reply-addresses.js';
import type { ArticleInput } from '../../tickets/ticket-service-types.js';
import { draftsOf, mailsReplies } from './reply-composer-data.js';

/**
 * What the composer's send adds to the article (issue 18 point 3): the markdown as source, safe HTML and plain
 * text; CC and BCC (each field checked on its own, only where replies are mailed); the draft's files after the
 * form's own. Refusals name their field.
 */
export async function composedArticle(c: Context<AppEnv>, ticket: Ticket, input: { kind: 'reply' | 'note'; source: string; values: Record<string, string>; formFiles: AttachmentInput[] }): Promise<Pick<ArticleInput, 'body' | 'bodyHtml' | 'bodyMarkdown' | 'cc' | 'bcc' | 'attachments'>> {
  const t = c.var.t;
  const errors: Record<string, string> = {};
  let cc: string[] = [];
  let bcc: string[] = [];
  if (input.kind === 'reply' && (input.values.cc?.trim() || input.values.bcc?.trim()) && await mailsReplies(c, ticket)) {
    for (const name of ['cc', 'bcc'] as const) {
      const parsed = parseAddressList(input.values[name]);
      if (parsed.ok) (name === 'cc' ? (cc = parsed.addresses) : (bcc = parsed.addresses));
      else errors[name] = parsed.reason === 'invalid' ? t('composer.invalidAddress', { value: parsed.value }) : t('composer.tooManyAddresses', { max: parsed.max });
    }
  }
  if (Object.keys(errors).length) throw new HttpError(422, t('error.invalid'), errors);
  const draft = await draftsOf(c).load(ticket.id, staff(c).id);
  const draftFiles: AttachmentInput[] = [];
  for (const file of draft?.attachments ?? []) {
    const stored = await c.var.services.files.get(ticket.tenant_id, file.sha256);
    if (stored) draftFiles.push({ filename: file.filename, bytes: new Uint8Array(stored.bytes) });
  }
  const source = input.source.trim() ? input.source : '';
  const { html, text } = source ? renderMarkdown(source) : { html: '', text: '' };
  return {
    body: text, bodyHtml: source ? html : null, bodyMarkdown: source || null,
    cc: cc.length ? cc : undefined, bcc: bcc.length ? bcc : undefined,
    attachments: [...input.formFiles, ...draftFiles],
  };
}

/** After the send: the draft is gone (its files now belong to the article). */
export async function discardDraft(c: Context<AppEnv>, ticket: Ticket): Promise<void> {
  await draftsOf(c).discard(ticket.id, staff(c).id);
}
