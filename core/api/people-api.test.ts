import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { apiRouteList } from './api-routes.js';

const documented = (operationId: string, json: unknown) => apiRouteList.find((r) => r.operationId === operationId)!.response.parse(json) as never;

describe.each(dialects)('people and organisations API on %s', (dialect) => {
  let app: TestApp;
  let token: string;
  let customer: number;
  let carla: number;
  let foreignOrganisation: number;
  let foreignPerson: number;

  const get = (path: string, bearer = token) => app.request(path, { headers: { Authorization: `Bearer ${bearer}` } });

  beforeAll(async () => {
    app = await createTestApp(dialect);
    const acme = (await app.createTenant('acme')).id;
    const globex = (await app.createTenant('globex')).id;
    token = (await createApiToken(app.database.db, { tenantId: acme, userId: await app.createStaff(acme, 'agent', 'agent@acme.test'), name: 'lookups' })).token;
    const scope = tenantScope(app.database.db, acme);
    customer = (await scope.insertInto('organisations', { name: 'Customer Ltd', number: 'K-1001', email_domains: 'customer.test,customer.example', phone: '+49 30 1' }).returning('id').executeTakeFirstOrThrow()).id;
    await scope.insertInto('organisations', { name: 'Other GmbH', number: 'K-1002' }).execute();
    carla = (await scope.insertInto('people', { name: 'Carla Customer', email: 'carla@customer.test', organisation_id: customer, is_org_manager: 1 }).returning('id').executeTakeFirstOrThrow()).id;
    await scope.insertInto('people', [{ name: 'Dave', email: 'dave@other.test', organisation_id: null, is_org_manager: 0 }, { name: 'Erna', email: 'erna@customer.test', organisation_id: customer, is_org_manager: 0 }]).execute();
    const foreign = tenantScope(app.database.db, globex);
    foreignOrganisation = (await foreign.insertInto('organisations', { name: 'Globex Customer' }).returning('id').executeTakeFirstOrThrow()).id;
    foreignPerson = (await foreign.insertInto('people', { name: 'Globex Person', email: 'gp@globex.test', organisation_id: foreignOrganisation, password_hash: 'secret-hash' }).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => app.cleanup());

  it('lists people by name or e-mail, with paging and organisation filter', async () => {
    const response = await get('/t/acme/api/v1/people?q=customer.test');
    expect(response.status).toBe(200);
    const page = documented('listPeople', await response.json()) as { data: Array<{ name: string; organisation_name: string | null; is_org_manager: boolean }>; total: number };
    expect(page.data.map((p) => p.name)).toEqual(['Carla Customer', 'Erna']);
    expect(page.data[0]).toMatchObject({ organisation_name: 'Customer Ltd', is_org_manager: true });
    const paged = await (await get(`/t/acme/api/v1/people?per_page=1&page=2&organisation_id=${customer}`)).json() as { data: Array<{ name: string }>; total: number; page: number; per_page: number };
    expect(paged).toMatchObject({ total: 2, page: 2, per_page: 1, data: [{ name: 'Erna' }] });
    expect((await get('/t/acme/api/v1/people?per_page=0')).status).toBe(422);
  });

  it('shows one person without secrets', async () => {
    const response = await get(`/t/acme/api/v1/people/${carla}`);
    expect(response.status).toBe(200);
    const body = documented('getPerson', await response.json()) as { data: Record<string, unknown> };
    expect(body.data).toMatchObject({ id: carla, name: 'Carla Customer', email: 'carla@customer.test', organisation_id: customer, organisation_name: 'Customer Ltd', portal_role: 'customer', active: true });
    expect(Object.keys(body.data)).not.toContain('password_hash');
    expect((await get('/t/acme/api/v1/people/abc')).status).toBe(422);
  });

  it('lists organisations by name or number and shows one', async () => {
    const list = documented('listOrganisations', await (await get('/t/acme/api/v1/organisations?q=K-1001')).json()) as { data: Array<{ id: number; email_domains: string[] }>; total: number };
    expect(list.total).toBe(1);
    expect(list.data[0]).toMatchObject({ id: customer, email_domains: ['customer.test', 'customer.example'] });
    expect(((await (await get('/t/acme/api/v1/organisations')).json()) as { total: number }).total).toBe(2);
    const one = await get(`/t/acme/api/v1/organisations/${customer}`);
    expect(documented('getOrganisation', await one.json())).toMatchObject({ data: { name: 'Customer Ltd', number: 'K-1001', phone: '+49 30 1', address: null } });
  });

  it('another tenant’s people and organisations answer 404 and are never listed', async () => {
    for (const path of [`/t/acme/api/v1/people/${foreignPerson}`, `/t/acme/api/v1/organisations/${foreignOrganisation}`, '/t/acme/api/v1/people/999999']) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect((await response.json() as { error: { code: string } }).error.code).toBe('not_found');
    }
    expect(((await (await get('/t/acme/api/v1/people?q=Globex')).json()) as { total: number }).total).toBe(0);
    expect(((await (await get('/t/acme/api/v1/organisations?q=Globex')).json()) as { total: number }).total).toBe(0);
    expect((await get(`/t/globex/api/v1/people/${foreignPerson}`)).status).toBe(401);
  });
});
