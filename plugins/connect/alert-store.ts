import { ACTIVE_STATUSES, isLocale, pluginScope, tenantTicketService, type Services, type TicketActor, type TicketService, type Translate } from '../../core/plugin-api.js';
import { FIELD } from './alert-created.js';
import { linkAlertDevice } from './alert-device-link.js';
import type { ConnectDB } from './connect-db.js';
import { dedupKey, eventLog, type Outcome } from './event-log.js';
import { stateClass, type MonitoringEvent, type SourceKind } from './parse/monitoring-event.js';
import { readSettings, ruleFor, type ConnectSettings } from './settings.js';

export interface Settled { outcome: Outcome; ticket: string | null }

const isUniqueViolation = (error: unknown) => {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(message ?? '');
};
const label = (event: MonitoringEvent) => (event.service ? `${event.host} / ${event.service}` : event.host);
/** Tries before giving up on a race (each loser of one finds the winner's alert on the next try). */
const ATTEMPTS = 4;

/**
 * What an event does to tickets: a problem opens one (or adds to the open one of its host+service), a recovery
 * notes and, if the tenant says so, solves it; a flapping check is noted instead of solved or opened anew.
 * Everything goes through the core ticket service, channel `monitoring`, acting as the system.
 */
export async function alertProcessor(services: Services, tenantId: number) {
  const scope = pluginScope<ConnectDB>(services.db, tenantId);
  const log = eventLog(services.db, tenantId);
  const settings = await readSettings(scope);
  const tenant = await services.tenants.byId(tenantId);
  const t = services.catalog.translator(isLocale(tenant?.locale) ? tenant.locale : 'en');
  const tickets = await tenantTicketService(services, tenantId);

  return async function handle(kind: SourceKind, event: MonitoringEvent): Promise<Settled> {
    const now = services.clock();
    const env: Env = { services, scope, log, settings, t, tickets, kind, now, logged: null };
    try {
      const result = await settle(env, event);
      // What the event did, in one commit: its log row (written now, or its `received` row settled) and the alert's
      // bookkeeping. An opened ticket settled its row in the create transaction (alert-created.ts): nothing left.
      if (result.outcome !== 'opened' || !env.logged) {
        await services.db.transaction().execute(async (trx) => {
          const txLog = eventLog(trx, tenantId);
          if (env.logged) await txLog.settle(env.logged.id, result.outcome, result.ticketId);
          else await txLog.logged(kind, event, now, result.outcome, result.ticketId);
          await result.after?.(pluginScope<ConnectDB>(trx, tenantId));
        });
      }
      return { outcome: result.outcome, ticket: result.number };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      if (env.logged) await log.settle(env.logged.id, 'failed', null, detail);
      else await log.logged(kind, event, now, 'failed', null, detail);
      throw error;
    }
  };
}

interface Env {
  services: Services; scope: ReturnType<typeof pluginScope<ConnectDB>>; log: ReturnType<typeof eventLog>; settings: ConnectSettings;
  t: Translate; tickets: TicketService; kind: SourceKind; now: Date;
  /** The event's `received` row, once written (only a ticket to be opened needs it first: the create filter reads it). */
  logged: { id: number; nonce: string } | null;
}
interface Result {
  outcome: Outcome; ticketId: number | null; number: string | null;
  /** The alert's bookkeeping, written in the commit that logs the event. */
  after?: (scope: ReturnType<typeof pluginScope<ConnectDB>>) => Promise<void>;
}

async function openAlert(env: Env, key: string) {
  return env.scope.selectFrom('connect_alerts as a').innerJoin('tickets as t', 't.id', 'a.ticket_id')
    .select(['a.id', 'a.ticket_id', 't.number', 't.status']).where('a.open_key', '=', key).executeTakeFirst();
}

async function closeAlert(env: Env, alertId: number): Promise<void> {
  await env.scope.updateTable('connect_alerts').set({ open_key: null, closed_at: env.now.toISOString() }).where('id', '=', alertId).execute();
}

