import type { ColumnType, Generated, Kysely } from 'kysely';
import { pluginScope, type DB, type TenantScope } from '../../core/plugin-api.js';

type Defaulted<T> = ColumnType<T, T | undefined, T>;

/**
 * pending: recorded at close, waits for its delay; sent: the mail went out (or the portal shows it);
 * answered: the customer submitted (a later submit within the validity updates it).
 */
export type SurveyState = 'pending' | 'sent' | 'answered';

/** One survey per ticket (unique per tenant and ticket): a reopened and closed-again ticket is never asked twice. */
export interface SurveySurveysTable {
  id: Generated<number>;
  tenant_id: number;
  ticket_id: number;
  /** The customer asked (the ticket's requester when it closed). */
  person_id: number;
  /** The ticket's assignee and group when it closed: whose result it is. */
  agent_id: number | null;
  group_id: number | null;
  state: Defaulted<SurveyState>;
  /** The reader's language when it was recorded ('de' | 'en'). */
  locale: string;
  /** When the send job may send it (closed + delay). */
  due_at: string;
  /** The jti of the last signed link that went out (the mail's). */
  token_id: string | null;
  sent_at: string | null;
  /** The link's end: answers are taken until then. */
  expires_at: string | null;
  answered_at: string | null;
  /** The overall grade on the school scale (1 best … 6 worst), whatever scale the customer saw. */
  grade: number | null;
  /** What the customer picked on the tenant's scale (a star count, 'up'/'down', or the grade). */
  scale_value: string | null;
  /** The optional questions' grades by question key, as JSON (`{"q1": 2}`). */
  answers: Defaulted<string>;
  comment: string | null;
  created_at: string;
}

/** Every submit, in order: a second submit updates the survey and keeps the first here. */
export interface SurveyAnswersTable {
  id: Generated<number>;
  tenant_id: number;
  survey_id: number;
  grade: number;
  scale_value: string;
  answers: string;
  comment: string | null;
  /** 'mail' (the link) or 'portal' (a signed-in customer). */
  source: string;
  created_at: string;
}

/** A quality alert: an answer at or beyond the threshold, a call to make; done with the call's outcome. */
export interface SurveyAlertsTable {
  id: Generated<number>;
  tenant_id: number;
  survey_id: number;
  ticket_id: number;
  grade: number;
  comment: string | null;
  created_at: string;
  /** When the escalation job told the supervisors it was still open. */
  escalated_at: string | null;
  done_at: string | null;
  done_by: number | null;
  outcome: string | null;
}

/** The plugin's tables, declared once: the tenant scope (pluginScope<SurveyDB>) reaches them like the core's. */
export interface SurveyDB extends DB {
  survey_surveys: SurveySurveysTable;
  survey_answers: SurveyAnswersTable;
  survey_alerts: SurveyAlertsTable;
}

/** The tenant's surveys and core tables (jobs, event handlers, stores). */
export function surveyScope(db: Kysely<DB>, tenantId: number): TenantScope<SurveyDB> {
  return pluginScope<SurveyDB>(db, tenantId);
}
