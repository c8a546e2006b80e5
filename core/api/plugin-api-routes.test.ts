import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApiToken } from '../auth/api-tokens.js';
import { apiOne, defineApiRoute, definePlugin, scope, type PluginDefinition } from '../plugin-api.js';
import { disablePlugin, enablePlugin } from '../plugin-host/plugin-switches.js';
import { createRegistry } from '../plugin-host/registry.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { apiOperations } from './api-routes.js';

/** A plugin with one read and one write operation, as a plugin author writes them. */
function echoPlugin(id = 'echo', path = '/echo/{word}', operationId = 'echoWord'): PluginDefinition {
  return definePlugin({
    id, version: '1.0.0', core: '^1.0.0', name: 'error.title',
    permissions: [{ key: `${id}.use`, roles: ['agent', 'supervisor', 'admin'], label: { en: 'Use it', de: 'Benutzen' } }],
    register(api) {
      api.apiRoute(defineApiRoute({
        method: 'get', path, operationId, tag: id, permission: `${id}.use`, summary: 'Echo a word with the tenant’s id',
        params: z.object({ word: z.string().max(20) }), status: 200, response: apiOne(z.object({ word: z.string(), tenant: z.number().int() })), errors: [403, 404],
        async handle(c, { params }) {
          const tenant = await scope(c).selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
          return { data: { word: params.word.toUpperCase(), tenant: Number(tenant.n) } };
        },
      }));
      api.apiRoute(defineApiRoute({
        method: 'post', path: `/${id}`, operationId: `${operationId}Post`, tag: id, permission: `${id}.use`, summary: 'Echo a body',
        body: z.strictObject({ word: z.string().min(1) }), status: 201, response: apiOne(z.object({ word: z.string() })), errors: [403, 415, 422],
        async handle(_c, { body }) {
          return { data: { word: body.word } };
        },
      }));
    },
  });
}

describe('plugin API operations: clashes', () => {
  it('refuses a plugin operation on a core path or with a taken operationId, and two plugins on one path', () => {
    expect(() => apiOperations(createRegistry([echoPlugin('echo', '/tickets/{other}')]))).toThrow(/GET \/tickets\/\{other\}.*plugin "echo".*the core/);
    expect(() => apiOperations(createRegistry([echoPlugin('echo', '/echo/{word}', 'listTickets')]))).toThrow(/listTickets/);
    expect(() => apiOperations(createRegistry([echoPlugin('echo'), echoPlugin('other', '/echo/{x}', 'otherWord')]))).toThrow(/plugin "other".*plugin "echo"/);
    expect(apiOperations(createRegistry([echoPlugin()])).filter((o) => o.pluginId === 'echo').map((o) => o.route.operationId)).toEqual(['echoWord', 'echoWordPost']);
  });
});

describe.each(dialects)('plugin API operations on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let token: string;
  let globexToken: string;

  const call = (path: string, bearer: string, init: { method?: string; json?: unknown } = {}) => app.request(path, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${bearer}`, ...(init.json === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: init.json === undefined ? null : JSON.stringify(init.json),
  });
  const operationIds = async (slug: string) => {
    const doc = await (await app.request(`/t/${slug}/api/v1/openapi.json`)).json() as { paths: Record<string, Record<string, { operationId: string }>> };
    return Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((o) => o.operationId));
  };

  beforeAll(async () => {
    app = await createTestApp(dialect, [echoPlugin()]);
    acme = (await app.createTenant('acme')).id;
    const globex = (await app.createTenant('globex')).id;
    token = (await createApiToken(app.database.db, { tenantId: acme, userId: await app.createStaff(acme, 'agent', 'agent@acme.test'), name: 'x' })).token;
    globexToken = (await createApiToken(app.database.db, { tenantId: globex, userId: await app.createStaff(globex, 'agent', 'agent@globex.test'), name: 'x' })).token;
    await enablePlugin(app.database.db, app.services.registry, globex, 'echo');
  });
  afterAll(() => app.cleanup());

  it('answers 404 in JSON while the tenant has the plugin off, and is missing from its openapi.json', async () => {
    for (const [path, method] of [['/t/acme/api/v1/echo/hello', 'GET'], ['/t/acme/api/v1/echo', 'POST']] as const) {
      const response = await call(path, token, { method, json: method === 'POST' ? { word: 'x' } : undefined });
      expect(response.status, path).toBe(404);
      expect((await response.json() as { error: { code: string } }).error.code).toBe('not_found');
    }
    expect(await operationIds('acme')).not.toContain('echoWord');
    expect(await operationIds('acme')).toContain('listTickets');
  });

  it('serves the operations once switched on, validated and documented like the core’s; off again is 404 again', async () => {
    await enablePlugin(app.database.db, app.services.registry, acme, 'echo');
    const response = await call('/t/acme/api/v1/echo/hello', token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { word: 'HELLO', tenant: 0 } });
    expect(response.headers.get('RateLimit-Limit')).toBe('600');
    const posted = await call('/t/acme/api/v1/echo', token, { method: 'POST', json: { word: 'hi', extra: 1 } });
    expect(posted.status).toBe(422);
    expect((await posted.json() as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty('extra');
    expect((await call('/t/acme/api/v1/echo', token, { method: 'POST', json: { word: 'hi' } })).status).toBe(201);
    expect(await operationIds('acme')).toEqual(expect.arrayContaining(['echoWord', 'echoWordPost']));
    // Another tenant's token stays a stranger here.
    expect((await call('/t/acme/api/v1/echo/hello', globexToken)).status).toBe(401);
    await disablePlugin(app.database.db, app.services.registry, acme, 'echo');
    expect((await call('/t/acme/api/v1/echo/hello', token)).status).toBe(404);
  });
});
