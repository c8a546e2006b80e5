import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../db/schema.js';
import { systemJobHandlers } from '../jobs/system-jobs.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';

// The daily digest of reminders through the real job and the outbox, in Berlin on the day the clocks go
// forward (29 March 2026): 07:00 local is 05:00 UTC that day, and the local day runs 28 March 23:00 UTC to
// 29 March 22:00 UTC (23 hours).

describe.each(dialects)('reminder digest on %s', (dialect) => {
  let app: TestApp;
  let acme: Tenant;
  let globex: Tenant;
  let ada: number;
  let now = new Date('2026-03-28T12:00:00Z');
  const run = async (iso: string) => {
    now = new Date(iso);
    const { mailer, registry, tenants } = app.services;
    await systemJobHandlers({ mailer, registry, tenants, services: app.services })['core.reminder-digest']!({ tenantId: null, payload: null, db: app.services.db, clock: () => now });
  };
  const outbox = () => app.services.db.selectFrom('mail_outbox').select(['tenant_id', 'to_address', 'subject', 'text_body']).orderBy('id').execute();

  beforeAll(async () => {
    app = await createTestApp(dialect, [], { clock: () => now });
    acme = await app.createTenant('acme');
    globex = await app.createTenant('globex');
    ada = await app.createStaff(acme.id, 'agent', 'ada@acme.test');
    const bert = await app.createStaff(acme.id, 'agent', 'bert@acme.test');
    const gina = await app.createStaff(globex.id, 'agent', 'gina@globex.test');
    await app.services.db.updateTable('tenants').set({ time_zone: 'Europe/Berlin' }).execute();
    await app.services.db.updateTable('users').set({ reminder_digest: 1 }).where('id', 'in', [ada, gina]).execute();
    await app.services.db.updateTable('users').set({ locale: 'de' }).where('id', '=', ada).execute();
    const ticket = (number: string, subject: string, assignee: number, until: string | null, status: 'waiting' | 'open' = 'waiting') =>
      ({ number, subject, status, assignee_id: assignee, waiting_until: until, created_at: '2026-03-20T08:00:00Z', updated_at: '2026-03-20T08:00:00Z' });
    await tenantScope(app.services.db, acme.id).insertInto('tickets', [
      ticket('A-2', 'Call back about the printer', ada, '2026-03-29T07:30:00.000Z'), // 09:30 local
      ticket('A-1', 'Just after midnight', ada, '2026-03-28T23:10:00.000Z'), // 00:10 local, still the 29th
      ticket('A-3', 'Tomorrow', ada, '2026-03-29T22:00:00.000Z'), // 00:00 on the 30th
      ticket('A-4', 'Bert\'s', bert, '2026-03-29T08:00:00.000Z'),
    ]).execute();
    await tenantScope(app.services.db, acme.id).insertInto('todos', [
      { user_id: ada, title: 'Water the plants', due_at: '2026-03-29T06:00:00.000Z', created_at: '2026-03-20T08:00:00Z' }, // 08:00 local
      { user_id: ada, title: 'Already done', due_at: '2026-03-29T06:00:00.000Z', done_at: '2026-03-28T08:00:00Z', created_at: '2026-03-20T08:00:00Z' },
      { user_id: bert, title: 'Bert\'s to-do', due_at: '2026-03-29T06:00:00.000Z', created_at: '2026-03-20T08:00:00Z' },
    ]).execute();
    await tenantScope(app.services.db, globex.id).insertInto('tickets', [ticket('G-1', 'Globex secret', gina, '2026-03-29T09:00:00.000Z')]).execute();
  });
  afterAll(() => app.cleanup());

  it('sends each subscriber one mail in the tenant\'s morning with that day\'s waiting tickets and open to-dos, in their language, only their own', async () => {
    await run('2026-03-29T04:59:00Z'); // 06:59 in Berlin (summer time since 02:00)
    expect(await outbox()).toEqual([]);
    await run('2026-03-29T05:00:00Z');
    await run('2026-03-29T05:15:00Z');
    const mails = await outbox();
    expect(mails.map((m) => m.to_address).sort()).toEqual(['ada@acme.test', 'gina@globex.test']);
    const toAda = mails.find((m) => m.to_address === 'ada@acme.test')!;
    expect(toAda).toMatchObject({ tenant_id: acme.id, subject: 'Ihre Erinnerungen für 2026-03-29 (3)' });
    expect(toAda.text_body.indexOf('08:00  Water the plants')).toBeGreaterThan(toAda.text_body.indexOf('00:10'));
    expect(toAda.text_body.indexOf('08:00  Water the plants')).toBeLessThan(toAda.text_body.indexOf('09:30'));
    expect(toAda.text_body).not.toContain('Already done');
    expect(toAda.text_body).toContain('Heute fällig, 2026-03-29:');
    expect(toAda.text_body.indexOf('00:10  A-1 · Just after midnight')).toBeGreaterThan(0);
    expect(toAda.text_body.indexOf('09:30  A-2 · Call back about the printer')).toBeGreaterThan(toAda.text_body.indexOf('00:10'));
    expect(toAda.text_body).not.toContain('Tomorrow');
    expect(toAda.text_body).not.toContain('Globex');
    expect(toAda.text_body).not.toContain('Bert');
    const toGina = mails.find((m) => m.to_address === 'gina@globex.test')!;
    expect(toGina).toMatchObject({ tenant_id: globex.id, subject: 'Your reminders for 2026-03-29 (1)' });
    expect(toGina.text_body).toContain('11:00  G-1 · Globex secret');
    expect(toGina.text_body).not.toContain('A-');
  });

  it('sends nothing on a day with nothing due, and nothing after noon for a day missed', async () => {
    await run('2026-03-30T05:00:00Z');
    // 30 March: A-3 at 00:00 local is due for Ada; Gina has nothing.
    const mails = (await outbox()).slice(2);
    expect(mails.map((m) => m.to_address)).toEqual(['ada@acme.test']);
    expect(mails[0]!.text_body).toContain('00:00  A-3 · Tomorrow');
    await tenantScope(app.services.db, acme.id).updateTable('tickets').set({ waiting_until: '2026-03-31T09:00:00.000Z' }).where('number', '=', 'A-2').execute();
    await run('2026-03-31T10:00:00Z'); // noon in Berlin: too late for the 31st
    expect(await outbox()).toHaveLength(3);
    expect((await app.services.db.selectFrom('users').select('reminder_digest_day').where('id', '=', ada).executeTakeFirstOrThrow()).reminder_digest_day).toBe('2026-03-30');
  });
});
