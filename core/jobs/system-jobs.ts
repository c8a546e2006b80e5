import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../db/migration-helpers.js';
import type { DB } from '../db/schema.js';
import type { Mailer } from '../mail/mailer.js';
import type { PluginRegistry } from '../plugin-host/registry.js';
import type { TenantDirectory } from '../tenancy/tenant-directory.js';
import type { Clock } from '../time.js';
import type { Services } from '../http/app-env.js';
import { ensureSchedule } from './job-queue.js';
import { rebuildStaleHotlines } from '../statistics/hotline-aggregate.js';
import { rebuildStaleKpiFacts } from '../statistics/kpi-fact-store.js';
import { KPI_BUSINESS_TIME } from '../statistics/kpi-business-time.js';
import { sendDueKpiMails } from '../statistics/kpi-mail.js';
import { recountStaleTicketCounters } from '../tickets/ticket-counters.js';
import { dueWaitingTickets } from '../tickets/ticket-waiting.js';
import { tenantTicketService } from '../tickets/ticket-context.js';
import { sendDueReminderDigests, waitingDigestSource } from '../tickets/reminder-digest.js';
import { sendDueTodoReminders, todoDigestSource } from '../todos/todo-reminders.js';
import { TICKET_EVENTS_JOB, ticketEventsJob } from '../tickets/ticket-event-outbox.js';
import type { JobHandler } from './job-types.js';
import type { Leases } from './leases.js';

/**
 * The core's recurring jobs and one job per plugin job. A plugin job runs once per tenant
 * that has the plugin switched on at that moment; for the others it is skipped.
 */
export function systemJobHandlers(deps: { mailer: Mailer; registry: PluginRegistry; tenants: TenantDirectory; services?: Services; leases?: Leases }): Record<string, JobHandler> {
  const handlers: Record<string, JobHandler> = {
    'core.mail-retry': async () => {
      await deps.mailer.deliverPending();
    },
    'core.cleanup': async ({ db, clock }) => {
      const now = clock().toISOString();
      await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
      await db.deleteFrom('used_tokens').where('expires_at', '<=', now).execute();
      await db.deleteFrom('link_tokens').where('expires_at', '<=', now).execute();
      await db.deleteFrom('rate_limits').where('reset_at', '<=', now).execute();
      await db.deleteFrom('leases').where('expires_at', '<=', new Date(Date.parse(now) - 86400_000).toISOString()).execute();
      await db.deleteFrom('jobs').where('status', '=', 'done').where('last_run_at', '<=', new Date(Date.parse(now) - 7 * 86400_000).toISOString()).execute();
      // Keeps SQLite's planner statistics current: the tenant column is skewed (one tenant may own every ticket).
      if (!isPostgres(db)) await sql`pragma optimize`.execute(db);
    },
    // The hotline statistics' aggregate counted afresh: tenants never built, built in another time zone, or not for a week.
    'core.hotline-rebuild': async ({ db, clock }) => {
      await rebuildStaleHotlines(db, isPostgres(db) ? 'postgres' : 'sqlite', clock());
    },
    // The KPI facts replayed afresh: tenants never built or not for a week (business time from the tenant's provider, if any).
    'core.kpi-rebuild': async ({ db, clock }) => {
      const hooks = deps.services?.hooks;
      await rebuildStaleKpiFacts(db, isPostgres(db) ? 'postgres' : 'sqlite', clock(), async (tenantId) => (hooks ? (await hooks.extensions(KPI_BUSINESS_TIME, tenantId))[0] : undefined));
    },
    // The periodic KPI mails that are due in their tenant's zone (weekly Monday 07:00, monthly on the 1st 07:00).
    'core.kpi-mail': async ({ db, clock }) => {
      const services = deps.services;
      if (!services) return; // a runner built without services (unit tests) has no catalog to write the mail with
      await sendDueKpiMails({
        db, clock, mailer: deps.mailer, catalog: services.catalog, baseUrl: services.config.baseUrl, log: services.log,
        businessOf: async (tenantId) => (await services.hooks.extensions(KPI_BUSINESS_TIME, tenantId))[0],
        mayView: (role) => (role === 'agent' || role === 'supervisor' || role === 'admin') && services.permissions.has(role, 'statistics.view'),
      });
    },
    // The queue and dashboard counters counted afresh once a day per tenant (and at once for a tenant never counted).
    'core.ticket-counters-recount': async ({ db, clock }) => {
      for (const { tenantId, differing } of await recountStaleTicketCounters(db, isPostgres(db) ? 'postgres' : 'sqlite', clock())) {
        if (differing) deps.services?.log.warn('ticket counters were off; recounted', { tenantId, differing });
      }
    },
    // Waiting tickets whose "waiting until" has come go back to open, and their agent is told (ticket-waiting.ts).
    'core.waiting-wakeup': async ({ db, clock }) => {
      const services = deps.services;
      if (!services) return;
      for (const due of await dueWaitingTickets(db, clock().toISOString())) {
        try {
          await (await tenantTicketService(services, due.tenant_id)).wakeUp(due.number);
        } catch (error) {
          services.log.warn('waking a waiting ticket failed', { tenantId: due.tenant_id, number: due.number, error: String(error) });
        }
      }
    },
    // Personal to-dos whose due time has come: a pop-up notification and, if asked for, a mail (todo-reminders.ts).
    'core.todo-reminders': async ({ db, clock }) => {
      const services = deps.services;
      if (!services) return;
      await sendDueTodoReminders({ db, clock, events: services.events, mailer: deps.mailer, catalog: services.catalog, baseUrl: services.config.baseUrl, log: services.log });
    },
    // The daily digest of reminders, in each tenant's morning (reminder-digest.ts).
    'core.reminder-digest': async ({ db, clock }) => {
      const services = deps.services;
      if (!services) return;
      await sendDueReminderDigests({ db, clock, mailer: deps.mailer, catalog: services.catalog, baseUrl: services.config.baseUrl, log: services.log, sources: [waitingDigestSource, todoDigestSource] });
    },
    // A bulk change's plugin events, queued by each batch (ticket-event-outbox.ts).
    [TICKET_EVENTS_JOB]: ticketEventsJob(async (event, payload) => deps.services?.hooks.emit(event, payload)),
  };
  for (const plugin of deps.registry.plugins) {
    for (const job of plugin.contributions.jobs) {
      handlers[`${plugin.id}.${job.id}`] = async (ctx) => {
        const snapshot = await deps.tenants.snapshot();
        for (const tenant of snapshot.byId.values()) {
          if (!snapshot.enabledPlugins.get(tenant.id)?.has(plugin.id)) continue;
          await job.run({ ...ctx, tenantId: tenant.id, ...(deps.services ? { services: deps.services } : {}), ...(deps.leases ? { leases: deps.leases } : {}) });
        }
      };
    }
  }
  return handlers;
}

