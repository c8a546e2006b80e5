import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disablePlugin, enablePlugin, updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { pluginScope, tenantTicketService, type TicketActor } from '../../core/plugin-api.js';
import { createTestApp, type TestApp } from '../harness/test-app.js';
import { dialects } from '../harness/test-database.js';
import { helpdeskPlugin } from '../../plugins/helpdesk/index.js';
import type { HelpdeskDB } from '../../plugins/helpdesk/helpdesk-db.js';
import { recomputeJob } from '../../plugins/sla/clock-events.js';
import { slaPlugin } from '../../plugins/sla/index.js';
import type { SlaDB } from '../../plugins/sla/sla-db.js';
import { escalateAlerts, raiseAlert } from '../../plugins/survey/alert-store.js';
import { surveyPlugin } from '../../plugins/survey/index.js';
import { readSettings } from '../../plugins/survey/settings.js';
import { surveyScope } from '../../plugins/survey/survey-db.js';
import { recordSurvey } from '../../plugins/survey/survey-record.js';

const HOUR = 3_600_000;
// Friday 6 March 2026, 16:00 UTC; the office calendar is Monday to Friday 08:00-17:00 UTC.
const FRIDAY_4PM = Date.parse('2026-03-06T16:00:00Z');

/**
 * The survey on the helpdesk's and the sla plugin's published extension points: no survey for a ticket a robot's
 * mail opened (helpdesk.mailOrigin), and a quality alert escalating after business hours (sla.businessTime); each
 * only while the tenant has that plugin on.
 */
