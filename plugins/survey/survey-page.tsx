import type { Context, Hono } from 'hono';
import {
  DomainError, FormError, LinkError, dateContext, formatDate, href, isLocale, render, tenantOf, type AppEnv, type Translate,
} from '../../core/plugin-api.js';
import { scaleChoices, type ScaleChoice } from './scale.js';
import { questionKey, surveySettings, type SurveySettings } from './settings.js';
import { verifySurveyLink } from './survey-links.js';
import { COMMENT_MAX, SurveyClosedError, surveyStore, type AnswerInput } from './survey-store.js';

type Ctx = Context<AppEnv>;
type Values = { grade?: string | undefined; comment?: string; answers?: Record<string, string | undefined> };

/** A link's page never goes into caches, search engines or another site's Referer: the token is in the path. */
function privateHeaders(c: Ctx): void {
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Robots-Tag', 'noindex');
}

/** The page speaks the survey's language (the reader's, chosen when it was recorded). */
function speak(c: Ctx, locale: string): void {
  if (!isLocale(locale) || locale === c.var.locale) return;
  c.set('locale', locale);
  c.set('t', c.var.services.catalog.translator(locale));
  c.set('dates', dateContext(c.var.services.dateFormats, locale, tenantOf(c).time_zone));
}

/** A clear page for a link that does not (or no longer) work: 404 for a broken or foreign link, 410 for an expired one. */
async function linkProblem(c: Ctx, kind: 'invalid' | 'expired'): Promise<Response> {
  privateHeaders(c);
  const t = c.var.t;
  const response = await render(c, {
    title: t(`survey.page.${kind}Title`),
    status: 404,
    page: (
      <div class="survey-page stack" id="survey-problem">
        <h1>{t(`survey.page.${kind}Title`)}</h1>
        <p>{t(`survey.page.${kind}Text`)}</p>
      </div>
    ),
  });
  // Gone rather than not found: the link was good and has run out (render knows no 410).
  return kind === 'expired' ? new Response(response.body, { status: 410, headers: response.headers }) : response;
}

function ChoiceGroup(props: { name: string; legend: string; choices: ScaleChoice[]; value: string | undefined; errors: Record<string, string>; optional?: { label: string }; t: Translate }) {
  const error = props.errors[props.name];
  return (
    <fieldset class="survey-choices" id={`survey-${props.name}`} aria-describedby={error ? `${props.name}-error` : undefined}>
      <legend>{props.legend}</legend>
      <div class="survey-choice-row">
        {props.choices.map((choice) => (
          <label class="survey-choice">
            <input type="radio" name={props.name} value={choice.value} checked={props.value === choice.value} required={props.optional ? undefined : true} />
            <span aria-label={props.t('survey.page.choice', { choice: choice.label })}>{choice.label}</span>
          </label>
        ))}
        {props.optional ? (
          <label class="survey-choice survey-choice-none">
            <input type="radio" name={props.name} value="" checked={!props.value} />
            <span>{props.optional.label}</span>
          </label>
        ) : null}
      </div>
      {error ? <small id={`${props.name}-error`} class="field-error">{error}</small> : null}
    </fieldset>
  );
}

/** The form: the overall grade (required), the optional questions, the comment; posts to `action`, works without JavaScript. */
export function SurveyForm(props: { c: Ctx; settings: SurveySettings; action: string; values: Values; errors?: Record<string, string>; number: string; subject: string }) {
  const { c, settings, values } = props;
  const t = c.var.t;
  const errors = props.errors ?? {};
  const choices = scaleChoices(settings);
  const intro = (c.var.locale === 'de' ? settings.introDe : settings.introEn) || t('survey.page.intro', { number: props.number, subject: props.subject });
  return (
    <form method="post" action={props.action} class="card stack survey-form" id="survey-form">
      <p>{intro}</p>
      <FormError message={Object.keys(errors).length ? t('error.invalid') : undefined} />
      <ChoiceGroup name="grade" legend={t(`survey.page.overall.${settings.scale}`)} choices={choices} value={values.grade} errors={errors} t={t} />
      {settings.questions.map((question, index) => (
        <ChoiceGroup name={questionKey(index)} legend={c.var.locale === 'de' ? question.de : question.en} choices={choices} value={values.answers?.[questionKey(index)]}
          errors={errors} optional={{ label: t('survey.page.noAnswer') }} t={t} />
      ))}
      <div class="field">
        <label for="survey-comment">{t('survey.page.comment')}</label>
        <textarea id="survey-comment" name="comment" rows={4} maxlength={COMMENT_MAX} aria-invalid={errors.comment ? 'true' : undefined}
          aria-describedby={errors.comment ? 'comment-error' : 'comment-hint'}>{values.comment ?? ''}</textarea>
        {errors.comment ? <small id="comment-error" class="field-error">{errors.comment}</small> : null}
        {settings.commentRequired ? <small id="comment-hint" class="hint">{t('survey.page.commentHint', { grade: settings.alertThreshold })}</small> : null}
      </div>
      <div><button type="submit" class="button-primary survey-submit" id="survey-submit">{t('survey.page.submit')}</button></div>
    </form>
  );
}