async function settle(env: Env, event: MonitoringEvent): Promise<Result> {
  const { settings, t, tickets, kind } = env;
  const actor: TicketActor = { kind: 'system', label: t('connect.actor', { source: kind }) };
  const key = dedupKey(event.host, event.service);
  const klass = stateClass(event.state);
  const acts = !event.ignored && (klass !== 'other' || settings.openOnWarning);
  if (!acts) return { outcome: 'ignored', ticketId: null, number: null };
  const since = new Date(env.now.getTime() - settings.flapMinutes * 60_000).toISOString();
  const flapping = (await env.log.changesSince(key, since, klass)) > settings.flapChanges;
  const stateText = event.state.toUpperCase();
  const line = (messageKey: string) => `${t(messageKey, { check: label(event), state: stateText })}${flapping ? `\n${t('connect.note.flapping', { changes: settings.flapChanges, minutes: settings.flapMinutes })}` : ''}${event.output ? `\n\n${event.output}` : ''}`;

  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const alert = await openAlert(env, key);
    if (alert && !ACTIVE_STATUSES.includes(alert.status)) {
      // Its ticket was solved or closed by hand: the alert ends there, a new problem opens a new ticket.
      await closeAlert(env, alert.id);
      continue;
    }
    if (klass === 'recovery') {
      if (!alert) return { outcome: 'ignored', ticketId: null, number: null };
      const solve = settings.solveOnRecovery && !flapping;
      // The note and the solve in one change of the ticket; the alert closes after (a leftover open alert on a
      // solved ticket is ended by the next event, see above).
      await tickets.apply(alert.number, { article: { kind: 'note', channel: 'monitoring', body: line('connect.note.recovered') }, ...(solve ? { status: 'solved' as const } : {}) }, actor);
      const after = async (tx: Env['scope']) => {
        await tx.updateTable('connect_alerts').set((eb) => ({
          state: event.state, last_at: env.now.toISOString(), events_count: eb('events_count', '+', 1), ...(solve ? { open_key: null, closed_at: env.now.toISOString() } : {}),
        })).where('id', '=', alert.id).execute();
      };
      return { outcome: flapping ? 'flapping' : solve ? 'solved' : 'recovered', ticketId: alert.ticket_id, number: alert.number, after };
    }
    if (alert) {
      await tickets.addArticle(alert.number, { kind: 'note', channel: 'monitoring', body: line('connect.note.again') }, actor);
      const after = async (tx: Env['scope']) => {
        await tx.updateTable('connect_alerts').set((eb) => ({ state: event.state, last_at: env.now.toISOString(), events_count: eb('events_count', '+', 1) })).where('id', '=', alert.id).execute();
      };
      return { outcome: flapping ? 'flapping' : 'appended', ticketId: alert.ticket_id, number: alert.number, after };
    }
    const rule = ruleFor(settings.rules, event.host);
    const organisationId = rule?.organisationId && (await env.scope.selectFrom('organisations').select('id').where('id', '=', rule.organisationId).executeTakeFirst()) ? rule.organisationId : null;
    const groupId = rule?.groupId && (await env.scope.selectFrom('support_groups').select('id').where('id', '=', rule.groupId).executeTakeFirst()) ? rule.groupId : null;
    // The row the create filter checks (by id and nonce) before it writes the alert; written once across retries.
    env.logged ??= await env.log.received(kind, event, env.now);
    const { id: eventId, nonce } = env.logged;
    try {
      const ticket = await tickets.create({
        subject: t('connect.subject', { check: label(event), state: stateText }).slice(0, 200),
        description: line('connect.note.opened'), channel: 'monitoring', groupId, organisationId, priority: rule?.priority ?? undefined,
        pluginFields: { [FIELD.event]: String(eventId), [FIELD.nonce]: nonce },
      }, actor);
      await linkAlertDevice(env.services, env.scope.tenantId, ticket.id, event.host, actor.label);
      return { outcome: 'opened', ticketId: ticket.id, number: ticket.number };
    } catch (error) {
      // Another request opened the alert first: its ticket rolled ours back whole; add to it on the next try.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  throw new Error('connect: the alert kept changing under this event');
}
