import { createHash } from 'node:crypto';
import { dateContext, defineEvent, formatDateTime, isLocale, tenantScope, type EventContext, type EventPayload } from '../../../core/plugin-api.js';
import { calendarText } from './service-order-calendar.js';
import { createServiceOrderStore, type CalendarChange } from './service-order-store.js';

/** The after-commit event a service order change raises when a technician's calendar must follow. */
export interface CalendarEventPayload extends EventPayload, CalendarChange {
  /** The ticket's address as the acting user reached it (a mail cannot ask the request). */
  ticketUrl: string;
}
export const CALENDAR_EVENT = defineEvent<CalendarEventPayload>('helpdesk.service_order.calendar');

/**
 * One UID per service order and installation: calendars match every later message to the first. The
 * installation part is a hash of the instance secret, so two Tresen servers never share a UID.
 */
function serviceOrderUid(secret: string, tenantId: number, orderId: number): string {
  const installation = createHash('sha256').update(`tresen-calendar-uid\0${secret}`).digest('hex').slice(0, 16);
  return `service-order-${tenantId}-${orderId}-${installation}@tresen`;
}

/**
 * Mails the technicians a service order change concerns, each in their language, with an
 * iCalendar REQUEST or CANCEL attached. Runs after commit (api.on); a failing mail is logged and
 * changes nothing.
 */
export async function mailTechnicians(change: CalendarEventPayload, ctx: EventContext): Promise<void> {
  const { services } = ctx;
  const tenant = await services.tenants.byId(change.tenantId);
  if (!tenant) return;
  const translate = services.catalog.translator(isLocale(tenant.locale) ? tenant.locale : 'en');
  const store = createServiceOrderStore({ db: services.db, clock: services.clock, t: translate, timeZone: tenant.time_zone }, tenant.id);
  const order = await store.get(change.orderId);
  if (!order) return;
  const scope = tenantScope(services.db, tenant.id);
  const ticket = await scope.selectFrom('tickets')
    .leftJoin('organisations as org', 'org.id', 'tickets.organisation_id')
    .leftJoin('people as requester', 'requester.id', 'tickets.requester_id')
    .select(['org.name as organisation', 'requester.name as requester_name', 'requester.email as requester_email'])
    .where('tickets.id', '=', order.ticket_id).executeTakeFirst();
  if (!ticket) return;
  const sends = [
    ...(change.cancel ? [{ userId: change.cancel.userId, method: 'CANCEL' as const, kind: 'cancelled' as const }] : []),
    ...(change.request ? [{ userId: change.request.userId, method: 'REQUEST' as const, kind: change.request.kind }] : []),
  ];
  const organizer = { name: tenant.mail_from_name ?? tenant.name, email: tenant.mail_from_address ?? services.config.smtpFrom };
  for (const send of sends) {
    const user = await scope.selectFrom('users').select(['name', 'email', 'locale', 'active'])
      .where('id', '=', send.userId).executeTakeFirst();
    if (!user?.active) continue;
    const locale = isLocale(user.locale) ? user.locale : isLocale(tenant.locale) ? tenant.locale : 'en';
    const t = services.catalog.translator(locale);
    const dates = dateContext(services.dateFormats, locale, tenant.time_zone);
    const type = t(`helpdesk.so.type.${order.type}`);
    const start = formatDateTime(order.planned_at, dates);
    const lines = [
      t(`helpdesk.so.mail.intro.${send.kind}`, { name: user.name }),
      '',
      t('helpdesk.so.mail.ticket', { number: order.ticket_number, subject: order.ticket_subject }),
      t('helpdesk.so.mail.type', { type }),
      order.planned_end
        ? t('helpdesk.so.mail.when', { start, end: formatDateTime(order.planned_end, dates), zone: dates.timeZone })
        : t('helpdesk.so.mail.whenOpen', { start, zone: dates.timeZone }),
      ...(ticket.organisation ? [t('helpdesk.so.mail.organisation', { name: ticket.organisation })] : []),
      ...(ticket.requester_name ? [t('helpdesk.so.mail.requester', { name: ticket.requester_name, email: ticket.requester_email ?? '' })] : []),
      '',
      t('helpdesk.so.mail.link', { link: change.ticketUrl }),
      t('helpdesk.so.mail.calendar'),
    ];
    const ics = calendarText({
      method: send.method,
      uid: serviceOrderUid(services.config.secret, tenant.id, order.id),
      sequence: change.sequence,
      start: order.planned_at,
      end: order.planned_end,
      stamp: services.clock().toISOString(),
      summary: t('helpdesk.so.mail.summary', { id: order.id, type, number: order.ticket_number }),
      description: lines.slice(2).join('\n'),
      url: change.ticketUrl,
      organizer,
      attendee: { name: user.name, email: user.email },
    });
    try {
      await services.mailer.send({
        tenantId: tenant.id, to: user.email,
        subject: t(`helpdesk.so.mail.subject.${send.kind}`, { number: order.ticket_number, id: order.id, type, when: start }),
        text: `${lines.join('\n')}\n`,
        headers: { 'Auto-Submitted': 'auto-generated' },
        attachments: [{ filename: `service-order-${order.id}.ics`, content: Buffer.from(ics, 'utf8'), contentType: `text/calendar; charset=utf-8; method=${send.method}` }],
      });
    } catch (error) {
      services.log.warn('service order technician mail failed', { tenantId: tenant.id, order: order.id, error: String(error) });
    }
  }
}
