import type { Context, Hono } from 'hono';
import {
  Checkbox, DomainError, FormError, Page, SelectField, TextArea, TextField, flash, href, redirectTo, render, requirePermission, scope, staff, tenantOf, type AppEnv,
} from '../../core/plugin-api.js';
import { QUESTIONS_MAX, surveySettings, type SurveySettings } from './settings.js';
import { MANAGE, saveSurveySettings } from './settings-store.js';
import { GRADES } from './scale.js';

type Values = Record<string, string>;
const NUMBERS = ['delayMinutes', 'sampleRate', 'windowDays', 'validityDays', 'thumbsUpGrade', 'thumbsDownGrade', 'alertThreshold', 'escalateHours'] as const;
const TEXTS = ['introEn', 'introDe', 'thanksEn', 'thanksDe'] as const;
const FLAGS = ['mail', 'portal', 'commentRequired'] as const;

function valuesOf(settings: SurveySettings): Values {
  const values: Values = { scale: settings.scale, qualityGroupId: settings.qualityGroupId === null ? '' : String(settings.qualityGroupId) };
  for (const key of NUMBERS) values[key] = String(settings[key]);
  for (const key of TEXTS) values[key] = settings[key];
  for (const key of FLAGS) values[key] = settings[key] ? '1' : '';
  for (let i = 0; i < QUESTIONS_MAX; i++) {
    values[`q${i}en`] = settings.questions[i]?.en ?? '';
    values[`q${i}de`] = settings.questions[i]?.de ?? '';
  }
  return values;
}

/** The form as the settings it asks for: numbers as numbers (an empty box is NaN, which the schema refuses), empty question rows left out. */
export function settingsFromForm(values: Values): Partial<SurveySettings> {
  const questions: Array<{ en: string; de: string }> = [];
  for (let i = 0; i < QUESTIONS_MAX; i++) {
    const en = (values[`q${i}en`] ?? '').trim();
    const de = (values[`q${i}de`] ?? '').trim();
    if (en || de) questions.push({ en, de });
  }
  const input: Record<string, unknown> = { scale: values.scale, questions, qualityGroupId: values.qualityGroupId ? Number(values.qualityGroupId) : null };
  for (const key of NUMBERS) input[key] = values[key]?.trim() ? Number(values[key]) : Number.NaN;
  for (const key of TEXTS) input[key] = values[key] ?? '';
  for (const key of FLAGS) input[key] = values[key] === '1';
  return input as Partial<SurveySettings>;
}

/** Field names of the schema's paths: `questions.1` is the second row's English box. */
const formField = (path: string) => {
  const question = /^questions\.(\d+)/.exec(path);
  return question ? `q${question[1]}en` : path.split('.')[0]!;
};

