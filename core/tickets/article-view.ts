import type { Child } from 'hono/jsx';
import type { SlotContext } from '../plugin-host/define-plugin.js';
import { defineExtensionPoint } from '../plugin-host/refs.js';

/**
 * Extension point of the agent ticket page: a plugin that knows a channel's articles (the
 * helpdesk for mail) may render their body instead of the plain text. The first enabled
 * renderer that answers wins; `undefined` means "not mine" and the page shows body_text.
 */
export const ARTICLE_VIEW_POINT = defineExtensionPoint<ArticleViewRenderer>('core.articleView');

/** The article as the ticket page has it: the HTML itself is not loaded, only whether there is one. */
export interface ArticleViewInput {
  id: number;
  kind: string;
  channel: string;
  author_label: string;
  body_text: string;
  has_html: boolean;
  created_at: string;
}

export interface ArticleViewRenderer {
  render(article: ArticleViewInput, ctx: SlotContext<unknown>): Child | undefined;
}
