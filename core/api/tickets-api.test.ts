import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens.js';
import { setTenantHosts } from '../tenancy/tenant-service.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { createTestApp, ORIGIN, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { apiRouteList } from './api-routes.js';

/** The documented response schema of an operation must accept what the server sent. */
function documented(operationId: string, json: unknown) {
  const route = apiRouteList.find((r) => r.operationId === operationId)!;
  return route.response.parse(json) as never;
}

interface ErrorBody { error: { code: string; message: string; fields: Record<string, string> } }

describe.each(dialects)('tickets API on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let globex: number;
  let agentToken: string;
  let supervisorToken: string;
  let globexToken: string;
  let firstLevel: number;
  let secondLevel: number;
  let globexGroup: number;

  const call = (path: string, token: string | undefined, init: { method?: string; json?: unknown; headers?: Record<string, string>; cookie?: string } = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (init.json !== undefined) headers['Content-Type'] = 'application/json';
    return app.request(path, { method: init.method ?? 'GET', headers, body: init.json === undefined ? null : JSON.stringify(init.json), cookie: init.cookie });
  };
  const create = async (token: string, json: Record<string, unknown>, slug = 'acme') => {
    const response = await call(`/t/${slug}/api/v1/tickets`, token, { method: 'POST', json });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json() as { data: { number: string; status: string } }).data;
  };
  const ticketRow = (number: string, tenantId = acme) =>
    tenantScope(app.database.db, tenantId).selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = (await app.createTenant('acme')).id;
    globex = (await app.createTenant('globex')).id;
    const agentId = await app.createStaff(acme, 'agent', 'agent@acme.test');
    const supervisorId = await app.createStaff(acme, 'supervisor', 'sue@acme.test');
    const globexAgentId = await app.createStaff(globex, 'agent', 'agent@globex.test');
    const db = app.database.db;
    agentToken = (await createApiToken(db, { tenantId: acme, userId: agentId, name: 'test' })).token;
    supervisorToken = (await createApiToken(db, { tenantId: acme, userId: supervisorId, name: 'test' })).token;
    globexToken = (await createApiToken(db, { tenantId: globex, userId: globexAgentId, name: 'test' })).token;
    const scope = tenantScope(db, acme);
    [firstLevel, secondLevel] = (await scope.insertInto('support_groups', [{ name: 'Servicedesk', level: 'first' }, { name: 'Systems', level: 'second' }]).returning('id').execute()).map((g) => g.id) as [number, number];
    await scope.insertInto('group_members', [{ group_id: firstLevel, user_id: agentId }]).execute();
    await scope.insertInto('organisations', { name: 'Customer Ltd', email_domains: 'customer.test' }).execute();
    await scope.insertInto('ticket_categories', [{ name: 'Hardware', position: 1, active: 1 }]).execute();
    await scope.insertInto('ticket_fields', [
      { key: 'serial', label: 'Serial number', type: 'text', options: '[]', required: 1, categories: '["Hardware"]', position: 1, active: 1 },
    ]).execute();
    globexGroup = (await tenantScope(db, globex).insertInto('support_groups', { name: 'Globex desk', level: 'first' }).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => app.cleanup());

  it('answers 401 in JSON without a token, with a bad token and with another tenant’s token; 404 in JSON for unknown routes', async () => {
    for (const token of [undefined, 'trs_nonsense', globexToken]) {
      const response = await call('/t/acme/api/v1/tickets', token);
      expect(response.status).toBe(401);
      expect(response.headers.get('Content-Type')).toContain('application/json');
      expect((await response.json() as ErrorBody).error.code).toBe('unauthorized');
    }
    const posted = await call('/t/acme/api/v1/tickets', 'trs_nonsense', { method: 'POST', json: { subject: 'x', body: 'y' } });
    expect(posted.status).toBe(401);
    for (const path of ['/t/acme/api/v1/nothing-here', '/t/acme/api/v2/tickets', '/t/no-such-tenant/api/v1/tickets']) {
      const response = await call(path, agentToken);
      expect(response.status, path).toBe(404);
      expect((await response.json() as ErrorBody).error).toMatchObject({ code: 'not_found', fields: {} });
    }
  });

  it('creates a ticket: 201 with Location, the requester found or created by e-mail', async () => {
    const response = await call('/t/acme/api/v1/tickets', agentToken, {
      method: 'POST',
      json: { subject: 'Printer prints blank pages', body: 'Since this morning only blank sheets.', requester_email: 'carla@customer.test', requester_name: 'Carla', priority: 3, channel: 'phone', group_id: firstLevel },
    });
    expect(response.status).toBe(201);
    const { data } = documented('createTicket', await response.json()) as { data: { number: string; requester_id: number; organisation_id: number } };
    expect(response.headers.get('Location')).toBe(`/t/acme/api/v1/tickets/${data.number}`);
    expect(data).toMatchObject({ subject: 'Printer prints blank pages', description: 'Since this morning only blank sheets.', status: 'new', priority: 3, channel: 'phone', group_id: firstLevel, custom_fields: {} });
    const person = await tenantScope(app.database.db, acme).selectFrom('people').selectAll().where('id', '=', data.requester_id).executeTakeFirstOrThrow();
    expect(person).toMatchObject({ name: 'Carla', email: 'carla@customer.test', organisation_id: data.organisation_id });
    const custom = await create(agentToken, { subject: 'Laptop broken', body: 'Screen dark.', category: 'Hardware', custom_fields: { serial: 'SN-1' } });
    expect((await ticketRow(custom.number)).custom_fields).toBe('{"serial":"SN-1"}');
  });

  it('refuses bad bodies with 422 and a message per field, and non-JSON with 415; nothing is saved', async () => {
    const before = await tenantScope(app.database.db, acme).selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const bad = await call('/t/acme/api/v1/tickets', agentToken, { method: 'POST', json: { subject: '', body: 'x', priority: 9, colour: 'red', requester_email: 'nope' } });
    expect(bad.status).toBe(422);
    const { error } = await bad.json() as ErrorBody;
    expect(error.code).toBe('invalid');
    expect(Object.keys(error.fields).sort()).toEqual(['colour', 'priority', 'requester_email', 'subject']);
    expect(error.fields.subject).toBe('Please fill in this field.');
    expect(error.fields.colour).toBe('This field is not known.');
    const custom = await call('/t/acme/api/v1/tickets', agentToken, { method: 'POST', json: { subject: 'Laptop', body: 'x', category: 'Hardware', custom_fields: { colour: 'red' } } });
    expect(custom.status).toBe(422);
    expect(Object.keys((await custom.json() as ErrorBody).error.fields).sort()).toEqual(['custom_fields.colour', 'custom_fields.serial']);
    const foreignGroup = await call('/t/acme/api/v1/tickets', agentToken, { method: 'POST', json: { subject: 'x', body: 'y', group_id: globexGroup } });
    expect(foreignGroup.status).toBe(422);
    expect((await foreignGroup.json() as ErrorBody).error.fields).toHaveProperty('group_id');
    const broken = await app.request('/t/acme/api/v1/tickets', { method: 'POST', headers: { Authorization: `Bearer ${agentToken}`, 'Content-Type': 'application/json' }, body: '{"subject":' });
    expect(broken.status).toBe(422);
    const form = await app.request('/t/acme/api/v1/tickets', { method: 'POST', headers: { Authorization: `Bearer ${agentToken}` }, body: new URLSearchParams({ subject: 'x', body: 'y' }) });
    expect(form.status).toBe(415);
    expect((await form.json() as ErrorBody).error.code).toBe('unsupported_media_type');
    const after = await tenantScope(app.database.db, acme).selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('lists and searches tickets with status (also active), text, paging', async () => {
    const a = await create(agentToken, { subject: 'Zebra crossing light broken', body: 'The zebra light blinks.' });
    await create(agentToken, { subject: 'Second ticket', body: 'Nothing special.' });
    const search = await call('/t/acme/api/v1/tickets?q=zebra&status=active', agentToken);
    expect(search.status).toBe(200);
    const found = documented('listTickets', await search.json()) as { data: Array<{ number: string }>; total: number; page: number; per_page: number };
    expect(found.data.map((t) => t.number)).toEqual([a.number]);
    expect(found).toMatchObject({ total: 1, page: 1, per_page: 25 });
    const paged = await (await call('/t/acme/api/v1/tickets?per_page=1&page=2&status=new', agentToken)).json() as { data: unknown[]; total: number; page: number; per_page: number };
    expect(paged.data).toHaveLength(1);
    expect(paged).toMatchObject({ page: 2, per_page: 1 });
    expect(paged.total).toBeGreaterThanOrEqual(3);
    expect((await (await call('/t/acme/api/v1/tickets?status=closed', agentToken)).json() as { total: number }).total).toBe(0);
    const bad = await call('/t/acme/api/v1/tickets?status=gone&per_page=1000', agentToken);
    expect(bad.status).toBe(422);
    expect(Object.keys((await bad.json() as ErrorBody).error.fields).sort()).toEqual(['per_page', 'status']);
  });

  it('shows a ticket with every kind of article, attachment metadata and history; adds replies and notes', async () => {
    const ticket = await create(agentToken, { subject: 'VPN drops', body: 'Every hour.' });
    // A waiting time in the past is refused at its field, and nothing is written.
    const past = await call(`/t/acme/api/v1/tickets/${ticket.number}/articles`, agentToken, { method: 'POST', json: { kind: 'reply', body: 'Which client version?', status_after: 'waiting', waiting_until: '2020-01-01T10:00:00Z' } });
    expect(past.status).toBe(422);
    expect((await past.json() as ErrorBody).error.fields).toHaveProperty('waiting_until');
    expect((await ticketRow(ticket.number)).status).not.toBe('waiting');
    const reply = await call(`/t/acme/api/v1/tickets/${ticket.number}/articles`, agentToken, { method: 'POST', json: { kind: 'reply', body: 'Which client version?', status_after: 'waiting', waiting_until: '2030-03-04T09:30:00+01:00', time_spent_minutes: 12 } });
    expect(reply.status).toBe(201);
    expect((await ticketRow(ticket.number)).waiting_until).toBe('2030-03-04T08:30:00.000Z');
    expect(documented('addArticle', await reply.json())).toMatchObject({ data: { kind: 'reply', body: 'Which client version?', author_label: 'agent' }, ticket: { number: ticket.number, status: 'waiting' } });
    expect((await call(`/t/acme/api/v1/tickets/${ticket.number}/articles`, agentToken, { method: 'POST', json: { kind: 'note', body: 'Probably the old client.' } })).status).toBe(201);
    const customer = await call(`/t/acme/api/v1/tickets/${ticket.number}/articles`, agentToken, { method: 'POST', json: { kind: 'customer', body: 'x' } });
    expect(customer.status).toBe(422);
    expect((await customer.json() as ErrorBody).error.fields).toHaveProperty('kind');
    const empty = await call(`/t/acme/api/v1/tickets/${ticket.number}/articles`, agentToken, { method: 'POST', json: { kind: 'note', body: '   ' } });
    expect((await empty.json() as ErrorBody).error.fields).toHaveProperty('body');

    const row = await ticketRow(ticket.number);
    await tenantScope(app.database.db, acme).insertInto('ticket_attachments', { ticket_id: row.id, article_id: null, sha256: 'a'.repeat(64), filename: 'log.txt', mime_type: 'text/plain', size: 12, content_id: null }).execute();
    const response = await call(`/t/acme/api/v1/tickets/${ticket.number}`, agentToken);
    expect(response.status).toBe(200);
    const { data } = documented('getTicket', await response.json()) as { data: { status: string; articles: Array<{ kind: string; body: string }>; attachments: Array<{ filename: string; size: number }>; history: Array<{ action: string; field: string | null; new_value: string | null }> } };
    expect(data.status).toBe('waiting');
    expect(data.articles.map((a) => [a.kind, a.body])).toEqual([['reply', 'Which client version?'], ['note', 'Probably the old client.']]);
    // Time spent: per article and summed on the ticket.
    expect((data as unknown as { time_spent_minutes: number; articles: Array<{ time_spent_minutes: number | null }> }).time_spent_minutes).toBe(12);
    expect((data as unknown as { articles: Array<{ time_spent_minutes: number | null }> }).articles.map((a) => a.time_spent_minutes)).toEqual([12, null]);
    expect((await call(`/t/acme/api/v1/tickets/${ticket.number}/articles`, agentToken, { method: 'POST', json: { kind: 'note', body: 'x', time_spent_minutes: 1441 } })).status).toBe(422);
    expect(data.attachments).toEqual([expect.objectContaining({ filename: 'log.txt', size: 12, mime_type: 'text/plain' })]);
    expect(data.history.map((h) => h.action)).toEqual(expect.arrayContaining(['created', 'reply', 'note', 'status']));
    expect(JSON.stringify(data)).not.toContain('tenant_id');
  });

  it('patches fields, forwards, and moves the status only along the lifecycle (409 changes nothing)', async () => {
    const ticket = await create(agentToken, { subject: 'Old subject', body: 'x', group_id: firstLevel });
    const patched = await call(`/t/acme/api/v1/tickets/${ticket.number}`, agentToken, { method: 'PATCH', json: { subject: 'New subject', priority: 4, group_id: secondLevel } });
    expect(patched.status).toBe(200);
    expect(documented('updateTicket', await patched.json())).toMatchObject({ data: { subject: 'New subject', priority: 4, group_id: secondLevel, status: 'new' } });
    const forbidden = await call(`/t/acme/api/v1/tickets/${ticket.number}`, supervisorToken, { method: 'PATCH', json: { subject: 'Should not stick', status: 'closed' } });
    expect(forbidden.status).toBe(409);
    expect((await forbidden.json() as ErrorBody).error).toMatchObject({ code: 'conflict', message: 'A ticket must be solved before it can be closed.' });
    expect(await ticketRow(ticket.number)).toMatchObject({ subject: 'New subject', status: 'new' });
    const open = await call(`/t/acme/api/v1/tickets/${ticket.number}`, agentToken, { method: 'PATCH', json: { status: 'open' } });
    expect((await open.json() as { data: { status: string } }).data.status).toBe('open');
    const empty = await call(`/t/acme/api/v1/tickets/${ticket.number}`, agentToken, { method: 'PATCH', json: {} });
    expect(empty.status).toBe(422);
    const unknownStatus = await call(`/t/acme/api/v1/tickets/${ticket.number}`, agentToken, { method: 'PATCH', json: { status: 'archived', owner: 1 } });
    expect(Object.keys((await unknownStatus.json() as ErrorBody).error.fields).sort()).toEqual(['owner', 'status']);
    const history = await tenantScope(app.database.db, acme).selectFrom('ticket_history').select(['action', 'field']).where('ticket_id', '=', (await ticketRow(ticket.number)).id).execute();
    expect(history).toEqual(expect.arrayContaining([{ action: 'changed', field: 'subject' }, { action: 'forwarded', field: 'group_id' }, { action: 'status', field: 'status' }]));
  });

  it('an agent’s token cannot close a solved ticket (403, nothing changes); a supervisor’s can', async () => {
    const ticket = await create(agentToken, { subject: 'To close', body: 'x' });
    for (const status of ['open', 'solved']) {
      expect((await call(`/t/acme/api/v1/tickets/${ticket.number}`, agentToken, { method: 'PATCH', json: { status } })).status).toBe(200);
    }
    const refused = await call(`/t/acme/api/v1/tickets/${ticket.number}`, agentToken, { method: 'PATCH', json: { status: 'closed', priority: 1 } });
    expect(refused.status).toBe(403);
    expect((await refused.json() as ErrorBody).error.code).toBe('forbidden');
    expect(await ticketRow(ticket.number)).toMatchObject({ status: 'solved', priority: 2, closed_at: null });
    const closed = await call(`/t/acme/api/v1/tickets/${ticket.number}`, supervisorToken, { method: 'PATCH', json: { status: 'closed' } });
    expect(closed.status).toBe(200);
    expect((await ticketRow(ticket.number)).status).toBe('closed');
    const reply = await call(`/t/acme/api/v1/tickets/${ticket.number}/articles`, supervisorToken, { method: 'POST', json: { kind: 'reply', body: 'late' } });
    expect(reply.status).toBe(409);
  });

  it('another tenant’s ticket numbers answer 404 and change nothing', async () => {
    const countOf = async (tenantId: number) => Number((await tenantScope(app.database.db, tenantId).selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    let foreign = await create(globexToken, { subject: 'Globex secret', body: 'confidential' }, 'globex');
    while (await countOf(globex) <= await countOf(acme)) foreign = await create(globexToken, { subject: 'Globex secret', body: 'confidential' }, 'globex');
    const before = await ticketRow(foreign.number, globex);
    const attempts = [
      call(`/t/acme/api/v1/tickets/${foreign.number}`, supervisorToken),
      call(`/t/acme/api/v1/tickets/${foreign.number}`, supervisorToken, { method: 'PATCH', json: { subject: 'hacked', status: 'open' } }),
      call(`/t/acme/api/v1/tickets/${foreign.number}/articles`, supervisorToken, { method: 'POST', json: { kind: 'note', body: 'hacked' } }),
      call(`/t/globex/api/v1/tickets/${foreign.number}`, supervisorToken, { method: 'PATCH', json: { subject: 'hacked' } }),
    ];
    const statuses = await Promise.all(attempts.map(async (a) => (await a).status));
    expect(statuses).toEqual([404, 404, 404, 401]);
    expect(await ticketRow(foreign.number, globex)).toEqual(before);
    const articles = await tenantScope(app.database.db, globex).selectFrom('ticket_articles').select('id').where('ticket_id', '=', before.id).execute();
    expect(articles).toEqual([]);
    const list = await (await call('/t/acme/api/v1/tickets?q=Globex', supervisorToken)).json() as { total: number };
    expect(list.total).toBe(0);
  });

  it('answers under /api/v1 on a mapped host name, with JSON errors there too', async () => {
    await setTenantHosts(app.database.db, acme, ['help.acme.test']);
    const onHost = (path: string, token?: string) => app.app.request(`http://help.acme.test${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    const list = await onHost('/api/v1/tickets?per_page=1', agentToken);
    expect(list.status).toBe(200);
    expect((await list.json() as { per_page: number }).per_page).toBe(1);
    expect((await onHost('/api/v1/tickets', globexToken)).status).toBe(401);
    const missing = await onHost('/api/v1/tickets/1999-000001', agentToken);
    expect(missing.status).toBe(404);
    expect((await missing.json() as ErrorBody).error.code).toBe('not_found');
    const doc = await (await onHost('/api/v1/openapi.json')).json() as { servers: Array<{ url: string }> };
    expect(doc.servers).toEqual([{ url: '/api/v1' }]);
  });

  it('cookie-authenticated API calls must pass the CSRF check; bearer calls carry no cookies and pass', async () => {
    const cookie = await app.signIn('agent@acme.test', 'acme');
    const json = { subject: 'From the browser', body: 'x' };
    const foreign = await call('/t/acme/api/v1/tickets', undefined, { method: 'POST', json, cookie, headers: { Origin: 'http://evil.test' } });
    expect(foreign.status).toBe(403);
    expect((await foreign.json() as ErrorBody).error.code).toBe('forbidden');
    expect((await tenantScope(app.database.db, acme).selectFrom('tickets').select('id').where('subject', '=', 'From the browser').execute())).toEqual([]);
    const same = await call('/t/acme/api/v1/tickets', undefined, { method: 'POST', json, cookie, headers: { Origin: ORIGIN } });
    expect(same.status).toBe(201);
    const read = await call('/t/acme/api/v1/tickets?q=browser', undefined, { cookie });
    expect((await read.json() as { total: number }).total).toBe(1);
  });
});
