import type { Context, Hono } from 'hono';
import {
  DomainError, FormError, HttpError, Page, flash, formatDateTime, href, redirectTo, render, requirePermission, staff, tenantOf, type AppEnv,
} from '../../core/plugin-api.js';
import { OUTCOME_MAX, alertStore, isQualityManager, type AlertRow } from './alert-store.js';
import { surveySettings } from './settings.js';

export const VIEW = 'survey.view';
export const ALL = 'survey.all';

type Ctx = Context<AppEnv>;

/** Quality managers (the quality group's members, or supervisors and admins) work the list; others get 403. */
async function requireQuality(c: Ctx): Promise<void> {
  const user = staff(c);
  if (c.var.can(ALL)) return;
  if (!(await isQualityManager(c.var.services.db, tenantOf(c).id, user.id, await surveySettings(c.var.services, tenantOf(c).id)))) {
    throw new HttpError(403, c.var.t('error.forbidden'));
  }
}

function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

async function alertsPage(c: Ctx, problems: { id?: number; outcome?: string; errors?: Record<string, string>; status?: 409 | 422 } = {}) {
  const t = c.var.t;
  const { open, done } = await alertStore(c.var.services, tenantOf(c).id).list();
  const ticketLink = (alert: AlertRow) => <a href={href(c, `/desk/tickets/${alert.number}`)}>{alert.number}</a>;
  return render(c, {
    title: t('survey.alerts'),
    status: problems.status ?? 200,
    page: (
      <Page title={t('survey.alerts')}>
        <FormError message={problems.errors?._form} />
        <section class="stack" id="survey-alerts-open">
          <h2>{t('survey.alerts.open')}</h2>
          {open.length === 0 ? <p class="muted" id="survey-alerts-none">{t('survey.alerts.none')}</p> : (
            <ul class="survey-alert-list">
              {open.map((alert) => {
                const errors = problems.id === alert.id ? problems.errors ?? {} : {};
                return (
                  <li class="card stack survey-alert" id={`survey-alert-${alert.id}`}>
                    <div class="survey-alert-head">
                      <span class={`survey-grade survey-grade-${alert.grade}`} title={t('survey.alerts.grade')}>{alert.grade}</span>
                      <strong>{alert.customer}</strong>
                      {alert.phone ? <a class="button survey-call" href={telHref(alert.phone)}>{alert.phone}</a> : <span class="muted">{t('survey.alerts.phone')}: —</span>}
                      <span>{t('survey.alerts.ticket')} {ticketLink(alert)} {alert.subject}</span>
                      <span class="muted">{t('survey.alerts.since')} {formatDateTime(alert.created_at, c.var.dates)}</span>
                      {alert.escalated_at ? <span class="badge survey-escalated">{t('survey.alerts.escalatedBadge')}</span> : null}
                    </div>
                    {alert.comment ? <blockquote class="survey-comment">{alert.comment}</blockquote> : null}
                    <form method="post" action={href(c, `/p/survey/alerts/${alert.id}/done`)} class="stack">
                      <FormError message={errors.outcome ? t('error.invalid') : undefined} />
                      <div class="field">
                        <label for={`survey-outcome-${alert.id}`}>{t('survey.alerts.outcome')}</label>
                        <textarea id={`survey-outcome-${alert.id}`} name="outcome" rows={2} maxlength={OUTCOME_MAX} required
                          aria-invalid={errors.outcome ? 'true' : undefined}>{problems.id === alert.id ? problems.outcome ?? '' : ''}</textarea>
                        {errors.outcome ? <small class="field-error">{errors.outcome}</small> : null}
                      </div>
                      <div><button type="submit" class="button-primary">{t('survey.alerts.markDone')}</button></div>
                    </form>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
        {done.length ? (
          <section class="stack" id="survey-alerts-done">
            <h2>{t('survey.alerts.done')}</h2>
            <div class="table-wrap">
              <table class="table">
                <thead><tr>
                  <th scope="col">{t('survey.alerts.ticket')}</th><th scope="col">{t('survey.alerts.customer')}</th><th scope="col" class="num">{t('survey.alerts.grade')}</th>
                  <th scope="col">{t('survey.alerts.outcome')}</th><th scope="col">{t('survey.alerts.done')}</th>
                </tr></thead>
                <tbody>{done.map((alert) => (
                  <tr><td>{ticketLink(alert)}</td><td>{alert.customer}</td><td class="num">{alert.grade}</td><td>{alert.outcome}</td>
                    <td>{formatDateTime(alert.done_at, c.var.dates)} {alert.done_by_name ? t('survey.alerts.by', { name: alert.done_by_name }) : ''}</td></tr>
                ))}</tbody>
              </table>
            </div>
          </section>
        ) : null}
      </Page>
    ),
  });
}

/** The quality group's to-do list of calls (/p/survey/alerts) and recording a call's outcome. */
export function alertRoutes(app: Hono<AppEnv>): void {
  app.get('/alerts', requirePermission(VIEW), async (c) => {
    await requireQuality(c);
    return alertsPage(c);
  });

  app.post('/alerts/:id{[0-9]+}/done', requirePermission(VIEW), async (c) => {
    await requireQuality(c);
    const id = Number(c.req.param('id'));
    const body = await c.req.parseBody();
    const outcome = typeof body.outcome === 'string' ? body.outcome.slice(0, OUTCOME_MAX * 2) : '';
    const user = staff(c);
    try {
      await alertStore(c.var.services, tenantOf(c).id).done(id, outcome, { id: user.id, label: user.email });
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'not_found') throw error;
      const errors = error.kind === 'conflict' ? { _form: c.var.t(error.message) } : Object.fromEntries(Object.entries(error.fields).map(([f, k]) => [f, c.var.t(k)]));
      return alertsPage(c, { id, outcome, errors, status: error.kind === 'conflict' ? 409 : 422 });
    }
    flash(c, 'success', c.var.t('survey.alerts.saved'));
    return redirectTo(c, href(c, '/p/survey/alerts'));
  });
}
