import type { Context, Hono } from 'hono';
import { DomainError, flash, formatDate, href, redirectTo, tenantOf, type AppEnv } from '../../core/plugin-api.js';
import { portalRender, type KnowledgeSuggestionsProvider, type PortalNavProvider } from '../portal/extension-points.js';
import { entryFiles } from './entry-files.js';
import { Marked, fieldLabel } from './entry-views.js';
import { FileList, fileResponse } from './file-views.js';
import { COMMENT_MAX, portalStore, portalViewer } from './portal-store.js';
import type { KnowledgeSearch } from './search/knowledge-search.js';
import { topicName } from './topic-store.js';

const idOf = (value: string | undefined): number | undefined => (value && /^\d{1,9}$/.test(value) ? Number(value) : undefined);

/** The portal's "Help" link, for visitors too (public entries need no sign-in). */
export const knowledgePortalNav: PortalNavProvider = {
  items: () => [{ id: 'knowledge', label: 'knowledge.portal.nav', href: '/portal/kb', order: 30 }],
};

/** Suggestions while a portal user types a request's subject: only what that person may see, found by the same search. */
export function knowledgeSuggestions(search: KnowledgeSearch): KnowledgeSuggestionsProvider {
  return {
    async suggest(tenantId, text, _locale, context) {
      if (!context) return [];
      const results = await search.search(context.services, tenantId, { q: text, viewer: portalViewer(context.person), limit: 5, match: 'any' });
      return results.groups.flatMap((group) => group.hits).sort((a, b) => b.score - a.score).slice(0, 5).map((hit) => ({
        title: hit.title.map((s) => s.text).join(''), url: `/portal/kb/${hit.id}`, excerpt: hit.snippet.map((s) => s.text).join(''),
      }));
    },
  };
}

/**
 * The customers' knowledge pages in the portal: browse by topic, search, read an entry and rate it. What the
 * viewer may not see (internal, another organisation's, drafts) answers 404 like a missing entry; no author,
 * state history or origin ticket is ever in these pages.
 */