describe.each(dialects)('survey with the helpdesk and sla on %s', (dialect) => {
  let app: TestApp;
  let now = FRIDAY_4PM;

  async function world(slug: string, plugins: string[]) {
    const tenant = await app.createTenant(slug);
    for (const id of plugins) await enablePlugin(app.services.db, app.services.registry, tenant.id, id);
    const adminId = await app.createStaff(tenant.id, 'admin', `admin@${slug}.test`);
    await app.createStaff(tenant.id, 'supervisor', `lead@${slug}.test`);
    const scope = pluginScope<SlaDB & HelpdeskDB>(app.services.db, tenant.id);
    const org = (await scope.insertInto('organisations', { name: 'ACME', number: 'K-1', email_domains: `acme-${slug}.test`, phone: null, address: null, notes: null }).returning('id').executeTakeFirstOrThrow()).id;
    const person = (await scope.insertInto('people', { organisation_id: org, name: 'Carl', email: `carl@acme-${slug}.test`, phone: null, portal_role: 'customer', is_org_manager: 0, password_hash: null, locale: 'en', active: 1 })
      .returning('id').executeTakeFirstOrThrow()).id;
    const actor: TicketActor = { kind: 'user', id: adminId, label: 'Admin', can: () => true };
    const service = () => tenantTicketService(app.services, tenant.id);
    const open = async (subject: string) => (await service()).create({ subject, description: subject, requesterId: person, organisationId: org, channel: 'mail' }, actor);
    const close = async (number: string) => {
      await (await service()).accept(number, actor);
      await (await service()).changeStatus(number, 'solved', actor);
      await (await service()).changeStatus(number, 'closed', actor);
    };
    return { tenant, slug, scope, person, actor, open, close };
  }
  type World = Awaited<ReturnType<typeof world>>;
  const surveyOf = (w: World, ticketId: number) => surveyScope(app.services.db, w.tenant.id).selectFrom('survey_surveys').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst();
  /** The helpdesk's row of the mail that opened a ticket (what the mail channel, or an agent turning an open mail into a ticket, leaves). */
  const openedByMail = (w: World, ticketId: number, autoKind: string | null) => w.scope.insertInto('helpdesk_mails', {
    mailbox_id: null, dedup_key: `t-${ticketId}`, message_id: null, imap_uid: null, raw_sha256: 'x'.repeat(64), size: 100, status: 'ticket', claim: null, claimed_at: null,
    from_address: `carl@acme-${w.slug}.test`, from_name: 'Carl', subject: 'Mail', sent_at: null, in_reply_to: null, reference_ids: null, body_text: 'Hello', body_html: null,
    auto_kind: autoKind, note: null, ticket_id: ticketId, article_id: null, discarded_at: null, discarded_by: null,
  }).execute();

  beforeAll(async () => {
    app = await createTestApp(dialect, [helpdeskPlugin, slaPlugin, surveyPlugin], { clock: () => new Date(now) });
  });
  afterAll(() => app?.cleanup());

  it('asks nobody about a ticket a robot\'s mail opened while the helpdesk is on, and asks a person who wrote one', async () => {
    const w = await world('svs-robot', ['helpdesk', 'survey']);
    const robot = await w.open('Automatic reply: out of office');
    await openedByMail(w, robot.id, 'auto-submitted');
    await w.close(robot.number);
    expect(await recordSurvey(app.services, w.tenant.id, robot.id)).toEqual({ recorded: false, reason: 'auto-sender' });
    expect(await surveyOf(w, robot.id)).toBeUndefined();

    const human = await w.open('Printer jams');
    await openedByMail(w, human.id, null);
    await w.close(human.number);
    await expect.poll(() => surveyOf(w, human.id)).toMatchObject({ state: 'pending' });

    // With the helpdesk off, nobody answers the question: the address alone decides (a person's address here).
    await disablePlugin(app.services.db, app.services.registry, w.tenant.id, 'helpdesk');
    expect(await recordSurvey(app.services, w.tenant.id, robot.id, { ...(await readSettings(surveyScope(app.services.db, w.tenant.id))), windowDays: 0 })).toMatchObject({ recorded: true });
  });

  it('escalates an unhandled alert after business hours of the ticket\'s calendar while sla is on, after wall hours otherwise', async () => {
    now = FRIDAY_4PM;
    const withSla = await world('svs-sla', ['helpdesk', 'sla', 'survey']);
    const wallOnly = await world('svs-wall', ['survey']);
    // An office calendar (UTC, Monday to Friday 08:00-17:00) under the tenant's default level.
    const session = await app.signIn(`admin@${withSla.slug}.test`, withSla.slug);
    const post = (path: string, values: Record<string, string>) => app.request(`/t/${withSla.slug}/p/sla${path}`, { method: 'POST', body: new URLSearchParams(values), cookie: session });
    const week = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((day) => [`hours.${day}`, day <= 5 ? '08:00-17:00' : '']));
    const calendar = Number(/(\d+)$/.exec((await post('/calendars', { name: 'Office', zone: 'UTC', ...week })).headers.get('location') ?? '')![1]);
    const targets = Object.fromEntries([1, 2, 3, 4].flatMap((p) => [[`target.first_response.${p}`, '60'], [`target.update.${p}`, ''], [`target.solution.${p}`, '480']]));
    const level = Number(/(\d+)$/.exec((await post('/levels', { name: 'Standard', calendarId: String(calendar), ...targets })).headers.get('location') ?? '')![1]);
    expect((await post('/settings', { defaultLevelId: String(level), pausing: 'waiting' })).status).toBe(303);

    const alertOn = async (w: World) => {
      await updatePluginSettings(app.services.db, app.services.registry, w.tenant.id, 'survey', { escalateHours: 4 });
      const ticket = await w.open('Bad service');
      await w.close(ticket.number);
      await expect.poll(() => surveyOf(w, ticket.id)).toBeDefined();
      const survey = (await surveyOf(w, ticket.id))!;
      const settings = await readSettings(surveyScope(app.services.db, w.tenant.id));
      const tenant = await app.services.tenants.byId(w.tenant.id);
      const raised = await app.services.db.transaction().execute((trx) => raiseAlert(app.services, trx, tenant, settings, { surveyId: survey.id, ticketId: ticket.id, grade: 6, comment: 'Never again', at: new Date(now).toISOString() }));
      await raised.deliver();
      return ticket;
    };
    const slaTicket = await alertOn(withSla);
    await recomputeJob.run({ tenantId: withSla.tenant.id, payload: null, db: app.services.db, clock: app.services.clock, services: app.services });
    expect(await withSla.scope.selectFrom('sla_tickets').select('level_id').where('ticket_id', '=', slaTicket.id).executeTakeFirst()).toEqual({ level_id: level });
    await alertOn(wallOnly);

    // Saturday noon: 20 wall hours, 1 business hour (Friday 16:00-17:00).
    now = FRIDAY_4PM + 20 * HOUR;
    expect(await escalateAlerts(app.services, withSla.tenant.id)).toBe(0);
    expect(await escalateAlerts(app.services, wallOnly.tenant.id)).toBe(1);
    // Monday 10:59: 3 h 59 min of business time; 11:00: four hours.
    now = Date.parse('2026-03-09T10:59:00Z');
    expect(await escalateAlerts(app.services, withSla.tenant.id)).toBe(0);
    now = Date.parse('2026-03-09T11:00:00Z');
    expect(await escalateAlerts(app.services, withSla.tenant.id)).toBe(1);
    expect(await escalateAlerts(app.services, withSla.tenant.id)).toBe(0);
    const notices = await app.services.db.selectFrom('notifications').select(['summary']).where('tenant_id', '=', withSla.tenant.id).where('kind', '=', 'survey.escalated').execute();
    expect(notices.length).toBeGreaterThan(0);
    for (const notice of notices) expect(notice.summary).toBe(`Quality alert not handled for 4 business hours (Office): grade 6 on ${slaTicket.number}`);
  });
});
