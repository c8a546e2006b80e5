import type { Context } from 'hono';
import { z } from 'zod';
import {
  DEFAULT_TIME_ZONE, DomainError, HttpError, apiOne, defineApiRoute, href, scope, scopeFor, staff, tenantOf, ticketSettings, type AppEnv,
} from '../../core/plugin-api.js';
import { MANAGE } from './admin-page.js';
import { WEEKDAYS, formatDayHours } from './business-calendar.js';
import { calendarStore, parseHours, type CalendarRow } from './calendar-store.js';
import { liveClocks } from './live-clocks.js';
import { REPORTS, reportQuerySchema } from './report-query.js';
import { PRIORITY_NUMBERS, levelStore, parseTargets, targetField, type LevelRow } from './level-store.js';
import type { SlaDB } from './sla-db.js';
import { slaReport } from './sla-report.js';
import { CLOCK_KINDS } from './ticket-clocks.js';
import { VIEW, reasonText } from './ticket-views.js';

/**
 * Calendars, service levels, a ticket's clocks and the compliance report over the REST API (/api/v1): the same
 * stores, checks and audit entries as the admin pages. Refusals are 422 with one message per body path
 * (`hours.1`, `targets.solution.2`), another tenant's ids are 404, times are ISO 8601 instants in UTC.
 */
type Ctx = Context<AppEnv>;
const id = z.number().int().positive();
const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const actor = (c: Ctx) => ({ id: staff(c).id, label: staff(c).email });
const calendars = (c: Ctx) => calendarStore(c.var.services, tenantOf(c).id);
const levels = (c: Ctx) => levelStore(c.var.services, tenantOf(c).id);

const weekdayHours = z.object(Object.fromEntries(WEEKDAYS.map((day) => [String(day), z.string().max(200).optional()])) as Record<'1' | '2' | '3' | '4' | '5' | '6' | '7', z.ZodOptional<z.ZodString>>)
  .meta({ description: 'per ISO weekday (1 = Monday) the business hours as "08:00-12:00, 13:00-17:00"; empty or missing: closed; "00:00-24:00": all day' });
const holidaySchema = z.object({ id, name: z.string(), date: z.string().meta({ description: 'YYYY-MM-DD' }), rrule: z.string().nullable() });
const calendarSchema = z.object({
  id, name: z.string(), time_zone: z.string(), is_default: z.boolean(),
  hours: z.record(z.string(), z.string()), holidays: z.array(holidaySchema),
});
const calendarBody = z.strictObject({ name: z.string().max(200), time_zone: z.string().max(100), hours: weekdayHours });
const calendarPatch = z.strictObject({ name: z.string().max(200).optional(), time_zone: z.string().max(100).optional(), hours: weekdayHours.optional() })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'validation.required' });
const importBody = z.strictObject({ ics: z.string().max(512 * 1024).meta({ description: 'the iCal file’s text (VCALENDAR with VEVENTs; each event’s date and RRULE become a holiday)' }) });

const targetList = z.array(z.number().int().nullable()).length(4).meta({ description: 'business minutes per priority 1..4 (index 0 = priority 1), null: no clock' });
const targetsSchema = z.object({ first_response: targetList, update: targetList, solution: targetList });
const levelSchema = z.object({ id, name: z.string(), calendar_id: id, targets: targetsSchema });
const levelBody = z.strictObject({ name: z.string().max(200), calendar_id: z.number().int(), targets: targetsSchema.partial().optional() });
const levelPatch = z.strictObject({ name: z.string().max(200).optional(), calendar_id: z.number().int().optional(), targets: targetsSchema.partial().optional() })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'validation.required' });

const clockSchema = z.object({
  clock: z.enum(CLOCK_KINDS), state: z.enum(['running', 'paused', 'met', 'breached', 'stopped']),
  due_at: z.iso.datetime().nullable(), achieved_at: z.iso.datetime().nullable(),
  paused_minutes: z.number().meta({ description: 'business minutes the clock stood still' }),
  over_minutes: z.number().nullable().meta({ description: 'an achieved clock’s business minutes over (positive) or under (negative) its target' }),
  left_minutes: z.number().nullable().meta({ description: 'business minutes left now (negative: overdue); null once achieved' }),
});
const ticketSlaSchema = z.object({
  level: z.object({ id, name: z.string(), source: z.enum(['component', 'contract', 'organisation', 'tenant']), reason: z.string() }).nullable(),
  clocks: z.array(clockSchema),
});
const reportRowSchema = z.object({
  key: z.string(), label: z.string(), tickets: z.number().int(), met: z.number().int(), breached: z.number().int(),
  compliance: z.number().nullable().meta({ description: 'met / (met + breached) in percent' }), paused_minutes: z.number(),
  first_response_median: z.number().nullable(), solution_median: z.number().nullable(),
});
const reportSchema = z.object({ from: z.string(), to: z.string(), group_by: z.string(), rows: z.array(reportRowSchema), total: reportRowSchema });

