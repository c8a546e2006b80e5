import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../auth/api-tokens.js';
import type { Tenant } from '../../db/schema.js';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { rebuildKpiFacts } from '../../statistics/kpi-fact-store.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

// The KPI report's routes: the page (English and German), its CSV, the mail subscription and
// GET /api/v1/reports/kpi, each refusing what belongs to another tenant.

const H = 3_600_000;
const DAY = 24 * H;

describe.each(dialects)('KPI report routes on %s', (dialect) => {
  let app: TestApp;
  let acme: Tenant;
  let globex: Tenant;
  let bossId: number;
  let globexGroup: number;
  const cookies = { boss: '', agent: '', gina: '' };
  const tokens = { boss: '', gina: '' };
  const get = (path: string, cookie: string, language = 'en') => app.request(path, { cookie, headers: { 'Accept-Language': language } });
  const api = (token: string, query: string, tenant = 'acme') => app.request(`/t/${tenant}/api/v1/reports/kpi${query}`, { headers: { Authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = await app.createTenant('acme');
    globex = await app.createTenant('globex');
    bossId = await app.createStaff(acme.id, 'supervisor', 'boss@acme.test');
    await app.createStaff(acme.id, 'agent', 'ada@acme.test');
    const ginaId = await app.createStaff(globex.id, 'supervisor', 'gina@globex.test');
    cookies.boss = await app.signIn('boss@acme.test', 'acme');
    cookies.agent = await app.signIn('ada@acme.test', 'acme');
    cookies.gina = await app.signIn('gina@globex.test', 'globex');
    tokens.boss = (await createApiToken(app.services.db, { tenantId: acme.id, userId: bossId, name: 'kpi' })).token;
    tokens.gina = (await createApiToken(app.services.db, { tenantId: globex.id, userId: ginaId, name: 'kpi' })).token;
    globexGroup = (await tenantScope(app.services.db, globex.id).insertInto('support_groups', { name: 'Globex desk', level: 'first' }).returning('id').executeTakeFirstOrThrow()).id;
    // Written past the ticket service (an import), then replayed by the rebuild as the job does. Two days ago:
    // answered after 1 h and 3 h, solved after 2 h and 10 h by the supervisor; one still open for 5 days.
    const now = Date.now();
    const at = (ms: number) => new Date(ms).toISOString();
    const created = now - 2 * DAY;
    await tenantScope(app.services.db, acme.id).insertInto('tickets', [
      { number: 'A-1', subject: 'one', status: 'solved', channel: 'phone', assignee_id: bossId, created_at: at(created), updated_at: at(created), first_response_at: at(created + H), solved_at: at(created + 2 * H) },
      { number: 'A-2', subject: 'two', status: 'closed', channel: 'mail', assignee_id: bossId, created_at: at(created), updated_at: at(created), first_response_at: at(created + 3 * H), solved_at: at(created + 10 * H), closed_at: at(created + 11 * H) },
      { number: 'A-3', subject: 'three', status: 'open', channel: 'mail', created_at: at(now - 5 * DAY), updated_at: at(now - 5 * DAY) },
    ]).execute();
    await tenantScope(app.services.db, globex.id).insertInto('tickets', [
      { number: 'G-1', subject: 'globex', status: 'solved', channel: 'web', assignee_id: ginaId, created_at: at(created), updated_at: at(created), first_response_at: at(created + 7 * H), solved_at: at(created + 9 * H) },
    ]).execute();
    for (const tenant of [acme, globex]) await rebuildKpiFacts(app.services.db, dialect, tenant.id, tenant.time_zone, undefined, new Date().toISOString());
  });
  afterAll(() => app.cleanup());

  it('shows the figures per agent with charts, tables, definitions and the time basis, in English and German', async () => {
    const response = await get('/t/acme/desk/statistics/kpi?period=7d&groupBy=agent', cookies.boss);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1>KPI report</h1>');
    expect(html).toMatch(/<svg class="bar-chart" id="kpi-resolution-chart"[^>]*role="img" aria-label="Bar chart: median resolution time in hours per Agent"/);
    expect(html).toMatch(/<svg class="trend-chart" id="kpi-trend-chart"[^>]*role="img"/);
    expect(html).toContain('Times in wall-clock hours');
    expect(html).toContain('id="kpi-def-firstResponse">Time from creation to the first public reply');
    // The supervisor's row: 2 solved; first response median 2.0 h, p90 2.8 h, mean 2.0 h; resolution 6.0, 9.2, 6.0; no reopen.
    expect(html).toMatch(new RegExp(`<tr data-key="${bossId}"><th scope="row">[^<]+</th><td class="num">2</td><td class="num">2</td><td class="num">2.0</td><td class="num">2.8</td><td class="num">2.0</td><td class="num">6.0</td><td class="num">9.2</td><td class="num">6.0</td><td class="num">0%</td><td class="num">0</td></tr>`));
    // The open ticket is nobody's, 5 days old: backlog bucket 3 to 7 days.
    expect(html).toContain('<tr data-bucket="3-7"><th scope="row">3 to 7 days</th><td class="num">1</td></tr>');
    expect(html).not.toContain('gina');
    const german = await (await get('/t/acme/desk/statistics/kpi?period=7d', cookies.boss, 'de')).text();
    expect(german).toContain('<h1>KPI-Bericht</h1>');
    expect(german).toContain('Zeiten nach der Uhr');
    expect(german).toMatch(/<td class="num">2,0<\/td><td class="num">2,8<\/td>/);
    // Linked from the Statistics page with the same period.
    expect(await (await get('/t/acme/desk/statistics?period=30d', cookies.boss)).text()).toMatch(/id="kpi-link" href="\/t\/acme\/desk\/statistics\/kpi\?period=30d&amp;groupBy=agent"/);
  });

  it('groups by channel and level, filters by agent, and refuses bad filters and another tenant\'s group with 422', async () => {
    const byChannel = await (await get('/t/acme/desk/statistics/kpi?period=7d&groupBy=channel', cookies.boss)).text();
    expect(byChannel).toContain('<tr data-key="mail"><th scope="row">E-mail</th><td class="num">2</td><td class="num">1</td>');
    expect(byChannel).toContain('<tr data-key="phone"><th scope="row">Phone</th><td class="num">1</td><td class="num">1</td>');
    const byLevel = await get('/t/acme/desk/statistics/kpi?period=7d&groupBy=level', cookies.boss);
    expect(byLevel.status).toBe(200);
    expect(await byLevel.text()).toContain('<tr data-key="none"><th scope="row">None</th><td class="num">3</td>');
    for (const query of ['groupBy=planet', `group=${globexGroup}`, 'agent=999999', 'from=2026-13-01&to=2026-01-01', 'from=2026-03-05&to=2026-03-01']) {
      const response = await get(`/t/acme/desk/statistics/kpi?${query}`, cookies.boss);
      expect(response.status, query).toBe(422);
      expect(await response.text()).toContain('field-error');
    }
    expect((await get('/t/acme/desk/statistics/kpi.csv?groupBy=planet', cookies.boss)).status).toBe(422);
  });

  it('downloads the CSV with hours, and keeps agents without the permission and other tenants out', async () => {
    const response = await get('/t/acme/desk/statistics/kpi.csv?period=7d&groupBy=agent', cookies.boss);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="kpi-agent-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await response.text()).split('\r\n');
    expect(lines[0]).toContain('Agent,Created,Solved,First response Median (hours),First response 90th percentile (hours),First response Mean (hours)');
    expect(lines.find((l) => l.startsWith('All,'))).toBe('All,3,2,2.00,2.80,2.00,6.00,9.20,6.00,2,2,0,0.0000,0,0,1,0,0');
    // An agent has no statistics permission; a signed-in user of another tenant gets nothing of ACME's.
    expect((await get('/t/acme/desk/statistics/kpi', cookies.agent)).status).toBe(403);
    expect((await get('/t/acme/desk/statistics/kpi.csv', cookies.agent)).status).toBe(403);
    expect([302, 303, 401, 403, 404]).toContain((await get('/t/acme/desk/statistics/kpi', cookies.gina)).status);
    expect([302, 303, 401, 403, 404]).toContain((await get('/t/acme/desk/statistics/kpi.csv', cookies.gina)).status);
    const own = await (await get('/t/globex/desk/statistics/kpi?period=7d', cookies.gina)).text();
    expect(own).toContain('<td class="num">1</td><td class="num">1</td><td class="num">7.0</td>');
    expect(own).not.toContain('boss');
  });

  it('answers the REST API as JSON and CSV, tenant by tenant', async () => {
    const response = await api(tokens.boss, '?groupBy=channel');
    expect(response.status).toBe(200);
    const { data } = await response.json() as { data: { group_by: string; time_basis: string; rows: Array<{ key: string | null; created: number; solved: number; resolution: { median: number } }>; total: { created: number; first_response: { median: number; p90: number }; backlog: Record<string, number> } } };
    expect(data.group_by).toBe('channel');
    expect(data.time_basis).toBe('wall');
    expect(data.rows.map((r) => [r.key, r.created, r.solved])).toEqual([['mail', 2, 1], ['phone', 1, 1]]);
    expect(data.total.first_response).toMatchObject({ median: 7200, p90: 10080 });
    expect(data.total.backlog).toEqual({ '0-1': 0, '1-3': 0, '3-7': 1, '7-30': 0, '30+': 0 });
    const csv = await api(tokens.boss, '?groupBy=agent&format=csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await csv.text()).toContain('All,3,2,2.00,2.80');
    // Globex's token: its own figures only; ACME's tenant path refuses it; another tenant's group is a 422.
    const globexData = (await (await api(tokens.gina, '', 'globex')).json() as { data: { total: { created: number } } }).data;
    expect(globexData.total.created).toBe(1);
    expect([401, 403, 404]).toContain((await api(tokens.gina, '')).status);
    expect((await api(tokens.boss, `?group=${globexGroup}`)).status).toBe(422);
    expect((await api(tokens.boss, '?groupBy=planet')).status).toBe(422);
    // In openapi.json: its query parameters, JSON and CSV.
    const doc = await (await app.request('/t/acme/api/v1/openapi.json')).json() as { paths: Record<string, { get?: { operationId: string; parameters: Array<{ name: string }>; responses: Record<string, { content: Record<string, unknown> }> } }> };
    const operation = doc.paths['/reports/kpi']!.get!;
    expect(operation.operationId).toBe('kpiReport');
    expect(operation.parameters.map((p) => p.name)).toEqual(['from', 'to', 'groupBy', 'group', 'agent', 'format']);
    expect(Object.keys(operation.responses['200']!.content)).toEqual(['application/json', 'text/csv']);
  });

  it('saves the viewer\'s mail subscription, one per user', async () => {
    const post = (body: string, cookie = cookies.boss, tenant = 'acme') => app.request(`/t/${tenant}/desk/statistics/kpi/subscription`, {
      method: 'POST', cookie, body: new URLSearchParams(body),
    });
    expect((await post('frequency=weekly&groupBy=group')).status).toBe(303);
    expect((await post('frequency=monthly&groupBy=channel')).status).toBe(303);
    const rows = await tenantScope(app.services.db, acme.id).selectFrom('kpi_subscriptions').select(['user_id', 'frequency', 'group_by']).execute();
    expect(rows).toEqual([{ user_id: bossId, frequency: 'monthly', group_by: 'channel' }]);
    expect(await (await get('/t/acme/desk/statistics/kpi', cookies.boss)).text()).toContain('You receive the report Monthly (Channel).');
    expect((await post('frequency=daily&groupBy=group')).status).toBe(422);
    expect((await post('frequency=weekly&groupBy=group', cookies.agent)).status).toBe(403);
    expect([302, 303, 401, 403, 404]).toContain((await post('frequency=weekly&groupBy=group', cookies.gina)).status);
    expect((await post('frequency=off&groupBy=agent')).status).toBe(303);
    expect(await tenantScope(app.services.db, acme.id).selectFrom('kpi_subscriptions').select('id').execute()).toEqual([]);
    expect(await tenantScope(app.services.db, globex.id).selectFrom('kpi_subscriptions').select('id').execute()).toEqual([]);
  });
});
