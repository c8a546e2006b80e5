import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../domain-error.js';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { MAX_ATTACHMENTS } from '../../tickets/attachment-rules.js';
import { replyDrafts } from '../../tickets/reply-drafts.js';
import { dialects } from '../../../test/harness/test-database.js';
import { form, htmx, ticketPageFixture, type TicketPageFixture } from './ticket-page-fixture.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

describe.each(dialects)('the reply composer on %s', (dialect) => {
  let f: TicketPageFixture;
  beforeAll(async () => { f = await ticketPageFixture(dialect); });
  afterAll(() => f.app.cleanup());

  const drafts = (tenantId: number) => replyDrafts(tenantScope(f.app.services.db, tenantId), f.app.services.clock, f.app.services.catalog.translator('en'));
  const url = (number: string, path = '') => `/t/acme/desk/tickets/${number}${path}`;
  const upload = (number: string, cookie: string, files: Array<{ name: string; bytes: Uint8Array<ArrayBuffer> }>) => {
    const body = new FormData();
    for (const file of files) body.append('file', new File([file.bytes], file.name));
    return f.app.request(url(number, '/reply/attachments'), { method: 'POST', body, cookie, headers: htmx });
  };

  describe('drafts in the service', () => {
    it('saves, restores, keeps files apart from the text, and discards', async () => {
      const ticket = await f.open('Draft service');
      const d = drafts(f.acme.id);
      expect(await d.load(ticket.id, f.agentId)).toBeUndefined();
      await d.save(ticket.id, f.agentId, { kind: 'reply', body: 'first', cc: '', bcc: '', statusAfter: '' });
      await d.attach(ticket.id, f.agentId, [{ sha256: 'a'.repeat(64), filename: 'a.png', size: 3 }]);
      const saved = await d.save(ticket.id, f.agentId, { kind: 'note', body: 'second', cc: 'x@y.test', bcc: '', statusAfter: 'waiting' });
      expect(saved).toMatchObject({ kind: 'note', body: 'second', cc: 'x@y.test', statusAfter: 'waiting', attachments: [{ filename: 'a.png' }] });
      expect((await d.detach(ticket.id, f.agentId, 0))?.attachments).toEqual([]);
      await d.discard(ticket.id, f.agentId);
      expect(await d.load(ticket.id, f.agentId)).toBeUndefined();
    });

    it('keeps one draft per agent and tenant: a colleague and another tenant see none of it', async () => {
      const ticket = await f.open('Draft isolation');
      await drafts(f.acme.id).save(ticket.id, f.agentId, { kind: 'reply', body: 'mine', cc: '', bcc: '', statusAfter: '' });
      await drafts(f.acme.id).save(ticket.id, f.supervisorId, { kind: 'reply', body: 'hers', cc: '', bcc: '', statusAfter: '' });
      expect((await drafts(f.acme.id).load(ticket.id, f.agentId))?.body).toBe('mine');
      expect((await drafts(f.acme.id).load(ticket.id, f.supervisorId))?.body).toBe('hers');
      expect(await drafts(f.globex.id).load(ticket.id, f.agentId)).toBeUndefined();
      // Discarding in another tenant's scope touches nothing.
      await drafts(f.globex.id).discard(ticket.id, f.agentId);
      expect((await drafts(f.acme.id).load(ticket.id, f.agentId))?.body).toBe('mine');
    });

    it('refuses more files than one reply may carry, and text beyond the limit, with the field', async () => {
      const ticket = await f.open('Draft limits');
      const d = drafts(f.acme.id);
      const many = Array.from({ length: MAX_ATTACHMENTS + 1 }, (_, i) => ({ sha256: 'b'.repeat(64), filename: `f${i}.png`, size: 1 }));
      const error = await d.attach(ticket.id, f.agentId, many).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(Object.keys((error as DomainError).fields)).toEqual(['attachments']);
      const long = await d.save(ticket.id, f.agentId, { kind: 'reply', body: 'x'.repeat(100_001), cc: '', bcc: '', statusAfter: '' }).catch((e: unknown) => e);
      expect(Object.keys((long as DomainError).fields)).toEqual(['body']);
    });
  });

  describe('routes', () => {
    it('autosaves the draft, shows it again on the page (another device: only the session matters), and says when it was saved', async () => {
      const ticket = await f.open('Autosave');
      const saved = await f.app.request(url(ticket.number, '/reply/draft'), form({ kind: 'reply', body: 'Hello **Carla**', statusAfter: 'waiting' }, f.cookies.agent, htmx));
      expect(saved.status).toBe(200);
      expect(await saved.text()).toMatch(/id="composer-draft-state"[^>]*>Draft saved \d\d:\d\d</);
      const otherDevice = await f.app.signIn('agent@acme.test', 'acme');
      const page = await (await f.app.request(url(ticket.number), { cookie: otherDevice })).text();
      expect(page).toContain('>Hello **Carla**</textarea>');
      expect(page).toMatch(/<option value="waiting" selected/);
      // The supervisor opens the same ticket: an empty composer.
      const hers = await (await f.app.request(url(ticket.number), { cookie: f.cookies.supervisor })).text();
      expect(hers).not.toContain('Hello **Carla**');
    });

    it('sends the markdown as safe HTML and plain text with the draft\'s files, and discards the draft', async () => {
      const ticket = await f.open('Send markdown');
      const dropped = await upload(ticket.number, f.cookies.agent, [{ name: 'screenshot-2026-03-02-101500.png', bytes: PNG }]);
      expect(dropped.status).toBe(200);
      expect(await dropped.text()).toContain('screenshot-2026-03-02-101500.png');
      await f.app.request(url(ticket.number, '/reply/draft'), form({ kind: 'reply', body: 'draft text' }, f.cookies.agent, htmx));
      const body = 'Hello **Carla**,\n\n- restart it\n- see [manual](https://example.com/m)\n\n<script>alert(1)</script>';
      const sent = await f.app.request(url(ticket.number, '/articles'), form({ kind: 'reply', body }, f.cookies.agent, htmx));
      expect(sent.status).toBe(200);
      const html = await sent.text();
      expect(html).toContain('<strong>Carla</strong>');
      expect(html).not.toContain('<script>alert(1)');
      const article = await f.app.services.db.selectFrom('ticket_articles').selectAll().where('ticket_id', '=', ticket.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(article.body_markdown).toBe(body);
      expect(article.body_html).toContain('<a href="https://example.com/m" target="_blank" rel="noopener noreferrer nofollow">manual</a>');
      expect(article.body_html).toContain('&lt;script&gt;');
      expect(article.body_text).toBe('Hello Carla,\n\n- restart it\n- see manual (https://example.com/m)\n\n<script>alert(1)</script>');
      const files = await f.app.services.db.selectFrom('ticket_attachments').select(['filename', 'size']).where('article_id', '=', article.id).execute();
      expect(files).toEqual([{ filename: 'screenshot-2026-03-02-101500.png', size: PNG.byteLength }]);
      expect(await drafts(f.acme.id).load(ticket.id, f.agentId)).toBeUndefined();
    });

    it('keeps showing an article written before the composer as its text', async () => {
      const ticket = await f.open('Old article');
      await f.service(f.acme).addArticle(ticket.number, { kind: 'reply', body: 'plain **not bold**' }, f.system);
      const page = await (await f.app.request(url(ticket.number), { cookie: f.cookies.agent })).text();
      expect(page).toContain('<div class="entry-body">plain **not bold**</div>');
    });

    it('removes a dropped file, and refuses a type not allowed with the reason in the list', async () => {
      const ticket = await f.open('Files');
      await upload(ticket.number, f.cookies.agent, [{ name: 'a.png', bytes: PNG }, { name: 'b.png', bytes: PNG }]);
      const removed = await f.app.request(url(ticket.number, '/reply/attachments/remove'), form({ index: '0' }, f.cookies.agent, htmx));
      const list = await removed.text();
      expect(list).not.toContain('a.png');
      expect(list).toContain('b.png');
      const refused = await upload(ticket.number, f.cookies.agent, [{ name: 'run.exe', bytes: PNG }]);
      expect(refused.status).toBe(422);
      expect(await refused.text()).toContain('run.exe');
      expect((await drafts(f.acme.id).load(ticket.id, f.agentId))?.attachments.map((a) => a.filename)).toEqual(['b.png']);
    });

    it('previews the markdown safely and quotes the customer\'s last message', async () => {
      const ticket = await f.open('Preview and quote');
      const preview = await f.app.request(url(ticket.number, '/reply/preview'), form({ body: '**bold** <img src=x onerror=alert(1)> [x](javascript:alert(1))' }, f.cookies.agent, htmx));
      const html = await preview.text();
      expect(html).toContain('<strong>bold</strong>');
      expect(html).not.toMatch(/<img|<[^>]*\son\w+=|href="javascript:/);
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
      // Without a customer article the description is the last word of the requester.
      const first = await (await f.app.request(url(ticket.number, '/reply/quote'), { cookie: f.cookies.agent })).text();
      expect(first).toMatch(/^On .+, Carla Kunde wrote:\n> Since this morning the printer on floor 2\n> prints only blank sheets.\n\n$/);
      await f.service(f.acme).addArticle(ticket.number, { kind: 'customer', body: 'Still broken.\n\nCarla' }, { kind: 'person', id: f.requesterId, label: 'Carla Kunde' });
      const quote = await (await f.app.request(url(ticket.number, '/reply/quote'), { cookie: f.cookies.agent })).text();
      expect(quote).toMatch(/^On .+, Carla Kunde wrote:\n> Still broken.\n>\n> Carla\n\n$/);
    });

    it('answers 404 for another tenant\'s ticket on every composer route, and leaves that tenant\'s draft alone', async () => {
      const foreign = await f.openGlobex();
      const routes: Array<[string, RequestInit & { cookie: string }]> = [
        [url(foreign.number, '/reply/draft'), form({ body: 'x' }, f.cookies.agent, htmx)],
        [url(foreign.number, '/reply/preview'), form({ body: 'x' }, f.cookies.agent, htmx)],
        [url(foreign.number, '/reply/attachments/remove'), form({ index: '0' }, f.cookies.agent, htmx)],
        [url(foreign.number, '/reply/quote'), { cookie: f.cookies.agent }],
      ];
      for (const [path, init] of routes) expect((await f.app.request(path, init)).status, path).toBe(404);
      expect((await upload(foreign.number, f.cookies.agent, [{ name: 'a.png', bytes: PNG }])).status).toBe(404);
      const rows = await f.app.services.db.selectFrom('ticket_reply_drafts').select('id').where('ticket_id', '=', foreign.id).execute();
      expect(rows).toEqual([]);
    });

    it('has no CC/BCC where replies are not mailed, and ignores addresses posted there', async () => {
      const ticket = await f.open('Phone ticket');
      const page = await (await f.app.request(url(ticket.number), { cookie: f.cookies.agent })).text();
      expect(page).not.toContain('name="cc"');
      const sent = await f.app.request(url(ticket.number, '/articles'), form({ kind: 'reply', body: 'hi', cc: 'not an address' }, f.cookies.agent, htmx));
      expect(sent.status).toBe(200);
      const article = await f.app.services.db.selectFrom('ticket_articles').select(['cc', 'bcc']).where('ticket_id', '=', ticket.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(article).toEqual({ cc: null, bcc: null });
    });
  });
});
