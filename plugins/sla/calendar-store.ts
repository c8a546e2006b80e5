import ICAL from 'ical.js';
import { DomainError, invalidFields, pluginScope, type Services, type TenantScope } from '../../core/plugin-api.js';
import {
  ALWAYS_HOURS, WEEKDAYS, holidayRuleProblem, isDate, parseDayHours, type BusinessCalendar, type HolidayRule, type WeeklyHours,
} from './business-calendar.js';
import { enqueueTickets, ticketsOfLevels } from './recompute-queue.js';
import type { SlaDB } from './sla-db.js';

export const NAME_MAX = 120;
/** The largest iCal file an admin may upload, and the most holidays one import adds. */
export const ICS_MAX_BYTES = 512 * 1024;
const IMPORT_MAX = 500;
/** The default calendar's name; it exists once per tenant, created on first use (see the README). */
export const DEFAULT_CALENDAR_NAME = '24/7';

export interface CalendarRow { id: number; name: string; time_zone: string; hours: string; is_default: number }
export interface HolidayRow { id: number; calendar_id: number; name: string; date: string; rrule: string | null }
/** What the calendar form sends: name, zone and one text per weekday ("08:00-12:00, 13:00-17:00"). */
export interface CalendarInput { name: string; zone: string; hours: Partial<Record<string, string>> }
export interface HolidayInput { name: string; date: string; rrule: string }
interface Actor { id: number | null; label: string }

export function isZone(zone: string): boolean {
  if (zone === 'UTC') return true;
  return Intl.supportedValuesOf('timeZone').includes(zone);
}

export function parseHours(raw: string): WeeklyHours {
  return JSON.parse(raw) as WeeklyHours;
}

/** Checks the form: the calendar's values, or a refusal with one message key per field. */
export function checkCalendar(input: CalendarInput): { name: string; zone: string; hours: WeeklyHours } {
  const fields: Record<string, string> = {};
  const name = input.name.trim();
  if (!name) fields.name = 'sla.field.required';
  else if (name.length > NAME_MAX) fields.name = 'sla.field.tooLong';
  const zone = input.zone.trim();
  if (!isZone(zone)) fields.zone = 'sla.calendar.zoneInvalid';
  const hours: Record<number, unknown> = {};
  for (const day of WEEKDAYS) {
    const parsed = parseDayHours(input.hours[String(day)] ?? '');
    if (typeof parsed === 'string') fields[`hours.${day}`] = parsed;
    else if (parsed.length) hours[day] = parsed;
  }
  if (!fields['hours.1'] && Object.keys(hours).length === 0 && Object.keys(fields).every((f) => !f.startsWith('hours.'))) fields['hours.1'] = 'sla.hours.none';
  if (Object.keys(fields).length) throw invalidFields('error.invalid', fields);
  return { name, zone, hours: hours as WeeklyHours };
}

export function checkHoliday(input: HolidayInput): HolidayInput {
  const fields: Record<string, string> = {};
  const name = input.name.trim();
  if (!name) fields.name = 'sla.field.required';
  else if (name.length > NAME_MAX) fields.name = 'sla.field.tooLong';
  if (!isDate(input.date.trim())) fields.date = 'sla.holiday.dateInvalid';
  const rrule = input.rrule.trim().replace(/^RRULE:/i, '');
  if (rrule) { const problem = holidayRuleProblem(rrule); if (problem) fields.rrule = problem; }
  if (Object.keys(fields).length) throw invalidFields('error.invalid', fields);
  return { name, date: input.date.trim(), rrule };
}

