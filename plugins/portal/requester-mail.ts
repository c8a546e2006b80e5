import { tenantScope, ticketSettings, type EventContext, type TicketArticlePayload, type TicketChangePayload, type TicketStatus } from '../../core/plugin-api.js';
import { signRequestLink, tenantUrl } from './portal-links.js';
import { portalSettings } from './settings.js';

/** The mail channel answers mail tickets itself while the helpdesk plugin is on (its own threading). */
const MAIL_CHANNEL_PLUGIN = 'helpdesk';

type Reason = { kind: 'reply'; articleId: number } | { kind: 'status'; status: TicketStatus } | { kind: 'created' };

/** The status mail the `essential` setting keeps: the solution. */
const ESSENTIAL_STATUSES: ReadonlySet<TicketStatus> = new Set(['solved']);

/**
 * Tells a ticket's requester that staff recorded their request (phone, API), about an agent's public answer or a
 * status change (by default only the solution: the tenant's `requesterMails`), with a short link straight to the
 * request. Runs after commit (api.on), so a slow mail server delays nobody
 * and a failure here cannot undo the change.
 */
export async function mailRequester(payload: TicketChangePayload | TicketArticlePayload, ctx: EventContext, reason: Reason): Promise<void> {
  const services = ctx.services;
  const { db, tenants, mailer, catalog } = services;
  const tenantId = payload.tenantId;
  const ticketId = Number(payload.ticketId);
  if (!Number.isSafeInteger(ticketId)) return;
  const tenant = await tenants.byId(tenantId);
  if (!tenant) return;
  const settings = await portalSettings(services, tenantId);
  if (!settings.notifyRequester || !ticketSettings(tenant).notifyRequester) return;
  if (reason.kind === 'status' && settings.requesterMails === 'essential' && !ESSENTIAL_STATUSES.has(reason.status)) return;
  const scope = tenantScope(db, tenantId);
  const ticket = await scope.selectFrom('tickets').select(['id', 'number', 'subject', 'status', 'channel', 'requester_id', 'deleted_at'])
    .where('id', '=', ticketId).executeTakeFirst();
  if (!ticket || ticket.deleted_at || !ticket.requester_id) return;
  if (ticket.channel === 'mail' && (await tenants.enabledPlugins(tenantId)).has(MAIL_CHANNEL_PLUGIN)) return;
  const requester = await scope.selectFrom('people').select(['id', 'name', 'email', 'locale', 'active']).where('id', '=', ticket.requester_id).executeTakeFirst();
  if (!requester?.email || !requester.active) return;

  let body: string;
  const locale = requester.locale === 'de' || requester.locale === 'en' ? requester.locale : tenant.locale === 'de' ? 'de' : 'en';
  const t = catalog.translator(locale);
  if (reason.kind === 'created') {
    body = t('portal.mail.createdText', { name: requester.name, number: ticket.number, subject: ticket.subject });
  } else if (reason.kind === 'reply') {
    const article = await scope.selectFrom('ticket_articles').select(['body_text', 'author_label', 'kind']).where('id', '=', reason.articleId).where('ticket_id', '=', ticket.id).executeTakeFirst();
    if (!article || article.kind !== 'reply') return;
    body = t('portal.mail.replyText', { name: requester.name, agent: article.author_label, number: ticket.number, subject: ticket.subject, body: article.body_text, status: t(`portal.status.${ticket.status}`) });
  } else {
    // The requester's own change (marked solved, reopened in the portal) needs no mail.
    const last = await scope.selectFrom('ticket_history').select(['actor_person_id']).where('ticket_id', '=', ticket.id).where('field', '=', 'status')
      .orderBy('id', 'desc').executeTakeFirst();
    if (last?.actor_person_id === requester.id) return;
    body = t('portal.mail.statusText', { name: requester.name, number: ticket.number, subject: ticket.subject, status: t(`portal.status.${reason.status}`) });
  }
  const token = await signRequestLink(services, { tenantId, personId: requester.id, number: ticket.number });
  const link = await tenantUrl(services, tenant, `/portal/go?n=${encodeURIComponent(ticket.number)}&token=${encodeURIComponent(token)}`);
  try {
    await mailer.send({
      tenantId, to: requester.email,
      subject: t(SUBJECTS[reason.kind], { number: ticket.number, subject: ticket.subject }),
      text: `${body}\n\n${t('portal.mail.link', { link })}\n`,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
  } catch (error) {
    services.log.warn('portal requester mail failed', { tenantId, ticket: ticket.number, error: String(error) });
  }
}

const SUBJECTS = { created: 'portal.mail.createdSubject', reply: 'portal.mail.replySubject', status: 'portal.mail.statusSubject' } as const;

/** The status a 'ticket.status_changed' event moved to, from its history changes. */
export function newStatus(payload: TicketChangePayload): TicketStatus | undefined {
  const change = [...payload.changes].reverse().find((c) => c.field === 'status');
  return typeof change?.new === 'string' ? (change.new as TicketStatus) : undefined;
}
