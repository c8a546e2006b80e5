import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../../test/harness/test-database.js';
import { ticketPageFixture, type TicketPageFixture } from './ticket-page-fixture.js';

describe.each(dialects)('customer field of a locked ticket on %s', (dialect) => {
  let f: TicketPageFixture;
  beforeAll(async () => { f = await ticketPageFixture(dialect); });
  afterAll(() => f.app.cleanup());

  const fields = async (number: string) => {
    const response = await f.app.request(`/t/acme/desk/tickets/${number}`, { cookie: f.cookies.supervisor });
    expect(response.status).toBe(200);
    const html = await response.text();
    return html.slice(html.indexOf('id="ticket-fields"'), html.indexOf('</form>', html.indexOf('id="ticket-fields"')));
  };

  it('offers the organisation picker\'s clear button on an open ticket but not on a closed one', async () => {
    const live = await f.open('Still open');
    expect(await fields(live.number)).toContain('data-combo-clear');
    const done = await f.open('Done and closed');
    for (const to of ['solved', 'closed'] as const) await f.service(f.acme).changeStatus(done.number, to, f.system);
    expect((await f.ticket(done.number)).status).toBe('closed');
    const closed = await fields(done.number);
    expect(closed).toContain('Customer Ltd');
    expect(closed).not.toContain('data-combo-clear');
  });
});
