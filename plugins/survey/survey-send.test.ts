import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness/test-database.js';
import { inSample, isAutoSender, recordSurvey } from './survey-record.js';
import { surveyScope } from './survey-db.js';
import { surveyWorld, type SurveyWorld } from './survey-fixture.js';

const DAY = 86_400_000;

describe('sampling and robots', () => {
  it('decides the sample from the tenant and ticket alone, near the rate', () => {
    const picked = Array.from({ length: 1000 }, (_, i) => inSample(1, i + 1, 30)).filter(Boolean).length;
    expect(picked).toBeGreaterThan(240);
    expect(picked).toBeLessThan(360);
    expect(Array.from({ length: 50 }, (_, i) => inSample(7, i, 30))).toEqual(Array.from({ length: 50 }, (_, i) => inSample(7, i, 30)));
    expect(Array.from({ length: 50 }, (_, i) => inSample(7, i, 100)).every(Boolean)).toBe(true);
  });
  it('knows robot addresses', () => {
    for (const robot of ['noreply@x.test', 'no-reply+42@x.test', 'MAILER-DAEMON@x.test', 'bounce@x.test', 'autoreply@x.test']) expect(isAutoSender(robot), robot).toBe(true);
    for (const human of ['carl@x.test', 'reply.team@x.test', 'norbert@x.test']) expect(isAutoSender(human), human).toBe(false);
  });
});