/** A store's refusal (message keys) as the API answers it: translated, at the body's paths. */
function refused(c: Ctx, error: unknown, paths: Record<string, string> = {}): never {
  if (!(error instanceof DomainError)) throw error;
  if (error.kind === 'not_found') throw new HttpError(404, c.var.t('error.notFound'));
  const fields = Object.fromEntries(Object.entries(error.fields).map(([field, key]) => [paths[field] ?? apiPath(field), c.var.t(key)]));
  throw new HttpError(error.kind === 'conflict' ? 409 : error.kind === 'invalid' ? 422 : 403, c.var.t(error.message), fields);
}
/** `target.solution.2` (a form field) is `targets.solution.1` in the body (priority 2 is index 1). */
const apiPath = (field: string) => {
  const target = /^target\.(\w+)\.(\d)$/.exec(field);
  return target ? `targets.${target[1]}.${Number(target[2]) - 1}` : field;
};
const CALENDAR_PATHS = { zone: 'time_zone', file: 'ics' };
const LEVEL_PATHS = { calendarId: 'calendar_id' };

async function calendarOut(c: Ctx, row: CalendarRow): Promise<z.input<typeof calendarSchema>> {
  const hours = parseHours(row.hours);
  return {
    id: row.id, name: row.name, time_zone: row.time_zone, is_default: Boolean(row.is_default),
    hours: Object.fromEntries(WEEKDAYS.map((day) => [String(day), formatDayHours(hours[day])])),
    holidays: (await calendars(c).holidays(row.id)).map((h) => ({ id: h.id, name: h.name, date: h.date, rrule: h.rrule })),
  };
}
const levelOut = (row: LevelRow): z.input<typeof levelSchema> => ({ id: row.id, name: row.name, calendar_id: row.calendar_id, targets: parseTargets(row.targets) });

async function getCalendar(c: Ctx, calendarId: number) {
  try { return await calendars(c).get(calendarId); } catch (error) { return refused(c, error); }
}
async function getLevel(c: Ctx, levelId: number) {
  try { return await levels(c).get(levelId); } catch (error) { return refused(c, error); }
}
/** The form texts the level store checks, from a level's current targets overlaid with the body's. */
function levelTargets(current: ReturnType<typeof parseTargets> | null, body: Partial<z.output<typeof targetsSchema>> | undefined) {
  const targets: Record<string, string> = {};
  for (const kind of CLOCK_KINDS) for (const priority of PRIORITY_NUMBERS) {
    const value = body?.[kind] ? body[kind]![priority - 1] : current?.[kind][priority - 1];
    targets[targetField(kind, priority)] = value === null || value === undefined ? '' : String(value);
  }
  return targets;
}

