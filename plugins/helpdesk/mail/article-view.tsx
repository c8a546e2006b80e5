import type { ArticleViewInput, ArticleViewRenderer, SlotContext } from '../../../core/plugin-api.js';
import { ReplyText } from './reply-view.js';

/**
 * The mail's formatted original in a sandboxed frame (no scripts, no same origin; the route's
 * CSP says the same). Remote images stay blocked: the link reloads only this frame (by its
 * name) with ?images=1, so it works without JavaScript.
 */
export function MailFrame(props: { src: string; name: string; title: string; imagesLabel: string; open?: boolean }) {
  return (
    <details class="hd-html" open={props.open}>
      <summary>{props.title}</summary>
      <iframe class="hd-mail-frame" name={props.name} sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" src={props.src} title={props.title}></iframe>
      <p><a class="hd-images" href={`${props.src}?images=1`} target={props.name} rel="noopener">{props.imagesLabel}</a></p>
    </details>
  );
}

/** Ticket page, extension point ticket.articleView: mail articles with quotes folded and their HTML framed. */
export const mailArticleView: ArticleViewRenderer = {
  render(article: ArticleViewInput, ctx: SlotContext) {
    if (article.channel !== 'mail') return undefined;
    const { t } = ctx;
    const htmlOnly = article.body_text.startsWith(t('helpdesk.htmlOnly'));
    return (
      <div class="hd-article stack">
        <ReplyText text={article.body_text} t={t} />
        {article.has_html && ctx.can('helpdesk.mails') ? (
          <MailFrame src={ctx.href(`/p/helpdesk/articles/${article.id}/body`)} name={`hd-article-${article.id}`} title={t('helpdesk.reply.formatted')} imagesLabel={t('helpdesk.mails.showImages')} open={htmlOnly} />
        ) : null}
      </div>
    );
  },
};
