import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope, tenantTicketService } from '../../../core/plugin-api.js';
import { enablePlugin } from '../../../core/plugin-host/plugin-switches.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';
import { helpdeskDb } from '../helpdesk-db.js';
import { helpdeskPlugin } from '../index.js';
import { createMailboxStore } from './mailbox-store.js';
import { createSecretBox } from './secret-box.js';

describe.each(dialects)('helpdesk mail routes on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let other: number;
  let admin: string;
  let agent: string;
  let otherAdmin: string;
  let mailId: number;
  let otherMailId: number;
  let otherMailboxId: number;

  const openMail = async (tenantId: number, subject: string, html: string | null = null) => {
    const row = await helpdeskDb(app.services.db).insertInto('helpdesk_mails').values({
      tenant_id: tenantId, mailbox_id: null, dedup_key: `<${subject}@x.test>`, message_id: `<${subject}@x.test>`, imap_uid: null, raw_sha256: await app.services.files.put(tenantId, new TextEncoder().encode(`Subject: ${subject}\r\n\r\nhi`), 'message/rfc822'),
      size: 20, status: 'open', claim: null, claimed_at: null, from_address: 'stranger@else.test', from_name: 'Stranger', subject, sent_at: null, in_reply_to: null, reference_ids: null,
      body_text: 'Please help.\n\nOn Mon, X wrote:\n> old', body_html: html, auto_kind: null, note: null, ticket_id: null, article_id: null, discarded_at: null, discarded_by: null,
    }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  };

  beforeAll(async () => {
    app = await createTestApp(dialect, [helpdeskPlugin]);
    acme = (await app.createTenant('acme')).id;
    other = (await app.createTenant('other')).id;
    for (const id of [acme, other]) await enablePlugin(app.services.db, app.services.registry, id, 'helpdesk');
    await app.createStaff(acme, 'admin', 'admin@acme.test');
    await app.createStaff(acme, 'agent', 'agent@acme.test');
    await app.createStaff(other, 'admin', 'admin@other.test');
    admin = await app.signIn('admin@acme.test', 'acme');
    agent = await app.signIn('agent@acme.test', 'acme');
    otherAdmin = await app.signIn('admin@other.test', 'other');
    mailId = await openMail(acme, 'acme-mail', '<p>Hi <img src="https://track.test/p.gif"></p><script>alert(1)</script>');
    otherMailId = await openMail(other, 'other-mail', '<p>secret</p>');
    otherMailboxId = await createMailboxStore(app.services.db, other, createSecretBox(app.services.config.secret)).create({ name: 'Other', imap_host: 'imap.other.test', imap_port: 993, imap_tls: 'tls', imap_user: 'u', imap_password: 'p', imap_folder: 'INBOX', smtp_url: '', from_address: 'support@other.test', from_name: '', active: true });
  });
  afterAll(() => app.cleanup());

  it('answers 404 for another tenant\'s mails and mailboxes on every route, and changes nothing', async () => {
    const gets = [`/mails/${otherMailId}`, `/mails/${otherMailId}/body`, `/mails/${otherMailId}/raw`, `/mails/${otherMailId}/parts/1`, `/mailboxes/${otherMailboxId}`];
    for (const path of gets) expect(`${path} ${(await app.request(`/t/acme/p/helpdesk${path}`, { cookie: admin })).status}`).toBe(`${path} 404`);
    const posts = [`/mails/${otherMailId}/discard`, `/mails/${otherMailId}/restore`, `/mails/${otherMailId}/ticket`, `/mailboxes/${otherMailboxId}`, `/mailboxes/${otherMailboxId}/test`, `/mailboxes/${otherMailboxId}/delete`, `/mailboxes/${otherMailboxId}/rules`, `/mailboxes/${otherMailboxId}/rules/1/delete`];
    for (const path of posts) {
      const response = await app.request(`/t/acme/p/helpdesk${path}`, { method: 'POST', cookie: admin, body: new URLSearchParams({ kind: 'anyone', name: 'x', imap_host: 'h', imap_port: '1', imap_tls: 'none', imap_user: 'u', imap_folder: 'INBOX', from_address: 'a@b.test' }) });
      expect(`${path} ${response.status}`).toBe(`${path} 404`);
    }
    const attach = await app.request(`/t/acme/p/helpdesk/mails/${otherMailId}/attach`, { method: 'POST', cookie: admin, body: new URLSearchParams({ number: '2026-000001' }) });
    expect([404, 422]).toContain(attach.status);
    const untouched = await helpdeskDb(app.services.db).selectFrom('helpdesk_mails').select('status').where('id', '=', otherMailId).executeTakeFirstOrThrow();
    expect(untouched.status).toBe('open');
    expect(await createMailboxStore(app.services.db, other, createSecretBox(app.services.config.secret)).get(otherMailboxId)).toBeTruthy();
    expect((await app.request(`/t/other/p/helpdesk/mails/${mailId}`, { cookie: otherAdmin })).status).toBe(404);
  });

  it('lets agents see open mails but keeps mailbox administration to admins', async () => {
    const list = await app.request('/t/acme/p/helpdesk/mails', { cookie: agent });
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('acme-mail');
    expect((await app.request('/t/acme/p/helpdesk/mailboxes', { cookie: agent })).status).toBe(403);
  });

  it('offers the mailboxes as a channel section of the Administration page, not as a nav item', async () => {
    const mailboxes = await (await app.request('/t/acme/p/helpdesk/mailboxes', { cookie: admin })).text();
    expect(mailboxes).not.toContain('id="nav-helpdesk-mailboxes"');
    expect(mailboxes).toContain('id="nav-admin" aria-current="page"');
    expect(mailboxes).toContain('id="nav-helpdesk-mails"');
    const administration = await (await app.request('/t/acme/admin', { cookie: admin })).text();
    expect(administration).toMatch(/id="admin-group-channels".*href="\/t\/acme\/p\/helpdesk\/mailboxes" id="admin-section-helpdesk-mailboxes"/s);
    // Agents read open mails but see no Administration at all.
    const desk = await (await app.request('/t/acme/desk', { cookie: agent })).text();
    expect(desk).not.toContain('id="nav-admin"');
    expect(desk).toContain('id="nav-helpdesk-mails"');
  });

  it('shows the mail with its quote folded, serves its HTML framed with a strict CSP and remote images blocked', async () => {
    const page = await (await app.request(`/t/acme/p/helpdesk/mails/${mailId}`, { cookie: agent })).text();
    expect(page).toContain('sandbox="allow-popups allow-popups-to-escape-sandbox"');
    expect(page).toMatch(/<details class="hd-folded">/);
    const body = await app.request(`/t/acme/p/helpdesk/mails/${mailId}/body`, { cookie: agent });
    const csp = body.headers.get('Content-Security-Policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('img-src data:;');
    expect(csp).toContain('sandbox');
    expect(csp).toContain("frame-ancestors 'self'");
    expect(body.headers.get('X-Frame-Options')).toBe('SAMEORIGIN');
    expect(await body.text()).not.toContain('<script');
    const pageResponse = await app.request(`/t/acme/p/helpdesk/mails/${mailId}`, { cookie: agent });
    expect(pageResponse.headers.get('X-Frame-Options')).toBe('DENY');
    expect(pageResponse.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    const images = await app.request(`/t/acme/p/helpdesk/mails/${mailId}/body?images=1`, { cookie: agent });
    expect(images.headers.get('Content-Security-Policy')).toContain('img-src data: https: http:');
  });

  it('refuses a bad mailbox form with 422 and field messages, keeping what was typed', async () => {
    const response = await app.request('/t/acme/p/helpdesk/mailboxes', { method: 'POST', cookie: admin, body: new URLSearchParams({ name: 'Support', imap_host: 'imap.acme.test', imap_port: '99999', imap_tls: 'tls', imap_user: 'u', imap_password: 'p', imap_folder: 'INBOX', from_address: 'not-an-address', smtp_url: 'ftp://x' }) });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('Enter a port between 1 and 65535.');
    expect(html).toContain('Enter an smtp:// or smtps:// URL');
    expect(html).toContain('value="imap.acme.test"');
  });

  it('opens a ticket from an open mail, and discards and restores another (audited)', async () => {
    const opened = await app.request(`/t/acme/p/helpdesk/mails/${mailId}/ticket`, { method: 'POST', cookie: agent });
    expect(opened.status).toBe(303);
    const mail = await helpdeskDb(app.services.db).selectFrom('helpdesk_mails').selectAll().where('id', '=', mailId).executeTakeFirstOrThrow();
    expect(mail.status).toBe('ticket');
    const ticket = await app.services.db.selectFrom('tickets').selectAll().where('id', '=', mail.ticket_id!).executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({ subject: 'acme-mail', channel: 'mail', tenant_id: acme });
    const second = await openMail(acme, 'second');
    expect((await app.request(`/t/acme/p/helpdesk/mails/${second}/discard`, { method: 'POST', cookie: agent })).status).toBe(303);
    expect(await (await app.request('/t/acme/p/helpdesk/mails?view=discarded', { cookie: agent })).text()).toContain('second');
    expect((await app.request(`/t/acme/p/helpdesk/mails/${second}/restore`, { method: 'POST', cookie: agent })).status).toBe(303);
    const actions = await tenantScope(app.services.db, acme).selectFrom('audit_log').select('action').where('action', 'like', 'helpdesk.%').orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['helpdesk.mail_ticket_opened', 'helpdesk.mail_discarded', 'helpdesk.mail_restored']);
  });

  it('attaches an open mail to a ticket as a customer article; an unknown or closed ticket answers 422 and changes nothing', async () => {
    const service = await tenantTicketService(app.services, acme);
    const ticket = await service.create({ subject: 'Existing', description: 'x', channel: 'phone' }, { kind: 'system', label: 'test' });
    const closed = await service.create({ subject: 'Closed', description: 'x', channel: 'phone' }, { kind: 'system', label: 'test' });
    const adminRow = await app.services.db.selectFrom('users').select('id').where('email', '=', 'admin@acme.test').executeTakeFirstOrThrow();
    const closer = { kind: 'user' as const, id: adminRow.id, label: 'Admin', can: () => true };
    await service.changeStatus(closed.number, 'solved', closer);
    await service.changeStatus(closed.number, 'closed', closer);
    const id = await openMail(acme, 'attach-me', '<p>formatted</p>');
    for (const number of ['2099-999999', 'nonsense', closed.number]) {
      const refused = await app.request(`/t/acme/p/helpdesk/mails/${id}/attach`, { method: 'POST', cookie: agent, body: new URLSearchParams({ number }) });
      expect(`${number} ${refused.status}`).toBe(`${number} 422`);
    }
    expect((await helpdeskDb(app.services.db).selectFrom('helpdesk_mails').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('open');
    const attached = await app.request(`/t/acme/p/helpdesk/mails/${id}/attach`, { method: 'POST', cookie: agent, body: new URLSearchParams({ number: ticket.number }) });
    expect(attached.status).toBe(303);
    expect(attached.headers.get('location')).toBe(`/t/acme/desk/tickets/${ticket.number}`);
    const mail = await helpdeskDb(app.services.db).selectFrom('helpdesk_mails').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(mail).toMatchObject({ status: 'article', ticket_id: ticket.id });
    const article = await app.services.db.selectFrom('ticket_articles').selectAll().where('id', '=', mail.article_id!).executeTakeFirstOrThrow();
    expect(article).toMatchObject({ ticket_id: ticket.id, kind: 'customer', channel: 'mail', body_html: '<p>formatted</p>' });
    expect(article.body_text).toContain('Please help.');
    // Settled mails cannot be attached a second time.
    expect((await app.request(`/t/acme/p/helpdesk/mails/${id}/attach`, { method: 'POST', cookie: agent, body: new URLSearchParams({ number: ticket.number }) })).status).toBeGreaterThanOrEqual(400);
    expect(await app.services.db.selectFrom('ticket_articles').select('id').where('ticket_id', '=', ticket.id).execute()).toHaveLength(1);
    const audit = await tenantScope(app.services.db, acme).selectFrom('audit_log').select('action').where('action', '=', 'helpdesk.mail_attached').execute();
    expect(audit).toHaveLength(1);
  });
});