/** Holidays of an iCal file: each VEVENT's first date and, when it recurs, its RRULE. Refuses a file that is not iCal. */
export function holidaysFromIcs(text: string): HolidayInput[] {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch {
    throw invalidFields('error.invalid', { file: 'sla.import.invalid' });
  }
  const found: HolidayInput[] = [];
  for (const vevent of root.getAllSubcomponents('vevent')) {
    const start = vevent.getFirstPropertyValue('dtstart');
    if (!(start instanceof ICAL.Time)) continue;
    const date = `${start.year}-${String(start.month).padStart(2, '0')}-${String(start.day).padStart(2, '0')}`;
    const recur = vevent.getFirstPropertyValue('rrule');
    const rrule = recur instanceof ICAL.Recur ? recur.toString() : '';
    const name = String(vevent.getFirstPropertyValue('summary') ?? '').trim().slice(0, NAME_MAX) || date;
    if (!isDate(date) || (rrule && holidayRuleProblem(rrule))) continue;
    found.push({ name, date, rrule });
    if (found.length >= IMPORT_MAX) break;
  }
  if (found.length === 0) throw invalidFields('error.invalid', { file: 'sla.import.empty' });
  return found;
}

/** A calendar as the arithmetic reads it (zone, hours, holidays), through a tenant scope; null when the tenant has no such calendar. */
export async function loadCalendar(scope: TenantScope<SlaDB>, id: number): Promise<BusinessCalendar | null> {
  const row = await scope.selectFrom('sla_calendars').select(['time_zone', 'hours']).where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const holidays: HolidayRule[] = (await scope.selectFrom('sla_holidays').select(['date', 'rrule']).where('calendar_id', '=', id).execute())
    .map((h) => (h.rrule ? { rrule: h.rrule, start: h.date } : { date: h.date }));
  return { zone: row.time_zone, hours: parseHours(row.hours), holidays };
}

