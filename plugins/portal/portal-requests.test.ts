import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { portalPlugin } from './index.js';
import { portalWorld, type PortalWorld } from '../../test/harness/portal-world.js';
import { SUBMISSION_LIMITS } from './rate-limit.js';

function requestForm(fields: Record<string, string>, files: Array<{ name: string; bytes: Uint8Array<ArrayBuffer> }> = []): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  for (const file of files) form.append('attachments', new File([new Uint8Array(file.bytes)], file.name));
  return form;
}
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe.each(dialects)('portal requests on %s', (dialect) => {
  let app: TestApp;
  let world: PortalWorld;
  let other: PortalWorld;
  let mia: string;
  let carl: string;
  let gus: string;

  beforeAll(async () => {
    app = await createTestApp(dialect, [portalPlugin]);
    world = await portalWorld(app, 'req', { allowPriority: true });
    other = await portalWorld(app, 'req-other');
    [mia, carl, gus] = [await world.signIn(world.emails.manager), await world.signIn(world.emails.colleague), await world.signIn(world.emails.stranger)];
  });
  afterAll(() => app.cleanup());

  const submit = (cookie: string, fields: Record<string, string>, files: Array<{ name: string; bytes: Uint8Array<ArrayBuffer> }> = [], base = world.base) =>
    app.request(`${base}/portal/requests`, { method: 'POST', body: requestForm(fields, files), cookie });

  it('the form offers categories, the organisation\'s valid contracts only, and a priority when the tenant allows it', async () => {
    const html = await (await app.request('/t/req/portal/requests/new', { cookie: carl })).text();
    expect(html).toContain('name="category"');
    expect(html).toContain('ACME Gold');
    expect(html).not.toContain('ACME Expired');
    expect(html).not.toContain('Globex Basic');
    expect(html).toContain('name="priority"');
    expect(html).not.toContain('custom_fields.asset');
    const noPriority = await (await app.request(`${other.base}/portal/requests/new`, { cookie: await other.signIn(other.emails.colleague) })).text();
    expect(noPriority).not.toContain('name="priority"');
  });

  it('re-renders the category\'s custom fields (htmx), keeping typed values', async () => {
    const hardware = await app.request('/t/req/portal/requests/new/fields?category=Hardware&custom_fields.asset=A-17', { cookie: carl, headers: { 'HX-Request': 'true' } });
    const html = await hardware.text();
    expect(html).toContain('id="portal-custom-fields"');
    expect(html).toContain('name="custom_fields.asset"');
    expect(html).toContain('value="A-17"');
    expect(await (await app.request('/t/req/portal/requests/new/fields?category=Software', { cookie: carl })).text()).not.toContain('custom_fields.asset');
  });

  it('refuses bad input with field messages and keeps what was typed', async () => {
    const empty = await submit(carl, { subject: '', description: 'Keep me' });
    expect(empty.status).toBe(422);
    const emptyHtml = await empty.text();
    expect(emptyHtml).toContain('id="subject-error"');
    expect(emptyHtml).toContain('Keep me');
    const missingField = await submit(carl, { subject: 'Laptop broken', description: 'Screen dark', category: 'Hardware' });
    expect(missingField.status).toBe(422);
    const missingHtml = await missingField.text();
    expect(missingHtml).toContain('name="custom_fields.asset"');
    expect(missingHtml).toMatch(/field-invalid[\s\S]*custom_fields\.asset/);
    expect((await submit(carl, { subject: 'X', description: 'Y', contract_id: String(world.contracts.expired) })).status).toBe(422);
    // Another organisation's contract, by a crafted id.
    const foreign = await submit(carl, { subject: 'X', description: 'Y', contract_id: String(world.contracts.globex) });
    expect(foreign.status).toBe(422);
    const bad = await submit(carl, { subject: 'Virus?', description: 'See file' }, [{ name: 'run.exe', bytes: PNG }]);
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('cannot be attached');
    const big = await submit(carl, { subject: 'Huge', description: 'See file' }, [{ name: 'big.pdf', bytes: new Uint8Array(10 * 1024 * 1024 + 1) }]);
    expect(big.status).toBe(422);
    expect(await world.scope.selectFrom('tickets').select('id').where('requester_id', '=', world.people.colleague).execute()).toEqual([]);
  });

  it('creates the ticket through the ticket service: channel web, the person as requester and actor, fields, contract, priority, attachment', async () => {
    const response = await submit(carl, { subject: 'Laptop broken', description: 'Screen stays dark', category: 'Hardware', 'custom_fields.asset': 'A-17', contract_id: String(world.contracts.gold), priority: '3' }, [{ name: 'screen.png', bytes: PNG }]);
    expect(response.status).toBe(303);
    const number = response.headers.get('Location')!.split('/').pop()!;
    const ticket = await world.scope.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({ subject: 'Laptop broken', status: 'new', channel: 'web', requester_id: world.people.colleague, organisation_id: world.organisations.acme, contract_id: world.contracts.gold, priority: 3, category: 'Hardware' });
    expect(JSON.parse(ticket.custom_fields)).toEqual({ asset: 'A-17' });
    const history = await world.scope.selectFrom('ticket_history').selectAll().where('ticket_id', '=', ticket.id).executeTakeFirstOrThrow();
    expect(history).toMatchObject({ action: 'created', actor_person_id: world.people.colleague, actor_user_id: null });
    const attachment = await world.scope.selectFrom('ticket_attachments').selectAll().where('ticket_id', '=', ticket.id).executeTakeFirstOrThrow();
    expect(attachment).toMatchObject({ filename: 'screen.png', mime_type: 'image/png', article_id: null });
    const page = await (await app.request(`/t/req/portal/requests/${number}`, { cookie: carl })).text();
    expect(page).toContain('Screen stays dark');
    expect(page).toContain('screen.png');
    const download = await app.request(`/t/req/portal/requests/${number}/attachments/${attachment.id}`, { cookie: carl });
    expect(download.status).toBe(200);
    expect(download.headers.get('Content-Disposition')).toMatch(/^attachment; filename="screen.png"/);
    expect(download.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(download.headers.get('Content-Type')).toBe('image/png');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PNG);
  });

  it('ignores a priority when the tenant does not allow choosing one', async () => {
    const cookie = await other.signIn(other.emails.colleague);
    const response = await submit(cookie, { subject: 'Urgent!!', description: 'Really', priority: '4' }, [], other.base);
    expect(response.status).toBe(303);
    const number = response.headers.get('Location')!.split('/').pop()!;
    expect((await other.scope.selectFrom('tickets').select('priority').where('number', '=', number).executeTakeFirstOrThrow()).priority).toBe(2);
  });

  it('shows public answers in order and never internal notes or their attachments', async () => {
    const ticket = await world.ticketFor(world.people.colleague, world.organisations.acme, 'Printer jam');
    await world.service().addArticle(ticket.number, { kind: 'reply', body: 'First public answer' }, world.agent);
    await world.service().addArticle(ticket.number, { kind: 'note', body: 'SECRET internal note', attachments: [{ filename: 'secret.txt', bytes: new TextEncoder().encode('secret') }] }, world.agent);
    await world.service().addArticle(ticket.number, { kind: 'reply', body: 'Second public answer', statusAfter: 'waiting' }, world.agent);
    const response = await app.request(`/t/req/portal/requests/${ticket.number}`, { cookie: carl });
    const html = await response.text();
    expect(html).not.toContain('SECRET');
    expect(html).not.toContain('secret.txt');
    expect(html.indexOf('First public answer')).toBeLessThan(html.indexOf('Second public answer'));
    expect(html).toContain('portal-your-turn');
    const secret = await world.scope.selectFrom('ticket_attachments').select('id').where('filename', '=', 'secret.txt').executeTakeFirstOrThrow();
    expect((await app.request(`/t/req/portal/requests/${ticket.number}/attachments/${secret.id}`, { cookie: carl })).status).toBe(404);
  });

  it('replies with an attachment as a customer article, which reopens a solved ticket; marks solved and reopens', async () => {
    const ticket = await world.ticketFor(world.people.colleague, world.organisations.acme, 'Mail is slow');
    await world.service().addArticle(ticket.number, { kind: 'reply', body: 'Try again now', statusAfter: 'solved' }, world.agent);
    const form = requestForm({ body: 'Still slow, see log' }, [{ name: 'mail.log', bytes: new TextEncoder().encode('timeout') }]);
    const reply = await app.request(`/t/req/portal/requests/${ticket.number}/reply`, { method: 'POST', body: form, cookie: carl });
    expect(reply.status).toBe(303);
    const after = await world.service().find(ticket.number);
    expect(after?.status).toBe('open');
    const article = await world.scope.selectFrom('ticket_articles').selectAll().where('ticket_id', '=', ticket.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(article).toMatchObject({ kind: 'customer', author_person_id: world.people.colleague, body_text: 'Still slow, see log', channel: 'web' });
    const page = await (await app.request(`/t/req/portal/requests/${ticket.number}`, { cookie: carl })).text();
    expect(page).toContain('mail.log');

    expect((await app.request(`/t/req/portal/requests/${ticket.number}/reply`, { method: 'POST', body: requestForm({ body: '' }), cookie: carl })).status).toBe(422);
    expect((await app.request(`/t/req/portal/requests/${ticket.number}/solve`, { method: 'POST', cookie: carl })).status).toBe(303);
    expect((await world.service().find(ticket.number))?.status).toBe('solved');
    expect((await app.request(`/t/req/portal/requests/${ticket.number}/reopen`, { method: 'POST', cookie: carl })).status).toBe(303);
    expect((await world.service().find(ticket.number))?.status).toBe('open');
    // The manager sees it but is not its requester: no status changes.
    expect((await app.request(`/t/req/portal/requests/${ticket.number}/solve`, { method: 'POST', cookie: mia })).status).toBe(403);
  });

  it('a closed request takes no reply and offers no status change', async () => {
    const ticket = await world.ticketFor(world.people.colleague, world.organisations.acme, 'Old matter');
    await world.service().changeStatus(ticket.number, 'solved', world.agent);
    await world.service().changeStatus(ticket.number, 'closed', world.agent);
    const page = await (await app.request(`/t/req/portal/requests/${ticket.number}`, { cookie: carl })).text();
    expect(page).not.toContain('id="portal-reply"');
    expect(page).not.toContain('id="portal-solve"');
    expect(page).not.toContain('id="portal-reopen"');
    const reply = await app.request(`/t/req/portal/requests/${ticket.number}/reply`, { method: 'POST', body: requestForm({ body: 'hello again?' }), cookie: carl });
    expect(reply.status).toBe(409);
    expect((await app.request(`/t/req/portal/requests/${ticket.number}/reopen`, { method: 'POST', cookie: carl })).status).toBe(409);
    expect(await world.scope.selectFrom('ticket_articles').select('id').where('body_text', '=', 'hello again?').execute()).toEqual([]);
    expect((await world.service().find(ticket.number))?.status).toBe('closed');
  });

  it('lists own requests for a member and the organisation\'s for a manager, with filters, sorting and waiting marked', async () => {
    await world.ticketFor(world.people.manager, world.organisations.acme, 'Manager own request');
    const globexTicket = await world.ticketFor(world.people.stranger, world.organisations.globex, 'Globex secret');
    const carlList = await (await app.request('/t/req/portal/requests', { cookie: carl })).text();
    expect(carlList).toContain('Laptop broken');
    expect(carlList).not.toContain('Manager own request');
    expect(carlList).not.toContain('Globex secret');
    expect(carlList).toMatch(/class="portal-waiting"[^>]*data-number="[^"]+"[\s\S]*?Printer jam/);
    const miaList = await (await app.request('/t/req/portal/requests', { cookie: mia })).text();
    expect(miaList).toContain('Laptop broken');
    expect(miaList).toContain('Manager own request');
    expect(miaList).not.toContain('Globex secret');
    expect(await (await app.request('/t/req/portal/requests', { cookie: gus })).text()).toContain(globexTicket.number);

    const waiting = await (await app.request('/t/req/portal/requests?status=waiting', { cookie: carl })).text();
    expect(waiting).toContain('Printer jam');
    expect(waiting).not.toContain('Laptop broken');
    const text = await (await app.request('/t/req/portal/requests?q=LAPTOP', { cookie: carl })).text();
    expect(text).toContain('Laptop broken');
    expect(text).not.toContain('Printer jam');
    const wildcard = await (await app.request('/t/req/portal/requests?q=%25', { cookie: carl })).text();
    expect(wildcard).toContain('portal-no-requests');
    const byNumber = await (await app.request(`/t/req/portal/requests?number=${globexTicket.number}`, { cookie: carl })).text();
    expect(byNumber).toContain('portal-no-requests');
    const subjects = (html: string) => [...html.matchAll(/class="portal-subject">\s*<a [^>]*>([^<]+)</g)].map((m) => m[1]);
    const ascending = subjects(await (await app.request('/t/req/portal/requests?sort=subject&dir=asc', { cookie: mia })).text());
    expect(ascending.length).toBeGreaterThan(2);
    expect(ascending).toEqual([...ascending].sort((a, b) => a!.localeCompare(b!, 'en')));
    const descending = subjects(await (await app.request('/t/req/portal/requests?sort=subject&dir=desc', { cookie: mia })).text());
    expect(descending).toEqual([...ascending].reverse());
    const fragment = await app.request('/t/req/portal/requests?status=waiting', { cookie: carl, headers: { 'HX-Request': 'true' } });
    const fragmentHtml = await fragment.text();
    expect(fragmentHtml.startsWith('<div id="portal-requests">')).toBe(true);
    expect(fragmentHtml).toContain('id="f-status"');
    expect(fragmentHtml).not.toContain('<html');
  });

  it('no portal route reaches a ticket of another organisation, another tenant, or a colleague\'s for a non-manager', async () => {
    const globex = await world.ticketFor(world.people.stranger, world.organisations.globex, 'Globex only');
    await world.service().addArticle(globex.number, { kind: 'reply', body: 'x', attachments: [{ filename: 'g.txt', bytes: new TextEncoder().encode('g') }] }, world.agent);
    const globexAttachment = await world.scope.selectFrom('ticket_attachments').select('id').where('ticket_id', '=', globex.id).executeTakeFirstOrThrow();
    const colleagues = await world.ticketFor(world.people.manager, world.organisations.acme, 'Only for managers');
    // A number the other tenant has and this one does not (numbers count per tenant).
    let foreignTenant = await other.ticketFor(other.people.colleague, other.organisations.acme, 'Other tenant');
    while (await world.service().find(foreignTenant.number)) foreignTenant = await other.ticketFor(other.people.colleague, other.organisations.acme, 'Other tenant');
    const routes = (number: string, attachmentId: number) => [
      ['GET', `/portal/requests/${number}`], ['POST', `/portal/requests/${number}/reply`], ['POST', `/portal/requests/${number}/solve`],
      ['POST', `/portal/requests/${number}/reopen`], ['GET', `/portal/requests/${number}/attachments/${attachmentId}`],
    ] as const;
    const tries: Array<[string, string, number, string]> = [];
    for (const [cookie, number] of [[carl, globex.number], [mia, globex.number], [carl, colleagues.number], [carl, foreignTenant.number]] as const) {
      for (const [method, path] of routes(number, globexAttachment.id)) {
        const body = method === 'POST' ? requestForm({ body: 'intrusion' }) : undefined;
        const response = await app.request(`/t/req${path}`, { method, cookie, ...(body ? { body } : {}) });
        tries.push([method, path, response.status, number]);
      }
    }
    // Another ticket's attachment under a request of one's own.
    const own = await world.ticketFor(world.people.colleague, world.organisations.acme, 'Own ticket');
    tries.push(['GET', 'own number, foreign attachment', (await app.request(`/t/req/portal/requests/${own.number}/attachments/${globexAttachment.id}`, { cookie: carl })).status, own.number]);
    expect(tries.filter(([, , status]) => status !== 404)).toEqual([]);
    const intrusions = await world.scope.selectFrom('ticket_articles').select('id').where('body_text', '=', 'intrusion').execute();
    expect(intrusions).toEqual([]);
    expect((await world.service().find(globex.number))?.status).toBe('open');
    // The manager reaches the colleague's request; the foreign tenant's cookie is nobody here.
    expect((await app.request(`/t/req/portal/requests/${colleagues.number}`, { cookie: mia })).status).toBe(200);
    const otherCookie = await other.signIn(other.emails.colleague);
    expect((await app.request(`/t/req/portal/requests`, { cookie: otherCookie })).status).toBe(303);
    expect((await app.request(`${other.base}/portal/requests/${foreignTenant.number}`, { cookie: otherCookie })).status).toBe(200);
  });

  it('every portal page but the public ones sends a signed-out visitor to the sign-in', async () => {
    for (const path of ['/portal/requests', '/portal/requests/new', '/portal/requests/new/fields', '/portal/requests/suggestions']) {
      const response = await app.request(`/t/req${path}`);
      expect(`${path} ${response.status}`).toBe(`${path} 303`);
      expect(response.headers.get('Location')).toContain('/t/req/portal/login?next=');
    }
    expect((await submit('', { subject: 'x', description: 'y' })).status).toBe(303);
  });

  it('limits submissions per user and per address', async () => {
    const cookie = await world.signIn(world.emails.stranger);
    const already = await world.scope.selectFrom('tickets').select('id').where('requester_id', '=', world.people.stranger).execute();
    let accepted = 0;
    let limited: Response | undefined;
    for (let i = 0; i < SUBMISSION_LIMITS.request.perPerson + 1 && !limited; i++) {
      const response = await submit(cookie, { subject: `Burst ${i}`, description: 'spam?' });
      if (response.status === 303) accepted += 1;
      else limited = response;
    }
    expect(accepted).toBe(SUBMISSION_LIMITS.request.perPerson);
    expect(limited?.status).toBe(429);
    expect(limited?.headers.get('Retry-After')).toBeTruthy();
    expect(await limited?.text()).toContain('many requests');
    const after = await world.scope.selectFrom('tickets').select('id').where('requester_id', '=', world.people.stranger).execute();
    expect(after.length - already.length).toBe(SUBMISSION_LIMITS.request.perPerson);
    // The same address (every test request has one) is limited across people too: Carl and Mia already submitted from it.
    const counts = await app.services.db.selectFrom('portal_rate_counts' as never).selectAll().execute() as Array<{ key: string; hits: number; tenant_id: number }>;
    const byAddress = counts.find((row) => row.tenant_id === world.tenant.id && row.key.startsWith('request:ip:'));
    expect(byAddress?.hits).toBeGreaterThan(SUBMISSION_LIMITS.request.perPerson);
  });

  it('limits by address alone once it reaches its own ceiling', async () => {
    const third = await portalWorld(app, 'req-addr');
    const people = [third.emails.manager, third.emails.colleague, third.emails.stranger];
    const cookies = await Promise.all(people.map((email) => third.signIn(email)));
    let limited = 0;
    let accepted = 0;
    for (let i = 0; i < SUBMISSION_LIMITS.request.perAddress + 1; i++) {
      const response = await submit(cookies[i % 3]!, { subject: `Address ${i}`, description: 'x' }, [], third.base);
      if (response.status === 429) limited += 1;
      else accepted += 1;
    }
    expect(accepted).toBe(SUBMISSION_LIMITS.request.perAddress);
    expect(limited).toBe(1);
  });
});
