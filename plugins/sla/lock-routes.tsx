import type { Hono } from 'hono';
import { HttpError, flash, href, isHtmx, redirectTo, requirePermission, scope, staff, tenantOf, toast, type AppEnv } from '../../core/plugin-api.js';
import type { Ctx } from './admin-page.js';
import { lockStore, type LockUser } from './lock-store.js';
import { EDIT, LockPanel } from './lock-views.js';

const TICKET = '/tickets/:number{[0-9]{4}-[0-9]{6,}}/lock';

/** The tenant's open ticket by number; another tenant's or a missing one is 404. */
async function ticketOf(c: Ctx) {
  const ticket = await scope(c).selectFrom('tickets').select(['id', 'number', 'status']).where('number', '=', c.req.param('number')!)
    .where('deleted_at', 'is', null).executeTakeFirst();
  if (!ticket) throw new HttpError(404, c.var.t('ticket.notFound'));
  return ticket;
}

const userOf = (c: Ctx): LockUser => {
  const user = staff(c);
  return { id: user.id, label: user.name || user.email };
};
const store = (c: Ctx) => lockStore(c.var.services, tenantOf(c).id);
const lockUrl = (c: Ctx, number: string) => href(c, `/p/sla/tickets/${number}/lock`);

/** The panel for htmx; without JavaScript back to the ticket page (with a flash when something happened). */
async function answer(c: Ctx, number: string, ticketId: number, message?: string, passive = false, initial = false, expired?: boolean) {
  if (!isHtmx(c)) {
    if (message) flash(c, 'success', message);
    return redirectTo(c, href(c, `/desk/tickets/${number}`));
  }
  if (message) toast(c, 'success', message);
  const lock = await store(c).current(ticketId);
  const idle = expired ?? (!lock && !passive && await store(c).expiredFor(ticketId, staff(c).id));
  return c.html(<LockPanel t={c.var.t} dates={c.var.dates} url={lockUrl(c, number)} lock={lock} viewerId={staff(c).id} passive={passive} initial={initial} expired={idle} />);
}

/** Edit locks under /p/sla/tickets/<number>/lock: take or renew (the page's poll), take over (confirmed), let go. */
export function lockRoutes(app: Hono<AppEnv>): void {
  app.post(TICKET, requirePermission(EDIT), async (c) => {
    const ticket = await ticketOf(c);
    // A page whose viewer stopped editing only follows the lock (`passive=1`) until they start again; `look=1` only
    // looks (the minute's poll, a lock change elsewhere); `renew=1` is the user's activity (it does not take back an
    // own lock that ran out while idle); without either, the page takes the lock (shown, "Edit again").
    const passive = c.req.query('passive') === '1';
    const look = c.req.query('look') === '1';
    if (ticket.status !== 'closed' && !passive && !look) await store(c).hold(ticket.id, userOf(c), { renew: c.req.query('renew') === '1' });
    return answer(c, ticket.number, ticket.id, undefined, passive);
  });
  app.post(`${TICKET}/take-over`, requirePermission(EDIT), async (c) => {
    const ticket = await ticketOf(c);
    if (ticket.status === 'closed') return answer(c, ticket.number, ticket.id);
    const { former } = await store(c).takeOver(ticket.id, ticket.number, userOf(c));
    return answer(c, ticket.number, ticket.id, former ? c.var.t('sla.lock.takenOver', { who: former.label }) : undefined);
  });
  app.post(`${TICKET}/release`, requirePermission(EDIT), async (c) => {
    const ticket = await ticketOf(c);
    await store(c).release(ticket.id, staff(c).id);
    return answer(c, ticket.number, ticket.id, c.var.t('sla.lock.released'), true, true);
  });
}