/** The calendars of a tenant: the 24/7 default made on first use, the admin's own, their holidays. */
export function calendarStore(services: Services, tenantId: number) {
  const scope = pluginScope<SlaDB>(services.db, tenantId);
  const now = () => services.clock().toISOString();
  const audit = (actor: Actor, action: string, target: string, trx = services.db) =>
    services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action, target }, trx);

  async function get(id: number): Promise<CalendarRow> {
    const row = await scope.selectFrom('sla_calendars').select(['id', 'name', 'time_zone', 'hours', 'is_default']).where('id', '=', id).executeTakeFirst();
    if (!row) throw new DomainError('not_found', 'error.notFound');
    return row;
  }

  /** Recomputing follows in the job: every ticket whose level uses the calendar. */
  async function requeue(calendarId: number): Promise<void> {
    const levels = (await scope.selectFrom('sla_levels').select('id').where('calendar_id', '=', calendarId).execute()).map((row) => row.id);
    await enqueueTickets(scope, await ticketsOfLevels(scope, levels));
  }

  const store = {
    get,

    /** The tenant's 24/7 calendar, created now if it has none (a migration does not know the tenants). */
    async ensureDefault(): Promise<number> {
      const existing = await scope.selectFrom('sla_calendars').select('id').where('is_default', '=', 1).executeTakeFirst();
      if (existing) return existing.id;
      const tenant = await services.tenants.byId(tenantId);
      await scope.insertInto('sla_calendars', { name: DEFAULT_CALENDAR_NAME, time_zone: tenant?.time_zone ?? 'UTC', hours: JSON.stringify(ALWAYS_HOURS), is_default: 1, created_at: now(), updated_at: now() })
        .onConflict((oc) => oc.columns(['tenant_id', 'name']).doNothing()).execute();
      const made = await scope.selectFrom('sla_calendars').select('id').where('name', '=', DEFAULT_CALENDAR_NAME).executeTakeFirstOrThrow();
      await scope.updateTable('sla_calendars').set({ is_default: 1 }).where('id', '=', made.id).execute();
      return made.id;
    },

    async list(): Promise<CalendarRow[]> {
      await store.ensureDefault();
      return scope.selectFrom('sla_calendars').select(['id', 'name', 'time_zone', 'hours', 'is_default']).orderBy('is_default', 'desc').orderBy('name').execute();
    },

    holidays(calendarId: number): Promise<HolidayRow[]> {
      return scope.selectFrom('sla_holidays').select(['id', 'calendar_id', 'name', 'date', 'rrule']).where('calendar_id', '=', calendarId).orderBy('date').orderBy('id').execute();
    },

    /** The calendar as the arithmetic reads it. */
    async load(id: number): Promise<BusinessCalendar> {
      const calendar = await loadCalendar(scope, id);
      if (!calendar) throw new DomainError('not_found', 'error.notFound');
      return calendar;
    },

    async save(id: number | null, input: CalendarInput, actor: Actor): Promise<number> {
      const values = checkCalendar(input);
      if (id !== null) await get(id);
      const saved = await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const clash = await tx.selectFrom('sla_calendars').select('id').where('name', '=', values.name).$if(id !== null, (q) => q.where('id', '!=', id!)).executeTakeFirst();
        if (clash) throw new DomainError('conflict', 'error.invalid', { name: 'sla.field.taken' });
        const row = { name: values.name, time_zone: values.zone, hours: JSON.stringify(values.hours), updated_at: now() };
        let savedId: number;
        if (id === null) savedId = (await tx.insertInto('sla_calendars', { ...row, is_default: 0, created_at: now() }).returning('id').executeTakeFirstOrThrow()).id;
        else {
          await tx.updateTable('sla_calendars').set(row).where('id', '=', id).execute();
          savedId = id;
        }
        await audit(actor, id === null ? 'sla.calendar_created' : 'sla.calendar_changed', values.name, trx);
        return savedId;
      });
      if (id !== null) await requeue(id);
      return saved;
    },

    async remove(id: number, actor: Actor): Promise<void> {
      const row = await get(id);
      if (row.is_default) throw new DomainError('conflict', 'sla.calendar.defaultKept');
      const used = await scope.selectFrom('sla_levels').select('id').where('calendar_id', '=', id).executeTakeFirst();
      if (used) throw new DomainError('conflict', 'sla.calendar.inUse');
      await services.db.transaction().execute(async (trx) => {
        await scope.withDb(trx).deleteFrom('sla_calendars').where('id', '=', id).execute();
        await audit(actor, 'sla.calendar_deleted', row.name, trx);
      });
    },

    async addHoliday(calendarId: number, input: HolidayInput, actor: Actor): Promise<void> {
      const calendar = await get(calendarId);
      const values = checkHoliday(input);
      await services.db.transaction().execute(async (trx) => {
        await scope.withDb(trx).insertInto('sla_holidays', { calendar_id: calendarId, name: values.name, date: values.date, rrule: values.rrule || null }).execute();
        await audit(actor, 'sla.holiday_added', `${calendar.name}: ${values.name}`, trx);
      });
      await requeue(calendarId);
    },

    async removeHoliday(calendarId: number, holidayId: number, actor: Actor): Promise<void> {
      const calendar = await get(calendarId);
      const holiday = await scope.selectFrom('sla_holidays').select(['id', 'name']).where('id', '=', holidayId).where('calendar_id', '=', calendarId).executeTakeFirst();
      if (!holiday) throw new DomainError('not_found', 'error.notFound');
      await services.db.transaction().execute(async (trx) => {
        await scope.withDb(trx).deleteFrom('sla_holidays').where('id', '=', holidayId).execute();
        await audit(actor, 'sla.holiday_removed', `${calendar.name}: ${holiday.name}`, trx);
      });
      await requeue(calendarId);
    },

    /** Adds the holidays of an uploaded iCal file; a date (and rule) the calendar has already is skipped. Returns how many were added. */
    async importIcs(calendarId: number, text: string, actor: Actor): Promise<number> {
      const calendar = await get(calendarId);
      const found = holidaysFromIcs(text);
      const added = await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const known = new Set((await tx.selectFrom('sla_holidays').select(['date', 'rrule']).where('calendar_id', '=', calendarId).execute()).map((h) => `${h.date}|${h.rrule ?? ''}`));
        const fresh = found.filter((h) => !known.has(`${h.date}|${h.rrule}`) && known.add(`${h.date}|${h.rrule}`));
        if (fresh.length) await tx.insertInto('sla_holidays', fresh.map((h) => ({ calendar_id: calendarId, name: h.name, date: h.date, rrule: h.rrule || null }))).execute();
        await audit(actor, 'sla.holidays_imported', `${calendar.name}: ${fresh.length}`, trx);
        return fresh.length;
      });
      await requeue(calendarId);
      return added;
    },
  };
  return store;
}
