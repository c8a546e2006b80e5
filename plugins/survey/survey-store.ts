import { DomainError, invalidFields, type Services } from '../../core/plugin-api.js';
import { choiceOf, isAlertGrade } from './scale.js';
import { questionKey, readSettings, type SurveySettings } from './settings.js';
import { surveyScope, type SurveySurveysTable } from './survey-db.js';
import { raiseAlert, type AlertRaised } from './alert-store.js';

export const COMMENT_MAX = 4000;


/** What the customer sent: the overall choice, the optional questions' choices by key, a comment. */
export interface AnswerInput {
  value: string | undefined;
  answers: Readonly<Record<string, string | undefined>>;
  comment: string;
  source: 'mail' | 'portal';
}

/** The survey is past its validity (or was never sent): answers are no longer taken. */
export class SurveyClosedError extends DomainError {
  constructor() {
    super('conflict', 'survey.page.expired');
  }
}

export function surveyStore(services: Services, tenantId: number) {
  const scope = surveyScope(services.db, tenantId);
  const now = () => services.clock();

  async function get(surveyId: number) {
    const row = await scope.selectFrom('survey_surveys').selectAll().where('id', '=', surveyId).executeTakeFirst();
    if (!row) throw new DomainError('not_found', 'error.notFound');
    return row;
  }

  return {
    get,

    /** Whether answers are taken now (sent, not yet expired). */
    isOpen(row: { state: string; expires_at: string | null }): boolean {
      return row.state !== 'pending' && row.expires_at !== null && row.expires_at > now().toISOString();
    },

    /**
     * Checks and saves an answer: the overall choice is required, optional questions take a choice or nothing,
     * the comment is required at or beyond the alert grade (if the tenant says so). A second answer within the
     * validity updates the survey; every answer stays in the history. An answer at or beyond the threshold
     * raises (or updates) the quality alert, in the same transaction.
     */
    async answer(surveyId: number, input: AnswerInput): Promise<{ grade: number; alert: AlertRaised | null }> {
      const settings = await readSettings(scope);
      const survey = await get(surveyId);
      // Read before the transaction: on SQLite it holds the one connection.
      const tenant = await services.tenants.byId(tenantId);
      if (!this.isOpen(survey)) throw new SurveyClosedError();
      const { grade, answers, comment, value } = validate(settings, input);
      const at = now().toISOString();
      const { alert } = await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        await tx.updateTable('survey_surveys').set({ state: 'answered', answered_at: at, grade, scale_value: value, answers: JSON.stringify(answers), comment: comment || null })
          .where('id', '=', surveyId).execute();
        await tx.insertInto('survey_answers', { survey_id: surveyId, grade, scale_value: value, answers: JSON.stringify(answers), comment: comment || null, source: input.source, created_at: at }).execute();
        const raised = isAlertGrade(grade, settings.alertThreshold)
          ? await raiseAlert(services, trx, tenant, settings, { surveyId, ticketId: survey.ticket_id, grade, comment: comment || null, at })
          : null;
        return { alert: raised };
      });
      if (alert) await alert.deliver();
      return { grade, alert };
    },

    /** The survey's ticket (number and subject for the page). */
    async ticketOf(ticketId: number) {
      return scope.selectFrom('tickets').select(['id', 'number', 'subject']).where('id', '=', ticketId).executeTakeFirstOrThrow();
    },

    /** The history of a survey's answers, oldest first. */
    history(surveyId: number) {
      return scope.selectFrom('survey_answers').select(['grade', 'scale_value', 'comment', 'source', 'created_at']).where('survey_id', '=', surveyId).orderBy('id').execute();
    },

    /** The customer's open surveys (portal): sent, not expired, newest first. */
    openFor(personId: number) {
      return scope.selectFrom('survey_surveys').innerJoin('tickets', 'tickets.id', 'survey_surveys.ticket_id')
        .select(['survey_surveys.id', 'survey_surveys.ticket_id', 'survey_surveys.state', 'survey_surveys.expires_at', 'survey_surveys.grade', 'tickets.number', 'tickets.subject'])
        .where('survey_surveys.person_id', '=', personId).where('survey_surveys.state', 'in', ['sent', 'answered'])
        .where('survey_surveys.expires_at', '>', now().toISOString()).orderBy('survey_surveys.sent_at', 'desc').limit(50).execute();
    },
  };
}

/** The input as the survey stores it, or the refusal with a message key per field. */
export function validate(settings: SurveySettings, input: AnswerInput): { grade: number; value: string; answers: Record<string, number>; comment: string } {
  const fields: Record<string, string> = {};
  const choice = choiceOf(settings, input.value);
  if (!choice) fields.grade = input.value ? 'validation.choice' : 'survey.page.gradeRequired';
  const answers: Record<string, number> = {};
  settings.questions.forEach((_, index) => {
    const key = questionKey(index);
    const sent = input.answers[key];
    if (sent === undefined || sent === '') return;
    const picked = choiceOf(settings, sent);
    if (!picked) fields[key] = 'validation.choice';
    else answers[key] = picked.grade;
  });
  const comment = input.comment.trim();
  if (comment.length > COMMENT_MAX) fields.comment = 'survey.page.commentTooLong';
  else if (choice && settings.commentRequired && isAlertGrade(choice.grade, settings.alertThreshold) && !comment) fields.comment = 'survey.page.commentRequired';
  if (Object.keys(fields).length || !choice) throw invalidFields('error.invalid', fields);
  return { grade: choice.grade, value: choice.value, answers, comment };
}