export function portalKnowledgeRoutes(search: KnowledgeSearch) {
  return (app: Hono<AppEnv>): void => {
    const store = (c: Context<AppEnv>) => portalStore(c.var.services, tenantOf(c).id, portalViewer(c.var.person));
    const files = (c: Context<AppEnv>) => entryFiles(c.var.services, tenantOf(c).id, search);

    app.get('/kb', async (c) => {
      const t = c.var.t;
      const q = (c.req.query('q') ?? '').trim().slice(0, 200);
      const topicId = idOf(c.req.query('topic'));
      const viewer = portalViewer(c.var.person);
      const [topics, results, entries] = await Promise.all([
        store(c).topics(),
        q ? search.search(c.var.services, tenantOf(c).id, { q, viewer, topicId, limit: 10 }) : null,
        q ? [] : store(c).list({ topicId }),
      ]);
      const hits = results ? results.groups.flatMap((group) => group.hits) : [];
      return portalRender(c, {
        title: t('knowledge.portal.title'),
        page: (
          <div class="stack knowledge-portal" id="knowledge-portal">
            <h1>{t('knowledge.portal.title')}</h1>
            <form method="get" action={href(c, '/portal/kb')} class="card knowledge-filters" role="search">
              <label for="knowledge-portal-q">{t('knowledge.search')}</label>
              <input id="knowledge-portal-q" type="search" name="q" value={q} maxlength={200} />
              {topicId !== undefined ? <input type="hidden" name="topic" value={String(topicId)} /> : null}
              <button type="submit" class="button-primary">{t('knowledge.search')}</button>
            </form>
            <nav class="knowledge-topics" aria-label={t('knowledge.field.topics')}>
              <a href={href(c, '/portal/kb')} aria-current={topicId === undefined ? 'page' : undefined}>{t('knowledge.all')}</a>
              {topics.map((topic) => <a href={href(c, `/portal/kb?topic=${topic.id}`)} aria-current={topicId === topic.id ? 'page' : undefined}>{topicName(topic, c.var.locale)}</a>)}
            </nav>
            {q ? (
              hits.length ? (
                <ul class="knowledge-hits" id="knowledge-portal-hits">
                  {hits.map((hit) => (
                    <li><a href={href(c, `/portal/kb/${hit.id}`)}><Marked segments={hit.title} /></a> <span class="muted">{t(`knowledge.kind.${hit.kind}`)}</span>
                      <p class="knowledge-snippet"><Marked segments={hit.snippet} /></p></li>
                  ))}
                </ul>
              ) : <p class="muted" id="knowledge-portal-none">{t('knowledge.search.none')}</p>
            ) : entries.length ? (
              <ul class="knowledge-hits" id="knowledge-portal-entries">
                {entries.map((entry) => (
                  <li><a href={href(c, `/portal/kb/${entry.id}`)}>{entry.title}</a> <span class="muted">{t(`knowledge.kind.${entry.kind}`)} · {formatDate(entry.updated_at, c.var.dates)}</span></li>
                ))}
              </ul>
            ) : <p class="muted" id="knowledge-portal-none">{t('knowledge.empty')}</p>}
          </div>
        ),
      });
    });

    app.get('/kb/:id{[0-9]+}', async (c) => {
      const t = c.var.t;
      const id = Number(c.req.param('id'));
      const entry = await store(c).entry(id);
      const person = c.var.person;
      const own = person ? await store(c).voteOf(id, person.id) : undefined;
      const attached = await files(c).list(id);
      const block = (label: string, text: string) => (text ? <section class="knowledge-text"><h2>{label}</h2><p>{text}</p></section> : null);
      return portalRender(c, {
        title: entry.title,
        page: (
          <article class="stack knowledge-portal-entry" id="knowledge-portal-entry">
            <p><a href={href(c, '/portal/kb')}>{t('knowledge.portal.title')}</a></p>
            <h1>{entry.title}</h1>
            <p class="muted">{t(`knowledge.kind.${entry.kind}`)} · {t('knowledge.lastUpdated')}: {formatDate(entry.updated_at, c.var.dates)}
              {entry.topics.map((topic) => <> · <a href={href(c, `/portal/kb?topic=${topic.id}`)}>{topicName(topic, c.var.locale)}</a></>)}</p>
            {block(t('knowledge.kb.cause'), entry.cause)}
            {block(t(fieldLabel(entry.kind, 'body')), entry.body)}
            {block(t('knowledge.kb.steps'), entry.steps)}
            <FileList c={c} files={attached} urlOf={(file) => href(c, `/portal/kb/${id}/files/${file.id}`)} />
            {person ? (
              <form method="post" action={href(c, `/portal/kb/${id}/vote`)} class="card stack knowledge-vote" id="knowledge-vote">
                <h2>{t('knowledge.portal.helpful')}</h2>
                {own ? <p class="muted" id="knowledge-vote-own">{t(own.helpful ? 'knowledge.portal.votedHelpful' : 'knowledge.portal.votedNotHelpful')}</p> : null}
                <label for="knowledge-vote-comment">{t('knowledge.portal.comment')}</label>
                <textarea id="knowledge-vote-comment" name="comment" rows={2} maxlength={COMMENT_MAX}>{own?.comment ?? ''}</textarea>
                <div>
                  <button type="submit" name="helpful" value="1" class="button" id="knowledge-vote-yes">{t('knowledge.portal.yes')}</button>{' '}
                  <button type="submit" name="helpful" value="0" class="button" id="knowledge-vote-no">{t('knowledge.portal.no')}</button>
                </div>
              </form>
            ) : null}
          </article>
        ),
      });
    });

    // A file only for whoever may see its entry: anything else is not found, like the entry itself.
    app.get('/kb/:id{[0-9]+}/files/:file{[0-9]+}', async (c) => {
      const id = Number(c.req.param('id'));
      await store(c).entry(id);
      return fileResponse(c, files(c), id, Number(c.req.param('file')));
    });

    app.post('/kb/:id{[0-9]+}/vote', async (c) => {
      const person = c.var.person;
      if (!person) throw new DomainError('not_found', 'error.notFound');
      const id = Number(c.req.param('id'));
      const body = await c.req.parseBody();
      await store(c).vote(id, person, { helpful: body.helpful, comment: body.comment });
      flash(c, 'success', c.var.t('knowledge.portal.thanks'));
      return redirectTo(c, href(c, `/portal/kb/${id}`));
    });
  };
}
