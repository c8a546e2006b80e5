import { z } from 'zod';
import { REPORT_GROUPS } from './sla-report.js';

/** Who sees the compliance reports (page, CSV, API, statistics panel): supervisors and admins. */
export const REPORTS = 'sla.reports';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (text: string) => DATE.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
const day = z.string().refine(isDay, { message: 'sla.report.dateInvalid' }).meta({ description: 'a calendar day YYYY-MM-DD in the tenant’s time zone' });

/** The report's period (both days included, at most about three years) and grouping, from the page's URL or the API's query. */
export const reportQuerySchema = z.object({
  from: day,
  to: day,
  groupBy: z.enum(REPORT_GROUPS).default('level').meta({ description: 'level, group, agent, priority, organisation or month' }),
}).refine((q) => !isDay(q.from) || !isDay(q.to) || q.from <= q.to, { message: 'sla.report.rangeReversed', path: ['to'] })
  .refine((q) => !isDay(q.from) || !isDay(q.to) || Date.parse(q.to) - Date.parse(q.from) <= 1100 * 86_400_000, { message: 'sla.report.rangeTooLong', path: ['to'] });
