import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../db/schema.js';
import { systemJobHandlers } from '../jobs/system-jobs.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { startSmtpPeer, type SmtpPeer } from '../../test/harness/smtp-peer.js';
import { rebuildKpiFacts } from './kpi-fact-store.js';
import { saveKpiSubscription } from './kpi-mail.js';

// The periodic KPI mail end to end: the hourly job at the tenant's Monday 07:00 (summer time has just
// begun in Berlin, so that is 05:00 UTC), through the outbox to a real SMTP peer, in the subscriber's
// language, HTML with the CSV attached, once per period, each tenant with its own figures.

describe.each(dialects)('periodic KPI mail on %s', (dialect) => {
  let smtp: SmtpPeer;
  let app: TestApp;
  let acme: Tenant;
  let globex: Tenant;
  let now = new Date('2026-03-25T10:00:00Z');
  const run = async (iso: string) => {
    now = new Date(iso);
    const { mailer, registry, tenants } = app.services;
    await systemJobHandlers({ mailer, registry, tenants, services: app.services })['core.kpi-mail']!({ tenantId: null, payload: null, db: app.services.db, clock: () => now });
  };
  const mails = async (count: number): Promise<ParsedMail[]> => {
    await expect.poll(() => smtp.received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(count);
    return Promise.all(smtp.received.map((raw) => simpleParser(raw)));
  };

  beforeAll(async () => {
    smtp = await startSmtpPeer();
    app = await createTestApp(dialect, [], { clock: () => now });
    acme = await app.createTenant('acme');
    globex = await app.createTenant('globex');
    const boss = await app.createStaff(acme.id, 'supervisor', 'boss@acme.test');
    const ada = await app.createStaff(acme.id, 'agent', 'ada@acme.test');
    const gina = await app.createStaff(globex.id, 'admin', 'gina@globex.test');
    await app.services.db.updateTable('users').set({ locale: 'de' }).where('id', '=', boss).execute();
    await app.services.db.updateTable('users').set({ name: 'Boss' }).where('id', '=', boss).execute();
    await app.services.db.updateTable('tenants').set({ smtp_url: smtp.url, time_zone: 'Europe/Berlin' }).execute();
    const at = (iso: string) => new Date(iso).toISOString();
    // In the week of 23 to 29 March (Berlin): two tickets the supervisor solved after 2 and 4 hours; one of Globex's.
    await tenantScope(app.services.db, acme.id).insertInto('tickets', [
      { number: 'A-1', subject: 'one', status: 'solved', assignee_id: boss, created_at: at('2026-03-24T08:00:00Z'), updated_at: at('2026-03-24T08:00:00Z'), first_response_at: at('2026-03-24T09:00:00Z'), solved_at: at('2026-03-24T10:00:00Z') },
      { number: 'A-2', subject: 'two', status: 'solved', assignee_id: boss, created_at: at('2026-03-26T08:00:00Z'), updated_at: at('2026-03-26T08:00:00Z'), first_response_at: at('2026-03-26T08:30:00Z'), solved_at: at('2026-03-26T12:00:00Z') },
    ]).execute();
    await tenantScope(app.services.db, globex.id).insertInto('tickets', [
      { number: 'G-1', subject: 'globex', status: 'solved', assignee_id: gina, created_at: at('2026-03-24T08:00:00Z'), updated_at: at('2026-03-24T08:00:00Z'), solved_at: at('2026-03-25T08:00:00Z') },
    ]).execute();
    for (const tenant of [acme, globex]) await rebuildKpiFacts(app.services.db, dialect, tenant.id, 'Europe/Berlin', undefined, now.toISOString());
    await saveKpiSubscription(tenantScope(app.services.db, acme.id), boss, 'weekly', 'agent', '2026-03-25T10:00:00.000Z');
    await saveKpiSubscription(tenantScope(app.services.db, globex.id), gina, 'weekly', 'agent', '2026-03-25T10:00:00.000Z');
    // An agent (no statistics permission) subscribed while a supervisor: skipped.
    await saveKpiSubscription(tenantScope(app.services.db, acme.id), ada, 'weekly', 'agent', '2026-03-25T10:00:00.000Z');
  });
  afterAll(async () => {
    await app?.cleanup();
    await smtp?.stop();
  });

  it('sends the week before at Monday 07:00 local time, once, as HTML with the CSV attached, per tenant', async () => {
    await run('2026-03-30T04:59:00Z'); // 06:59 in Berlin (summer time since Sunday)
    expect(await app.services.db.selectFrom('mail_outbox').select('id').execute()).toEqual([]);
    await run('2026-03-30T05:00:00Z');
    await run('2026-03-30T06:00:00Z'); // the next hourly pass: already sent
    const received = await mails(2);
    expect(received).toHaveLength(2);
    const toBoss = received.find((m) => m.to && 'text' in m.to && m.to.text === 'boss@acme.test')!;
    expect(toBoss.subject).toBe('Wöchentlicher KPI-Bericht 2026-03-23 bis 2026-03-29');
    expect(toBoss.html).toContain('<h1>KPI-Bericht</h1>');
    // Boss: 2 created, 2 solved; first response median 0,8 h (30 and 60 minutes), resolution median 3,0 h.
    expect(toBoss.html).toMatch(/<th scope="row">Boss<\/th><td class="num">2<\/td><td class="num">2<\/td><td class="num">0,8<\/td>[^]*?<td class="num">3,0<\/td>/);
    expect(toBoss.html).toContain('Zeiten nach der Uhr');
    expect(toBoss.html).not.toContain('gina');
    expect(toBoss.attachments.map((a) => [a.filename, a.contentType])).toEqual([['kpi-agent-2026-03-23-2026-03-29.csv', 'text/csv']]);
    const csv = toBoss.attachments[0]!.content.toString('utf8');
    expect(csv).toContain('Boss,2,2,0.75,0.95,0.75,3.00,3.80,3.00,2,2,0,0.0000,0,0,0,0,0');
    const toGina = received.find((m) => m.to && 'text' in m.to && m.to.text === 'gina@globex.test')!;
    expect(toGina.subject).toBe('Weekly KPI report 2026-03-23 to 2026-03-29');
    expect(toGina.attachments[0]!.content.toString('utf8')).toContain('All,1,1,,,,24.00,24.00,24.00');
    expect(toGina.html).not.toContain('Boss');
    const subs = await app.services.db.selectFrom('kpi_subscriptions').innerJoin('users', 'users.id', 'kpi_subscriptions.user_id')
      .select(['users.email', 'kpi_subscriptions.last_period']).orderBy('users.email').execute();
    expect(subs).toEqual([{ email: 'ada@acme.test', last_period: null }, { email: 'boss@acme.test', last_period: '2026-03-23' }, { email: 'gina@globex.test', last_period: '2026-03-23' }]);
  });
});
