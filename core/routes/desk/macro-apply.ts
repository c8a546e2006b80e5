import type { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { requirePermission, requireTenant, requireUser, scope, staff, tenantOf } from '../../http/guards.js';
import { renderMacro } from '../../tickets/macro-template.js';
import { ticketPlaceholders } from '../../tickets/placeholder-values.js';
import { allowedTransitions } from '../../tickets/ticket-lifecycle.js';
import { visibleMacro } from './macro-access.js';
import { findTicket, TICKET_PATH } from './ticket-page-data.js';
import { lastValues, respondWithTicket } from './ticket-page.js';
import { versionOf } from './ticket-version-parts.js';

/**
 * Choosing a macro fills the reply form for review and changes nothing: its rendered text (after what the agent
 * had typed), reply or note, and what it sets (status, priority, group) as ticked boxes the agent may untick.
 * Only Send saves and mails (ticket-actions.ts' articles route, in one transaction). Automatic macro actions
 * without review are not offered; that would be a later feature of its own.
 */
export function macroApplyRoutes(app: Hono<AppEnv>): void {
  app.post(`${TICKET_PATH}/macros/:macroId`, requireTenant, requireUser, requirePermission('tickets.edit'), async (c) => {
    const ticket = await findTicket(c, c.req.param('number'));
    const macro = await visibleMacro(c, c.req.param('macroId'));
    const typed = lastValues(await c.req.parseBody({ all: true }));
    const user = staff(c);
    const { values: placeholders } = await ticketPlaceholders(scope(c), tenantOf(c), ticket, { id: user.id, name: user.name }, c.var.t);
    const text = renderMacro(macro.body, placeholders).trim();
    const before = (typed.body ?? '').trimEnd();
    const kind = ticket.status === 'closed' ? 'note' : macro.article_kind;
    const values: Record<string, string> = {
      kind, body: [before, text].filter(Boolean).join('\n\n'), macro_name: macro.name,
      ...(typed.time_spent ? { time_spent: typed.time_spent } : {}),
    };
    // A status the form's "status after sending" offers goes there; any other (e.g. closed) becomes a box of its own.
    const status = macro.set_status && macro.set_status !== ticket.status ? macro.set_status : undefined;
    if ((status === 'waiting' || status === 'solved') && allowedTransitions(ticket.status).includes(status)) values.statusAfter = status;
    else if (status) values.macro_status = status;
    if (macro.set_priority && macro.set_priority !== ticket.priority) values.macro_priority = String(macro.set_priority);
    if (macro.set_group_id && macro.set_group_id !== ticket.group_id) values.macro_group_id = String(macro.set_group_id);
    // The form keeps the version it was loaded at: filling saves nothing, so a colleague's change since then is
    // still news when the agent sends (a fresh version here would let Send overwrite it silently).
    return respondWithTicket(c, ticket.number, 'composer', { state: { composer: { values, baseVersion: versionOf(typed) } } });
  });
}
