import type { Context, Hono } from 'hono';
import {
  DEFAULT_TIME_ZONE, DomainError, csvDocument, csvResponse, FormError, Page, SelectField, TextField, href, render, requirePermission, scope, staff, tenantOf, type AppEnv, type StatisticsPanel,
} from '../../core/plugin-api.js';
import { ALL, VIEW } from './alert-routes.js';
import { resultsPeriod, resultsQuerySchema, surveyResults, type ResultsQuery } from './results-query.js';
import { ResultsFigure } from './results-view.js';
import { readSettings, surveySettings } from './settings.js';

type Ctx = Context<AppEnv>;
const zoneOf = (c: Ctx) => tenantOf(c).time_zone || DEFAULT_TIME_ZONE;

/** The query string's period, or the refusal at its fields (422). */
function queryOf(c: Ctx): { query: ResultsQuery; raw: Record<string, string> } | { errors: Record<string, string>; raw: Record<string, string> } {
  const raw = { from: c.req.query('from') ?? '', to: c.req.query('to') ?? '', by: c.req.query('by') ?? 'agent' };
  const parsed = resultsQuerySchema.safeParse({ from: raw.from || undefined, to: raw.to || undefined, by: raw.by || undefined });
  if (!parsed.success) return { errors: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), c.var.t('validation.format')])), raw };
  try {
    return { query: resultsPeriod(parsed.data, c.var.services.clock(), zoneOf(c)), raw };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { errors: Object.fromEntries(Object.entries(error.fields).map(([f, k]) => [f, c.var.t(k)])), raw };
  }
}

/** An agent without survey.all sees their own results only (by agent). */
async function resultsFor(c: Ctx, query: ResultsQuery) {
  const own = !c.var.can(ALL);
  const settings = await surveySettings(c.var.services, tenantOf(c).id);
  const result = await surveyResults(scope(c), own ? { ...query, by: 'agent' } : query, zoneOf(c), settings.alertThreshold, own ? staff(c).id : undefined);
  // Questions the tenant still asks, by their current text (an answer to a removed question is left out).
  const questions = result.questions.flatMap((q) => {
    const asked = settings.questions[Number(q.key.slice(1)) - 1];
    return asked ? [{ ...q, label: c.var.locale === 'de' ? asked.de : asked.en }] : [];
  });
  return { ...result, questions, own };
}

export function resultsRoutes(app: Hono<AppEnv>): void {
  app.get('/results', requirePermission(VIEW), async (c) => {
    const t = c.var.t;
    const read = queryOf(c);
    const result = 'query' in read ? await resultsFor(c, read.query) : null;
    const values = 'query' in read ? { from: read.query.from, to: read.query.to, by: read.query.by } : read.raw;
    const csv = href(c, `/p/survey/results.csv?${new URLSearchParams(values)}`);
    return render(c, {
      title: t('survey.results'),
      status: result ? 200 : 422,
      page: (
        <Page title={t('survey.results')}>
          <form method="get" action={href(c, '/p/survey/results')} class="card survey-filters" id="survey-results-form">
            <FormError message={'errors' in read ? t('error.invalid') : undefined} />
            <TextField name="from" type="date" label={t('survey.results.from')} value={values.from} errors={'errors' in read ? read.errors : {}} />
            <TextField name="to" type="date" label={t('survey.results.to')} value={values.to} errors={'errors' in read ? read.errors : {}} />
            {c.var.can(ALL) ? (
              <SelectField name="by" label={t('survey.results.by')} value={values.by} errors={'errors' in read ? read.errors : {}}
                options={[{ value: 'agent', label: t('survey.results.byAgent') }, { value: 'group', label: t('survey.results.byGroup') }]} />
            ) : null}
            <div><button type="submit" class="button-primary">{t('survey.results.show')}</button></div>
          </form>
          {result ? (
            <section class="stack">
              {result.own ? <p class="muted" id="survey-results-own">{t('survey.results.own')}</p> : null}
              <ResultsFigure t={t} rows={result.rows} total={result.total} questions={result.questions} id="survey-results" />
              <p><a class="button" href={csv} id="survey-results-csv" download>{t('survey.results.csv')}</a></p>
            </section>
          ) : null}
        </Page>
      ),
    });
  });

  app.get('/results.csv', requirePermission(VIEW), async (c) => {
    const t = c.var.t;
    const read = queryOf(c);
    if (!('query' in read)) return c.text(Object.values(read.errors).join('\n'), 422);
    const { rows } = await resultsFor(c, read.query);
    const header = [t('survey.results.name'), t('survey.results.sent'), t('survey.results.answered'), t('survey.results.rate'), t('survey.results.average'),
      t('survey.results.alerts'), ...['1', '2', '3', '4', '5', '6']];
    const body = csvDocument([header, ...rows.map((row) => [row.label || t('survey.results.none'), row.sent, row.answered, row.rate, row.average, row.alerts, ...row.distribution])]);
    return csvResponse(c, `satisfaction-${read.query.from}-${read.query.to}.csv`, body);
  });
}

/** The Statistics page's panel: the last 30 days by agent (an agent's own row only). */
export const resultsPanel: StatisticsPanel = {
  id: 'satisfaction',
  label: { en: 'Customer satisfaction (last 30 days)', de: 'Kundenzufriedenheit (letzte 30 Tage)' },
  permission: VIEW,
  async render(ctx) {
    const zone = ctx.dates.timeZone;
    const settings = await readSettings(ctx.scope);
    const own = !ctx.can(ALL);
    const query = resultsPeriod({}, ctx.now, zone);
    const { rows, total } = await surveyResults(ctx.scope, query, zone, settings.alertThreshold, own ? ctx.userId ?? -1 : undefined);
    return (
      <div class="stack">
        <ResultsFigure t={ctx.t} rows={rows} total={total} id="survey-stats" />
        <p><a href={ctx.href('/p/survey/results')}>{ctx.t('survey.results')}</a></p>
      </div>
    );
  },
};
