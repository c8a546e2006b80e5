import type { Context } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import type { ArticleRow } from '../../tickets/ticket-page-queries.js';

/**
 * An article's body on the ticket page: what the composer wrote in markdown as its safe HTML (sanitized when
 * it was saved, core/text/markdown.ts), every older article as its plain text, as before.
 */
export function ArticleBody(props: { article: ArticleRow }) {
  const { article } = props;
  if (article.rich_html !== null) return <div class="entry-body rich-body" dangerouslySetInnerHTML={{ __html: article.rich_html }}></div>;
  return <div class="entry-body">{article.body_text}</div>;
}

/** The CC and BCC a reply's mail went to, in the article's header. */
export function ArticleCopies(props: { c: Context<AppEnv>; article: ArticleRow }) {
  const { c, article } = props;
  if (!article.cc && !article.bcc) return null;
  const t = c.var.t;
  return (
    <p class="entry-copies muted">
      {article.cc ? <span>{t('composer.cc')}: {article.cc}</span> : null}
      {article.cc && article.bcc ? ' · ' : null}
      {article.bcc ? <span>{t('composer.bcc')}: {article.bcc}</span> : null}
    </p>
  );
}