export async function ensureSystemSchedules(db: Kysely<DB>, clock: Clock, registry: PluginRegistry): Promise<void> {
  await ensureSchedule(db, clock, { name: 'core.mail-retry', rrule: 'FREQ=MINUTELY;INTERVAL=5', uniqueKey: 'core.mail-retry' });
  await ensureSchedule(db, clock, { name: 'core.cleanup', rrule: 'FREQ=HOURLY', uniqueKey: 'core.cleanup' });
  await ensureSchedule(db, clock, { name: 'core.hotline-rebuild', rrule: 'FREQ=HOURLY', uniqueKey: 'core.hotline-rebuild' });
  await ensureSchedule(db, clock, { name: 'core.kpi-rebuild', rrule: 'FREQ=HOURLY', uniqueKey: 'core.kpi-rebuild' });
  await ensureSchedule(db, clock, { name: 'core.kpi-mail', rrule: 'FREQ=HOURLY', uniqueKey: 'core.kpi-mail' });
  await ensureSchedule(db, clock, { name: 'core.waiting-wakeup', rrule: 'FREQ=MINUTELY', uniqueKey: 'core.waiting-wakeup' });
  await ensureSchedule(db, clock, { name: 'core.todo-reminders', rrule: 'FREQ=MINUTELY', uniqueKey: 'core.todo-reminders' });
  await ensureSchedule(db, clock, { name: 'core.reminder-digest', rrule: 'FREQ=MINUTELY;INTERVAL=15', uniqueKey: 'core.reminder-digest' });
  await ensureSchedule(db, clock, { name: 'core.ticket-counters-recount', rrule: 'FREQ=HOURLY', uniqueKey: 'core.ticket-counters-recount' });
  for (const plugin of registry.plugins) {
    for (const job of plugin.contributions.jobs) {
      const name = `${plugin.id}.${job.id}`;
      await ensureSchedule(db, clock, { name, rrule: job.schedule, uniqueKey: name });
    }
  }
}
