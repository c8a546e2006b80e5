import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope, tenantTicketService } from '../../../core/plugin-api.js';
import { enablePlugin } from '../../../core/plugin-host/plugin-switches.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';
import { helpdeskPlugin } from '../index.js';

const TEXT = 'Thanks, the printer works again.\n\nOn Mon, 2 Mar 2026, Support <support@acme.test> wrote:\n> Please restart it.\n> Regards';
const HTML = '<p>Thanks, the printer <b>works</b> again.</p><img src="https://tracker.test/p.gif">';

describe.each(dialects)('mail articles on the ticket page on %s', (dialect) => {
  let app: TestApp;
  const cookies: Record<string, string> = {};
  const tickets: Record<string, { number: string; articleId: number }> = {};

  beforeAll(async () => {
    app = await createTestApp(dialect, [helpdeskPlugin]);
    for (const slug of ['acme', 'plain']) {
      const tenant = await app.createTenant(slug);
      // Only acme has the helpdesk on: the plain tenant's page must show the article as plain text.
      if (slug === 'acme') await enablePlugin(app.services.db, app.services.registry, tenant.id, 'helpdesk');
      await app.createStaff(tenant.id, 'agent', `agent@${slug}.test`);
      cookies[slug] = await app.signIn(`agent@${slug}.test`, slug);
      const service = await tenantTicketService(app.services, tenant.id);
      const actor = { kind: 'system' as const, label: 'Mail' };
      const ticket = await service.create({ subject: 'Printer', description: 'It is broken', channel: 'mail' }, actor);
      await service.addArticle(ticket.number, { kind: 'customer', channel: 'mail', body: TEXT, bodyHtml: HTML, messageId: `<${slug}@customer.test>` }, actor);
      const article = await tenantScope(app.services.db, tenant.id).selectFrom('ticket_articles').select('id').where('body_html', 'is not', null).executeTakeFirstOrThrow();
      tickets[slug] = { number: ticket.number, articleId: article.id };
    }
  });
  afterAll(() => app?.cleanup());

  it('with the helpdesk on, folds the quote away and frames the HTML sandboxed, remote images on request', async () => {
    const { number, articleId } = tickets.acme!;
    const page = await (await app.request(`/t/acme/desk/tickets/${number}`, { cookie: cookies.acme })).text();
    const entry = page.slice(page.indexOf(`id="article-${articleId}"`));
    expect(entry).toMatch(/<div class="entry-body">Thanks, the printer works again.<\/div>/);
    expect(entry).toMatch(/<details class="hd-folded"><summary>Show quoted text<\/summary><div class="entry-body muted">On Mon, 2 Mar 2026, Support &lt;support@acme.test&gt; wrote:\n&gt; Please restart it./);
    const src = `/t/acme/p/helpdesk/articles/${articleId}/body`;
    expect(entry).toContain(`<iframe class="hd-mail-frame" name="hd-article-${articleId}" sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" src="${src}"`);
    expect(entry).toContain(`href="${src}?images=1" target="hd-article-${articleId}"`);
    const frame = await app.request(src, { cookie: cookies.acme });
    expect(frame.status).toBe(200);
    expect(frame.headers.get('Content-Security-Policy')).toContain('img-src data:;');
    expect(await frame.text()).toContain('<b>works</b>');
    const images = await app.request(`${src}?images=1`, { cookie: cookies.acme });
    expect(images.headers.get('Content-Security-Policy')).toContain('img-src data: https: http:');
  });

  it('with the helpdesk off, shows the plain text and no frame; another tenant\'s article body answers 404', async () => {
    const { number, articleId } = tickets.plain!;
    const page = await (await app.request(`/t/plain/desk/tickets/${number}`, { cookie: cookies.plain })).text();
    const entry = page.slice(page.indexOf(`id="article-${articleId}"`));
    expect(entry).toContain('<div class="entry-body">Thanks, the printer works again.\n\nOn Mon, 2 Mar 2026, Support &lt;support@acme.test&gt; wrote:\n&gt; Please restart it.');
    expect(page).not.toContain('hd-folded');
    expect(page).not.toContain('<iframe');
    expect((await app.request(`/t/plain/p/helpdesk/articles/${articleId}/body`, { cookie: cookies.plain })).status).toBe(404);
    expect((await app.request(`/t/acme/p/helpdesk/articles/${articleId}/body`, { cookie: cookies.acme })).status).toBe(404);
  });
});
