import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';
import { enqueueJob, ensureSchedule, nextOccurrence, ScheduleError } from './job-queue.js';
import { createJobRunner } from './job-runner.js';

describe('schedules', () => {
  it('computes the next occurrence of an RRULE and refuses a bad one', () => {
    const start = new Date('2026-11-24T08:00:00Z');
    expect(nextOccurrence('FREQ=HOURLY;INTERVAL=2', start, new Date('2026-11-24T09:30:00Z'))?.toISOString()).toBe('2026-11-24T10:00:00.000Z');
    expect(() => nextOccurrence('FREQ=SOMETIMES', start, start)).toThrow(ScheduleError);
    expect(() => nextOccurrence('INTERVAL=2', start, start)).toThrow('has no FREQ');
  });
});

describe.each(dialects)('job runner on %s', (dialect) => {
  let database: TestDatabase;
  let now: Date;
  const clock = () => now;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    now = new Date('2026-11-24T08:00:00Z');
  });
  afterEach(() => database.cleanup());

  it('runs a due one-off job once and marks it done; a job due later waits', async () => {
    const seen: unknown[] = [];
    const runner = createJobRunner({ db: database.db, clock, handlers: { 'mail.send': async ({ payload }) => void seen.push(payload) } });
    await enqueueJob(database.db, clock, { name: 'mail.send', payload: { to: 'a@b.c' } });
    await enqueueJob(database.db, clock, { name: 'mail.send', payload: { to: 'later' }, runAt: new Date(now.getTime() + 60_000) });
    expect(await runner.runDue()).toBe(1);
    expect(await runner.runDue()).toBe(0);
    expect(seen).toEqual([{ to: 'a@b.c' }]);
    const rows = await database.db.selectFrom('jobs').select(['status', 'attempts']).orderBy('id').execute();
    expect(rows).toEqual([{ status: 'done', attempts: 1 }, { status: 'queued', attempts: 0 }]);
  });

  it('retries a failing job with growing back-off, then gives up with the error kept', async () => {
    const runner = createJobRunner({ db: database.db, clock, handlers: { flaky: async () => { throw new Error('SMTP down'); } } });
    await enqueueJob(database.db, clock, { name: 'flaky', maxAttempts: 3 });
    const runAts: string[] = [];
    for (let i = 0; i < 3; i++) {
      expect(await runner.runDue()).toBe(1);
      const row = await database.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
      runAts.push(row.run_at);
      now = new Date(row.run_at);
    }
    const row = await database.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(row.attempts).toBe(3);
    expect(row.last_error).toContain('SMTP down');
    expect(runAts.slice(0, 2)).toEqual(['2026-11-24T08:00:10.000Z', '2026-11-24T08:00:30.000Z']);
  });

  it('reschedules a recurring job at its next occurrence, and creates the schedule once', async () => {
    let runs = 0;
    const runner = createJobRunner({ db: database.db, clock, handlers: { sweep: async () => void runs++ } });
    await ensureSchedule(database.db, clock, { name: 'sweep', rrule: 'FREQ=MINUTELY;INTERVAL=5', uniqueKey: 'sweep' });
    await ensureSchedule(database.db, clock, { name: 'sweep', rrule: 'FREQ=MINUTELY;INTERVAL=5', uniqueKey: 'sweep' });
    expect(await database.db.selectFrom('jobs').select('id').execute()).toHaveLength(1);
    expect(await runner.runDue()).toBe(1);
    const row = await database.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
    expect(row.status).toBe('queued');
    expect(row.run_at).toBe('2026-11-24T08:05:00.000Z');
    now = new Date('2026-11-24T08:05:00Z');
    expect(await runner.runDue()).toBe(1);
    expect(runs).toBe(2);
  });

  it('takes over the job of a crashed worker once its lease has expired', async () => {
    await enqueueJob(database.db, clock, { name: 'report' });
    await database.db.updateTable('jobs').set({ status: 'running', lease_owner: 'dead-process', lease_expires_at: new Date(now.getTime() + 60_000).toISOString(), attempts: 1 }).execute();
    let ran = 0;
    const runner = createJobRunner({ db: database.db, clock, handlers: { report: async () => void ran++ } });
    expect(await runner.runDue()).toBe(0);
    now = new Date(now.getTime() + 61_000);
    expect(await runner.runDue()).toBe(1);
    expect(ran).toBe(1);
  });

  it('detects and logs a lease that passed to another owner while the job ran, aborts its signal and leaves the row to the new owner', async () => {
    await enqueueJob(database.db, () => new Date(), { name: 'stalled' });
    const warnings: Array<[string, Record<string, unknown> | undefined]> = [];
    const log = { debug() {}, info() {}, error() {}, warn: (message: string, fields?: Record<string, unknown>) => void warnings.push([message, fields]) };
    let aborted = false;
    const handlers = {
      stalled: async ({ db, signal }: { db: typeof database.db; signal?: AbortSignal }) => {
        // As if this process stalled past its lease and another claimed the job meanwhile.
        await db.updateTable('jobs').set({ lease_owner: 'thief', lease_expires_at: new Date(Date.now() + 60_000).toISOString() }).execute();
        const deadline = Date.now() + 5000;
        while (!signal?.aborted && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        aborted = signal?.aborted ?? false;
      },
    };
    const runner = createJobRunner({ db: database.db, clock: () => new Date(), handlers, leaseMs: 90, owner: 'stalled-runner', log });
    expect(await runner.runDue()).toBe(1);
    expect(aborted).toBe(true);
    expect(warnings).toEqual([['job lease lost', { job: 'stalled', id: expect.any(Number), owner: 'stalled-runner' }]]);
    // The end of the stalled run is not written over the new owner's claim.
    expect(await database.db.selectFrom('jobs').select(['status', 'lease_owner']).executeTakeFirstOrThrow()).toEqual({ status: 'running', lease_owner: 'thief' });
  });

  it('renews the lease while a job longer than its lease runs, so another runner does not start it again', async () => {
    await enqueueJob(database.db, () => new Date(), { name: 'long' });
    let running = 0;
    let overlapped = false;
    let runs = 0;
    const handlers = {
      long: async () => {
        runs++;
        running++;
        if (running > 1) overlapped = true;
        // Three lease lengths; the other runner polls all the while. (A lease of 200 ms expired once under a CI
        // machine's load before its renewal ran: 600 ms leave a loaded event loop room.)
        await new Promise((r) => setTimeout(r, 1800));
        running--;
      },
    };
    const real = () => new Date();
    const first = createJobRunner({ db: database.db, clock: real, handlers, leaseMs: 600, owner: 'first' });
    const second = createJobRunner({ db: database.db, clock: real, handlers, leaseMs: 600, owner: 'second' });
    const started = first.runDue();
    const deadline = Date.now() + 8000;
    // The first runner holds the job before the second starts polling (else either may claim it first).
    while ((await database.db.selectFrom('jobs').select('lease_owner').executeTakeFirstOrThrow()).lease_owner !== 'first' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    let secondRan = 0;
    while ((await database.db.selectFrom('jobs').select('status').executeTakeFirstOrThrow()).status !== 'done' && Date.now() < deadline) {
      secondRan += await second.runDue();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await started).toBe(1);
    expect({ runs, overlapped, secondRan }).toEqual({ runs: 1, overlapped: false, secondRan: 0 });
    expect(await database.db.selectFrom('jobs').select(['status', 'attempts']).executeTakeFirstOrThrow()).toEqual({ status: 'done', attempts: 1 });
  });

  it('two processes on one database run a scheduled job exactly once', async () => {
    const tsx = resolve('node_modules/.bin/tsx');
    const worker = resolve('test/harness/job-worker.ts');
    const runWorker = () => new Promise<number>((done, fail) => {
      const child = spawn(tsx, [worker, database.url, '3'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
      child.on('exit', (code) => (code === 0 ? done(code) : fail(new Error(`worker exited ${code}: ${stderr}`))));
    });
    await Promise.all([runWorker(), runWorker()]);
    const runs = await database.db.selectFrom('audit_log').select('actor_label').where('action', '=', 'job.tick').execute();
    expect(runs).toHaveLength(1);
    expect(await database.db.selectFrom('jobs').select('id').where('unique_key', '=', 'test.tick').execute()).toHaveLength(1);
  }, 60_000);
});
