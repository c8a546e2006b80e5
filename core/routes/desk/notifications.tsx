import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { flash } from '../../http/flash.js';
import { href, isHtmx, redirectTo, requireTenant, requireUser, scope, staff, tenantOf } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { formatDateTime } from '../../i18n/format.js';
import { Page } from '../../../views/components/page.js';
import { Pagination, pageParam } from '../../../views/components/pagination.js';
import { stickyToastsFragment } from './sticky-toasts.js';
import { notificationText } from '../../notifications/notification-text.js';

const PAGE_SIZE = 25;

/** The signed-in user's notifications (a user sees only their own). */
function own(c: Context<AppEnv>) {
  return scope(c).selectFrom('notifications').where('notifications.user_id', '=', staff(c).id);
}

export async function unreadCount(c: Context<AppEnv>): Promise<number> {
  const row = await own(c).where('read_at', 'is', null).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The bell's badge: swapped into the Shell's bell on load and on every 'notification' event. */
function BellCount(props: { count: number; label: string }) {
  return props.count > 0
    ? <span class="bell-count" title={props.label}>{props.count > 99 ? '99+' : String(props.count)}<span class="visually-hidden"> {props.label}</span></span>
    : <span class="visually-hidden">{props.label}</span>;
}

async function notificationsPage(c: Context<AppEnv>) {
  const t = c.var.t;
  const page = pageParam(c.req.query('page'));
  const query = own(c).leftJoin('tickets', 'tickets.id', 'notifications.ticket_id');
  const [rows, total, unread] = await Promise.all([
    query.select(['notifications.id', 'notifications.kind', 'notifications.summary', 'notifications.message', 'notifications.actor_label', 'notifications.read_at', 'notifications.created_at', 'tickets.number'])
      .orderBy('notifications.id', 'desc').limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).execute(),
    own(c).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    unreadCount(c),
  ]);
  // Each line in the reader's current language (rows from before migration 0026 keep the line they were written with).
  const known = (key: string) => c.var.services.catalog.has(key);
  return render(c, {
    title: t('notify.title'),
    page: (
      <Page title={t('notify.title')} crumbs={[{ label: t('nav.dashboard'), href: href(c, '/desk') }, { label: t('notify.title') }]}
        actions={unread > 0 ? (
          <form method="post" action={href(c, '/desk/notifications/read-all')}>
            <button type="submit" class="button">{t('notify.readAll')}</button>
          </form>
        ) : undefined}>
        <section class="card">
          {rows.length === 0 ? <p class="muted">{t('notify.none')}</p> : (
            <ul class="notification-list" id="notifications">
              {rows.map((n) => (
                <li class={n.read_at ? 'notification' : 'notification notification-unread'}>
                  <div class="notification-text">
                    {n.number ? <a href={href(c, `/desk/tickets/${encodeURIComponent(n.number)}`)}>{notificationText(n, t, known)}</a> : <span>{notificationText(n, t, known)}</span>}
                    <small class="muted">{c.var.services.notificationKinds.label(n.kind, c.var.locale) ?? n.kind} · {n.actor_label} · {formatDateTime(n.created_at, c.var.dates)}</small>
                  </div>
                  {n.read_at ? <span class="badge">{t('notify.read')}</span> : (
                    <form method="post" action={href(c, `/desk/notifications/${n.id}/read`)}>
                      <button type="submit" class="button-small">{t('notify.markRead')}</button>
                    </form>
                  )}
                </li>
              ))}
            </ul>
          )}
          <Pagination page={page} pageSize={PAGE_SIZE} total={Number(total.n)} t={t} link={(p) => href(c, `/desk/notifications?page=${p}`)} />
        </section>
      </Page>
    ),
  });
}

export function notificationRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser] as const;

  app.get('/desk/notifications/count', ...guard, async (c) => {
    const count = await unreadCount(c);
    c.header('Cache-Control', 'no-store');
    return c.html(<BellCount count={count} label={c.var.t('notify.unread', { count })} />);
  });

  app.get('/desk/notifications', ...guard, (c) => notificationsPage(c));

  app.post('/desk/notifications/read-all', ...guard, async (c) => {
    const now = c.var.services.clock().toISOString();
    await scope(c).updateTable('notifications').set({ read_at: now }).where('user_id', '=', staff(c).id).where('read_at', 'is', null).execute();
    c.var.services.events.publish({ tenantId: tenantOf(c).id, type: 'notification', data: { userId: staff(c).id } });
    flash(c, 'success', c.var.t('notify.allRead'));
    return redirectTo(c, href(c, '/desk/notifications'));
  });

  app.post('/desk/notifications/:id/read', ...guard, async (c) => {
    const id = Number(c.req.param('id'));
    const result = Number.isInteger(id)
      ? await scope(c).updateTable('notifications').set({ read_at: c.var.services.clock().toISOString() })
        .where('id', '=', id).where('user_id', '=', staff(c).id).where('read_at', 'is', null).executeTakeFirst()
      : undefined;
    if (!result || Number(result.numUpdatedRows) === 0) {
      // Already read is fine; someone else's (or another tenant's) notification does not exist.
      const exists = Number.isInteger(id) ? await own(c).select('notifications.id').where('notifications.id', '=', id).executeTakeFirst() : undefined;
      if (!exists) throw new HttpError(404, c.var.t('error.notFound'));
    }
    c.var.services.events.publish({ tenantId: tenantOf(c).id, type: 'notification', data: { userId: staff(c).id } });
    // A sticky toast's dismiss button (htmx): the toasts that are left.
    if (isHtmx(c)) return stickyToastsFragment(c);
    return redirectTo(c, href(c, '/desk/notifications'));
  });
}
