import { createHash } from 'node:crypto';
import { isLocale, type Services } from '../../core/plugin-api.js';
import { HELPDESK_MAIL_ORIGIN } from '../helpdesk/extension-points.js';
import { readSettings, type SurveySettings } from './settings.js';
import { surveyScope } from './survey-db.js';

const DAY = 86_400_000;
/** Addresses that never read mail (RFC 3834 robots, bounces, no-reply senders): never asked. */
const SYSTEM_SENDER = /^(mailer-daemon|postmaster|no[-_.]?reply|do[-_.]?not[-_.]?reply|bounces?|auto[-_.]?reply|autoresponder)([+-].*)?@/i;

export type SkipReason = 'no-ticket' | 'deleted' | 'no-customer' | 'inactive' | 'auto-sender' | 'no-channel' | 'sample' | 'window' | 'exists';

/** Whether a ticket is in the sample: decided from the tenant and ticket id alone, so the same ticket always gets the same answer. */
export function inSample(tenantId: number, ticketId: number, rate: number): boolean {
  if (rate >= 100) return true;
  const bucket = createHash('sha256').update(`survey:${tenantId}:${ticketId}`).digest().readUInt32BE(0) % 100;
  return bucket < rate;
}

/** Whether an address is a robot's (no-reply, bounces, mailer-daemon). */
export const isAutoSender = (email: string) => SYSTEM_SENDER.test(email.trim());

/**
 * After a ticket closed: records its survey as pending (due after the delay), or says why not. Never for a
 * deleted ticket, one without a customer person, a robot's address or a ticket a robot's mail opened (the helpdesk's
 * mail origin, while the tenant has the helpdesk on), outside the sample, for a person asked
 * within the do-not-ask window, or a ticket that has one already (reopened and closed again).
 */
export async function recordSurvey(services: Pick<Services, 'db' | 'clock' | 'tenants' | 'hooks'>, tenantId: number, ticketId: number, settingsIn?: SurveySettings): Promise<{ recorded: true; surveyId: number } | { recorded: false; reason: SkipReason }> {
  const scope = surveyScope(services.db, tenantId);
  const settings = settingsIn ?? (await readSettings(scope));
  const ticket = await scope.selectFrom('tickets').select(['id', 'requester_id', 'assignee_id', 'group_id', 'deleted_at']).where('id', '=', ticketId).executeTakeFirst();
  if (!ticket) return { recorded: false, reason: 'no-ticket' };
  if (ticket.deleted_at) return { recorded: false, reason: 'deleted' };
  if (!ticket.requester_id) return { recorded: false, reason: 'no-customer' };
  const person = await scope.selectFrom('people').select(['id', 'email', 'locale', 'active']).where('id', '=', ticket.requester_id).executeTakeFirst();
  if (!person) return { recorded: false, reason: 'no-customer' };
  if (!person.active) return { recorded: false, reason: 'inactive' };
  if (person.email && isAutoSender(person.email)) return { recorded: false, reason: 'auto-sender' };
  // The helpdesk (while on) knows more than the address: the headers of the mail that opened the ticket.
  for (const origin of await services.hooks.extensions(HELPDESK_MAIL_ORIGIN, tenantId)) {
    if (await origin.automaticReason({ tenantId, ticketId: ticket.id, scope })) return { recorded: false, reason: 'auto-sender' };
  }
  if (!(settings.mail && person.email) && !settings.portal) return { recorded: false, reason: 'no-channel' };
  if (await scope.selectFrom('survey_surveys').select('id').where('ticket_id', '=', ticket.id).executeTakeFirst()) return { recorded: false, reason: 'exists' };
  if (!inSample(tenantId, ticket.id, settings.sampleRate)) return { recorded: false, reason: 'sample' };
  const now = services.clock();
  if (settings.windowDays > 0) {
    const since = new Date(now.getTime() - settings.windowDays * DAY).toISOString();
    const recent = await scope.selectFrom('survey_surveys').select('id').where('person_id', '=', person.id).where('created_at', '>', since).executeTakeFirst();
    if (recent) return { recorded: false, reason: 'window' };
  }
  const tenant = await services.tenants.byId(tenantId);
  const locale = isLocale(person.locale) ? person.locale : isLocale(tenant?.locale) ? tenant.locale : 'en';
  const inserted = await scope.insertInto('survey_surveys', {
    ticket_id: ticket.id, person_id: person.id, agent_id: ticket.assignee_id, group_id: ticket.group_id, state: 'pending', locale,
    due_at: new Date(now.getTime() + settings.delayMinutes * 60_000).toISOString(), token_id: null, sent_at: null, expires_at: null,
    answered_at: null, grade: null, scale_value: null, comment: null, created_at: now.toISOString(),
  }).onConflict((oc) => oc.columns(['tenant_id', 'ticket_id']).doNothing()).returning('id').executeTakeFirst();
  return inserted ? { recorded: true, surveyId: inserted.id } : { recorded: false, reason: 'exists' };
}
