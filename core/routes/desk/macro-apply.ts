import type { Context, Hono } from 'hono';
import type { TicketStatus } from '../../db/schema.js';
import type { AppEnv } from '../../http/app-env.js';
import { flash } from '../../http/flash.js';
import { href, isHtmx, redirectTo, requirePermission, requireTenant, requireUser, scope, staff, tenantOf } from '../../http/guards.js';
import { toHttpError } from '../../http/http-error.js';
import { renderMacro, type MacroValues } from '../../tickets/macro-template.js';
import { ticketActor, ticketService } from '../../tickets/ticket-context.js';
import type { TicketService } from '../../tickets/ticket-service.js';
import { priorityName } from '../../tickets/ticket-settings.js';
import { visibleMacro } from './macro-access.js';

type TicketRow = NonNullable<Awaited<ReturnType<TicketService['find']>>>;

/** What the placeholders of a macro stand for on this ticket. */
async function placeholderValues(c: Context<AppEnv>, service: TicketService, ticket: TicketRow): Promise<MacroValues> {
  const t = c.var.t;
  const tenantScope = scope(c);
  const [requester, organisation] = await Promise.all([
    ticket.requester_id ? tenantScope.selectFrom('people').select(['name', 'email']).where('id', '=', ticket.requester_id).executeTakeFirst() : undefined,
    ticket.organisation_id ? tenantScope.selectFrom('organisations').select('name').where('id', '=', ticket.organisation_id).executeTakeFirst() : undefined,
  ]);
  return {
    'ticket.number': ticket.number,
    'ticket.subject': ticket.subject,
    'ticket.status': t(`status.${ticket.status}`),
    'ticket.priority': priorityName(service.settings, ticket.priority, t),
    'requester.name': requester?.name,
    'requester.email': requester?.email,
    'organisation.name': organisation?.name,
    'agent.name': staff(c).name,
    'tenant.name': tenantOf(c).name,
  };
}

export function macroApplyRoutes(app: Hono<AppEnv>): void {
  app.post('/desk/tickets/:number/macros/:macroId', requireTenant, requireUser, requirePermission('tickets.edit'), async (c) => {
    const t = c.var.t;
    const service = ticketService(c);
    const ticket = await service.get(c.req.param('number'));
    const macro = await visibleMacro(c, c.req.param('macroId'));
    const ticketHref = href(c, `/desk/tickets/${encodeURIComponent(ticket.number)}`);
    const actor = ticketActor(c);
    const status = (macro.set_status as TicketStatus | null) ?? null;
    try {
      const body = renderMacro(macro.body, await placeholderValues(c, service, ticket)).trim();
      const statusAfter = status && status !== ticket.status ? status : undefined;
      // One transaction: priority, group, the article and its status change all hold, or nothing changes.
      await service.apply(ticket.number, {
        fields: macro.set_priority && macro.set_priority !== ticket.priority ? { priority: macro.set_priority } : undefined,
        forward: macro.set_group_id && macro.set_group_id !== ticket.group_id ? { groupId: macro.set_group_id } : undefined,
        article: body ? { kind: macro.article_kind, body, statusAfter } : undefined,
        status: body ? undefined : statusAfter,
      }, actor);
    } catch (error) {
      // htmx shows the refusal as a toast (the app's error handler); a plain form gets it after the redirect.
      const refusal = toHttpError(error);
      if (!refusal || isHtmx(c) || ![403, 409, 422].includes(refusal.status)) throw error;
      flash(c, 'error', refusal.message);
      return redirectTo(c, ticketHref);
    }
    flash(c, 'success', t('macro.applied', { name: macro.name }));
    return redirectTo(c, ticketHref);
  });
}