describe.each(dialects)('sending surveys on %s', (dialect) => {
  let w: SurveyWorld;
  beforeAll(async () => {
    w = await surveyWorld(dialect);
  });
  afterAll(() => w?.cleanup());

  it('records one survey per closed ticket and mails it once, branded, with a signed link per grade; a close heard again asks nothing more', async () => {
    const { a } = w;
    const ticket = await w.closedTicket(a, a.people.colleague, 'Printer jams');
    await expect.poll(() => w.surveyOf(a, ticket.id)).toMatchObject({ state: 'pending', person_id: a.people.colleague, locale: 'en' });
    await w.run('survey.send');
    const [mail] = await w.nextMails(1);
    expect(mail!.to).toMatchObject({ text: a.emails.colleague });
    expect(mail!.subject).toBe(`How did we do? [${ticket.number}] Printer jams`);
    expect(mail!.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail!.text).toContain('Hello Carl Colleague');
    for (const grade of [1, 2, 3, 4, 5, 6]) expect(mail!.text).toMatch(new RegExp(`  ${grade}: http://\\S+/t/sv-a/survey/[\\w-]{32}\\?g=${grade}`));
    expect(mail!.html).toContain('?g=6');
    const survey = await w.surveyOf(a, ticket.id);
    expect(survey).toMatchObject({ state: 'sent' });
    expect(survey!.token_id).toMatch(/^[\w-]{43}$/);
    expect(Date.parse(survey!.expires_at!) - Date.parse(survey!.sent_at!)).toBe(14 * DAY);

    // Core never reopens a closed ticket (a solved one goes back to open); a close heard twice still records one survey.
    expect(await recordSurvey(w.app.services, a.tenant.id, ticket.id)).toEqual({ recorded: false, reason: 'exists' });
    await w.run('survey.send');
    expect(await w.settleMails()).toBe(0);
    expect(await surveyScope(w.app.services.db, a.tenant.id).selectFrom('survey_surveys').select('id').where('ticket_id', '=', ticket.id).execute()).toHaveLength(1);
  });

  it('does not ask the same person again within the window, and does after it', async () => {
    const { a } = w;
    const second = await w.closedTicket(a, a.people.colleague, 'Second question');
    expect(await recordSurvey(w.app.services, a.tenant.id, second.id)).toEqual({ recorded: false, reason: 'window' });
    expect(await w.surveyOf(a, second.id)).toBeUndefined();
    w.advance(31 * DAY);
    const third = await w.closedTicket(a, a.people.colleague, 'After a month');
    await expect.poll(() => w.surveyOf(a, third.id)).toMatchObject({ state: 'pending' });
  });

  it('asks nobody for a ticket closed by merging it into another or as spam; the survivor is asked when it closes', async () => {
    const { a, app } = w;
    await w.settings(a, { sampleRate: 100, windowDays: 0 });
    const merged = await a.ticketFor(a.people.manager, a.organisations.acme, 'Merged away');
    const survivor = await a.ticketFor(a.people.manager, a.organisations.acme, 'Survivor');
    const spam = await a.ticketFor(a.people.manager, a.organisations.acme, 'Cheap pills');
    await a.service().merge(merged.number, survivor.number, a.agent);
    await a.service().spam(spam.number, a.agent);
    expect(await recordSurvey(app.services, a.tenant.id, merged.id)).toEqual({ recorded: false, reason: 'merged' });
    expect(await recordSurvey(app.services, a.tenant.id, spam.id)).toEqual({ recorded: false, reason: 'spam' });
    expect(await w.surveyOf(a, merged.id)).toBeUndefined();
    expect(await w.surveyOf(a, spam.id)).toBeUndefined();
    await a.service().accept(survivor.number, a.agent);
    await a.service().changeStatus(survivor.number, 'solved', a.agent);
    await a.service().changeStatus(survivor.number, 'closed', a.agent);
    await expect.poll(() => w.surveyOf(a, survivor.id)).toMatchObject({ state: 'pending' });
    await w.settings(a, { sampleRate: 100, windowDays: 30 });
  });

  it('asks nobody for a ticket without a customer, a robot\'s address, or outside the sample', async () => {
    const { a, app } = w;
    const noCustomer = await a.service().create({ subject: 'Internal', description: 'No requester', channel: 'phone' }, a.agent);
    expect(await recordSurvey(app.services, a.tenant.id, noCustomer.id)).toEqual({ recorded: false, reason: 'no-customer' });
    const robot = (await a.scope.insertInto('people', { organisation_id: a.organisations.acme, name: 'Robot', email: 'no-reply@acme-sv-a.test', phone: null, portal_role: 'customer', is_org_manager: 0, password_hash: null, locale: 'en', active: 1 })
      .returning('id').executeTakeFirstOrThrow()).id;
    const fromRobot = await w.closedTicket(a, robot, 'Out of office');
    expect(await recordSurvey(app.services, a.tenant.id, fromRobot.id)).toEqual({ recorded: false, reason: 'auto-sender' });
    expect(await w.surveyOf(a, fromRobot.id)).toBeUndefined();

    await w.settings(a, { sampleRate: 1, windowDays: 0 });
    const out = await a.ticketFor(a.people.manager, a.organisations.acme, 'Sampled');
    const expected = inSample(a.tenant.id, out.id, 1);
    await a.service().accept(out.number, a.agent);
    await a.service().changeStatus(out.number, 'solved', a.agent);
    await a.service().changeStatus(out.number, 'closed', a.agent);
    expect(await recordSurvey(app.services, a.tenant.id, out.id)).toEqual({ recorded: false, reason: expected ? 'exists' : 'sample' });
    await w.settings(a, { sampleRate: 100, windowDays: 30 });
  });

  it('waits for the delay, mails in the reader\'s language, and sends only the tenant\'s own', async () => {
    const { a, b, app } = w;
    await w.run('survey.send');
    await w.settleMails();
    await w.settings(b, { delayMinutes: 60 });
    await app.services.db.updateTable('people').set({ locale: 'de' }).where('id', '=', b.people.stranger).execute();
    const ticket = await w.closedTicket(b, b.people.stranger, 'Drucker');
    await expect.poll(() => w.surveyOf(b, ticket.id)).toMatchObject({ state: 'pending', locale: 'de' });
    await w.run('survey.send');
    expect(await w.settleMails()).toBe(0);
    w.advance(61 * 60_000);
    await w.run('survey.send');
    const [mail] = await w.nextMails(1);
    expect(mail!.subject).toBe(`Wie zufrieden sind Sie? [${ticket.number}] Drucker`);
    expect(mail!.text).toContain('Hallo Gus Globex');
    expect(w.linkPath(mail!)).toMatch(/^\/t\/sv-b\/survey\//);
    expect(await surveyScope(app.services.db, a.tenant.id).selectFrom('survey_surveys').select('id').where('ticket_id', '=', ticket.id).execute()).toEqual([]);
  });
});
