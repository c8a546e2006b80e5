import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { dialects } from '../../../test/harness/test-database.js';
import { form, htmx, ticketPageFixture, type TicketPageFixture } from './ticket-page-fixture.js';

describe.each(dialects)('merge and spam on the ticket page on %s', (dialect) => {
  let f: TicketPageFixture;
  beforeAll(async () => { f = await ticketPageFixture(dialect); });
  afterAll(() => f.app.cleanup());

  const post = (number: string, action: string, values: Record<string, string>, headers: Record<string, string> = {}, cookie = f.cookies.agent) =>
    f.app.request(`/t/acme/desk/tickets/${number}/${action}`, form(values, cookie, headers));
  const page = async (number: string, language = 'en') => {
    const response = await f.app.request(`/t/acme/desk/tickets/${number}`, { cookie: f.cookies.agent, headers: { 'Accept-Language': language } });
    expect(response.status).toBe(200);
    return response.text();
  };
  const articleCount = async (ticketId: number) => (await tenantScope(f.app.services.db, f.acme.id).selectFrom('ticket_articles').select('id').where('ticket_id', '=', ticketId).execute()).length;

  it('offers "Merge into…" and "Spam" on an active ticket, in English and German', async () => {
    const ticket = await f.open('Offers both');
    const english = await page(ticket.number);
    expect(english).toContain('id="action-merge"');
    expect(english).toContain('Merge into…');
    expect(english).toMatch(/<form[^>]*id="merge-form"/);
    expect(english).toContain('Number of the ticket to merge into');
    expect(english).toContain('id="action-spam"');
    expect(english).toContain('Close this ticket as spam?');
    const german = await page(ticket.number, 'de');
    expect(german).toContain('Zusammenführen in…');
    expect(german).toContain('Nummer des Tickets, in das zusammengeführt wird');
    expect(german).toContain('Dieses Ticket als Spam schließen?');
    expect(german).toContain('Als Spam schließen');
  });

  it('asks first with the target\'s subject, changing nothing; the confirmed POST merges and the page links to the survivor', async () => {
    const source = await f.open('Printer again (duplicate)');
    const target = await f.open('Printer prints blank pages');
    const check = await post(source.number, 'merge', { into: ` #${target.number} ` }, htmx);
    expect(check.status).toBe(200);
    const asked = await check.text();
    expect(asked).toMatch(/^<section id="ticket-header"/);
    expect(asked).toMatch(/<form[^>]*id="merge-confirm"/);
    expect(asked).toContain(`Merge ${source.number} into:`);
    expect(asked).toContain(`${target.number} · Printer prints blank pages`);
    expect(asked).toMatch(/<details[^>]*id="merge" open/);
    expect(asked).toContain(`name="into" value="${target.number}"`);
    expect(asked).toContain('name="confirm" value="1"');
    expect(await f.ticket(source.number)).toMatchObject({ status: 'new', close_reason: null, merged_into_id: null });

    const merged = await post(source.number, 'merge', { into: target.number, confirm: '1' }, htmx);
    expect(merged.status).toBe(200);
    const fragment = await merged.text();
    expect(fragment).toContain(`${source.number} was merged into ${target.number}.`);
    expect(fragment).toMatch(/id="ticket-status">Closed</);
    expect(fragment).toContain(`id="ticket-merged-link">${target.number}</a>`);
    expect(fragment).toMatch(/id="ticket-composer"[^>]*hx-swap-oob="true"/);
    const closed = await f.ticket(source.number);
    const survivor = await f.ticket(target.number);
    expect(closed).toMatchObject({ status: 'closed', close_reason: 'merged', merged_into_id: survivor.id });
    expect(await articleCount(survivor.id)).toBe(1);

    const sourcePage = await page(source.number);
    expect(sourcePage).toMatch(new RegExp(`id="ticket-merged"[^>]*>Merged into <a href="/t/acme/desk/tickets/${target.number}" id="ticket-merged-link">${target.number}</a>`));
    expect(sourcePage).toContain(`merged this ticket into ${target.number}`);
    // A closed ticket offers neither action any more.
    expect(sourcePage).not.toContain('id="action-merge"');
    expect(sourcePage).not.toContain('id="action-spam"');
    expect(await page(source.number, 'de')).toContain(`Zusammengeführt in <a href="/t/acme/desk/tickets/${target.number}"`);
    const survivorPage = await page(target.number);
    expect(survivorPage).toContain(`merged ${source.number} into this ticket`);
    expect(survivorPage).toContain(`Merged from ${source.number}: Printer again (duplicate)`);
    expect(survivorPage).not.toContain('id="ticket-merged"');
    expect(await page(target.number, 'de')).toContain(`hat ${source.number} in dieses Ticket zusammengeführt`);
  });

  it('merges without JavaScript too: both steps as plain forms, then back to the page (303)', async () => {
    const source = await f.open('Plain form source');
    const target = await f.open('Plain form target');
    const check = await post(source.number, 'merge', { into: target.number });
    expect(check.status).toBe(200);
    const html = await check.text();
    expect(html).toContain('<!doctype html>');
    expect(html).toContain(`${target.number} · Plain form target`);
    const merged = await post(source.number, 'merge', { into: target.number, confirm: '1' });
    expect(merged.status).toBe(303);
    expect(merged.headers.get('Location')).toBe(`/t/acme/desk/tickets/${source.number}`);
    expect((await f.ticket(source.number)).close_reason).toBe('merged');
  });

  it('refuses with field messages (422) and says why a closed ticket cannot be merged (409), in the form', async () => {
    const source = await f.open('Refusals');
    const closedTarget = await f.open('Closed target');
    await post(closedTarget.number, 'spam', {});
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ into: '' }, 422, 'Please fill in this field.'],
      [{ into: source.number }, 422, 'A ticket cannot be merged into itself.'],
      [{ into: '2026-999999' }, 422, 'There is no ticket 2026-999999.'],
      [{ into: source.number, confirm: '1' }, 422, 'A ticket cannot be merged into itself.'],
      [{ into: '', confirm: '1' }, 422, 'Please fill in this field.'],
      [{ into: closedTarget.number }, 409, `Ticket ${closedTarget.number} is closed; merge into an open ticket.`],
      [{ into: closedTarget.number, confirm: '1' }, 409, `Ticket ${closedTarget.number} is closed; merge into an open ticket.`],
    ];
    for (const [values, status, message] of cases) {
      const response = await post(source.number, 'merge', values, htmx);
      expect(response.status, JSON.stringify(values)).toBe(status);
      const fragment = await response.text();
      expect(fragment, JSON.stringify(values)).toContain(message);
      expect(fragment).toMatch(/<form[^>]*id="merge-form"/);
      expect(fragment).toMatch(/<details[^>]*id="merge" open/);
    }
    const german = await post(source.number, 'merge', { into: source.number }, { ...htmx, 'Accept-Language': 'de' });
    expect(german.status).toBe(422);
    expect(await german.text()).toContain('Ein Ticket kann nicht mit sich selbst zusammengeführt werden.');
    expect(await f.ticket(source.number)).toMatchObject({ status: 'new', close_reason: null });
    // A source closed meanwhile (the page was stale, the form is gone): 409 with the reason as a toast, in both steps.
    const target = await f.open('Open target');
    await post(source.number, 'merge', { into: target.number, confirm: '1' });
    for (const confirm of ['0', '1']) {
      const again = await post(source.number, 'merge', { into: target.number, confirm }, htmx);
      expect(again.status).toBe(409);
      expect(again.headers.get('HX-Retarget')).toBe('#toasts');
      expect(await again.text()).toContain('This ticket was already merged into another one.');
    }
    // The merged ticket is no target either: merge into its survivor.
    const third = await f.open('Third');
    const intoMerged = await post(third.number, 'merge', { into: source.number }, htmx);
    expect(intoMerged.status).toBe(409);
    expect(await intoMerged.text()).toContain(`Ticket ${source.number} was itself merged into another ticket; merge into that one.`);
  });

  it('keeps tenants apart: another tenant\'s ticket is 404 as source and "no ticket" as target, and never changes', async () => {
    const globex = await f.openGlobex();
    const mine = await f.open('Mine');
    for (const action of ['merge', 'spam']) {
      const response = await post(globex.number, action, { into: mine.number, confirm: '1' }, htmx);
      expect(response.status, action).toBe(404);
    }
    for (const confirm of ['0', '1']) {
      const response = await post(mine.number, 'merge', { into: globex.number, confirm }, htmx);
      expect(response.status).toBe(422);
      expect(await response.text()).toContain(`There is no ticket ${globex.number}.`);
    }
    expect(await f.ticket(globex.number)).toMatchObject({ status: 'new', close_reason: null, merged_into_id: null });
    expect(await f.ticket(mine.number)).toMatchObject({ status: 'new', close_reason: null, merged_into_id: null });
    // Globex's own agent does not reach ACME's tickets through ACME's URL either.
    const globexCookie = await f.app.signIn('agent@globex.test', 'globex');
    const foreign = await post(mine.number, 'spam', {}, {}, globexCookie);
    expect(foreign.status).toBe(303);
    expect(foreign.headers.get('Location')).toBe('/t/acme/login');
    expect((await f.ticket(mine.number)).status).toBe('new');
  });

  it('refuses a cross-site POST (CSRF) for merge and spam like every desk form', async () => {
    const source = await f.open('CSRF source');
    const target = await f.open('CSRF target');
    const evil = { Origin: 'https://evil.example' };
    expect((await post(source.number, 'merge', { into: target.number, confirm: '1' }, evil)).status).toBe(403);
    expect((await post(source.number, 'spam', {}, evil)).status).toBe(403);
    expect(await f.ticket(source.number)).toMatchObject({ status: 'new', close_reason: null, merged_into_id: null });
  });

  it('closes as spam in one step from any active status; a second time is 409; the page says so', async () => {
    const fresh = await f.open('Buy cheap watches');
    const waiting = await f.open('Win a prize');
    await post(waiting.number, 'accept', {});
    await post(waiting.number, 'status', { to: 'waiting' });
    const plain = await post(fresh.number, 'spam', {});
    expect(plain.status).toBe(303);
    expect(plain.headers.get('Location')).toBe(`/t/acme/desk/tickets/${fresh.number}`);
    const viaHtmx = await post(waiting.number, 'spam', {}, htmx);
    expect(viaHtmx.status).toBe(200);
    const fragment = await viaHtmx.text();
    expect(fragment).toContain(`${waiting.number} was closed as spam.`);
    expect(fragment).toContain('id="ticket-spam"');
    for (const ticket of [fresh, waiting]) expect(await f.ticket(ticket.number)).toMatchObject({ status: 'closed', close_reason: 'spam', merged_into_id: null });
    const html = await page(fresh.number);
    expect(html).toMatch(/id="ticket-spam"[^>]*>Closed as spam\.</);
    expect(html).toContain('closed the ticket as spam');
    const german = await page(fresh.number, 'de');
    expect(german).toContain('Als Spam geschlossen.');
    expect(german).toContain('hat das Ticket als Spam geschlossen');
    const again = await post(fresh.number, 'spam', {}, htmx);
    expect(again.status).toBe(409);
    expect(again.headers.get('HX-Retarget')).toBe('#toasts');
  });

  it('carries the version the page was loaded at through both merge steps and spam: a status a colleague changed since is refused', async () => {
    const source = await f.open('Mouse broken (again)');
    const target = await f.open('Mouse broken');
    const loaded = await f.ticket(source.number);
    expect(await page(source.number)).toMatch(new RegExp(`<form[^>]*id="merge-form"[\\s\\S]*?name="version" value="${loaded.version}"`));
    // A colleague takes the ticket into work after the page was loaded.
    await post(source.number, 'accept', {}, {}, f.cookies.supervisor);
    const asked = await (await post(source.number, 'merge', { into: target.number, version: String(loaded.version) }, htmx)).text();
    expect(asked).toMatch(new RegExp(`<form[^>]*id="merge-confirm"[\\s\\S]*?name="version" value="${loaded.version}"`));
    const refused = await post(source.number, 'merge', { into: target.number, confirm: '1', version: String(loaded.version) }, htmx);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toMatch(/role="alert">Not merged: someone changed this ticket after you opened it\. sue changed this at [^:]+:\d\d: “New” → “Customer waits”\. Merge again to go ahead\.</);
    expect(await f.ticket(source.number)).toMatchObject({ status: 'open', merged_into_id: null });
    const spam = await post(source.number, 'spam', { version: String(loaded.version) }, htmx);
    expect(spam.status).toBe(409);
    expect((await f.ticket(source.number)).status).toBe('open');
    // Sent again with the version now shown, both go through.
    const now = (await f.ticket(source.number)).version;
    expect((await post(source.number, 'spam', { version: String(now) }, htmx)).status).toBe(200);
    expect(await f.ticket(source.number)).toMatchObject({ status: 'closed', close_reason: 'spam' });
  });
});
