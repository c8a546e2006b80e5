import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness/test-database.js';
import type { PortalWorld } from '../../test/harness/portal-world.js';
import { escalateAlerts } from './alert-store.js';
import { surveyScope } from './survey-db.js';
import { surveyWorld, type SurveyWorld } from './survey-fixture.js';

const DAY = 86_400_000;

describe.each(dialects)('answering surveys on %s', (dialect) => {
  let w: SurveyWorld;
  let quality: { id: number; cookie: string };
  let outsider: string;
  const post = (path: string, values: Record<string, string>, cookie = '') => w.app.request(path, { method: 'POST', body: new URLSearchParams(values), cookie });
  const db = (world: PortalWorld) => surveyScope(w.app.services.db, world.tenant.id);

  /** A closed ticket of a fresh person (no do-not-ask window in the way), its survey mailed; returns the link's path without ?g. */
  async function mailed(world: PortalWorld, name: string, locale = 'en', phone: string | null = '+49 30 1234-567') {
    const person = (await world.scope.insertInto('people', { organisation_id: world.organisations.acme, name, email: `${name.toLowerCase().replace(/\W/g, '')}@acme-${world.slug}.test`, phone, portal_role: 'customer', is_org_manager: 0, password_hash: null, locale, active: 1 })
      .returning('id').executeTakeFirstOrThrow()).id;
    const ticket = await w.closedTicket(world, person, `Question of ${name}`);
    await expect.poll(() => w.surveyOf(world, ticket.id)).toBeDefined();
    await w.run('survey.send');
    const [mail] = await w.nextMails(1);
    return { ticket, path: w.linkPath(mail!).replace(/\?g=.*$/, ''), survey: (await w.surveyOf(world, ticket.id))!, mail: mail! };
  }

  beforeAll(async () => {
    w = await surveyWorld(dialect);
    const { a, app } = w;
    const groupId = (await a.scope.insertInto('support_groups', { name: 'Quality', level: 'expert', email: null }).returning('id').executeTakeFirstOrThrow()).id;
    const qualityId = await app.createStaff(a.tenant.id, 'agent', 'qm@sv-a.test');
    await a.scope.insertInto('group_members', { group_id: groupId, user_id: qualityId }).execute();
    await app.createStaff(a.tenant.id, 'supervisor', 'boss@sv-a.test');
    await w.settings(a, { qualityGroupId: groupId, questions: [{ en: 'Speed', de: 'Schnelligkeit' }] });
    quality = { id: qualityId, cookie: await app.signIn('qm@sv-a.test', 'sv-a') };
    outsider = await app.signIn(a.agentEmail, 'sv-a');
  });
  afterAll(() => w?.cleanup());

  it('opens with the clicked grade preselected and saves nothing on a GET (as a mail scanner follows links)', async () => {
    const { path, survey } = await mailed(w.a, 'Scanned Sam');
    for (const g of ['1', '5', '6']) {
      const page = await w.app.request(`${path}?g=${g}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-store');
      const html = await page.text();
      expect(html).toContain(`value="${g}" checked=""`);
      expect(html).toMatch(/<form method="post" action="\/t\/sv-a\/survey\/[^"]+"/);
    }
    expect(await w.surveyOf(w.a, survey.ticket_id)).toMatchObject({ state: 'sent', grade: null, answered_at: null });
    expect(await db(w.a).selectFrom('survey_answers').select('id').where('survey_id', '=', survey.id).execute()).toEqual([]);
  });

  it('saves on submit, updates on a second submit and keeps the history; refuses a missing grade and a foreign value at the field', async () => {
    const { path, survey } = await mailed(w.a, 'Happy Hanna');
    const missing = await post(path, { comment: 'fine' });
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain('Please choose a grade.');
    expect((await post(path, { grade: '9' })).status).toBe(422);
    const saved = await post(path, { grade: '2', q1: '1', comment: 'Quick and kind' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${path}?saved=1`);
    expect(await (await w.app.request(`${path}?saved=1`)).text()).toContain('Thank you! Your answer is saved.');
    expect(await w.surveyOf(w.a, survey.ticket_id)).toMatchObject({ state: 'answered', grade: 2, scale_value: '2', answers: '{"q1":1}', comment: 'Quick and kind' });
    expect((await post(path, { grade: '3', q1: '' })).status).toBe(303);
    expect(await w.surveyOf(w.a, survey.ticket_id)).toMatchObject({ grade: 3, answers: '{}', comment: null });
    const history = await db(w.a).selectFrom('survey_answers').select(['grade', 'comment', 'source']).where('survey_id', '=', survey.id).orderBy('id').execute();
    expect(history).toEqual([{ grade: 2, comment: 'Quick and kind', source: 'mail' }, { grade: 3, comment: null, source: 'mail' }]);
    expect(await db(w.a).selectFrom('survey_alerts').select('id').where('survey_id', '=', survey.id).execute()).toEqual([]);
  });

  it('answers a tampered, foreign or expired link with a clear page and saves nothing', async () => {
    const { path, survey } = await mailed(w.a, 'Tess Tamper');
    const token = path.split('/').at(-1)!;
    const tampered = `${token.slice(0, -3)}${token.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    const bad = await w.app.request(`/t/sv-a/survey/${tampered}?g=1`);
    expect(bad.status).toBe(404);
    expect(await bad.text()).toContain('This survey link does not work');
    expect((await post(`/t/sv-a/survey/${tampered}`, { grade: '1' })).status).toBe(404);
    expect((await w.app.request('/t/sv-a/survey/not-a-token')).status).toBe(404);
    // Tenant B's address with tenant A's link: not B's survey.
    expect((await w.app.request(`/t/sv-b/survey/${token}?g=1`)).status).toBe(404);
    expect((await post(`/t/sv-b/survey/${token}`, { grade: '1' })).status).toBe(404);
    w.advance(15 * DAY);
    const expired = await w.app.request(`${path}?g=1`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('This survey has ended');
    expect((await post(path, { grade: '1' })).status).toBe(410);
    expect(await w.surveyOf(w.a, survey.ticket_id)).toMatchObject({ state: 'sent', grade: null });
  });

  it('raises a quality alert for grades 4 to 6 and not for 1 to 3, with a notification and a mail to the quality group', async () => {
    const grades = [1, 2, 3, 4, 5, 6];
    const links: Array<Awaited<ReturnType<typeof mailed>>> = [];
    for (const grade of grades) links.push(await mailed(w.a, `Grader ${grade}`));
    const refused = await post(links[4]!.path, { grade: '5' });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('From grade 4 on, please tell us in a comment what went wrong.');
    for (const [index, grade] of grades.entries()) {
      expect((await post(links[index]!.path, { grade: String(grade), comment: grade >= 4 ? `Grade ${grade}: slow` : '' })).status).toBe(303);
    }
    const alerts = await db(w.a).selectFrom('survey_alerts').select(['ticket_id', 'grade']).where('ticket_id', 'in', links.map((l) => l.ticket.id)).orderBy('grade').execute();
    expect(alerts.map((a) => a.grade)).toEqual([4, 5, 6]);
    const notices = await db(w.a).selectFrom('notifications').select(['user_id', 'kind', 'summary']).where('kind', '=', 'survey.alert').orderBy('id').execute();
    expect(notices.map((n) => n.user_id)).toEqual([quality.id, quality.id, quality.id]);
    expect(notices[0]!.summary).toBe(`Quality alert: grade 4 on ${links[3]!.ticket.number}`);
    const mails = await w.nextMails(3);
    expect(mails.map((m) => m.subject).sort()).toEqual([4, 5, 6].map((g) => `Quality alert: grade ${g} on ${links[g - 1]!.ticket.number}`).sort());
    expect(mails[0]!.text).toContain('Phone: +49 30 1234-567');
    // A second bad answer to the same survey updates the open alert, it raises no second one.
    expect((await post(links[5]!.path, { grade: '5', comment: 'Still slow' })).status).toBe(303);
    expect(await db(w.a).selectFrom('survey_alerts').select(['grade', 'comment']).where('ticket_id', '=', links[5]!.ticket.id).execute()).toEqual([{ grade: 5, comment: 'Still slow' }]);
  });

  it('lists alerts for the quality group with a tel: link; the call\'s outcome closes them; others get 403 and another tenant 404', async () => {
    // The clock moved past the sessions' life in the expiry test: sign in again.
    quality.cookie = await w.app.signIn('qm@sv-a.test', 'sv-a');
    outsider = await w.app.signIn(w.a.agentEmail, 'sv-a');
    const open = await db(w.a).selectFrom('survey_alerts').select(['id']).where('done_at', 'is', null).orderBy('id').execute();
    expect(open.length).toBeGreaterThan(0);
    const response = await w.app.request('/t/sv-a/p/survey/alerts', { cookie: quality.cookie });
    const page = await response.text();
    expect(response.status, response.headers.get('location') ?? '').toBe(200);
    expect(page).toContain('href="tel:+49301234567"');
    expect(page).toContain('Grade 4: slow');
    expect((await w.app.request('/t/sv-a/p/survey/alerts', { cookie: outsider })).status).toBe(403);
    const first = open[0]!.id;
    const empty = await post(`/t/sv-a/p/survey/alerts/${first}/done`, { outcome: '  ' }, quality.cookie);
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('Write down what the call brought.');
    const agentB = await w.app.signIn(w.b.agentEmail, 'sv-b');
    expect((await post(`/t/sv-b/p/survey/alerts/${first}/done`, { outcome: 'Sneaky' }, agentB)).status).toBe(403);
    await w.app.createStaff(w.b.tenant.id, 'supervisor', 'boss@sv-b.test');
    const bossB = await w.app.signIn('boss@sv-b.test', 'sv-b');
    expect((await post(`/t/sv-b/p/survey/alerts/${first}/done`, { outcome: 'Sneaky' }, bossB)).status).toBe(404);
    expect((await post(`/t/sv-a/p/survey/alerts/${first}/done`, { outcome: 'Called, sent a replacement' }, quality.cookie)).status).toBe(303);
    expect(await db(w.a).selectFrom('survey_alerts').select(['done_by', 'outcome']).where('id', '=', first).executeTakeFirst()).toEqual({ done_by: quality.id, outcome: 'Called, sent a replacement' });
    expect((await post(`/t/sv-a/p/survey/alerts/${first}/done`, { outcome: 'Again' }, quality.cookie)).status).toBe(409);
  });

  it('escalates alerts still open after the configured hours to the supervisors, once', async () => {
    w.advance(5 * 3_600_000);
    const escalated = await escalateAlerts(w.app.services, w.a.tenant.id);
    expect(escalated).toBeGreaterThan(0);
    expect(await escalateAlerts(w.app.services, w.a.tenant.id)).toBe(0);
    const notices = await db(w.a).selectFrom('notifications').innerJoin('users', 'users.id', 'notifications.user_id').select(['users.role']).where('notifications.kind', '=', 'survey.escalated').execute();
    expect(notices.length).toBe(escalated);
    expect(new Set(notices.map((n) => n.role))).toEqual(new Set(['supervisor']));
  });

  it('speaks German to a German reader, in the mail and on the page', async () => {
    const { path, mail } = await mailed(w.a, 'Greta Deutsch', 'de');
    expect(mail.subject).toContain('Wie zufrieden sind Sie?');
    const html = await (await w.app.request(`${path}?g=2`)).text();
    expect(html).toContain('Wie zufrieden sind Sie?');
    expect(html).toContain('Schnelligkeit');
    expect(html).toContain('<html lang="de"');
    const refused = await post(path, { grade: '6' });
    expect(await refused.text()).toContain('Ab Note 4 sagen Sie uns bitte in einem Kommentar, was schiefging.');
  });

  it('shows a signed-in customer their open surveys in the portal, with a link that opens the same page', async () => {
    const carl = await w.a.signIn(w.a.emails.manager);
    const ticket = await w.closedTicket(w.a, w.a.people.manager, 'Portal survey');
    await expect.poll(() => w.surveyOf(w.a, ticket.id)).toBeDefined();
    await w.run('survey.send');
    await w.nextMails(1);
    const home = await (await w.app.request('/t/sv-a/portal', { cookie: carl })).text();
    expect(home).toContain('id="survey-portal-card"');
    expect(home).toContain('id="portal-nav-survey"');
    const list = await (await w.app.request('/t/sv-a/portal/survey', { cookie: carl })).text();
    expect(list).toContain(ticket.number);
    const link = /href="(\/t\/sv-a\/survey\/[^"]+)"/.exec(list)?.[1];
    expect(link).toBeDefined();
    expect((await w.app.request(link!)).status).toBe(200);
    expect((await w.app.request('/t/sv-a/portal/survey')).status).toBe(303);
    const gus = await w.b.signIn(w.b.emails.stranger);
    expect(await (await w.app.request('/t/sv-b/portal/survey', { cookie: gus })).text()).not.toContain(ticket.number);
  });
});
