import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../domain-error.js';
import { dialects } from '../../../test/harness/test-database.js';
import { form, htmx, ticketPageFixture, type TicketPageFixture } from './ticket-page-fixture.js';

/** Every reading of the clock is one second later, so each change has its own version. */
function steppingClock() {
  let at = Date.parse('2026-03-02T09:00:00.000Z');
  return () => new Date((at += 1000));
}

describe.each(dialects)('a save from a form loaded before a colleague\'s change on %s', (dialect) => {
  let f: TicketPageFixture;
  beforeAll(async () => { f = await ticketPageFixture(dialect, { clock: steppingClock() }); });
  afterAll(() => f.app.cleanup());

  const versionOf = (html: string) => /<form id="ticket-fields"[\s\S]*?name="version" value="(\d+)"/.exec(html)![1]!;
  const loadedVersion = async (number: string, cookie: string) => versionOf(await (await f.app.request(`/t/acme/desk/tickets/${number}`, { cookie })).text());
  const fields = (ticket: { priority: number; category: string | null }, extra: Record<string, string>) => ({
    priority: String(ticket.priority), category: ticket.category ?? '', organisation_id: String(f.organisationId),
    requester_id: String(f.requesterId), contract_id: String(f.contractId), ...extra,
  });

  it('refuses to put back a field a colleague changed, says who changed it to what, keeps the input, and saves when sent again', async () => {
    const ticket = await f.open('Stale priority');
    const version = await loadedVersion(ticket.number, f.cookies.agent);
    expect(version).toBe(String(ticket.version));
    // The supervisor raises the priority meanwhile.
    await f.service(f.acme).update(ticket.number, { priority: 1 }, { kind: 'user', id: f.supervisorId, label: 'Sue Supervisor', can: () => true });

    // The agent's form still shows the old priority and changes only the category: the priority would be put back.
    const refused = await f.app.request(`/t/acme/desk/tickets/${ticket.number}/fields`,
      form(fields(ticket, { category: 'Software', version }), f.cookies.agent, htmx));
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain('Not saved: someone changed this ticket after you opened the form.');
    // At the field: who, when, old → new; above the form: the list of what changed.
    expect(html).toMatch(/Sue Supervisor changed this at 2026-03-02 \d\d:\d\d: “normal” → “low”/);
    expect(html).toMatch(/<li class="stale-change stale-conflict" data-field="priority"><strong>Priority:<\/strong> <del>normal<\/del> → <ins>low<\/ins>/);
    expect(html).toMatch(/<option value="Software" selected/);
    const after = await f.ticket(ticket.number);
    expect(after.priority).toBe(1);
    expect(after.category).toBe(ticket.category);
    // The refused form carries the version it now shows: sending it again is a deliberate overwrite.
    const newVersion = versionOf(html);
    expect(newVersion).toBe(String(after.version));
    const saved = await f.app.request(`/t/acme/desk/tickets/${ticket.number}/fields`,
      form(fields(ticket, { category: 'Software', version: newVersion }), f.cookies.agent, htmx));
    expect(saved.status).toBe(200);
    expect((await f.ticket(ticket.number)).priority).toBe(ticket.priority);
  });

  it('saves a field nobody else touched, and a form that leaves the colleague\'s value as it now is', async () => {
    const ticket = await f.open('Other field changed');
    const version = await loadedVersion(ticket.number, f.cookies.agent);
    await f.service(f.acme).update(ticket.number, { priority: 1 }, f.system);
    const saved = await f.app.request(`/t/acme/desk/tickets/${ticket.number}/fields`,
      form(fields({ ...ticket, priority: 1 }, { category: 'Software', version }), f.cookies.agent, htmx));
    expect(saved.status).toBe(200);
    const after = await f.ticket(ticket.number);
    expect([after.priority, after.category]).toEqual([1, 'Software']);
  });

  it('refuses in the service with the field, and a reply since the form was loaded is no conflict', async () => {
    const sue = { kind: 'user' as const, id: f.supervisorId, label: 'Sue Supervisor', can: () => true };
    const ticket = await f.open('Service level');
    await f.service(f.acme).addArticle(ticket.number, { kind: 'note', body: 'looked at it' }, f.system);
    await f.service(f.acme).update(ticket.number, { priority: 4 }, sue, { version: ticket.version });
    const error = await f.service(f.acme).update(ticket.number, { priority: 3, category: 'Software' }, f.system, { version: ticket.version }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe('conflict');
    expect(Object.keys((error as DomainError).fields)).toEqual(['priority']);
  });
});
