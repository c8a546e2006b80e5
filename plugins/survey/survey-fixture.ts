import { simpleParser, type ParsedMail } from 'mailparser';
import { expect } from 'vitest';
import type { Dialect } from '../../core/plugin-api.js';
import { updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { systemJobHandlers } from '../../core/jobs/system-jobs.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { startSmtpPeer, type SmtpPeer } from '../../test/harness/smtp-peer.js';
import { portalWorld, type PortalWorld } from '../../test/harness/portal-world.js';
import { surveyPlugin } from './index.js';
import { surveyScope } from './survey-db.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

/**
 * Two tenants with the portal and the survey on (portalWorld's people, agent and tickets), their mail going to a
 * real SMTP peer, and a clock the test moves. Helpers close tickets, run the plugin's jobs and read the mails.
 */
export async function surveyWorld(dialect: Dialect) {
  // Starts at the wall time: the portal's card (a slot, which has no clock) compares with the wall time.
  let now = Date.now();
  const clock = () => new Date(now);
  const smtp: SmtpPeer = await startSmtpPeer();
  const app: TestApp = await createTestApp(dialect, [installedPlugin('portal'), surveyPlugin], { clock });
  // The portal's own requester mails (status changes) are off: the peer receives only the survey's mails.
  const a = await portalWorld(app, 'sv-a', { notifyRequester: false });
  const b = await portalWorld(app, 'sv-b', { notifyRequester: false });
  for (const world of [a, b]) await app.services.db.updateTable('tenants').set({ smtp_url: smtp.url }).where('id', '=', world.tenant.id).execute();
  let seen = 0;

  const jobs = () => systemJobHandlers({ mailer: app.services.mailer, registry: app.services.registry, tenants: app.services.tenants, services: app.services });
  const run = async (job: 'survey.send' | 'survey.escalate') => jobs()[job]!({ tenantId: null, payload: null, db: app.services.db, clock });

  /** A ticket of this person, accepted, solved and closed by the agent; waits for the close handler's survey (or its absence). */
  async function closedTicket(world: PortalWorld, personId: number, subject: string) {
    const ticket = await world.ticketFor(personId, world.organisations.acme, subject);
    await world.service().accept(ticket.number, world.agent);
    await world.service().changeStatus(ticket.number, 'solved', world.agent);
    await world.service().changeStatus(ticket.number, 'closed', world.agent);
    return ticket;
  }
  const surveyOf = (world: PortalWorld, ticketId: number) => surveyScope(app.services.db, world.tenant.id).selectFrom('survey_surveys').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst();

  /** The next `count` mails the SMTP peer receives, parsed. */
  async function nextMails(count: number): Promise<ParsedMail[]> {
    await expect.poll(() => smtp.received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(seen + count);
    const raw = smtp.received.slice(seen, seen + count);
    seen += count;
    return Promise.all(raw.map((r) => simpleParser(r)));
  }
  /** Marks every mail so far as seen (a test that does not read them). */
  async function settleMails(): Promise<number> {
    await app.services.mailer.deliverPending();
    const fresh = smtp.received.length - seen;
    seen = smtp.received.length;
    return fresh;
  }
  /** The survey page's path (inside the tenant) of a mail's first grade link. */
  const linkPath = (mail: ParsedMail) => {
    const url = /https?:\/\/\S+\/survey\/\S+/.exec(mail.text ?? '')?.[0];
    expect(url, 'survey link').toBeDefined();
    return new URL(url!).pathname + new URL(url!).search;
  };
  const settings = (world: PortalWorld, values: Record<string, unknown>) => updatePluginSettings(app.services.db, app.services.registry, world.tenant.id, 'survey', values);

  return {
    app, smtp, a, b, clock, run, closedTicket, surveyOf, nextMails, settleMails, linkPath, settings,
    advance: (ms: number) => { now += ms; },
    cleanup: async () => {
      await app.cleanup();
      await smtp.stop();
    },
  };
}
export type SurveyWorld = Awaited<ReturnType<typeof surveyWorld>>;
