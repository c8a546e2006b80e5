import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../core/auth/api-tokens.js';
import { dialects } from '../../test/harness/test-database.js';
import type { PortalWorld } from '../../test/harness/portal-world.js';
import { surveyStore } from './survey-store.js';
import { surveyWorld, type SurveyWorld } from './survey-fixture.js';

describe.each(dialects)('survey results, ticket panel, settings and API on %s', (dialect) => {
  let w: SurveyWorld;
  let agentA: string;
  let bossA: string;
  let adminA: string;
  let tokens: { agentA: string; bossA: string; adminA: string; bossB: string };
  const tickets: Record<string, { id: number; number: string }> = {};
  const api = (path: string, token: string, init: RequestInit = {}) => w.app.request(path, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } });
  const page = async (path: string, cookie: string) => (await w.app.request(path, { cookie })).text();

  /** A ticket closed by this agent and answered with this grade (a fresh person each time: no window in the way). */
  async function answered(world: PortalWorld, key: string, grade: number, comment = '', answers: Record<string, string> = {}) {
    const person = (await world.scope.insertInto('people', { organisation_id: world.organisations.acme, name: `Person ${key}`, email: `${key}@acme-${world.slug}.test`, phone: null, portal_role: 'customer', is_org_manager: 0, password_hash: null, locale: 'en', active: 1 })
      .returning('id').executeTakeFirstOrThrow()).id;
    // The close handler runs before the ticket service returns (after its commit).
    const ticket = await w.closedTicket(world, person, `Ticket ${key}`);
    await w.run('survey.send');
    await w.settleMails();
    const survey = (await w.surveyOf(world, ticket.id))!;
    if (grade > 0) await surveyStore(w.app.services, world.tenant.id).answer(survey.id, { value: String(grade), answers, comment, source: 'mail' });
    tickets[key] = ticket;
    return ticket;
  }

  beforeAll(async () => {
    w = await surveyWorld(dialect);
    const { a, b, app } = w;
    await app.createStaff(a.tenant.id, 'supervisor', 'boss@sv-a.test');
    await app.createStaff(a.tenant.id, 'admin', 'admin@sv-a.test');
    await app.createStaff(b.tenant.id, 'supervisor', 'boss@sv-b.test');
    agentA = await app.signIn(a.agentEmail, 'sv-a');
    bossA = await app.signIn('boss@sv-a.test', 'sv-a');
    adminA = await app.signIn('admin@sv-a.test', 'sv-a');
    const token = async (email: string) => {
      const user = await app.services.db.selectFrom('users').select(['id', 'tenant_id']).where('email', '=', email).executeTakeFirstOrThrow();
      return (await createApiToken(app.services.db, { tenantId: user.tenant_id!, userId: user.id, name: 'survey' })).token;
    };
    tokens = { agentA: await token(a.agentEmail), bossA: await token('boss@sv-a.test'), adminA: await token('admin@sv-a.test'), bossB: await token('boss@sv-b.test') };
    await w.settings(a, { questions: [{ en: 'Speed', de: 'Tempo' }] });
    await answered(a, 'g1', 1, '', { q1: '2' });
    await answered(a, 'g2', 2, '', { q1: '3' });
    await answered(a, 'g5', 5, 'Nobody called back');
    await answered(a, 'none', 0);
  });
  afterAll(() => w?.cleanup());

  it('shows grade and comment on the ticket page to the agent who worked it and to supervisors', async () => {
    const html = await page(`/t/sv-a/desk/tickets/${tickets.g5!.number}`, agentA);
    expect(html).toContain('id="survey-ticket"');
    expect(html).toContain('Grade 5');
    expect(html).toContain('Nobody called back');
    expect(html).toContain('Quality alert');
    expect(await page(`/t/sv-a/desk/tickets/${tickets.none!.number}`, bossA)).toContain('Survey sent, no answer yet');
  });

  it('computes average, distribution, response rate and share at or beyond the threshold, with chart, table and CSV', async () => {
    const html = await page('/t/sv-a/p/survey/results?by=agent', bossA);
    expect(html).toContain('<svg class="bar-chart" id="survey-results-chart"');
    expect(html).toMatch(/<th scope="row">agent<\/th><td class="num">4<\/td><td class="num">3<\/td><td class="num">75 %<\/td><td class="num">2.67<\/td><td class="num">1 \(33.3 %\)<\/td><td class="num survey-distribution">1 · 1 · 0 · 0 · 1 · 0<\/td>/);
    const csv = await w.app.request('/t/sv-a/p/survey/results.csv?by=agent', { cookie: bossA });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Name,Sent,Answered,Response rate,Average,At or beyond threshold,1,2,3,4,5,6');
    expect(lines[1]).toBe('agent,4,3,75,2.67,1,1,1,0,0,1,0');
    // The optional question, by its current text: two answers, average 2.5.
    expect(html).toMatch(/<table class="table survey-questions" id="survey-results-questions">.*<th scope="row">Speed<\/th><td class="num">2<\/td><td class="num">2.5<\/td>/s);
    expect((await w.app.request('/t/sv-a/p/survey/results?from=2026-05-01&to=2026-04-01', { cookie: bossA })).status).toBe(422);
    expect(await page('/t/sv-a/desk/statistics', bossA)).toContain('id="survey-stats"');
  });

  it('shows an agent their own results only, a supervisor everyone\'s; another tenant sees none of them', async () => {
    const own = await page('/t/sv-a/p/survey/results?by=group', agentA);
    expect(own).toContain('id="survey-results-own"');
    expect(own).not.toContain('name="by"');
    const boss = await page('/t/sv-a/p/survey/results', bossA);
    expect(boss).not.toContain('id="survey-results-own"');
    const bossB = await w.app.signIn('boss@sv-b.test', 'sv-b');
    expect(await page('/t/sv-b/p/survey/results', bossB)).toContain('id="survey-results-empty"');
  });

  it('serves surveys, a ticket\'s survey, the report and the settings over the API, each tenant its own', async () => {
    const list = (await (await api('/t/sv-a/api/v1/surveys?grade=5', tokens.bossA)).json()) as { data: Array<{ ticket_number: string; grade: number; comment: string }> };
    expect(list.data).toEqual([expect.objectContaining({ ticket_number: tickets.g5!.number, grade: 5, comment: 'Nobody called back' })]);
    expect(((await (await api('/t/sv-a/api/v1/surveys', tokens.agentA)).json()) as { data: unknown[] }).data).toHaveLength(4);
    const one = await api(`/t/sv-a/api/v1/tickets/${tickets.g1!.number}/survey`, tokens.bossA);
    expect(one.status).toBe(200);
    expect(((await one.json()) as { data: { grade: number; state: string } }).data).toMatchObject({ grade: 1, state: 'answered' });
    expect((await api(`/t/sv-b/api/v1/tickets/${tickets.g1!.number}/survey`, tokens.bossB)).status).toBe(404);
    expect(((await (await api('/t/sv-b/api/v1/surveys', tokens.bossB)).json()) as { data: unknown[] }).data).toEqual([]);
    expect((await api('/t/sv-a/api/v1/surveys', tokens.bossB)).status).toBe(401);
    const report = (await (await api('/t/sv-a/api/v1/reports/satisfaction?groupBy=organisation', tokens.bossA)).json()) as { data: { rows: Array<{ label: string; average: number; alert_share: number }> } };
    expect(report.data.rows).toEqual([expect.objectContaining({ label: 'ACME', average: 2.67, alert_share: 33.3 })]);
    expect((await api('/t/sv-a/api/v1/reports/satisfaction?from=2026-13-01', tokens.bossA)).status).toBe(422);

    expect((await api('/t/sv-a/api/v1/survey-settings', tokens.bossA)).status).toBe(403);
    const settings = (await (await api('/t/sv-a/api/v1/survey-settings', tokens.adminA)).json()) as { data: { alertThreshold: number; scale: string } };
    expect(settings.data).toMatchObject({ alertThreshold: 4, scale: 'grades' });
    const bad = await api('/t/sv-a/api/v1/survey-settings', tokens.adminA, { method: 'PATCH', body: JSON.stringify({ sampleRate: 0 }) });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty('sampleRate');
    const ok = await api('/t/sv-a/api/v1/survey-settings', tokens.adminA, { method: 'PATCH', body: JSON.stringify({ scale: 'thumbs', alertThreshold: 5 }) });
    expect(ok.status).toBe(200);
    expect(await w.app.services.tenants.pluginSettings(w.a.tenant.id, 'survey')).toMatchObject({ scale: 'thumbs', alertThreshold: 5, sampleRate: 100 });
    await w.settings(w.a, { scale: 'grades', alertThreshold: 4 });
  });

  it('saves the settings page and refuses a bad value at its field, keeping the input', async () => {
    const form = { mail: '1', portal: '1', delayMinutes: '0', sampleRate: '100', windowDays: '30', validityDays: '14', scale: 'stars', thumbsUpGrade: '1', thumbsDownGrade: '5',
      alertThreshold: '4', qualityGroupId: '', escalateHours: '4', commentRequired: '1', q0en: 'Speed', q0de: '', introEn: '', introDe: '', thanksEn: '', thanksDe: '' };
    const refused = await w.app.request('/t/sv-a/p/survey/settings', { method: 'POST', body: new URLSearchParams({ ...form, validityDays: '0' }), cookie: adminA });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('<small id="validityDays-error" class="field-error">This value is out of range.</small>');
    expect(html).toContain('<small id="q0en-error" class="field-error">Give the question in both languages.</small>');
    expect(html).toContain('value="Speed"');
    const saved = await w.app.request('/t/sv-a/p/survey/settings', { method: 'POST', body: new URLSearchParams({ ...form, q0de: 'Tempo' }), cookie: adminA });
    expect(saved.status).toBe(303);
    expect(await w.app.services.tenants.pluginSettings(w.a.tenant.id, 'survey')).toMatchObject({ scale: 'stars', questions: [{ en: 'Speed', de: 'Tempo' }] });
    expect((await w.app.request('/t/sv-a/p/survey/settings', { cookie: agentA })).status).toBe(403);
    await w.settings(w.a, { scale: 'grades', questions: [] });
  });
});
