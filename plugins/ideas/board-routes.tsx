import type { Context, Hono } from 'hono';
import { Page, flash, href, redirectTo, render, requirePermission, tenantOf, ticketActor, ticketService, type AppEnv } from '../../core/plugin-api.js';
import { Board, BoardFilters, ProposalForm, type Values } from './ideas-views.js';
import { boardQuery, formValues, queryString, staffView, translated, viewerOf } from './ideas-http.js';
import { proposalStore } from './proposal-store.js';
import { ideasSettings } from './settings.js';
import { VIEW } from './viewer.js';

type Ctx = Context<AppEnv>;

/** The staff board (/p/ideas) and the submit form (/p/ideas/new). */
export function boardRoutes(app: Hono<AppEnv>): void {
  app.get('/', requirePermission(VIEW), async (c) => {
    const t = c.var.t;
    const store = proposalStore(c.var.services, tenantOf(c).id);
    const query = boardQuery(c.req.query());
    const [board, topics] = await Promise.all([store.board(await viewerOf(c), query), store.topics()]);
    const v = staffView(c);
    return render(c, {
      title: t('ideas.board'),
      page: (
        <Page title={t('ideas.board')}>
          <div class="ideas-page stack">
            <p><a class="button-primary" href={href(c, '/p/ideas/new')} id="ideas-new">{t('ideas.new')}</a></p>
            <BoardFilters v={v} query={query} topics={topics} />
            <Board v={v} rows={board.rows} more={board.more} nextHref={`${v.base}${queryString(query, (query.page ?? 1) + 1)}`} />
          </div>
        </Page>
      ),
    });
  });

  app.get('/new', requirePermission(VIEW), (c) => newPage(c, { title: '', description: '', benefit: '' }, {}));

  app.post('/new', requirePermission(VIEW), async (c) => {
    const values = await formValues(c);
    const tenantId = tenantOf(c).id;
    const settings = await ideasSettings(c.var.services, tenantId);
    try {
      const made = await proposalStore(c.var.services, tenantId).submit(ticketService(c), ticketActor(c), {
        title: values.title ?? '', description: values.description ?? '', benefit: values.benefit ?? '', anonymous: values.anonymous === '1', portal: values.portal === '1', category: values.category ?? '',
      }, { groupId: settings.managerGroupId, anonymousLabel: c.var.t('ideas.anonymous') });
      flash(c, 'success', c.var.t('ideas.submitted', { number: made.number }));
      return redirectTo(c, href(c, `/p/ideas/${made.id}`));
    } catch (error) {
      const refusal = translated(c, error);
      return newPage(c, values, refusal.fields, refusal.status);
    }
  });
}

async function newPage(c: Ctx, values: Values, errors: Record<string, string>, status: 200 | 403 | 404 | 409 | 422 = 200) {
  const t = c.var.t;
  const topics = await proposalStore(c.var.services, tenantOf(c).id).topics();
  return render(c, {
    title: t('ideas.new'), status,
    page: (
      <Page title={t('ideas.new')} crumbs={[{ label: t('ideas.board'), href: href(c, '/p/ideas') }, { label: t('ideas.new') }]}>
        <ProposalForm v={staffView(c)} action={href(c, '/p/ideas/new')} values={values} errors={errors} topics={topics} portal={false} />
      </Page>
    ),
  });
}
