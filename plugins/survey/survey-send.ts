import { formatDate, isLocale, dateContext, type PluginJob, type Services } from '../../core/plugin-api.js';
import { readSettings } from './settings.js';
import { scaleChoices } from './scale.js';
import { surveyScope } from './survey-db.js';
import { expiryFrom, signSurveyLink, tenantUrl } from './survey-links.js';
import { surveyMailHtml, surveyMailText } from './survey-mail.js';

/** Surveys one run sends at most per tenant (the next run takes the rest). */
const BATCH = 200;

/**
 * Sends the tenant's due surveys: each is claimed (pending → sent) before its mail goes out, so a second
 * instance running the job at the same time never sends it twice. With the mail channel off (or no address)
 * the survey is only marked sent: the portal shows it to the customer. Returns how many mails went out.
 */
export async function sendDueSurveys(services: Services, tenantId: number): Promise<number> {
  const scope = surveyScope(services.db, tenantId);
  const settings = await readSettings(scope);
  const tenant = await services.tenants.byId(tenantId);
  if (!tenant) return 0;
  const now = services.clock();
  const due = await scope.selectFrom('survey_surveys').select(['id', 'ticket_id', 'person_id', 'locale'])
    .where('state', '=', 'pending').where('due_at', '<=', now.toISOString()).orderBy('due_at').limit(BATCH).execute();
  let mails = 0;
  for (const survey of due) {
    const expiresAt = expiryFrom(now, settings.validityDays);
    const { token, jti } = await signSurveyLink(services, { tenantId, surveyId: survey.id, ticketId: survey.ticket_id, expiresAt });
    const claimed = await scope.updateTable('survey_surveys').set({ state: 'sent', sent_at: now.toISOString(), expires_at: expiresAt, token_id: jti })
      .where('id', '=', survey.id).where('state', '=', 'pending').executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    if (!settings.mail) continue;
    const [ticket, person] = await Promise.all([
      scope.selectFrom('tickets').select(['number', 'subject']).where('id', '=', survey.ticket_id).executeTakeFirst(),
      scope.selectFrom('people').select(['name', 'email']).where('id', '=', survey.person_id).executeTakeFirst(),
    ]);
    if (!ticket || !person?.email) continue;
    const locale = isLocale(survey.locale) ? survey.locale : 'en';
    const t = services.catalog.translator(locale);
    const link = await tenantUrl(services, tenant, `/survey/${token}`);
    const input = {
      t, tenantName: tenant.name, color: tenant.primary_color, personName: person.name, number: ticket.number, subject: ticket.subject,
      intro: locale === 'de' ? settings.introDe : settings.introEn, choices: scaleChoices(settings), link, pick: t(`survey.mail.pick.${settings.scale}`),
      expires: formatDate(expiresAt, dateContext(services.dateFormats, locale, tenant.time_zone)),
    };
    try {
      await services.mailer.send({
        tenantId, to: person.email, subject: t('survey.mail.subject', { number: ticket.number, subject: ticket.subject }),
        text: surveyMailText(input), html: surveyMailHtml(input), headers: { 'Auto-Submitted': 'auto-generated' },
      });
      mails++;
    } catch (error) {
      services.log.warn('survey mail failed', { tenantId, survey: survey.id, error: String(error) });
    }
  }
  return mails;
}

/** Every minute, for every tenant that has the plugin on (the host skips the others). */
export const sendJob: PluginJob = {
  id: 'send',
  schedule: 'FREQ=MINUTELY',
  async run(ctx) {
    if (ctx.tenantId !== null && ctx.services) await sendDueSurveys(ctx.services, ctx.tenantId);
  },
};
