import type { Context, Hono } from 'hono';
import { DomainError, formatDate, href, pluginScope, publicOrigin, tenantOf, type AppEnv } from '../../core/plugin-api.js';
import { portalRender } from '../portal/extension-points.js';
import { entryFiles } from './entry-files.js';
import { Marked, fieldLabel } from './entry-views.js';
import { FileList, fileResponse } from './file-views.js';
import type { KnowledgeDB } from './knowledge-db.js';
import { ANONYMOUS } from './search/visibility.js';
import type { KnowledgeSearch } from './search/knowledge-search.js';
import { topicName } from './topic-store.js';

/** Lower-case ASCII words joined by dashes (umlauts spelled out), at most 60 characters; `x` when nothing is left. */
export function slugify(text: string): string {
  const slug = text.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
    .normalize('NFD').replace(/\p{M}+/gu, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  return slug || 'x';
}

interface PublicEntry { id: number; kind: 'faq' | 'doc' | 'kb'; title: string; body: string; cause: string; steps: string; updated_at: string; topic: { name_de: string; name_en: string } | null }

/**
 * The tenant's public help centre, without sign-in: published public entries only (read straight from
 * the database with that condition, so nothing else can reach these pages), in the portal's frame with
 * the tenant's branding. Clean URLs `/help/<topic>/<id>-<title>` (a wrong or old slug redirects to the
 * current one), a sitemap, and nothing internal in the HTML: no authors, states, organisations or tickets.
 */
export function helpCentreRoutes(search: KnowledgeSearch) {
  return (app: Hono<AppEnv>): void => {
    const scope = (c: Context<AppEnv>) => pluginScope<KnowledgeDB>(c.var.services.db, tenantOf(c).id);

    /** The public entries with their first topic (by position), or the one asked for. */
    async function publicEntries(c: Context<AppEnv>, id?: number): Promise<PublicEntry[]> {
      let query = scope(c).selectFrom('knowledge_entries').select(['id', 'kind', 'title', 'body', 'cause', 'steps', 'updated_at'])
        .where('state', '=', 'published').where('visibility', '=', 'public');
      if (id !== undefined) query = query.where('id', '=', id);
      const entries = await query.orderBy('title').limit(1000).execute();
      const topics = entries.length ? await scope(c).selectFrom('knowledge_entry_topics as et').innerJoin('knowledge_topics as t', 't.id', 'et.topic_id')
        .select(['et.entry_id', 't.name_de', 't.name_en', 't.position']).where('et.entry_id', 'in', entries.map((e) => e.id)).orderBy('t.position').execute() : [];
      return entries.map((entry) => ({ ...entry, topic: topics.find((t) => t.entry_id === entry.id) ?? null }));
    }
    const topicSlug = (c: Context<AppEnv>, entry: PublicEntry) => (entry.topic ? slugify(topicName(entry.topic, c.var.locale)) : 'general');
    const pathOf = (c: Context<AppEnv>, entry: PublicEntry) => `/help/${topicSlug(c, entry)}/${entry.id}-${slugify(entry.title)}`;

    app.get('/help', async (c) => {
      const t = c.var.t;
      const q = (c.req.query('q') ?? '').trim().slice(0, 200);
      const entries = await publicEntries(c);
      const results = q ? await search.search(c.var.services, tenantOf(c).id, { q, viewer: ANONYMOUS, limit: 10 }) : null;
      const byTopic = new Map<string, PublicEntry[]>();
      for (const entry of entries) {
        const name = entry.topic ? topicName(entry.topic, c.var.locale) : t('knowledge.help.general');
        byTopic.set(name, [...(byTopic.get(name) ?? []), entry]);
      }
      const linkOf = new Map(entries.map((entry) => [entry.id, pathOf(c, entry)]));
      return portalRender(c, {
        title: t('knowledge.help.title'),
        page: (
          <div class="stack knowledge-portal" id="knowledge-help">
            <h1>{t('knowledge.help.title')}</h1>
            <form method="get" action={href(c, '/help')} class="card knowledge-filters" role="search">
              <label for="knowledge-help-q">{t('knowledge.search')}</label>
              <input id="knowledge-help-q" type="search" name="q" value={q} maxlength={200} />
              <button type="submit" class="button-primary">{t('knowledge.search')}</button>
            </form>
            {results ? (
              <ul class="knowledge-hits" id="knowledge-help-hits">
                {results.groups.flatMap((group) => group.hits).map((hit) => (
                  <li><a href={href(c, linkOf.get(hit.id) ?? `/help/general/${hit.id}`)}><Marked segments={hit.title} /></a>
                    <p class="knowledge-snippet"><Marked segments={hit.snippet} /></p></li>
                ))}
              </ul>
            ) : null}
            {[...byTopic].map(([name, list]) => (
              <section class="knowledge-group">
                <h2>{name}</h2>
                <ul class="knowledge-hits">{list.map((entry) => <li><a href={href(c, pathOf(c, entry))}>{entry.title}</a></li>)}</ul>
              </section>
            ))}
            {entries.length === 0 ? <p class="muted">{t('knowledge.empty')}</p> : null}
          </div>
        ),
      });
    });

    app.get('/help/sitemap.xml', async (c) => {
      const origin = publicOrigin(c);
      const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      const urls = (await publicEntries(c)).map((entry) => `<url><loc>${escape(origin + href(c, pathOf(c, entry)))}</loc><lastmod>${entry.updated_at.slice(0, 10)}</lastmod></url>`);
      c.header('Content-Type', 'application/xml; charset=utf-8');
      return c.body(`<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.join('')}</urlset>\n`);
    });

    // A public entry's file (published and public, checked first); everything else is not found.
    app.get('/help/files/:entry{[0-9]+}/:file{[0-9]+}', async (c) => {
      const id = Number(c.req.param('entry'));
      const [entry] = await publicEntries(c, id);
      if (!entry) throw new DomainError('not_found', 'error.notFound');
      return fileResponse(c, entryFiles(c.var.services, tenantOf(c).id, search), id, Number(c.req.param('file')));
    });

    app.get('/help/:topic/:entry', async (c) => {
      const t = c.var.t;
      const id = /^(\d{1,9})(-[a-z0-9-]*)?$/.exec(c.req.param('entry'))?.[1];
      const [entry] = id ? await publicEntries(c, Number(id)) : [];
      if (!entry) throw new DomainError('not_found', 'error.notFound');
      const canonical = pathOf(c, entry);
      if (c.req.path.replace(/^\/t\/[^/]+/, '') !== canonical) return c.redirect(href(c, canonical), 301);
      const block = (label: string, text: string) => (text ? <section class="knowledge-text"><h2>{label}</h2><p>{text}</p></section> : null);
      const files = await entryFiles(c.var.services, tenantOf(c).id, search).list(entry.id);
      return portalRender(c, {
        title: entry.title,
        page: (
          <article class="stack knowledge-portal-entry" id="knowledge-help-entry">
            <p><a href={href(c, '/help')}>{t('knowledge.help.title')}</a>{entry.topic ? <> · {topicName(entry.topic, c.var.locale)}</> : null}</p>
            <h1>{entry.title}</h1>
            <p class="muted">{t('knowledge.lastUpdated')}: {formatDate(entry.updated_at, c.var.dates)}</p>
            {block(t('knowledge.kb.cause'), entry.cause)}
            {block(t(fieldLabel(entry.kind, 'body')), entry.body)}
            {block(t('knowledge.kb.steps'), entry.steps)}
            <FileList c={c} files={files} urlOf={(file) => href(c, `/help/files/${entry.id}/${file.id}`)} />
          </article>
        ),
      });
    });
  };
}
