import { z } from 'zod';
import { invalidFields, isoToZoned, scopeFor, zonedDayEnd, zonedDayStart, type TenantScope } from '../../core/plugin-api.js';
import { GRADES } from './scale.js';
import type { SurveyDB } from './survey-db.js';

const DAY = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The results' period and grouping, as the page, the CSV and the API read them. */
export const resultsQuerySchema = z.object({
  from: z.string().regex(DATE).optional(),
  to: z.string().regex(DATE).optional(),
  by: z.enum(['agent', 'group', 'organisation']).default('agent'),
});

export interface ResultsQuery { from: string; to: string; by: 'agent' | 'group' | 'organisation' }

/** Days in the tenant's zone, start and end inclusive; by default the last 30 days. At most two years. */
export function resultsPeriod(raw: { from?: string | undefined; to?: string | undefined; by?: ResultsQuery['by'] | undefined }, now: Date, zone: string): ResultsQuery {
  const today = isoToZoned(now.toISOString(), zone).slice(0, 10);
  const to = raw.to ?? today;
  const from = raw.from ?? isoToZoned(new Date(now.getTime() - 29 * DAY).toISOString(), zone).slice(0, 10);
  const span = Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`);
  if (!(span >= 0) || span > 731 * DAY) throw invalidFields('survey.results.badRange', { from: 'survey.results.badRange' });
  return { from, to, by: raw.by ?? 'agent' };
}

export interface ResultRow {
  key: string;
  label: string;
  sent: number;
  answered: number;
  /** answered / sent in percent, null when none was sent. */
  rate: number | null;
  average: number | null;
  /** Answers per grade 1…6. */
  distribution: number[];
  /** Answers at or beyond the alert threshold, and their share of the answers in percent. */
  alerts: number;
  alertShare: number | null;
}

/** An optional question's result: its key (q1…q5), how many answered it, their average grade. */
export interface QuestionResult { key: string; answered: number; average: number }

/**
 * The surveys sent in the period, per agent, group or organisation (the assignee and group when the ticket closed).
 * `onlyAgent` narrows to one agent's surveys (an agent sees their own). Grades are on the school scale whatever the customer saw.
 */
export async function surveyResults(scope: TenantScope, query: ResultsQuery, zone: string, threshold: number, onlyAgent?: number): Promise<{ rows: ResultRow[]; total: ResultRow; questions: QuestionResult[] }> {
  const db = scopeFor<SurveyDB>(scope);
  let select = db.selectFrom('survey_surveys').innerJoin('tickets', 'tickets.id', 'survey_surveys.ticket_id')
    .select(['survey_surveys.agent_id', 'survey_surveys.group_id', 'tickets.organisation_id', 'survey_surveys.grade', 'survey_surveys.state', 'survey_surveys.answers'])
    .where('survey_surveys.sent_at', '>=', zonedDayStart(query.from, zone)!).where('survey_surveys.sent_at', '<', zonedDayEnd(query.to, zone)!);
  if (onlyAgent !== undefined) select = select.where('survey_surveys.agent_id', '=', onlyAgent);
  const surveys = await select.limit(100_000).execute();
  const keyOf = (s: (typeof surveys)[number]) => (query.by === 'agent' ? s.agent_id : query.by === 'group' ? s.group_id : s.organisation_id);
  const ids = [...new Set(surveys.map(keyOf).filter((id): id is number => id !== null))];
  const names = new Map<number, string>();
  if (ids.length) {
    const rows = query.by === 'agent'
      ? await db.db.selectFrom('users').select(['id', 'name']).where('tenant_id', '=', scope.tenantId).where('id', 'in', ids).execute()
      : query.by === 'group'
        ? await db.selectFrom('support_groups').select(['id', 'name']).where('id', 'in', ids).execute()
        : await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', ids).execute();
    for (const row of rows) names.set(row.id, row.name);
  }
  const groups = new Map<string, typeof surveys>();
  for (const survey of surveys) {
    const key = String(keyOf(survey) ?? '');
    groups.set(key, [...(groups.get(key) ?? []), survey]);
  }
  const summarise = (key: string, label: string, list: typeof surveys): ResultRow => {
    const grades = list.map((s) => s.grade).filter((g): g is number => g !== null);
    const alerts = grades.filter((g) => g >= threshold).length;
    return {
      key, label, sent: list.length, answered: grades.length,
      rate: list.length ? Math.round((grades.length / list.length) * 1000) / 10 : null,
      average: grades.length ? Math.round((grades.reduce((a, b) => a + b, 0) / grades.length) * 100) / 100 : null,
      distribution: GRADES.map((g) => grades.filter((x) => x === g).length),
      alerts, alertShare: grades.length ? Math.round((alerts / grades.length) * 1000) / 10 : null,
    };
  };
  const rows = [...groups].map(([key, list]) => summarise(key, key ? names.get(Number(key)) ?? `#${key}` : '', list))
    .sort((a, b) => a.label.localeCompare(b.label));
  // The optional questions over every answer in the period: average grade and how many answered each.
  const perQuestion = new Map<string, number[]>();
  for (const survey of surveys) {
    if (survey.grade === null) continue;
    for (const [key, grade] of Object.entries(JSON.parse(survey.answers) as Record<string, number>)) perQuestion.set(key, [...(perQuestion.get(key) ?? []), grade]);
  }
  const questions = [...perQuestion].sort(([a], [b]) => a.localeCompare(b))
    .map(([key, grades]) => ({ key, answered: grades.length, average: Math.round((grades.reduce((x, y) => x + y, 0) / grades.length) * 100) / 100 }));
  return { rows, total: summarise('total', '', surveys), questions };
}
