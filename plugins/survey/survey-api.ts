import type { Context } from 'hono';
import { z } from 'zod';
import { DEFAULT_TIME_ZONE, DomainError, HttpError, apiOne, defineApiRoute, scope, scopeFor, staff, tenantOf, ticketService, zonedDayEnd, zonedDayStart, type AppEnv } from '../../core/plugin-api.js';
import { ALL, VIEW } from './alert-routes.js';
import { resultsPeriod, surveyResults } from './results-query.js';
import { surveySettings, surveySettingsSchema, type SurveySettings } from './settings.js';
import { MANAGE, saveSurveySettings } from './settings-store.js';
import type { SurveyDB } from './survey-db.js';

/**
 * Surveys, a ticket's survey, the satisfaction report and the settings over the REST API (/api/v1). An agent
 * without survey.all sees only the surveys of tickets they worked; another tenant's tickets are 404.
 */
type Ctx = Context<AppEnv>;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const id = z.number().int().positive();

const surveySchema = z.object({
  id, ticket_number: z.string(), state: z.enum(['pending', 'sent', 'answered']),
  agent_id: id.nullable(), group_id: id.nullable(),
  sent_at: z.string().nullable(), expires_at: z.string().nullable(), answered_at: z.string().nullable(),
  grade: z.number().int().min(1).max(6).nullable().meta({ description: 'overall grade on the school scale, 1 best … 6 worst, whatever scale the customer saw' }),
  scale_value: z.string().nullable().meta({ description: 'what the customer picked on the tenant’s scale (a grade, a star count, up/down)' }),
  answers: z.record(z.string(), z.number()).meta({ description: 'the optional questions’ grades by key (q1…q5)' }),
  comment: z.string().nullable(),
});
type SurveyOut = z.input<typeof surveySchema>;

const listQuery = z.object({
  from: z.string().regex(DATE).optional().meta({ description: 'first day (YYYY-MM-DD, tenant’s zone) the survey was sent' }),
  to: z.string().regex(DATE).optional().meta({ description: 'last day (inclusive)' }),
  agent: z.coerce.number().int().positive().optional(),
  group: z.coerce.number().int().positive().optional(),
  grade: z.coerce.number().int().min(1).max(6).optional(),
});
const reportQuery = z.object({
  from: z.string().regex(DATE).optional(), to: z.string().regex(DATE).optional(),
  groupBy: z.enum(['agent', 'group', 'organisation']).default('agent'),
});
const rowSchema = z.object({
  key: z.string(), label: z.string(), sent: z.number().int(), answered: z.number().int(), rate: z.number().nullable(), average: z.number().nullable(),
  distribution: z.array(z.number().int()).length(6).meta({ description: 'answers per grade 1…6' }), alerts: z.number().int(), alert_share: z.number().nullable(),
});
const settingsPatch = z.strictObject(Object.fromEntries(Object.entries(surveySettingsSchema.shape).map(([key, schema]) => [key, (schema as z.ZodDefault<z.ZodType>).unwrap().optional()])) as Record<string, z.ZodOptional<z.ZodType>>)
  .meta({ description: 'any of the settings; the others keep their values' });

const zoneOf = (c: Ctx) => tenantOf(c).time_zone || DEFAULT_TIME_ZONE;
const surveys = (c: Ctx) => scopeFor<SurveyDB>(scope(c)).selectFrom('survey_surveys').innerJoin('tickets', 'tickets.id', 'survey_surveys.ticket_id')
  .select(['survey_surveys.id', 'tickets.number as ticket_number', 'survey_surveys.state', 'survey_surveys.agent_id', 'survey_surveys.group_id', 'survey_surveys.sent_at',
    'survey_surveys.expires_at', 'survey_surveys.answered_at', 'survey_surveys.grade', 'survey_surveys.scale_value', 'survey_surveys.answers', 'survey_surveys.comment']);
const out = (row: Awaited<ReturnType<ReturnType<typeof surveys>['execute']>>[number]): SurveyOut => ({ ...row, answers: JSON.parse(row.answers) as Record<string, number> });

function refused(c: Ctx, error: unknown): never {
  if (!(error instanceof DomainError)) throw error;
  if (error.kind === 'not_found') throw new HttpError(404, c.var.t('error.notFound'));
  throw new HttpError(error.kind === 'conflict' ? 409 : 422, c.var.t(error.message), Object.fromEntries(Object.entries(error.fields).map(([f, k]) => [f, c.var.t(k)])));
}

