import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../time.js';
import { nextOccurrence } from './job-queue.js';
import type { JobHandler } from './job-types.js';

export interface JobRunnerOptions {
  db: Kysely<DB>;
  clock: Clock;
  handlers: Record<string, JobHandler>;
  /** Identifies this process in leases; random by default. */
  owner?: string;
  pollMs?: number;
  leaseMs?: number;
  log?: Logger;
}

const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 60 * 60 * 1000;

/**
 * Runs due jobs from the `jobs` table. A job is claimed with a conditional UPDATE that only
 * one process can win (the row must still be due and unleased); the lease expires, so a job
 * of a crashed process is taken over instead of lost, and is renewed while the job runs (see
 * startHeartbeat), so a long job is not.
 */
export function createJobRunner(options: JobRunnerOptions) {
  const { db, clock, handlers, log } = options;
  const owner = options.owner ?? randomUUID();
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = options.leaseMs ?? 5 * 60 * 1000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = true;

  async function claim(id: number, now: Date): Promise<boolean> {
    const nowIso = now.toISOString();
    const result = await db.updateTable('jobs')
      .set({ status: 'running', lease_owner: owner, lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(), attempts: sql`attempts + 1` })
      .where('id', '=', id)
      .where((eb) => eb.or([
        eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', nowIso)]),
        eb.and([eb('status', '=', 'running'), eb('lease_expires_at', '<=', nowIso)]),
      ]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async function finish(job: { id: number; rrule: string | null; created_at: string; attempts: number; max_attempts: number }, error: unknown): Promise<void> {
    const now = clock();
    const mine = (q: ReturnType<typeof db.updateTable<'jobs'>>) => q.where('id', '=', job.id).where('lease_owner', '=', owner);
    const next = job.rrule ? nextOccurrence(job.rrule, new Date(job.created_at), now) : undefined;
    if (!error) {
      const done = job.rrule && next
        ? { status: 'queued' as const, run_at: next.toISOString(), attempts: 0, last_error: null }
        : { status: 'done' as const };
      await mine(db.updateTable('jobs')).set({ ...done, lease_owner: null, lease_expires_at: null, last_run_at: now.toISOString() }).execute();
      return;
    }
    const message = (error instanceof Error ? error.stack ?? error.message : String(error)).slice(0, 2000);
    // attempts already counts this run: it is raised when the job is claimed.
    const attempts = job.attempts;
    if (attempts < job.max_attempts) {
      const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempts - 1));
      await mine(db.updateTable('jobs')).set({ status: 'queued', run_at: new Date(now.getTime() + delay).toISOString(), last_error: message, lease_owner: null, lease_expires_at: null, last_run_at: now.toISOString() }).execute();
    } else if (job.rrule && next) {
      // A recurring job that keeps failing still gets its next occurrence; the error stays visible.
      await mine(db.updateTable('jobs')).set({ status: 'queued', run_at: next.toISOString(), attempts: 0, last_error: message, lease_owner: null, lease_expires_at: null, last_run_at: now.toISOString() }).execute();
    } else {
      await mine(db.updateTable('jobs')).set({ status: 'failed', last_error: message, lease_owner: null, lease_expires_at: null, last_run_at: now.toISOString() }).execute();
    }
  }

  /**
   * Extends the job's lease every third of its length while the handler runs, so a job longer than
   * its lease is not taken over by another process. When the lease is found in another owner's hands
   * (this process stalled past it), that is logged and the handler's signal fires.
   */
  function startHeartbeat(job: { id: number; name: string }) {
    const lost = new AbortController();
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      renewing = renewing.then(async () => {
        if (lost.signal.aborted) return;
        const result = await db.updateTable('jobs').set({ lease_expires_at: new Date(clock().getTime() + leaseMs).toISOString() })
          .where('id', '=', job.id).where('status', '=', 'running').where('lease_owner', '=', owner).executeTakeFirst();
        if (Number(result.numUpdatedRows) === 1) return;
        log?.warn('job lease lost', { job: job.name, id: job.id, owner });
        lost.abort(new Error(`the lease of job ${job.id} passed to another process`));
      }).catch((error: unknown) => log?.warn('job lease renewal failed', { job: job.name, id: job.id, error: String(error) }));
    }, Math.max(10, Math.floor(leaseMs / 3)));
    return {
      lost: lost.signal,
      /** Stops renewing; waits for a renewal under way, so it cannot land after the job's end is written. */
      async stop(): Promise<void> {
        clearInterval(timer);
        await renewing;
      },
    };
  }

  /** Claims and runs every job due now; returns how many ran. */
  async function runDue(limit = 20): Promise<number> {
    const now = clock();
    const nowIso = now.toISOString();
    const names = Object.keys(handlers);
    if (names.length === 0) return 0;
    const due = await db.selectFrom('jobs').select(['id'])
      .where('name', 'in', names)
      .where((eb) => eb.or([
        eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', nowIso)]),
        eb.and([eb('status', '=', 'running'), eb('lease_expires_at', '<=', nowIso)]),
      ]))
      .orderBy('run_at').limit(limit).execute();
    let ran = 0;
    for (const { id } of due) {
      if (!(await claim(id, now))) continue;
      const job = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const handler = handlers[job.name]!;
      const heartbeat = startHeartbeat(job);
      let failure: unknown;
      try {
        await handler({ tenantId: job.tenant_id, payload: JSON.parse(job.payload), db, clock, signal: heartbeat.lost });
      } catch (error) {
        failure = error ?? new Error('job failed');
        log?.warn('job failed', { job: job.name, id, error: String(error) });
      } finally {
        await heartbeat.stop();
      }
      await finish(job, failure);
      ran++;
    }
    return ran;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runDue().catch((error: unknown) => {
        log?.error('job runner error', { error: String(error) });
        return 0;
      }).finally(() => {
        running = undefined;
        schedule();
      });
    }, pollMs);
  }

  return {
    owner,
    runDue,
    start(): void {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    /** Stops polling and waits for the job under way. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
export type JobRunner = ReturnType<typeof createJobRunner>;
