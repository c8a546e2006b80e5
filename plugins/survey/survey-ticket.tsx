import { scopeFor, type SlotContext, type TicketSlotProps } from '../../core/plugin-api.js';
import { ALL, VIEW } from './alert-routes.js';
import type { SurveyDB } from './survey-db.js';

/**
 * The ticket page's side column: the survey's state, grade and comment, and an open quality alert. An agent
 * sees it on the tickets they worked (the assignee when it closed); holders of survey.all on every ticket.
 */
export async function TicketSurvey(ctx: SlotContext<TicketSlotProps>) {
  if (!ctx.can(VIEW)) return null;
  const scope = scopeFor<SurveyDB>(ctx.scope);
  const survey = await scope.selectFrom('survey_surveys').select(['id', 'state', 'grade', 'comment', 'agent_id'])
    .where('ticket_id', '=', ctx.props.ticket.id).executeTakeFirst();
  if (!survey) return null;
  if (!ctx.can(ALL) && (ctx.userId === undefined || survey.agent_id !== ctx.userId)) return null;
  const alert = await scope.selectFrom('survey_alerts').select('id').where('survey_id', '=', survey.id).where('done_at', 'is', null).executeTakeFirst();
  const t = ctx.t;
  return (
    <section class="card stack survey-ticket" id="survey-ticket">
      <h2>{t('survey.ticket.title')}</h2>
      {survey.grade !== null ? (
        <p><span class={`survey-grade survey-grade-${survey.grade}`}>{survey.grade}</span> {t('survey.ticket.grade', { grade: survey.grade })}</p>
      ) : <p class="muted">{t(survey.state === 'pending' ? 'survey.ticket.pending' : 'survey.ticket.sent')}</p>}
      {survey.comment ? <blockquote class="survey-comment">{survey.comment}</blockquote> : null}
      {alert ? <p><a href={ctx.href('/p/survey/alerts')} class="badge survey-escalated">{t('survey.ticket.alert')}</a></p> : null}
    </section>
  );
}
