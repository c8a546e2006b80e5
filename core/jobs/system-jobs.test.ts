import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin } from '../plugin-host/plugin-switches.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { notesPlugin } from '../../test/plugins/test-plugins.js';
import { createJobRunner } from './job-runner.js';
import { ensureSystemSchedules, systemJobHandlers } from './system-jobs.js';

describe.each(dialects)('system and plugin jobs on %s', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(dialect, [notesPlugin]);
  });
  afterAll(() => app.cleanup());

  it('runs a plugin job for the tenants that have the plugin on, and skips the others', async () => {
    const { db, registry, tenants, mailer, clock } = app.services;
    const on = await app.createTenant('on');
    const off = await app.createTenant('off');
    await enablePlugin(db, registry, on.id, 'notes');
    await ensureSystemSchedules(db, clock, registry);
    await ensureSystemSchedules(db, clock, registry);
    expect((await db.selectFrom('jobs').select('name').orderBy('name').execute()).map((j) => j.name)).toEqual(['core.cleanup', 'core.hotline-rebuild', 'core.kpi-mail', 'core.kpi-rebuild', 'core.mail-retry', 'core.reminder-digest', 'core.ticket-counters-recount', 'core.todo-reminders', 'core.waiting-wakeup', 'notes.digest']);
    await db.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000).toISOString() }).execute();
    const runner = createJobRunner({ db, clock, handlers: systemJobHandlers({ mailer, registry, tenants }) });
    expect(await runner.runDue()).toBe(10);
    // The ticket counters were recounted for every tenant (never recounted before).
    expect((await db.selectFrom('ticket_count_builds').select('tenant_id').execute()).map((b) => b.tenant_id)).toEqual(expect.arrayContaining([on.id, off.id]));
    // The hotline statistics' rebuild counted every tenant once (never counted before).
    expect((await db.selectFrom('hotline_builds').select('tenant_id').orderBy('tenant_id').execute()).map((b) => b.tenant_id)).toEqual(expect.arrayContaining([on.id, off.id]));
    expect((await db.selectFrom('kpi_builds').select('tenant_id').execute()).map((b) => b.tenant_id)).toEqual(expect.arrayContaining([on.id, off.id]));
    const digests = await db.selectFrom('audit_log').select('tenant_id').where('action', '=', 'notes.digest').execute();
    expect(digests).toEqual([{ tenant_id: on.id }]);
    expect(digests).not.toContainEqual({ tenant_id: off.id });
  });
});
