import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { dialects } from '../../../test/harness/test-database.js';
import { form, htmx, ticketPageFixture, type TicketPageFixture } from './ticket-page-fixture.js';

// Text modules, signatures and time spent (issue 18 points 2 and 3), over HTTP on both dialects.
describe.each(dialects)('reply tools on %s', (dialect) => {
  let f: TicketPageFixture;
  let globexAgent: string;
  const post = (path: string, values: Record<string, string>, cookie: string, headers: Record<string, string> = {}) => f.app.request(path, form(values, cookie, headers));
  const modules = (tenantId: number) => tenantScope(f.app.services.db, tenantId).selectFrom('text_modules').selectAll().orderBy('id').execute();
  const lastArticle = (ticketId: number) => f.app.services.db.selectFrom('ticket_articles').select(['kind', 'body_text', 'time_spent_minutes']).where('ticket_id', '=', ticketId).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const settings = (values: Record<string, string>) => post('/t/acme/admin/tickets/settings', { close_requires_supervisor: '1', notify_requester: '1', priority_1: '', priority_2: '', priority_3: '', priority_4: '', ...values }, f.cookies.admin);

  beforeAll(async () => {
    f = await ticketPageFixture(dialect);
    globexAgent = await f.app.signIn('agent@globex.test', 'globex');
  });
  afterAll(() => f.app.cleanup());

  it('manages text modules: personal for agents, group and everyone for supervisors, field messages for bad input', async () => {
    const bad = await post('/t/acme/desk/text-modules', { name: '', keyword: 'no spaces', body: '', visibility: 'personal' }, f.cookies.agent);
    expect(bad.status).toBe(422);
    const badText = await bad.text();
    expect(badText).toContain('Only letters, digits, - and _ (1 to 40).');
    expect((await post('/t/acme/desk/text-modules', { name: 'Team greeting', keyword: 'gr', body: 'x', visibility: 'everyone' }, f.cookies.agent)).status).toBe(403);
    expect((await post('/t/acme/desk/text-modules', { name: 'Group', keyword: 'grp', body: 'x', visibility: 'group' }, f.cookies.supervisor)).status).toBe(422);
    expect(await modules(f.acme.id)).toEqual([]);
    expect((await post('/t/acme/desk/text-modules', { name: 'Greeting', keyword: 'GrEet', body: 'Hello {{requester.name}}, about {{ticket.number}}.', visibility: 'personal' }, f.cookies.agent)).status).toBe(303);
    expect((await post('/t/acme/desk/text-modules', { name: 'Systems hello', keyword: 'grsys', body: 'Systems here: {{ticket.subject}}', visibility: 'group', group_id: String(f.secondLevel) }, f.cookies.supervisor)).status).toBe(303);
    expect((await post('/t/acme/desk/text-modules', { name: 'Thanks all', keyword: 'thx', body: 'Thanks, {{agent.name}} ({{organisation.name}})', visibility: 'everyone' }, f.cookies.supervisor)).status).toBe(303);
    const [greet, systems, thanks] = await modules(f.acme.id);
    expect(greet).toMatchObject({ keyword: 'greet', user_id: f.agentId, group_id: null });
    expect(systems).toMatchObject({ user_id: null, group_id: f.secondLevel });
    expect(thanks).toMatchObject({ user_id: null, group_id: null });
    // The agent is not in Systems: they see their own and the team's; they may not change the team's.
    const list = await (await f.app.request('/t/acme/desk/text-modules', { cookie: f.cookies.agent })).text();
    expect(list).toContain('::greet');
    expect(list).toContain('::thx');
    expect(list).not.toContain('::grsys');
    expect((await post(`/t/acme/desk/text-modules/${thanks!.id}`, { name: 'Mine', keyword: 'thx', body: 'x', visibility: 'personal' }, f.cookies.agent)).status).toBe(403);
    expect((await f.app.request(`/t/acme/desk/text-modules/${greet!.id}`, { cookie: f.cookies.supervisor })).status).toBe(404);
    expect((await post(`/t/acme/desk/text-modules/${greet!.id}`, { name: 'Greeting', keyword: 'greet', body: 'Hello {{requester.name}}, about {{ticket.number}}. {{agent.signature}}', visibility: 'personal' }, f.cookies.agent)).status).toBe(303);
  });

  it('offers matching modules for `::` rendered for the ticket, with the signature; 404 across tenants', async () => {
    const ticket = await f.open('Lookup ticket');
    await f.app.services.db.updateTable('users').set({ signature: 'Anna · {{tenant.name}}' }).where('id', '=', f.agentId).execute();
    const lookup = async (q: string, cookie = f.cookies.agent, number = ticket.number, slug = 'acme') => f.app.request(`/t/${slug}/desk/tickets/${number}/text-modules?q=${encodeURIComponent(q)}`, { cookie });
    const response = await lookup('gr');
    expect(response.status).toBe(200);
    const body = await response.json() as { modules: Array<{ keyword: string; text: string }> };
    expect(body.modules.map((m) => m.keyword)).toEqual(['greet']);
    expect(body.modules[0]!.text).toBe(`Hello Carla Kunde, about ${ticket.number}. Anna · ACME`);
    expect((await (await lookup('')).json() as { modules: unknown[] }).modules).toHaveLength(2);
    // Supervisors in Systems get its module; by name too.
    expect(((await (await lookup('sys', f.cookies.supervisor)).json()) as { modules: Array<{ keyword: string }> }).modules.map((m) => m.keyword)).toEqual(['grsys']);
    const globexTicket = await f.openGlobex();
    expect((await lookup('gr', f.cookies.agent, globexTicket.number)).status).toBe(404);
    expect((await lookup('gr', globexAgent, ticket.number, 'globex')).status).toBe(404);
    expect(((await (await lookup('', globexAgent, globexTicket.number, 'globex')).json()) as { modules: unknown[] }).modules).toEqual([]);
    const [greet] = await modules(f.acme.id);
    expect((await f.app.request(`/t/globex/desk/text-modules/${greet!.id}`, { cookie: globexAgent })).status).toBe(404);
    expect((await post(`/t/globex/desk/text-modules/${greet!.id}/delete`, {}, globexAgent)).status).toBe(404);
    // A Globex session on ACME's path is nobody there: sent to sign in, nothing deleted.
    const foreign = await post(`/t/acme/desk/text-modules/${greet!.id}/delete`, {}, globexAgent);
    expect(foreign.headers.get('Location') ?? '').toContain('/t/acme/login');
    expect(await modules(f.acme.id)).toHaveLength(3);
  });

  it('signs replies with the group signature, else the personal one, unless left out; notes never', async () => {
    await f.app.services.db.updateTable('users').set({ signature: 'Agent {{agent.name}}' }).where('id', '=', f.agentId).execute();
    const ticket = await f.open('Signature ticket');
    let page = await (await f.app.request(`/t/acme/desk/tickets/${ticket.number}`, { cookie: f.cookies.agent })).text();
    expect(page).toContain('Signature: your personal one');
    expect((await post(`/t/acme/desk/tickets/${ticket.number}/articles`, { kind: 'reply', body: 'Done.' }, f.cookies.agent)).status).toBe(303);
    expect((await lastArticle(ticket.id)).body_text).toBe('Done.\n\n-- \nAgent agent');
    // The group's signature (set on its admin page) wins.
    expect((await post(`/t/acme/admin/groups/${f.firstLevel}/signature`, { signature: 'Your service desk, {{tenant.name}}' }, f.cookies.admin)).status).toBe(303);
    page = await (await f.app.request(`/t/acme/desk/tickets/${ticket.number}`, { cookie: f.cookies.agent })).text();
    expect(page).toContain('Signature: Servicedesk');
    expect((await post(`/t/acme/desk/tickets/${ticket.number}/articles`, { kind: 'reply', body: 'Again.' }, f.cookies.agent)).status).toBe(303);
    expect((await lastArticle(ticket.id)).body_text).toBe('Again.\n\n-- \nYour service desk, ACME');
    expect((await post(`/t/acme/desk/tickets/${ticket.number}/articles`, { kind: 'reply', body: 'Bare.', no_signature: '1' }, f.cookies.agent)).status).toBe(303);
    expect((await lastArticle(ticket.id)).body_text).toBe('Bare.');
    expect((await post(`/t/acme/desk/tickets/${ticket.number}/articles`, { kind: 'note', body: 'Internal.' }, f.cookies.agent)).status).toBe(303);
    expect((await lastArticle(ticket.id)).body_text).toBe('Internal.');
    // The personal one is saved on the account page; another tenant's admin cannot touch this group.
    expect((await post('/t/acme/account/signature', { signature: 'Kind regards\n{{agent.name}}' }, f.cookies.agent)).status).toBe(303);
    expect((await f.app.services.db.selectFrom('users').select('signature').where('id', '=', f.agentId).executeTakeFirstOrThrow()).signature).toBe('Kind regards\n{{agent.name}}');
    expect((await post('/t/acme/account/signature', { signature: 'x'.repeat(4001) }, f.cookies.agent)).status).toBe(422);
    const globexAdmin = await f.app.createStaff(f.globex.id, 'admin', 'admin@globex.test');
    expect(globexAdmin).toBeGreaterThan(0);
    const globexCookie = await f.app.signIn('admin@globex.test', 'globex');
    expect((await post(`/t/globex/admin/groups/${f.firstLevel}/signature`, { signature: 'hijack' }, globexCookie)).status).toBe(404);
    expect((await f.app.services.db.selectFrom('support_groups').select('signature').where('id', '=', f.firstLevel).executeTakeFirstOrThrow()).signature).toBe('Your service desk, {{tenant.name}}');
    await f.app.services.db.updateTable('support_groups').set({ signature: null }).execute();
  });

  it('records time spent per article and sums it on the ticket; required when the tenant says so', async () => {
    const ticket = await f.open('Time ticket');
    expect((await settings({ time_spent: 'optional' })).status).toBe(303);
    let page = await (await f.app.request(`/t/acme/desk/tickets/${ticket.number}`, { cookie: f.cookies.agent })).text();
    expect(page).toContain('name="time_spent"');
    expect((await post(`/t/acme/desk/tickets/${ticket.number}/articles`, { kind: 'note', body: 'Checked logs.', time_spent: '25' }, f.cookies.agent)).status).toBe(303);
    expect((await post(`/t/acme/desk/tickets/${ticket.number}/articles`, { kind: 'reply', body: 'Fixed.', time_spent: '50', no_signature: '1' }, f.cookies.agent)).status).toBe(303);
    expect((await post(`/t/acme/desk/tickets/${ticket.number}/articles`, { kind: 'note', body: 'No time.' }, f.cookies.agent)).status).toBe(303);
    expect((await f.ticket(ticket.number)).time_spent_minutes).toBe(75);
    expect(await lastArticle(ticket.id)).toMatchObject({ time_spent_minutes: null });
    const bad = await post(`/t/acme/desk/tickets/${ticket.number}/articles`, { kind: 'note', body: 'Bad.', time_spent: '-3' }, f.cookies.agent, htmx);
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Whole minutes from 0 to 1440.');
    expect((await settings({ time_spent: 'required' })).status).toBe(303);
    const missing = await post(`/t/acme/desk/tickets/${ticket.number}/articles`, { kind: 'note', body: 'Forgot.' }, f.cookies.agent, htmx);
    expect(missing.status).toBe(422);
    expect((await f.ticket(ticket.number)).time_spent_minutes).toBe(75);
    page = await (await f.app.request(`/t/acme/desk/tickets/${ticket.number}`, { cookie: f.cookies.agent })).text();
    expect(page).toContain('id="ticket-time-spent"');
    expect(page).toContain('1:15 h (75 min)');
    expect((await settings({ time_spent: 'off' })).status).toBe(303);
  });
});