export const surveyApiRoutes = [
  defineApiRoute({
    method: 'get', path: '/surveys', operationId: 'listSurveys', tag: 'survey', permission: VIEW,
    summary: 'Surveys sent in a period, by agent, group or grade; an agent without survey.all gets their own (plugin survey)',
    query: listQuery, status: 200, response: z.object({ data: z.array(surveySchema) }), errors: [403, 404, 422],
    async handle(c, { query }) {
      let period: { from: string; to: string };
      try {
        period = resultsPeriod(query, c.var.services.clock(), zoneOf(c));
      } catch (error) {
        refused(c, error);
      }
      let select = surveys(c).where('survey_surveys.sent_at', '>=', zonedDayStart(period.from, zoneOf(c))!).where('survey_surveys.sent_at', '<', zonedDayEnd(period.to, zoneOf(c))!);
      if (!c.var.can(ALL)) select = select.where('survey_surveys.agent_id', '=', staff(c).id);
      if (query.agent !== undefined) select = select.where('survey_surveys.agent_id', '=', query.agent);
      if (query.group !== undefined) select = select.where('survey_surveys.group_id', '=', query.group);
      if (query.grade !== undefined) select = select.where('survey_surveys.grade', '=', query.grade);
      return { data: (await select.orderBy('survey_surveys.sent_at', 'desc').limit(1000).execute()).map(out) };
    },
  }),
  defineApiRoute({
    method: 'get', path: '/tickets/{number}/survey', operationId: 'getTicketSurvey', tag: 'survey', permission: VIEW,
    summary: 'The survey of a ticket; 404 when it has none or the caller may not see it (plugin survey)',
    params: z.object({ number: z.string().max(40).meta({ description: 'ticket number, e.g. 2026-000123' }) }), status: 200, response: apiOne(surveySchema), errors: [403, 404],
    async handle(c, { params }) {
      const ticket = await ticketService(c).get(params.number);
      const row = await surveys(c).where('survey_surveys.ticket_id', '=', ticket.id).executeTakeFirst();
      if (!row || (!c.var.can(ALL) && row.agent_id !== staff(c).id)) throw new HttpError(404, c.var.t('error.notFound'));
      return { data: out(row) };
    },
  }),
  defineApiRoute({
    method: 'get', path: '/reports/satisfaction', operationId: 'getSatisfactionReport', tag: 'survey', permission: VIEW,
    summary: 'Average, distribution, response rate and share at or beyond the alert grade per agent, group or organisation (plugin survey)',
    query: reportQuery, status: 200, response: apiOne(z.object({ from: z.string(), to: z.string(), group_by: z.string(), rows: z.array(rowSchema), total: rowSchema })), errors: [403, 404, 422],
    async handle(c, { query }) {
      const own = !c.var.can(ALL);
      let period;
      try {
        period = resultsPeriod({ from: query.from, to: query.to, by: own ? 'agent' : query.groupBy }, c.var.services.clock(), zoneOf(c));
      } catch (error) {
        refused(c, error);
      }
      const settings = await surveySettings(c.var.services, tenantOf(c).id);
      const report = await surveyResults(scope(c), period, zoneOf(c), settings.alertThreshold, own ? staff(c).id : undefined);
      const row = (r: (typeof report.rows)[number]) => ({ key: r.key, label: r.label, sent: r.sent, answered: r.answered, rate: r.rate, average: r.average, distribution: r.distribution, alerts: r.alerts, alert_share: r.alertShare });
      return { data: { from: period.from, to: period.to, group_by: period.by, rows: report.rows.map(row), total: row(report.total) } };
    },
  }),
  defineApiRoute({
    method: 'get', path: '/survey-settings', operationId: 'getSurveySettings', tag: 'survey', permission: MANAGE,
    summary: 'The tenant’s survey settings (plugin survey)',
    status: 200, response: apiOne(z.record(z.string(), z.unknown())), errors: [403, 404],
    async handle(c) {
      return { data: await surveySettings(c.var.services, tenantOf(c).id) };
    },
  }),
  defineApiRoute({
    method: 'patch', path: '/survey-settings', operationId: 'updateSurveySettings', tag: 'survey', permission: MANAGE,
    summary: 'Change some of the tenant’s survey settings; 422 with a message per field (plugin survey)',
    body: settingsPatch, status: 200, response: apiOne(z.record(z.string(), z.unknown())), errors: [403, 404, 415, 422],
    async handle(c, { body }) {
      const user = staff(c);
      try {
        return { data: await saveSurveySettings(c.var.services, tenantOf(c).id, body as Partial<SurveySettings>, { id: user.id, label: user.email }) };
      } catch (error) {
        refused(c, error);
      }
    },
  }),
];
