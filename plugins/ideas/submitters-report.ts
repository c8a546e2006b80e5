import { DEFAULT_TIME_ZONE, invalidFields, isoToZoned, pluginScope, zonedDayEnd, zonedDayStart, type DB } from '../../core/plugin-api.js';
import type { Kysely } from 'kysely';
import type { IdeasDB } from './ideas-db.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface SubmitterRow { submitter: string; kind: 'user' | 'person'; accepted: number; proposals: Array<{ id: number; number: string; title: string; accepted_at: string }> }

/**
 * The period: both days given (YYYY-MM-DD, the tenant's zone), or the current year up to today, both in the tenant's
 * zone (late on 31 December UTC it is already the next year in Berlin); from after to is refused.
 */
export function reportPeriod(query: { from?: string | undefined; to?: string | undefined }, now: Date, zone: string | null): { from: string; to: string } {
  const today = isoToZoned(now.toISOString(), zone || DEFAULT_TIME_ZONE).slice(0, 10);
  const from = query.from || `${today.slice(0, 4)}-01-01`;
  const to = query.to || today;
  const fields: Record<string, string> = {};
  if (!DATE.test(from) || Number.isNaN(Date.parse(from))) fields.from = 'ideas.error.date';
  if (!DATE.test(to) || Number.isNaN(Date.parse(to))) fields.to = 'ideas.error.date';
  if (!fields.from && !fields.to && from > to) fields.to = 'ideas.error.period';
  if (Object.keys(fields).length) throw invalidFields('error.invalid', fields);
  return { from, to };
}

/** Accepted proposals per submitter in the period (for the incentive): idea managers only, names always shown. */
export async function submittersReport(db: Kysely<DB>, tenantId: number, period: { from: string; to: string }, zone: string | null): Promise<SubmitterRow[]> {
  const tz = zone || DEFAULT_TIME_ZONE;
  const rows = await pluginScope<IdeasDB>(db, tenantId).selectFrom('ideas_proposals as p').innerJoin('tickets as t', 't.id', 'p.ticket_id')
    .select(['p.id', 't.number', 'p.title', 'p.accepted_at', 'p.submitter_label', 'p.submitter_user_id', 'p.submitter_person_id'])
    .where('p.accepted_at', '>=', zonedDayStart(period.from, tz)!).where('p.accepted_at', '<', zonedDayEnd(period.to, tz)!)
    .orderBy('p.accepted_at').orderBy('p.id').limit(10_000).execute();
  const bySubmitter = new Map<string, SubmitterRow>();
  for (const row of rows) {
    const key = row.submitter_user_id !== null ? `u${row.submitter_user_id}` : `p${row.submitter_person_id}`;
    const entry = bySubmitter.get(key) ?? { submitter: row.submitter_label, kind: row.submitter_user_id !== null ? 'user' : 'person', accepted: 0, proposals: [] };
    entry.accepted += 1;
    entry.proposals.push({ id: row.id, number: row.number, title: row.title, accepted_at: row.accepted_at! });
    bySubmitter.set(key, entry);
  }
  return [...bySubmitter.values()].sort((a, b) => b.accepted - a.accepted || a.submitter.localeCompare(b.submitter));
}
