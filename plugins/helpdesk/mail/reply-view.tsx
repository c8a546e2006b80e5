import type { Translate } from '../../../core/plugin-api.js';
import { splitReply } from './reply-text.js';

/** A mail's text with quotes and signature folded away; the full original is one click away. */
export function ReplyText(props: { text: string; t: Translate; senderName?: string | undefined }) {
  const { reply, folded } = splitReply(props.text, { senderName: props.senderName });
  return (
    <div class="hd-reply">
      <div class="entry-body">{reply}</div>
      {folded ? (
        <details class="hd-folded">
          <summary>{props.t('helpdesk.reply.showQuoted')}</summary>
          <div class="entry-body muted">{folded}</div>
        </details>
      ) : null}
    </div>
  );
}
