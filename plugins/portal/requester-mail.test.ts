import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../../core/plugin-api.js';
import { disablePlugin, enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { cookiesOf, createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { portalPlugin } from './index.js';
import { lastMailTo, portalWorld, type PortalWorld } from '../../test/harness/portal-world.js';

/** Stands in for the helpdesk plugin (mail channel): only its id matters to the portal. */
const helpdeskStandIn = definePlugin({ id: 'helpdesk', version: '0.0.1', core: '^1.0.0', name: 'portal.name', register() {} });

describe.each(dialects)('mail to the requester on %s', (dialect) => {
  let app: TestApp;
  let world: PortalWorld;
  const mails = async (to: string) => app.services.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', to).orderBy('id').execute();

  beforeAll(async () => {
    app = await createTestApp(dialect, [portalPlugin, helpdeskStandIn]);
    world = await portalWorld(app, 'mail');
    await disablePlugin(app.services.db, app.services.registry, world.tenant.id, 'helpdesk');
  });
  afterAll(() => app.cleanup());

  it('mails an agent\'s public answer with a link that signs in once and lands on the request', async () => {
    const ticket = await world.ticketFor(world.people.colleague, world.organisations.acme, 'VPN drops');
    const before = (await mails(world.emails.colleague)).length;
    await world.service().addArticle(ticket.number, { kind: 'note', body: 'internal only' }, world.agent);
    expect((await mails(world.emails.colleague)).length).toBe(before);
    await world.service().addArticle(ticket.number, { kind: 'reply', body: 'Please restart the client.', statusAfter: 'waiting' }, world.agent);
    const { mail, path } = await lastMailTo(app, world.emails.colleague);
    expect((await mails(world.emails.colleague)).length).toBe(before + 1);
    expect(mail?.subject).toBe(`[#${ticket.number}] New answer: VPN drops`);
    expect(mail?.text_body).toContain('Please restart the client.');
    expect(mail?.text_body).toContain('Status: Waiting for your answer');
    expect(mail?.text_body).not.toContain('internal only');
    expect(path).toMatch(/^\/t\/mail\/portal\/go\?n=[0-9-]+&token=/);
    const confirm = await app.request(path!);
    expect(confirm.status).toBe(200);
    const token = new URL(`http://x${path}`).searchParams.get('token')!;
    const go = await app.request('/t/mail/portal/go', { method: 'POST', body: new URLSearchParams({ token }) });
    expect(go.status).toBe(303);
    expect(go.headers.get('Location')).toBe(`/t/mail/portal/requests/${ticket.number}`);
    const page = await app.request(go.headers.get('Location')!, { cookie: cookiesOf(go) });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Please restart the client.');
    expect((await app.request('/t/mail/portal/go', { method: 'POST', body: new URLSearchParams({ token }) })).status).toBe(400);
    // Spent, but the person is signed in: the link still leads there; signed out, it offers the sign-in.
    const direct = await app.request(path!, { cookie: cookiesOf(go) });
    expect(direct.status).toBe(303);
    expect(direct.headers.get('Location')).toBe(`/t/mail/portal/requests/${ticket.number}`);
    const signedOut = await app.request(path!);
    expect(signedOut.status).toBe(400);
    expect(await signedOut.text()).toContain(`/t/mail/portal/login?next=${encodeURIComponent(`/t/mail/portal/requests/${ticket.number}`)}`);
  });

  it('mails a status change by an agent, in the requester\'s language, but not the requester\'s own', async () => {
    await world.scope.updateTable('people').set({ locale: 'de' }).where('id', '=', world.people.manager).execute();
    const ticket = await world.ticketFor(world.people.manager, world.organisations.acme, 'Drucker offline');
    const before = (await mails(world.emails.manager)).length;
    await updatePluginSettings(app.services.db, app.services.registry, world.tenant.id, 'portal', { requesterMails: 'everyStatus' });
    await world.service().accept(ticket.number, world.agent);
    await world.service().changeStatus(ticket.number, 'solved', world.agent);
    const sent = await mails(world.emails.manager);
    expect(sent.length).toBe(before + 2);
    expect(sent.at(-1)?.subject).toBe(`[#${ticket.number}] Status geändert: Drucker offline`);
    expect(sent.at(-1)?.text_body).toContain('Gelöst');
    const cookie = await world.signIn(world.emails.manager);
    expect((await app.request(`/t/mail/portal/requests/${ticket.number}/reopen`, { method: 'POST', cookie })).status).toBe(303);
    expect((await mails(world.emails.manager)).length).toBe(before + 2);
    await updatePluginSettings(app.services.db, app.services.registry, world.tenant.id, 'portal', { requesterMails: 'essential' });
  });

  it("by default mails a phone request's confirmation, the answer and the solution: three mails, not one per status", async () => {
    const before = (await mails(world.emails.colleague)).length;
    const ticket = await world.ticketFor(world.people.colleague, world.organisations.acme, 'Monitor flickers');
    let sent = await mails(world.emails.colleague);
    expect(sent.length).toBe(before + 1);
    expect(sent.at(-1)?.subject).toBe(`[#${ticket.number}] Request recorded: Monitor flickers`);
    expect(sent.at(-1)?.text_body).toContain(ticket.number);
    // Its link is short: an opaque token of 32 characters, not a signed token of hundreds.
    expect(sent.at(-1)?.text_body).toMatch(/token=[\w-]{32}\b/);
    await world.service().accept(ticket.number, world.agent);
    await world.service().addArticle(ticket.number, { kind: 'reply', body: 'Please try another cable.' }, world.agent);
    await world.service().changeStatus(ticket.number, 'solved', world.agent);
    await world.service().changeStatus(ticket.number, 'closed', world.agent);
    sent = await mails(world.emails.colleague);
    expect(sent.slice(before).map((m) => m.subject)).toEqual([
      `[#${ticket.number}] Request recorded: Monitor flickers`,
      `[#${ticket.number}] New answer: Monitor flickers`,
      `[#${ticket.number}] Status changed: Monitor flickers`,
    ]);
    expect(sent.at(-1)?.text_body).toContain('Solved');
    // A request the customer sends themselves is confirmed on the screen: no mail for it.
    const cookie = await world.signIn(world.emails.colleague);
    const form = new FormData();
    form.set('subject', 'Keyboard sticky');
    form.set('description', 'Since the coffee');
    const created = await app.request('/t/mail/portal/requests', { method: 'POST', body: form, cookie });
    expect(created.status).toBe(303);
    expect(await app.services.db.selectFrom('tickets').select('id').where('subject', '=', 'Keyboard sticky').executeTakeFirst()).toBeDefined();
    expect((await mails(world.emails.colleague)).length).toBe(sent.length);
  });

  it('sends nothing when the tenant switched requester mails off', async () => {
    await updatePluginSettings(app.services.db, app.services.registry, world.tenant.id, 'portal', { notifyRequester: false });
    const ticket = await world.ticketFor(world.people.stranger, world.organisations.globex, 'Quiet please');
    await world.service().addArticle(ticket.number, { kind: 'reply', body: 'Answer nobody mails' }, world.agent);
    expect((await mails(world.emails.stranger)).map((m) => m.text_body).join()).not.toContain('Answer nobody mails');
    await updatePluginSettings(app.services.db, app.services.registry, world.tenant.id, 'portal', { notifyRequester: true });
  });

  it('leaves mail tickets to the mail channel while the helpdesk plugin is on, and mails them while it is off', async () => {
    const ticket = await world.service().create({ subject: 'Came by mail', description: 'x', requesterId: world.people.stranger, channel: 'mail' }, world.agent);
    await enablePlugin(app.services.db, app.services.registry, world.tenant.id, 'helpdesk');
    await world.service().addArticle(ticket.number, { kind: 'reply', body: 'Answer by the mail channel' }, world.agent);
    expect((await mails(world.emails.stranger)).map((m) => m.text_body).join()).not.toContain('Answer by the mail channel');
    await disablePlugin(app.services.db, app.services.registry, world.tenant.id, 'helpdesk');
    await world.service().addArticle(ticket.number, { kind: 'reply', body: 'Answer by the portal' }, world.agent);
    expect((await mails(world.emails.stranger)).map((m) => m.text_body).join()).toContain('Answer by the portal');
  });

  it('a request link of one tenant opens nothing in another', async () => {
    const other = await portalWorld(app, 'mail-other');
    const ticket = await world.ticketFor(world.people.colleague, world.organisations.acme, 'Cross link');
    await world.service().addArticle(ticket.number, { kind: 'reply', body: 'hello' }, world.agent);
    const { path } = await lastMailTo(app, world.emails.colleague);
    const token = new URL(`http://x${path}`).searchParams.get('token')!;
    expect((await app.request(`${other.base}/portal/go?token=${encodeURIComponent(token)}`)).status).toBe(400);
    expect((await app.request(`${other.base}/portal/go`, { method: 'POST', body: new URLSearchParams({ token }) })).status).toBe(400);
  });

  it('mails a ticket solved on the spot once: the solution, per requesterMails; none with notifyRequester off', async () => {
    const before = (await mails(world.emails.colleague)).length;
    const ticket = await world.service().create({
      subject: 'Password reset', description: 'Locked out', requesterId: world.people.colleague, organisationId: world.organisations.acme, channel: 'phone',
      onCreate: { solution: 'Reset it; the new password is on its way by SMS.' },
    }, world.agent);
    expect(ticket.status).toBe('solved');
    const sent = await mails(world.emails.colleague);
    expect(sent.length).toBe(before + 1);
    expect(sent.at(-1)?.subject).toBe(`[#${ticket.number}] New answer: Password reset`);
    expect(sent.at(-1)?.text_body).toContain('Reset it; the new password is on its way by SMS.');
    await updatePluginSettings(app.services.db, app.services.registry, world.tenant.id, 'portal', { notifyRequester: false });
    await world.service().create({
      subject: 'Quiet one', description: 'x', requesterId: world.people.colleague, organisationId: world.organisations.acme, channel: 'phone', onCreate: { solution: 'Done.' },
    }, world.agent);
    expect((await mails(world.emails.colleague)).length).toBe(before + 1);
    await updatePluginSettings(app.services.db, app.services.registry, world.tenant.id, 'portal', { notifyRequester: true });
  });
});
