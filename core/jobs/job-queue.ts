import rrulePackage, { type RRule } from 'rrule';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../time.js';

// rrule ships CommonJS; Node's ESM loader only sees its default export.
const { RRule: RRuleClass } = rrulePackage;

export class ScheduleError extends Error {}

/** Parses an RFC 5545 rule; its occurrences count from `dtstart`. */
export function parseSchedule(rule: string, dtstart: Date): RRule {
  let options;
  try {
    options = RRuleClass.parseString(rule.replace(/^RRULE:/, ''));
  } catch (error) {
    throw new ScheduleError(`"${rule}" is not a valid RRULE: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (options.freq === undefined) throw new ScheduleError(`"${rule}" has no FREQ`);
  return new RRuleClass({ ...options, dtstart: options.dtstart ?? dtstart });
}

/** The first occurrence strictly after `after`, or undefined when the rule has ended. */
export function nextOccurrence(rule: string, dtstart: Date, after: Date): Date | undefined {
  return parseSchedule(rule, dtstart).after(after, false) ?? undefined;
}

export interface EnqueueOptions {
  name: string;
  tenantId?: number | null;
  payload?: unknown;
  runAt?: Date;
  /** A job with the same key is not added twice. */
  uniqueKey?: string;
  maxAttempts?: number;
}

/** Adds a one-off job; with a unique key, a second enqueue of the same key does nothing. */
export async function enqueueJob(db: Kysely<DB>, clock: Clock, options: EnqueueOptions): Promise<void> {
  await db.insertInto('jobs').values({
    name: options.name,
    tenant_id: options.tenantId ?? null,
    unique_key: options.uniqueKey ?? null,
    payload: JSON.stringify(options.payload ?? {}),
    run_at: (options.runAt ?? clock()).toISOString(),
    max_attempts: options.maxAttempts ?? 5,
    created_at: clock().toISOString(),
  }).onConflict((oc) => oc.column('unique_key').doNothing()).execute();
}

/**
 * Makes sure a recurring job exists, exactly once however many processes start at the
 * same moment (the unique key decides); its first run is the rule's next occurrence.
 */
export async function ensureSchedule(db: Kysely<DB>, clock: Clock, options: { name: string; rrule: string; tenantId?: number | null; uniqueKey: string; payload?: unknown }): Promise<void> {
  const now = clock();
  const first = nextOccurrence(options.rrule, now, new Date(now.getTime() - 1000)) ?? now;
  await db.insertInto('jobs').values({
    name: options.name,
    tenant_id: options.tenantId ?? null,
    unique_key: options.uniqueKey,
    payload: JSON.stringify(options.payload ?? {}),
    rrule: options.rrule,
    run_at: first.toISOString(),
    // The rule's occurrences count from here (DTSTART), so the schedule does not drift.
    created_at: now.toISOString(),
  }).onConflict((oc) => oc.column('unique_key').doUpdateSet({ rrule: options.rrule })).execute();
}
