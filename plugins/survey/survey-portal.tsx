import type { Context, Hono } from 'hono';
import { formatDate, href, redirectTo, scopeFor, tenantOf, type AppEnv, type SlotContext, type TenantScope } from '../../core/plugin-api.js';
import { portalRender, type PortalNavProvider, type PortalViewer } from '../portal/extension-points.js';
import { readSettings, surveySettings } from './settings.js';
import type { SurveyDB } from './survey-db.js';
import { signSurveyLink } from './survey-links.js';
import { surveyStore } from './survey-store.js';

/** The signed-in customer's open, unanswered surveys (the card and the navigation entry count them). */
async function unanswered(scope: TenantScope, personId: number, now: string): Promise<number> {
  const row = await scopeFor<SurveyDB>(scope).selectFrom('survey_surveys').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('person_id', '=', personId).where('state', '=', 'sent').where('expires_at', '>', now).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The portal's list of the customer's open surveys (/portal/survey): each links to the same survey page as the
 * mail, with a link signed now for that survey (valid until the survey ends). Visitors are sent to sign in.
 */
export function surveyPortalRoutes(app: Hono<AppEnv>): void {
  app.get('/survey', async (c: Context<AppEnv>) => {
    const person = c.var.person;
    if (!person) return redirectTo(c, href(c, `/portal/login?next=${encodeURIComponent('/portal/survey')}`));
    const t = c.var.t;
    const tenant = tenantOf(c);
    const settings = await surveySettings(c.var.services, tenant.id);
    const surveys = settings.portal ? await surveyStore(c.var.services, tenant.id).openFor(person.id) : [];
    const links = await Promise.all(surveys.map(async (survey) => (await signSurveyLink(c.var.services, { tenantId: tenant.id, surveyId: survey.id, ticketId: survey.ticket_id, expiresAt: survey.expires_at! })).token));
    c.header('Cache-Control', 'no-store');
    return portalRender(c, {
      title: t('survey.portal.title'),
      page: (
        <div class="stack survey-portal" id="survey-portal">
          <h1>{t('survey.portal.title')}</h1>
          {surveys.length === 0 ? <p class="muted" id="survey-portal-empty">{t('survey.portal.empty')}</p> : (
            <ul class="survey-portal-list">
              {surveys.map((survey, index) => (
                <li class="card">
                  <strong>{survey.number}</strong> {survey.subject}
                  <span class="muted"> · {t('survey.portal.until', { date: formatDate(survey.expires_at, c.var.dates) })}</span>
                  <div><a class="button" href={href(c, `/survey/${links[index]}`)} id={`survey-portal-${survey.id}`}>
                    {survey.state === 'answered' ? t('survey.portal.change') : t('survey.portal.rate')}</a></div>
                </li>
              ))}
            </ul>
          )}
        </div>
      ),
    });
  });
}

/** A card on the portal's home page while the signed-in customer has unanswered surveys. */
export async function PortalSurveyCard(ctx: SlotContext<PortalViewer>) {
  const person = ctx.props.person;
  if (!person) return null;
  if (!(await readSettings(ctx.scope)).portal) return null;
  const count = await unanswered(ctx.scope, person.id, ctx.now.toISOString());
  if (!count) return null;
  return (
    <section class="card survey-portal-card" id="survey-portal-card">
      <p>{ctx.t('survey.portal.card', { count })}</p>
      <a class="button" href={ctx.href('/portal/survey')}>{ctx.t('survey.portal.rate')}</a>
    </section>
  );
}

/** The portal navigation's entry for signed-in customers. */
export const surveyPortalNav: PortalNavProvider = {
  items: ({ person }) => (person ? [{ id: 'survey', label: 'survey.portal.nav', href: '/portal/survey', order: 60 }] : []),
};