/** The form's fields as the store takes them. */
export async function answerFromForm(c: Ctx, settings: SurveySettings, source: AnswerInput['source']): Promise<{ input: AnswerInput; values: Values }> {
  const body = await c.req.parseBody();
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string).slice(0, COMMENT_MAX * 2) : undefined);
  const answers: Record<string, string | undefined> = {};
  settings.questions.forEach((_, index) => { answers[questionKey(index)] = text(questionKey(index)); });
  const values: Values = { grade: text('grade'), comment: text('comment') ?? '', answers };
  return { input: { value: values.grade, answers, comment: values.comment ?? '', source }, values };
}

/** Field messages of a refusal in the reader's language (the comment's mention the threshold). */
export const fieldMessages = (t: Translate, error: DomainError, settings: SurveySettings) =>
  Object.fromEntries(Object.entries(error.fields).map(([field, key]) => [field, t(key, { grade: settings.alertThreshold, max: COMMENT_MAX })]));

/**
 * The survey page behind the mail's link, without sign-in (public routes): GET shows the form with the clicked
 * choice preselected and never saves (mail scanners follow links); POST saves, a second POST within the
 * validity updates (history kept). A broken, foreign or tampered link gets 404, an expired one 410, both a clear page.
 */
export function surveyPageRoutes(app: Hono<AppEnv>): void {
  async function open(c: Ctx) {
    const tenant = tenantOf(c);
    let link: { surveyId: number; ticketId: number };
    try {
      link = await verifySurveyLink(c.var.services, tenant.id, c.req.param('token') ?? '');
    } catch (error) {
      if (error instanceof LinkError) return { problem: linkProblem(c, error.reason === 'expired' ? 'expired' : 'invalid') } as const;
      throw error;
    }
    const store = surveyStore(c.var.services, tenant.id);
    const survey = await store.get(link.surveyId).catch((error: unknown) => {
      if (error instanceof DomainError) return null;
      throw error;
    });
    if (!survey || survey.ticket_id !== link.ticketId) return { problem: linkProblem(c, 'invalid') } as const;
    speak(c, survey.locale);
    if (!store.isOpen(survey)) return { problem: linkProblem(c, 'expired') } as const;
    const ticket = await store.ticketOf(survey.ticket_id);
    return { survey, store, ticket, settings: await surveySettings(c.var.services, tenant.id) } as const;
  }

  function page(c: Ctx, opened: Exclude<Awaited<ReturnType<typeof open>>, { problem: unknown }>, values: Values, options: { errors?: Record<string, string>; saved?: boolean; status?: 200 | 409 | 422 } = {}) {
    privateHeaders(c);
    const t = c.var.t;
    const { survey, settings, ticket } = opened;
    const thanks = (c.var.locale === 'de' ? settings.thanksDe : settings.thanksEn) || t('survey.page.thanks');
    return render(c, {
      title: t('survey.page.title'),
      status: options.status ?? 200,
      page: (
        <div class="survey-page stack" id="survey-page">
          <h1>{t('survey.page.title')}</h1>
          {options.saved ? <p class="notice survey-thanks" role="status" id="survey-thanks">{thanks}</p> : null}
          {survey.answered_at && !options.saved ? (
            <p class="muted" id="survey-answered">{t('survey.page.answered', { date: formatDate(survey.answered_at, c.var.dates), until: formatDate(survey.expires_at, c.var.dates) })}</p>
          ) : null}
          <SurveyForm c={c} settings={settings} action={href(c, `/survey/${c.req.param('token')}`)} values={values} errors={options.errors} number={ticket.number} subject={ticket.subject} />
        </div>
      ),
    });
  }

  app.get('/survey/:token', async (c) => {
    const opened = await open(c);
    if ('problem' in opened) return opened.problem;
    const stored = JSON.parse(opened.survey.answers) as Record<string, number>;
    const choices = scaleChoices(opened.settings);
    // The clicked button preselects (nothing is saved: a scanner's GET changes nothing); else the last answer.
    const clicked = c.req.query('g');
    const grade = choices.some((choice) => choice.value === clicked) ? clicked : opened.survey.scale_value ?? undefined;
    const answers = Object.fromEntries(Object.entries(stored).map(([key, g]) => [key, choices.find((choice) => choice.grade === g)?.value]));
    return page(c, opened, { grade, comment: opened.survey.comment ?? '', answers }, { saved: c.req.query('saved') === '1' });
  });

  app.post('/survey/:token', async (c) => {
    const opened = await open(c);
    if ('problem' in opened) return opened.problem;
    const { input, values } = await answerFromForm(c, opened.settings, 'mail');
    try {
      await opened.store.answer(opened.survey.id, input);
    } catch (error) {
      if (error instanceof SurveyClosedError) return linkProblem(c, 'expired');
      if (!(error instanceof DomainError)) throw error;
      return page(c, opened, values, { errors: fieldMessages(c.var.t, error, opened.settings), status: 422 });
    }
    return c.redirect(href(c, `/survey/${c.req.param('token')}?saved=1`), 303);
  });
}
