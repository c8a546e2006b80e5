import type { Context, Hono } from 'hono';
import { HttpError, flash, href, redirectTo, tenantOf, ticketActor, ticketService, type AppEnv, type SlotContext } from '../../core/plugin-api.js';
import { portalRender, type PortalNavProvider, type PortalViewer } from '../portal/extension-points.js';
import { commentStore } from './comment-store.js';
import { boardQuery, formValues, idParam, portalView, queryString, translated } from './ideas-http.js';
import { Board, BoardFilters, Comments, ProposalForm, ProposalHead, type Values } from './ideas-views.js';
import { likeStore } from './like-store.js';
import { proposalStore } from './proposal-store.js';
import { ideasSettings, readSettings } from './settings.js';
import { personViewer, type Viewer } from './viewer.js';

type Ctx = Context<AppEnv>;
const ID = '/:id{[0-9]{1,9}}';

/** The signed-in portal person, while the tenant allows portal ideas; visitors sign in, and without the setting it is 404. */
async function portalPerson(c: Ctx): Promise<Viewer | Response> {
  if (!(await ideasSettings(c.var.services, tenantOf(c).id)).portalIdeas) throw new HttpError(404, c.var.t('error.notFound'));
  const person = c.var.person;
  if (!person) return redirectTo(c, href(c, `/portal/login?next=${encodeURIComponent('/portal/ideas')}`));
  return personViewer(person);
}

/** The portal's board, submit form and proposal page: only the proposals shown in the portal, and the person's own. */
export function ideasPortalRoutes(app: Hono<AppEnv>): void {
  app.get('/ideas', async (c) => {
    const viewer = await portalPerson(c);
    if (viewer instanceof Response) return viewer;
    const t = c.var.t;
    const store = proposalStore(c.var.services, tenantOf(c).id);
    const query = boardQuery(c.req.query());
    const [board, topics] = await Promise.all([store.board(viewer, query), store.topics()]);
    const v = portalView(c);
    return portalRender(c, {
      title: t('ideas.board'),
      page: (
        <div class="stack ideas-page" id="ideas-portal">
          <h1>{t('ideas.board')}</h1>
          <p><a class="button-primary" href={`${v.base}/new`} id="ideas-new">{t('ideas.new')}</a></p>
          <BoardFilters v={v} query={query} topics={topics} />
          <Board v={v} rows={board.rows} more={board.more} nextHref={`${v.base}${queryString(query, (query.page ?? 1) + 1)}`} />
        </div>
      ),
    });
  });

  app.get('/ideas/new', async (c) => {
    const viewer = await portalPerson(c);
    if (viewer instanceof Response) return viewer;
    return newPage(c, {}, {});
  });

  app.post('/ideas/new', async (c) => {
    const viewer = await portalPerson(c);
    if (viewer instanceof Response) return viewer;
    const values = await formValues(c);
    const settings = await ideasSettings(c.var.services, tenantOf(c).id);
    try {
      const made = await proposalStore(c.var.services, tenantOf(c).id).submit(ticketService(c), ticketActor(c), {
        title: values.title ?? '', description: values.description ?? '', benefit: values.benefit ?? '', portal: true, category: values.category ?? '',
      }, { groupId: settings.managerGroupId, anonymousLabel: c.var.t('ideas.anonymous'), requesterId: viewer.personId! });
      flash(c, 'success', c.var.t('ideas.submitted', { number: made.number }));
      return redirectTo(c, href(c, `/portal/ideas/${made.id}`));
    } catch (error) {
      const refusal = translated(c, error);
      return newPage(c, values, refusal.fields, refusal.status);
    }
  });

  app.get(`/ideas${ID}`, async (c) => {
    const viewer = await portalPerson(c);
    if (viewer instanceof Response) return viewer;
    return proposalPage(c, viewer, {});
  });

  const action = (run: (c: Ctx, viewer: Viewer, id: number, values: Record<string, string>) => Promise<unknown>) => async (c: Ctx) => {
    const viewer = await portalPerson(c);
    if (viewer instanceof Response) return viewer;
    const id = idParam(c);
    const values = await formValues(c);
    try {
      await proposalStore(c.var.services, tenantOf(c).id).get(viewer, id);
      await run(c, viewer, id, values);
      return redirectTo(c, href(c, `/portal/ideas/${id}`));
    } catch (error) {
      const refusal = translated(c, error);
      return proposalPage(c, viewer, { ...refusal.fields, form: refusal.message, body: values.body ?? '' }, refusal.status);
    }
  };
  app.post(`/ideas${ID}/like`, action((c, viewer, id) => likeStore(c.var.services, tenantOf(c).id).like(viewer, id)));
  app.post(`/ideas${ID}/unlike`, action((c, viewer, id) => likeStore(c.var.services, tenantOf(c).id).unlike(viewer, id)));
  app.post(`/ideas${ID}/comments`, action((c, viewer, id, values) => commentStore(c.var.services, tenantOf(c).id).add(viewer, id, values)));
}

async function newPage(c: Ctx, values: Values, errors: Record<string, string>, status: 200 | 403 | 404 | 409 | 422 = 200) {
  const t = c.var.t;
  const topics = await proposalStore(c.var.services, tenantOf(c).id).topics();
  return portalRender(c, {
    title: t('ideas.new'), status,
    page: <div class="stack ideas-page"><h1>{t('ideas.new')}</h1><ProposalForm v={portalView(c)} action={href(c, '/portal/ideas/new')} values={values} errors={errors} topics={topics} portal /></div>,
  });
}

async function proposalPage(c: Ctx, viewer: Viewer, errors: Record<string, string>, status: 200 | 403 | 404 | 409 | 422 = 200) {
  const t = c.var.t;
  let proposal;
  try {
    proposal = await proposalStore(c.var.services, tenantOf(c).id).get(viewer, idParam(c));
  } catch {
    throw new HttpError(404, t('error.notFound'));
  }
  const comments = await commentStore(c.var.services, tenantOf(c).id).list(proposal.id);
  const { form, body, ...fieldErrors } = errors;
  return portalRender(c, {
    title: proposal.title, status,
    page: (
      <div class="stack ideas-page">
        <h1>{proposal.title}</h1>
        {form ? <p class="form-error" role="alert" id="ideas-refusal">{form}</p> : null}
        <ProposalHead v={portalView(c)} p={proposal} canLike />
        <Comments v={portalView(c)} proposalId={proposal.id} comments={comments} errors={fieldErrors} body={body ?? ''} mayEdit={() => false} mayDelete={() => false} />
      </div>
    ),
  });
}

/** The portal navigation's entry for signed-in people (the provider gets no settings: the board says 404 while portal ideas are off). */
export const ideasPortalNav: PortalNavProvider = {
  items: ({ person }) => (person ? [{ id: 'ideas', label: 'ideas.portal.nav', href: '/portal/ideas', order: 65 }] : []),
};

/** The home card: a link to the board while portal ideas are allowed. */
export async function PortalIdeasCard(ctx: SlotContext<PortalViewer>) {
  if (!ctx.props.person || !(await readSettings(ctx.scope)).portalIdeas) return null;
  return (
    <section class="card ideas-portal-card" id="ideas-portal-card">
      <p>{ctx.t('ideas.board')}</p>
      <a class="button" href={ctx.href('/portal/ideas')}>{ctx.t('ideas.new')}</a>
    </section>
  );
}
