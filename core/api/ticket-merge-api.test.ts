import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { apiRouteList } from './api-routes.js';

const documented = (operationId: string, json: unknown) => apiRouteList.find((r) => r.operationId === operationId)!.response.parse(json);
interface ErrorBody { error: { code: string; message: string; fields: Record<string, string> } }

describe.each(dialects)('merge and spam in the tickets API on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let globex: number;
  let agentToken: string;
  let globexToken: string;

  const call = (path: string, token: string, json?: unknown, method = 'POST') =>
    app.request(path, { method, headers: { Authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'Content-Type': 'application/json' }) }, body: json === undefined ? null : JSON.stringify(json) });
  const create = async (subject: string, token = agentToken, slug = 'acme') => {
    const response = await call(`/t/${slug}/api/v1/tickets`, token, { subject, body: `${subject} text` });
    expect(response.status).toBe(201);
    return (await response.json() as { data: { number: string } }).data.number;
  };
  const row = (number: string, tenantId = acme) => tenantScope(app.database.db, tenantId).selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = (await app.createTenant('acme')).id;
    globex = (await app.createTenant('globex')).id;
    agentToken = (await createApiToken(app.database.db, { tenantId: acme, userId: await app.createStaff(acme, 'agent', 'agent@acme.test'), name: 'test' })).token;
    globexToken = (await createApiToken(app.database.db, { tenantId: globex, userId: await app.createStaff(globex, 'agent', 'agent@globex.test'), name: 'test' })).token;
  });
  afterAll(() => app?.cleanup());

  it('merges: 200 with both tickets; the merged one\'s GET says where it went; refusals are 409/422 with messages', async () => {
    const source = await create('Printer offline');
    const target = await create('Printers on floor 2');
    const merged = await call(`/t/acme/api/v1/tickets/${source}/merge`, agentToken, { into: target });
    expect(merged.status, await merged.clone().text()).toBe(200);
    const body = documented('mergeTicket', await merged.json()) as { data: { status: string; close_reason: string; merged_into: string }; into: { number: string } };
    expect(body.data).toMatchObject({ status: 'closed', close_reason: 'merged', merged_into: target });
    expect(body.into.number).toBe(target);

    const shown = await call(`/t/acme/api/v1/tickets/${source}`, agentToken, undefined, 'GET');
    expect(documented('getTicket', await shown.json())).toMatchObject({ data: { close_reason: 'merged', merged_into: target } });
    const survivor = await call(`/t/acme/api/v1/tickets/${target}`, agentToken, undefined, 'GET');
    const detail = await survivor.json() as { data: { close_reason: null; articles: Array<{ body: string }>; history: Array<{ action: string; note: string }> } };
    expect(detail.data.close_reason).toBeNull();
    expect(detail.data.articles.map((a) => a.body)).toContain(`Merged from ${source}: Printer offline\n\nPrinter offline text`);
    expect(detail.data.history).toContainEqual(expect.objectContaining({ action: 'merged_from', note: source }));

    const again = await call(`/t/acme/api/v1/tickets/${source}/merge`, agentToken, { into: target });
    expect(again.status).toBe(409);
    expect((await again.json() as ErrorBody).error.message).toBe('This ticket was already merged into another one.');
    const other = await create('Another');
    const self = await call(`/t/acme/api/v1/tickets/${other}/merge`, agentToken, { into: other });
    expect(self.status).toBe(422);
    const empty = await call(`/t/acme/api/v1/tickets/${other}/merge`, agentToken, { into: '' });
    expect(empty.status).toBe(422);
    expect((await empty.json() as ErrorBody).error.fields.into).toBeTruthy();
    const intoMerged = await call(`/t/acme/api/v1/tickets/${other}/merge`, agentToken, { into: source });
    expect(intoMerged.status).toBe(409);
  });

  it('another tenant\'s number answers 404 (source) or 422 (target) and nothing is merged', async () => {
    const mine = await create('Mine');
    const theirs = await create('Theirs only', globexToken, 'globex');
    await app.database.db.updateTable('tickets').set({ number: '2099-888888' }).where('tenant_id', '=', globex).where('number', '=', theirs).execute();
    const foreignSource = await call('/t/acme/api/v1/tickets/2099-888888/merge', agentToken, { into: mine });
    expect(foreignSource.status).toBe(404);
    const foreignTarget = await call(`/t/acme/api/v1/tickets/${mine}/merge`, agentToken, { into: '2099-888888' });
    expect(foreignTarget.status).toBe(422);
    expect(await row('2099-888888', globex)).toMatchObject({ status: 'new', merged_into_id: null });
    expect(await row(mine)).toMatchObject({ status: 'new', merged_into_id: null });
    const viaGlobex = await call(`/t/globex/api/v1/tickets/${mine}/spam`, globexToken);
    expect(viaGlobex.status).toBe(404);
  });

  it('closes as spam: 200 with close_reason, 409 a second time', async () => {
    const number = await create('Cheap watches');
    const spam = await call(`/t/acme/api/v1/tickets/${number}/spam`, agentToken);
    expect(spam.status).toBe(200);
    expect(documented('closeTicketAsSpam', await spam.json())).toMatchObject({ data: { status: 'closed', close_reason: 'spam', merged_into: null } });
    expect((await call(`/t/acme/api/v1/tickets/${number}/spam`, agentToken)).status).toBe(409);
    expect((await call('/t/acme/api/v1/tickets/nope/spam', agentToken)).status).toBe(404);
  });

  it('documents both operations in openapi.json', async () => {
    const spec = await (await call('/t/acme/api/v1/openapi.json', agentToken, undefined, 'GET')).json() as { paths: Record<string, Record<string, { operationId: string }>> };
    expect(spec.paths['/tickets/{number}/merge']?.post?.operationId).toBe('mergeTicket');
    expect(spec.paths['/tickets/{number}/spam']?.post?.operationId).toBe('closeTicketAsSpam');
  });
});
