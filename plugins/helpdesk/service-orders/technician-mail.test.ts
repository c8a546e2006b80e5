import ICAL from 'ical.js';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../../core/db/schema.js';
import { enablePlugin } from '../../../core/plugin-host/plugin-switches.js';
import { tenantTicketService, type TicketActor } from '../../../core/plugin-api.js';
import { tenantScope } from '../../../core/tenancy/tenant-scope.js';
import { updateTenantBranding } from '../../../core/tenancy/tenant-service.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';
import { startSmtpPeer, type SmtpPeer } from '../../../test/harness/smtp-peer.js';
import { helpdeskPlugin } from '../index.js';
import { serviceOrderDb, serviceOrderScope } from './service-order-db.js';

const form = (values: Record<string, string>, cookie: string) => ({ method: 'POST', body: new URLSearchParams(values), cookie });

interface Invitation { mail: ParsedMail; to: string; method: string; uid: string; sequence: number; start: string; end: string; status: string }

describe.each(dialects)('service order mails to the technician on %s', (dialect) => {
  let app: TestApp;
  let acme: Tenant;
  let smtp: SmtpPeer;
  let tomId: number;
  let tinaId: number;
  let agent: string;
  let globexAgent: string;
  let ticket: { id: number; number: string };
  let orderId: number;
  let seen = 0;
  const base = '/t/acme/p/helpdesk';

  /** Waits for `count` more mails and reads them with their calendar part parsed (ical.js). */
  async function nextMails(count: number): Promise<Invitation[]> {
    await expect.poll(() => smtp.received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(seen + count);
    const raw = smtp.received.slice(seen, seen + count);
    seen += count;
    const mails = await Promise.all(raw.map((r) => simpleParser(r)));
    return mails.map((mail) => {
      const part = mail.attachments.find((a) => a.contentType === 'text/calendar');
      expect(part, 'calendar attachment').toBeDefined();
      const calendar = new ICAL.Component(ICAL.parse(part!.content.toString('utf8')));
      const event = calendar.getFirstSubcomponent('vevent')!;
      const to = Array.isArray(mail.to) ? mail.to[0]!.text : mail.to!.text;
      return {
        mail, to, method: String(calendar.getFirstPropertyValue('method')), uid: String(event.getFirstPropertyValue('uid')),
        sequence: Number(event.getFirstPropertyValue('sequence')), status: String(event.getFirstPropertyValue('status')),
        start: (event.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(),
        end: (event.getFirstPropertyValue('dtend') as ICAL.Time).toJSDate().toISOString(),
      };
    }).sort((a, b) => a.to.localeCompare(b.to));
  }
  const order = async () => serviceOrderDb(app.services.db).selectFrom('helpdesk_service_orders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow();

  beforeAll(async () => {
    smtp = await startSmtpPeer();
    app = await createTestApp(dialect, [helpdeskPlugin]);
    acme = await app.createTenant('acme');
    const globex = await app.createTenant('globex');
    const agentId = await app.createStaff(acme.id, 'agent', 'agent@acme.test');
    tomId = await app.createStaff(acme.id, 'agent', 'tom@acme.test');
    tinaId = await app.createStaff(acme.id, 'agent', 'tina@acme.test');
    await app.createStaff(globex.id, 'agent', 'agent@globex.test');
    await app.services.db.updateTable('users').set({ locale: 'de' }).where('id', '=', tinaId).execute();
    await app.services.db.updateTable('tenants').set({ smtp_url: smtp.url }).where('id', '=', acme.id).execute();
    await updateTenantBranding(app.services.db, acme.id, { time_zone: 'America/New_York', mail_from_name: 'ACME Support', mail_from_address: 'help@acme.test' });
    for (const tenant of [acme, globex]) await enablePlugin(app.services.db, app.services.registry, tenant.id, 'helpdesk');
    const organisationId = (await tenantScope(app.services.db, acme.id).insertInto('organisations', { name: 'Customer Ltd', email_domains: 'customer.test' }).returning('id').executeTakeFirstOrThrow()).id;
    const actor: TicketActor = { kind: 'user', id: agentId, label: 'setup', can: () => true };
    const created = await (await tenantTicketService(app.services, acme.id)).create({ subject: 'Printer on floor 2', description: 'Needs a visit', requesterEmail: 'carla@customer.test', organisationId }, actor);
    ticket = { id: created.id, number: created.number };
    agent = await app.signIn('agent@acme.test', 'acme');
    globexAgent = await app.signIn('agent@globex.test', 'globex');
  });
  afterAll(async () => {
    await app?.cleanup();
    await smtp?.stop();
  });

  it('reads planned times in New York (DST edges included) and shows them back the same way', async () => {
    const gap = await app.request(`${base}/tickets/${ticket.number}/service-orders`, form({ type: 'on_site', planned_at: '2026-03-08T02:30' }, agent));
    expect(gap.status).toBe(422);
    // 1 November 2026: 01:30 happens twice in New York (the first, still EDT, counts); 03:00 is EST.
    const created = await app.request(`${base}/tickets/${ticket.number}/service-orders`, form({ type: 'on_site', technician_id: String(tomId), planned_at: '2026-11-01T01:30', planned_end: '2026-11-01T03:00' }, agent));
    expect(created.status).toBe(303);
    const row = await serviceOrderScope(app.services.db, acme.id).selectFrom('helpdesk_service_orders').selectAll().executeTakeFirstOrThrow();
    orderId = row.id;
    expect(row).toMatchObject({ planned_at: '2026-11-01T05:30:00.000Z', planned_end: '2026-11-01T08:00:00.000Z', calendar_sequence: 0 });
    const page = await (await app.request(`${base}/service-orders/${orderId}`, { cookie: agent })).text();
    expect(page).toContain('value="2026-11-01T01:30"');
    expect(page).toContain('value="2026-11-01T03:00"');
    expect(page).toContain('Date and time (America/New_York)');
    const list = await (await app.request(`${base}/service-orders`, { cookie: agent })).text();
    expect(list).toContain('1 Nov 2026, 01:30');
  });

  it('mails the new technician an invitation with the order, the customer, a link and a REQUEST in UTC', async () => {
    const [invite] = await nextMails(1);
    expect(invite!.to).toBe('tom@acme.test');
    expect(invite!.mail.subject).toBe(`[#${ticket.number}] Service order #${orderId} for you: On-site visit, 1 Nov 2026, 01:30`);
    expect(invite!.mail.headers.get('auto-submitted')).toBe('auto-generated');
    const text = invite!.mail.text!;
    expect(text).toContain('Hello tom,');
    expect(text).toContain(`Ticket: #${ticket.number} Printer on floor 2`);
    expect(text).toContain('Type: On-site visit');
    expect(text).toContain('Planned: 1 Nov 2026, 01:30 – 1 Nov 2026, 03:00 (America/New_York)');
    expect(text).toContain('Customer: Customer Ltd');
    expect(text).toContain('Requester: carla <carla@customer.test>');
    expect(text).toContain(`http://tresen.test/t/acme/desk/tickets/${ticket.number}`);
    expect(invite).toMatchObject({ method: 'REQUEST', sequence: 0, status: 'CONFIRMED', start: '2026-11-01T05:30:00.000Z', end: '2026-11-01T08:00:00.000Z' });
    expect(invite!.uid).toMatch(new RegExp(`^service-order-${acme.id}-${orderId}-[0-9a-f]{16}@tresen$`));
    const outbox = await tenantScope(app.services.db, acme.id).selectFrom('mail_outbox').select(['to_address', 'status']).execute();
    expect(outbox).toEqual([{ to_address: 'tom@acme.test', status: 'sent' }]);
  });

  it('updates the same appointment with a higher SEQUENCE when the time changes; a report alone sends nothing', async () => {
    const [update] = await nextMailsAfter(() => app.request(`${base}/service-orders/${orderId}`, form({ type: 'on_site', technician_id: String(tomId), planned_at: '2026-11-02T09:00', planned_end: '' }, agent)), 1);
    expect(update).toMatchObject({ to: 'tom@acme.test', method: 'REQUEST', sequence: 1, start: '2026-11-02T14:00:00.000Z', end: '2026-11-02T15:00:00.000Z' });
    expect(update!.mail.subject).toContain(`Service order #${orderId} changed`);
    expect(update!.uid).toMatch(new RegExp(`^service-order-${acme.id}-${orderId}-`));
    expect(await order()).toMatchObject({ calendar_sequence: 1, planned_at: '2026-11-02T14:00:00.000Z' });
    const report = await app.request(`${base}/service-orders/${orderId}`, form({ report: 'Toner ordered.' }, agent));
    expect(report.status).toBe(303);
    expect((await order()).calendar_sequence).toBe(1);
  });

  it('hands the order to another technician: a CANCEL for the old one, a German REQUEST for the new, one SEQUENCE', async () => {
    const [tina, tom] = await nextMailsAfter(() => app.request(`${base}/service-orders/${orderId}`, form({ technician_id: String(tinaId) }, agent)), 2);
    expect(tom).toMatchObject({ to: 'tom@acme.test', method: 'CANCEL', status: 'CANCELLED', sequence: 2 });
    expect(tina).toMatchObject({ to: 'tina@acme.test', method: 'REQUEST', sequence: 2, start: '2026-11-02T14:00:00.000Z', end: '2026-11-02T15:00:00.000Z' });
    expect(tina!.uid).toBe(tom!.uid);
    expect(tina!.mail.subject).toBe(`[#${ticket.number}] Serviceauftrag #${orderId} für Sie: Vor-Ort-Einsatz, 02.11.2026, 09:00`);
    expect(tina!.mail.text).toContain('Geplant: 02.11.2026, 09:00 (America/New_York)');
  });

  it('another tenant cannot change the order, and no mail goes out', async () => {
    const before = smtp.received.length;
    const across = await app.request(`/t/globex/p/helpdesk/service-orders/${orderId}`, form({ technician_id: String(tomId), planned_at: '2026-12-24T10:00' }, globexAgent));
    expect(across.status).toBe(404);
    const status = await app.request(`/t/globex/p/helpdesk/service-orders/${orderId}/status`, form({ to: 'cancelled' }, globexAgent));
    expect(status.status).toBe(404);
    expect(await order()).toMatchObject({ technician_id: tinaId, status: 'planned', calendar_sequence: 2 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.received.length).toBe(before);
  });

  it('cancels the appointment when the order is cancelled', async () => {
    const [cancel] = await nextMailsAfter(() => app.request(`${base}/service-orders/${orderId}/status`, form({ to: 'cancelled' }, agent)), 1);
    expect(cancel).toMatchObject({ to: 'tina@acme.test', method: 'CANCEL', status: 'CANCELLED', sequence: 3, start: '2026-11-02T14:00:00.000Z' });
    expect(cancel!.mail.subject).toBe(`[#${ticket.number}] Serviceauftrag #${orderId} abgesagt: Vor-Ort-Einsatz, 02.11.2026, 09:00`);
    expect((await order()).calendar_sequence).toBe(3);
  });

  async function nextMailsAfter(act: () => Promise<Response>, count: number): Promise<Invitation[]> {
    const response = await act();
    expect(response.status).toBe(303);
    return nextMails(count);
  }
});