async function SettingsPage(props: { c: Context<AppEnv>; values: Values; errors?: Record<string, string> }) {
  const { c, values } = props;
  const t = c.var.t;
  const errors = props.errors ?? {};
  const groups = await scope(c).selectFrom('support_groups').select(['id', 'name']).orderBy('name').execute();
  const num = (name: (typeof NUMBERS)[number], hint?: string) => <TextField name={name} type="number" label={t(`survey.settings.${name}`)} value={values[name]} errors={errors} hint={hint} />;
  const gradeOptions = GRADES.map((g) => ({ value: String(g), label: String(g) }));
  return (
    <Page title={t('survey.settings')} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('survey.settings') }]}>
      <form method="post" action={href(c, '/p/survey/settings')} class="card stack" id="survey-settings-form">
        <FormError message={Object.keys(errors).length ? t('error.invalid') : undefined} />
        <fieldset class="stack"><legend>{t('survey.settings.channels')}</legend>
          <Checkbox name="mail" label={t('survey.settings.mail')} checked={values.mail === '1'} />
          <Checkbox name="portal" label={t('survey.settings.portal')} checked={values.portal === '1'} />
        </fieldset>
        <div class="form-row">{num('delayMinutes')}{num('sampleRate')}{num('windowDays')}{num('validityDays')}</div>
        <div class="form-row">
          <SelectField name="scale" label={t('survey.settings.scale')} value={values.scale} errors={errors}
            options={(['grades', 'stars', 'thumbs'] as const).map((s) => ({ value: s, label: t(`survey.scale.${s}`) }))} />
          <SelectField name="thumbsUpGrade" label={t('survey.settings.thumbsUpGrade')} value={values.thumbsUpGrade} errors={errors} options={gradeOptions} />
          <SelectField name="thumbsDownGrade" label={t('survey.settings.thumbsDownGrade')} value={values.thumbsDownGrade} errors={errors} options={gradeOptions} />
        </div>
        <div class="form-row">
          <SelectField name="alertThreshold" label={t('survey.settings.alertThreshold')} value={values.alertThreshold} errors={errors} options={gradeOptions.slice(1)} />
          <SelectField name="qualityGroupId" label={t('survey.settings.qualityGroupId')} value={values.qualityGroupId} errors={errors} empty={t('survey.settings.noGroup')}
            options={groups.map((g) => ({ value: String(g.id), label: g.name }))} />
          {num('escalateHours')}
        </div>
        <Checkbox name="commentRequired" label={t('survey.settings.commentRequired')} checked={values.commentRequired === '1'} />
        <fieldset class="stack" id="survey-questions"><legend>{t('survey.settings.questions')}</legend>
          <p class="muted">{t('survey.settings.questionsHint', { max: QUESTIONS_MAX })}</p>
          {Array.from({ length: QUESTIONS_MAX }, (_, i) => (
            <div class="form-row">
              <TextField name={`q${i}en`} label={t('survey.settings.questionEn', { n: i + 1 })} value={values[`q${i}en`]} errors={errors} maxlength={120} />
              <TextField name={`q${i}de`} label={t('survey.settings.questionDe', { n: i + 1 })} value={values[`q${i}de`]} errors={errors} maxlength={120} />
            </div>
          ))}
        </fieldset>
        <div class="form-row">
          <TextArea name="introEn" label={t('survey.settings.introEn')} value={values.introEn} rows={3} errors={errors} />
          <TextArea name="introDe" label={t('survey.settings.introDe')} value={values.introDe} rows={3} errors={errors} />
        </div>
        <div class="form-row">
          <TextArea name="thanksEn" label={t('survey.settings.thanksEn')} value={values.thanksEn} rows={2} errors={errors} />
          <TextArea name="thanksDe" label={t('survey.settings.thanksDe')} value={values.thanksDe} rows={2} errors={errors} />
        </div>
        <div><button type="submit" class="button-primary" id="survey-settings-save">{t('common.save')}</button></div>
      </form>
    </Page>
  );
}

/** Tenant admins set channels, timing, sample, scale, threshold, questions, quality group and texts. */
export function settingsRoutes(app: Hono<AppEnv>): void {
  app.get('/settings', requirePermission(MANAGE), async (c) => {
    const settings = await surveySettings(c.var.services, tenantOf(c).id);
    return render(c, { title: c.var.t('survey.settings'), page: await SettingsPage({ c, values: valuesOf(settings) }) });
  });

  app.post('/settings', requirePermission(MANAGE), async (c) => {
    const t = c.var.t;
    const body = await c.req.parseBody();
    const values: Values = {};
    for (const [key, value] of Object.entries(body)) if (typeof value === 'string') values[key] = value.slice(0, 4000);
    for (const key of FLAGS) values[key] = values[key] ? '1' : '';
    const user = staff(c);
    try {
      await saveSurveySettings(c.var.services, tenantOf(c).id, settingsFromForm(values), { id: user.id, label: user.email });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const errors: Record<string, string> = {};
      for (const [path, key] of Object.entries(error.fields)) errors[formField(path)] ??= t(key);
      return render(c, { title: t('survey.settings'), status: 422, page: await SettingsPage({ c, values, errors }) });
    }
    flash(c, 'success', t('survey.settings.saved'));
    return redirectTo(c, href(c, '/p/survey/settings'));
  });
}
