import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { href, redirectTo, requireTenant, requireUser, scope, staff, tenantOf } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { stickyNotificationKinds } from '../../notifications/notification-kinds.js';
import { notificationText } from '../../notifications/notification-text.js';

/** At most this many sticky toasts show at once; the rest wait in the bell list. */
const SHOWN = 3;

/** The signed-in user's unread notifications of sticky kinds, newest first, and how many there are. */
async function unreadSticky(c: Context<AppEnv>) {
  const kinds = [...stickyNotificationKinds(c.var.services.registry)];
  const own = scope(c).selectFrom('notifications').where('notifications.user_id', '=', staff(c).id).where('notifications.read_at', 'is', null).where('notifications.kind', 'in', kinds);
  const [rows, total] = await Promise.all([
    own.leftJoin('tickets', 'tickets.id', 'notifications.ticket_id').select(['notifications.id', 'notifications.summary', 'notifications.message', 'notifications.kind', 'tickets.number'])
      .orderBy('notifications.id', 'desc').limit(SHOWN).execute(),
    own.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/**
 * The sticky toasts (the Shell's #sticky-toasts loads them on every page and again on each live 'notification'
 * event, so they reach every open page of the user on any instance). A toast stays until its link is followed or
 * it is dismissed; both mark the notification read. Without JavaScript the bell list shows the same notifications.
 */
async function StickyToastList(c: Context<AppEnv>) {
  const t = c.var.t;
  const { rows, total } = await unreadSticky(c);
  const catalog = c.var.services.catalog;
  const known = (key: string) => catalog.has(key);
  return (
    <>
      {rows.map((n) => (
        <div class="toast toast-info toast-sticky" id={`sticky-toast-${n.id}`} data-kind={n.kind}>
          <form method="post" action={href(c, `/desk/notifications/${n.id}/open`)} class="toast-open">
            <button type="submit" class="link-button toast-link">{notificationText(n, t, known)}</button>
          </form>
          <form method="post" action={href(c, `/desk/notifications/${n.id}/read`)} hx-post={href(c, `/desk/notifications/${n.id}/read`)} hx-target="#sticky-toasts" hx-swap="innerHTML">
            <button type="submit" class="toast-close" aria-label={t('notify.dismiss')} title={t('notify.dismiss')}>×</button>
          </form>
        </div>
      ))}
      {total > rows.length ? <a class="toast toast-info toast-sticky toast-more" href={href(c, '/desk/notifications')}>{t('notify.more', { count: total - rows.length })}</a> : null}
    </>
  );
}

export async function stickyToastsFragment(c: Context<AppEnv>) {
  c.header('Cache-Control', 'no-store');
  return c.html(await StickyToastList(c));
}

export function stickyToastRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser] as const;
  app.get('/desk/notifications/toasts', ...guard, stickyToastsFragment);

  // Following a toast's link: read, then the ticket (or the list for a notification without one).
  app.post('/desk/notifications/:id/open', ...guard, async (c) => {
    const id = Number(c.req.param('id'));
    const row = Number.isInteger(id)
      ? await scope(c).selectFrom('notifications').leftJoin('tickets', 'tickets.id', 'notifications.ticket_id').select(['notifications.id', 'notifications.kind', 'tickets.number'])
        .where('notifications.id', '=', id).where('notifications.user_id', '=', staff(c).id).executeTakeFirst()
      : undefined;
    if (!row) throw new HttpError(404, c.var.t('error.notFound'));
    await scope(c).updateTable('notifications').set({ read_at: c.var.services.clock().toISOString() }).where('id', '=', id).where('read_at', 'is', null).execute();
    c.var.services.events.publish({ tenantId: tenantOf(c).id, type: 'notification', data: { userId: staff(c).id } });
    return redirectTo(c, href(c, row.number ? `/desk/tickets/${encodeURIComponent(row.number)}` : row.kind === 'todo_due' ? '/desk/todos' : '/desk/notifications'));
  });
}
