import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';

interface TicketBody { data: { number: string; priority: number; version: number } }
interface ErrorBody { error: { code: string; message: string; fields: Record<string, string> } }

describe.each(dialects)('ticket versions in the REST API on %s', (dialect) => {
  let app: TestApp;
  let agentToken: string;
  let supervisorToken: string;
  let globexToken: string;

  const call = (path: string, token: string, method = 'GET', json?: unknown) => app.request(path, {
    method, headers: { Authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'Content-Type': 'application/json' }) }, body: json === undefined ? null : JSON.stringify(json),
  });

  beforeAll(async () => {
    app = await createTestApp(dialect);
    const acme = (await app.createTenant('acme')).id;
    const globex = (await app.createTenant('globex')).id;
    const db = app.database.db;
    agentToken = (await createApiToken(db, { tenantId: acme, userId: await app.createStaff(acme, 'agent', 'agent@acme.test'), name: 't' })).token;
    supervisorToken = (await createApiToken(db, { tenantId: acme, userId: await app.createStaff(acme, 'supervisor', 'sue@acme.test'), name: 't' })).token;
    globexToken = (await createApiToken(db, { tenantId: globex, userId: await app.createStaff(globex, 'agent', 'agent@globex.test'), name: 't' })).token;
  });
  afterAll(() => app.cleanup());

  it('returns the version, refuses a PATCH from an older one that would overwrite a colleague\'s change (409, what changed), and takes the current one', async () => {
    const created = await call('/t/acme/api/v1/tickets', agentToken, 'POST', { subject: 'API race', body: 'x', priority: 2 });
    expect(created.status, await created.clone().text()).toBe(201);
    const { number } = (await created.json() as TicketBody).data;
    const first = (await (await call(`/t/acme/api/v1/tickets/${number}`, agentToken)).json() as TicketBody).data;
    expect(first.version).toBe(1);
    const sue = await call(`/t/acme/api/v1/tickets/${number}`, supervisorToken, 'PATCH', { priority: 4, version: first.version });
    expect((await sue.json() as TicketBody).data.version).toBe(2);
    const stale = await call(`/t/acme/api/v1/tickets/${number}`, agentToken, 'PATCH', { priority: 1, version: first.version });
    expect(stale.status).toBe(409);
    const body = await stale.json() as ErrorBody;
    expect(body.error.fields.priority).toMatch(/^sue changed this at .+: “.+” → “.+”\.$/);
    // A version alone changes nothing and is no request.
    expect((await call(`/t/acme/api/v1/tickets/${number}`, agentToken, 'PATCH', { version: 2 })).status).toBe(422);
    const fresh = await call(`/t/acme/api/v1/tickets/${number}`, agentToken, 'PATCH', { priority: 1, version: 2 });
    expect(fresh.status).toBe(200);
    expect((await fresh.json() as TicketBody).data).toMatchObject({ priority: 1, version: 3 });
    // Another tenant's token never reaches the ticket.
    expect((await call(`/t/globex/api/v1/tickets/${number}`, globexToken, 'PATCH', { priority: 3, version: 3 })).status).toBe(404);
  });
});