export const slaApiRoutes = [
  defineApiRoute({
    method: 'get', path: '/calendars', operationId: 'listSlaCalendars', tag: 'service levels', permission: VIEW,
    summary: 'The business-hours calendars with their holidays (plugin sla)', status: 200, response: z.object({ data: z.array(calendarSchema) }), errors: [403, 404],
    async handle(c) {
      return { data: await Promise.all((await calendars(c).list()).map((row) => calendarOut(c, row))) };
    },
  }),
  defineApiRoute({
    method: 'post', path: '/calendars', operationId: 'createSlaCalendar', tag: 'service levels', permission: MANAGE,
    summary: 'Create a calendar; answers 201 with its Location (plugin sla)', body: calendarBody, status: 201, response: apiOne(calendarSchema), errors: [403, 404, 409, 415, 422],
    async handle(c, { body }) {
      let created = 0;
      try { created = await calendars(c).save(null, { name: body.name, zone: body.time_zone, hours: body.hours }, actor(c)); } catch (error) { refused(c, error, CALENDAR_PATHS); }
      c.header('Location', href(c, `/api/v1/calendars/${created}`));
      return { data: await calendarOut(c, await getCalendar(c, created)) };
    },
  }),
  defineApiRoute({
    method: 'get', path: '/calendars/{id}', operationId: 'getSlaCalendar', tag: 'service levels', permission: VIEW,
    summary: 'One calendar with its holidays (plugin sla)', params: idParams, status: 200, response: apiOne(calendarSchema), errors: [403, 404, 422],
    async handle(c, { params }) {
      return { data: await calendarOut(c, await getCalendar(c, params.id)) };
    },
  }),
  defineApiRoute({
    method: 'patch', path: '/calendars/{id}', operationId: 'updateSlaCalendar', tag: 'service levels', permission: MANAGE,
    summary: 'Change a calendar’s name, zone or hours; the tickets’ clocks are recomputed in the background (plugin sla)',
    params: idParams, body: calendarPatch, status: 200, response: apiOne(calendarSchema), errors: [403, 404, 409, 415, 422],
    async handle(c, { params, body }) {
      const row = await getCalendar(c, params.id);
      const hours = parseHours(row.hours);
      const current = Object.fromEntries(WEEKDAYS.map((day) => [String(day), formatDayHours(hours[day])]));
      try {
        await calendars(c).save(params.id, { name: body.name ?? row.name, zone: body.time_zone ?? row.time_zone, hours: body.hours ? { ...body.hours } : current }, actor(c));
      } catch (error) { refused(c, error, CALENDAR_PATHS); }
      return { data: await calendarOut(c, await getCalendar(c, params.id)) };
    },
  }),
  defineApiRoute({
    method: 'delete', path: '/calendars/{id}', operationId: 'deleteSlaCalendar', tag: 'service levels', permission: MANAGE,
    summary: 'Delete a calendar no level uses (the 24/7 default stays: 409) (plugin sla)', params: idParams, status: 204, response: z.null(), errors: [403, 404, 409, 422],
    async handle(c, { params }) {
      try { await calendars(c).remove(params.id, actor(c)); } catch (error) { refused(c, error); }
      return null;
    },
  }),
  defineApiRoute({
    method: 'post', path: '/calendars/{id}/holidays/import', operationId: 'importSlaHolidays', tag: 'service levels', permission: MANAGE,
    summary: 'Add the holidays of an iCal file (dates the calendar has already are skipped) (plugin sla)',
    params: idParams, body: importBody, status: 200, response: z.object({ data: z.object({ imported: z.number().int(), calendar: calendarSchema }) }), errors: [403, 404, 415, 422],
    async handle(c, { params, body }) {
      await getCalendar(c, params.id);
      let imported = 0;
      try { imported = await calendars(c).importIcs(params.id, body.ics, actor(c)); } catch (error) { refused(c, error, CALENDAR_PATHS); }
      return { data: { imported, calendar: await calendarOut(c, await getCalendar(c, params.id)) } };
    },
  }),

  defineApiRoute({
    method: 'get', path: '/service-levels', operationId: 'listServiceLevels', tag: 'service levels', permission: VIEW,
    summary: 'The service levels with their target minutes (plugin sla)', status: 200, response: z.object({ data: z.array(levelSchema) }), errors: [403, 404],
    async handle(c) {
      return { data: (await levels(c).list()).map(levelOut) };
    },
  }),
  defineApiRoute({
    method: 'post', path: '/service-levels', operationId: 'createServiceLevel', tag: 'service levels', permission: MANAGE,
    summary: 'Create a service level; answers 201 with its Location (plugin sla)', body: levelBody, status: 201, response: apiOne(levelSchema), errors: [403, 404, 409, 415, 422],
    async handle(c, { body }) {
      let created = 0;
      try {
        created = await levels(c).save(null, { name: body.name, calendarId: String(body.calendar_id), targets: levelTargets(null, body.targets) }, actor(c));
      } catch (error) { refused(c, error, LEVEL_PATHS); }
      c.header('Location', href(c, `/api/v1/service-levels/${created}`));
      return { data: levelOut(await getLevel(c, created)) };
    },
  }),
  defineApiRoute({
    method: 'get', path: '/service-levels/{id}', operationId: 'getServiceLevel', tag: 'service levels', permission: VIEW,
    summary: 'One service level (plugin sla)', params: idParams, status: 200, response: apiOne(levelSchema), errors: [403, 404, 422],
    async handle(c, { params }) {
      return { data: levelOut(await getLevel(c, params.id)) };
    },
  }),
  defineApiRoute({
    method: 'patch', path: '/service-levels/{id}', operationId: 'updateServiceLevel', tag: 'service levels', permission: MANAGE,
    summary: 'Change a level’s name, calendar or targets (a clock’s list replaces it whole); clocks are recomputed in the background (plugin sla)',
    params: idParams, body: levelPatch, status: 200, response: apiOne(levelSchema), errors: [403, 404, 409, 415, 422],
    async handle(c, { params, body }) {
      const row = await getLevel(c, params.id);
      try {
        await levels(c).save(params.id, {
          name: body.name ?? row.name, calendarId: String(body.calendar_id ?? row.calendar_id), targets: levelTargets(parseTargets(row.targets), body.targets),
        }, actor(c));
      } catch (error) { refused(c, error, LEVEL_PATHS); }
      return { data: levelOut(await getLevel(c, params.id)) };
    },
  }),
  defineApiRoute({
    method: 'delete', path: '/service-levels/{id}', operationId: 'deleteServiceLevel', tag: 'service levels', permission: MANAGE,
    summary: 'Delete a service level; its tickets get their next level on recompute (plugin sla)', params: idParams, status: 204, response: z.null(), errors: [403, 404, 422],
    async handle(c, { params }) {
      try { await levels(c).remove(params.id, actor(c)); } catch (error) { refused(c, error); }
      return null;
    },
  }),

  defineApiRoute({
    method: 'get', path: '/tickets/{number}/sla', operationId: 'getTicketSla', tag: 'service levels', permission: VIEW,
    summary: 'A ticket’s service level, why it has it, and its clocks (plugin sla)',
    params: z.object({ number: z.string().max(40).meta({ description: 'ticket number, e.g. 2026-000123' }) }), status: 200, response: apiOne(ticketSlaSchema), errors: [403, 404, 422],
    async handle(c, { params }) {
      const ticket = await scope(c).selectFrom('tickets').select('id').where('number', '=', params.number).where('deleted_at', 'is', null).executeTakeFirst();
      if (!ticket) throw new HttpError(404, c.var.t('ticket.notFound'));
      const chosen = await scopeFor<SlaDB>(scope(c)).selectFrom('sla_tickets').innerJoin('sla_levels', 'sla_levels.id', 'sla_tickets.level_id')
          .select(['sla_levels.id', 'sla_levels.name', 'sla_tickets.source', 'sla_tickets.source_label']).where('sla_tickets.ticket_id', '=', ticket.id).executeTakeFirst();
      const clocks = chosen ? await liveClocks(scope(c), [ticket.id], c.var.services.clock()) : [];
      return {
        data: {
          level: chosen ? { id: chosen.id, name: chosen.name, source: chosen.source as 'contract', reason: reasonText(c.var.t, chosen.source, chosen.source_label) } : null,
          clocks: clocks.map((clock) => ({
            clock: clock.clock, state: clock.state, due_at: clock.dueAt, achieved_at: clock.achievedAt, paused_minutes: clock.pausedMinutes,
            over_minutes: clock.overMinutes, left_minutes: clock.achievedAt ? null : clock.left,
          })),
        },
      };
    },
  }),

  defineApiRoute({
    method: 'get', path: '/reports/sla', operationId: 'getSlaReport', tag: 'service levels', permission: REPORTS,
    summary: 'SLA compliance of the tickets opened in a period (days in the tenant’s zone), grouped (plugin sla)',
    query: reportQuerySchema, status: 200, response: apiOne(reportSchema), errors: [403, 404, 422],
    async handle(c, { query }) {
      const tenant = tenantOf(c);
      const report = await slaReport(c.var.services.db, tenant.id, tenant.time_zone || DEFAULT_TIME_ZONE, ticketSettings(tenant), c.var.t, query, c.var.services.clock());
      const out = (row: (typeof report.rows)[number]) => ({
        key: row.key, label: row.label, tickets: row.tickets, met: row.met, breached: row.breached, compliance: row.compliance,
        paused_minutes: row.pausedMinutes, first_response_median: row.firstResponseMedian, solution_median: row.solutionMedian,
      });
      return { data: { from: query.from, to: query.to, group_by: query.groupBy, rows: report.rows.map(out), total: out(report.total) } };
    },
  }),
];
