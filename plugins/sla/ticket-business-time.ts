import { scopeFor } from '../../core/plugin-api.js';
import { loadCalendar } from './calendar-store.js';
import { calendarTime } from './calendar-time.js';
import type { SlaBusinessTime } from './extension-points.js';
import type { SlaDB } from './sla-db.js';

/** The sla plugin's answer to `sla.businessTime`: the ticket's level's calendar, read per call (callers ask for a few tickets a run). */
export const ticketBusinessTime: SlaBusinessTime = {
  async minutesBetween({ ticketId, scope, from, until }) {
    const s = scopeFor<SlaDB>(scope);
    const level = await s.selectFrom('sla_tickets').innerJoin('sla_levels', 'sla_levels.id', 'sla_tickets.level_id')
      .innerJoin('sla_calendars', 'sla_calendars.id', 'sla_levels.calendar_id')
      .select(['sla_levels.calendar_id as calendarId', 'sla_calendars.name as calendarName'])
      .where('sla_tickets.ticket_id', '=', ticketId).executeTakeFirst();
    if (!level) return null;
    const calendar = await loadCalendar(s, level.calendarId);
    if (!calendar) return null;
    if (until.getTime() <= from.getTime()) return { minutes: 0, calendar: level.calendarName };
    return { minutes: calendarTime(calendar).between(from.getTime(), until.getTime()), calendar: level.calendarName };
  },
};
