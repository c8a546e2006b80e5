import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpPeer, type SmtpPeer } from '../../test/harness/smtp-peer.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { portalPlugin } from './index.js';
import { portalWorld, type PortalWorld } from '../../test/harness/portal-world.js';

/**
 * A German agent answers an English customer: the mail the customer gets is English (their language, not the
 * agent's or the tenant's); after the customer picks German in the portal, the next one is German. Through a real
 * SMTP peer (issue 18 point 9).
 */
describe.each(dialects)('mail to the requester in the requester\'s language on %s', (dialect) => {
  let app: TestApp;
  let smtp: SmtpPeer;
  let world: PortalWorld;
  let agent: string;

  const reply = async (number: string, body: string) => {
    const response = await app.request(`/t/lang/desk/tickets/${number}/articles`, { method: 'POST', body: new URLSearchParams({ kind: 'reply', body }), cookie: agent });
    expect(response.status).toBe(303);
  };
  /** The SMTP peer received it in the background: waits for the next message. */
  const nextMail = async (count: number) => {
    for (let i = 0; i < 200 && smtp.received.length < count; i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(smtp.received.length).toBe(count);
    return simpleParser(smtp.received.at(-1)!);
  };

  beforeAll(async () => {
    smtp = await startSmtpPeer();
    app = await createTestApp(dialect, [portalPlugin]);
    world = await portalWorld(app, 'lang');
    await app.services.db.updateTable('tenants').set({ locale: 'de', smtp_url: smtp.url }).where('id', '=', world.tenant.id).execute();
    await app.services.db.updateTable('users').set({ locale: 'de' }).where('email', '=', world.agentEmail).execute();
    agent = await app.signIn(world.agentEmail, 'lang');
  });
  afterAll(async () => {
    await app?.cleanup();
    await smtp?.stop();
  });

  it('German agent, English customer: English mail; German once the customer switches the portal to German', async () => {
    const start = smtp.received.length;
    const ticket = await world.ticketFor(world.people.colleague, world.organisations.acme, 'VPN drops');
    // Recorded by staff: the confirmation is English too.
    expect((await nextMail(start + 1)).subject).toBe(`[#${ticket.number}] Request recorded: VPN drops`);
    const sent = start + 1;
    // The agent's own page is German.
    expect(await (await app.request(`/t/lang/desk/tickets/${ticket.number}`, { cookie: agent })).text()).toContain('lang="de"');
    await reply(ticket.number, 'Please restart the client.');
    const english = await nextMail(sent + 1);
    expect(english.subject).toBe(`[#${ticket.number}] New answer: VPN drops`);
    expect(english.text).toContain(`answered your request ${ticket.number}`);
    expect(english.text).not.toContain('geantwortet');

    const customer = await world.signIn(world.emails.colleague);
    const switched = await app.request('/t/lang/locale', { method: 'POST', body: new URLSearchParams({ locale: 'de' }), cookie: customer });
    expect(switched.status).toBeLessThan(400);
    await reply(ticket.number, 'Bitte den Client neu starten.');
    const german = await nextMail(sent + 2);
    expect(german.subject).toBe(`[#${ticket.number}] Neue Antwort: VPN drops`);
    expect(german.text).toContain(`hat auf Ihre Anfrage ${ticket.number}`);
  });
});
