import {
  isLocale, isoToZoned, pluginScope, tenantTicketService, type NotificationMessage, type Services, type Translate, type TicketActor,
} from '../../core/plugin-api.js';
import type { SlaEscalationDB } from './escalation-db.js';
import type { Recipient } from './escalation-points.js';
import { rotaStore } from './rota-store.js';
import { onCallAt } from './rota-time.js';

/** A ticket as the escalation reads it. */
export interface EscalatedTicket {
  id: number; number: string; subject: string; status: string; priority: number; group_id: number | null; assignee_id: number | null; deleted_at: string | null;
}
/** A point's actions as stored. */
export interface PointActions {
  id: number; clock: string; notify: number; email: number; recipients: string; raise_priority: number; forward_group_id: number | null; rota_id: number | null;
}

export const FINAL_STATUSES = new Set(['solved', 'closed']);
/** The priorities run from 1 (lowest) to 4 (highest). */
export const PRIORITY_TOP = 4;

/** The tenant's language and the words the escalation uses (mails and notifications go out in it). */
export async function tenantWords(services: Services, tenantId: number): Promise<{ t: Translate; slug: string; zone: string }> {
  const tenant = await services.tenants.byId(tenantId);
  if (!tenant) throw new Error(`no tenant ${tenantId}`);
  return { t: services.catalog.translator(isLocale(tenant.locale) ? tenant.locale : 'en'), slug: tenant.slug, zone: tenant.time_zone };
}

/**
 * Who a point tells: inside business hours its recipients (the assignee, the ticket's group members, the
 * tenant's supervisors, the rota's on-call person); outside them only the on-call person. Active staff only.
 */
export async function recipientsOf(services: Services, tenantId: number, point: PointActions, ticket: EscalatedTicket, outside: boolean, at: number): Promise<number[]> {
  const wanted = outside ? ['oncall'] : (point.recipients.split(',').filter(Boolean) as Recipient[]);
  const ids = new Set<number>();
  const scope = pluginScope<SlaEscalationDB>(services.db, tenantId);
  for (const recipient of wanted) {
    if (recipient === 'assignee' && ticket.assignee_id) ids.add(ticket.assignee_id);
    if (recipient === 'group' && ticket.group_id) {
      for (const row of await scope.selectFrom('group_members').select('user_id').where('group_id', '=', ticket.group_id).execute()) ids.add(row.user_id);
    }
    if (recipient === 'supervisors') {
      for (const row of await services.db.selectFrom('users').select('id').where('tenant_id', '=', tenantId).where('role', '=', 'supervisor').where('active', '=', 1).execute()) ids.add(row.id);
    }
    if (recipient === 'oncall' && point.rota_id) {
      const rota = await rotaStore(services, tenantId).load(point.rota_id, at).catch(() => null);
      const person = rota ? onCallAt(rota.rota, rota.overrides, at) : null;
      if (person) ids.add(person);
    }
  }
  if (ids.size === 0) return [];
  const active = await services.db.selectFrom('users').select('id').where('tenant_id', '=', tenantId).where('active', '=', 1)
    .where('role', 'in', ['agent', 'supervisor', 'admin']).where('id', 'in', [...ids]).execute();
  return active.map((row) => row.id).sort((a, b) => a - b);
}

/** The one line the bell list and the mail show. */
export function escalationSummary(t: Translate, zone: string, ticket: EscalatedTicket, clock: string, dueAt: string): string {
  return t('sla.esc.summary', { number: ticket.number, subject: ticket.subject, clock: t(`sla.clock.${clock}`), due: `${isoToZoned(dueAt, zone).replace('T', ' ')} (${zone})` });
}

/** The same line as key and parameters, for the notification list to render in each reader's language. */
export function escalationMessage(zone: string, ticket: EscalatedTicket, clock: string, dueAt: string): NotificationMessage {
  return { key: 'sla.esc.summary', params: { number: ticket.number, subject: ticket.subject, clock: { key: `sla.clock.${clock}` }, due: `${isoToZoned(dueAt, zone).replace('T', ' ')} (${zone})` } };
}

/**
 * What a firing does after its record and notifications committed: mail the recipients, raise the priority
 * to the level fixed at the claim, forward to the named group, each through the core (mailer, ticket service,
 * so history and events stay right). Each action checks first whether it is still needed, so a run taken over
 * after a crash does not raise twice or forward again. Returns a short outcome for the firing's record.
 */
export async function followUp(services: Services, tenantId: number, input: {
  point: PointActions; ticket: EscalatedTicket; outside: boolean; raiseTo: number | null; dueAt: string; at: number;
}): Promise<string> {
  const { point, ticket } = input;
  const { t, slug, zone } = await tenantWords(services, tenantId);
  const outcome: string[] = [];
  const actor: TicketActor = { kind: 'system', label: t('sla.esc.actor') };
  if (point.email) {
    const ids = await recipientsOf(services, tenantId, point, ticket, input.outside, input.at);
    const users = ids.length ? await services.db.selectFrom('users').select(['email', 'locale']).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute() : [];
    const link = services.config.baseUrl ? `\n\n${services.config.baseUrl}/t/${slug}/desk/tickets/${ticket.number}` : '';
    let sent = 0;
    for (const user of users) {
      // In the recipient's language, else the tenant's.
      const ut = isLocale(user.locale) ? services.catalog.translator(user.locale) : t;
      try {
        await services.mailer.send({
          tenantId, to: user.email, subject: `[#${ticket.number}] ${ut('sla.esc.mailSubject', { clock: ut(`sla.clock.${point.clock}`) })}`,
          text: `${escalationSummary(ut, zone, ticket, point.clock, input.dueAt)}${link}`, headers: { 'Auto-Submitted': 'auto-generated' },
        });
        sent++;
      } catch (error) {
        services.log.warn('sla: escalation mail failed', { tenantId, ticketId: ticket.id, error: String(error) });
      }
    }
    outcome.push(`mailed ${sent}`);
  }
  const service = input.raiseTo !== null || point.forward_group_id ? await tenantTicketService(services, tenantId) : null;
  if (service && input.raiseTo !== null) {
    try {
      const now = await service.get(ticket.number);
      if (now.priority < input.raiseTo && !FINAL_STATUSES.has(now.status)) {
        await service.update(ticket.number, { priority: input.raiseTo }, actor);
        outcome.push(`priority ${input.raiseTo}`);
      }
    } catch (error) {
      outcome.push(`priority failed: ${String(error)}`.slice(0, 200));
    }
  }
  if (service && point.forward_group_id) {
    try {
      const now = await service.get(ticket.number);
      if (now.group_id !== point.forward_group_id && !FINAL_STATUSES.has(now.status)) {
        await service.forward(ticket.number, { groupId: point.forward_group_id, note: t('sla.esc.forwardNote', { clock: t(`sla.clock.${point.clock}`) }) }, actor);
        outcome.push(`forwarded ${point.forward_group_id}`);
      }
    } catch (error) {
      outcome.push(`forward failed: ${String(error)}`.slice(0, 200));
    }
  }
  return outcome.join(', ') || 'notified';
}
