import type { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { requirePermission, requireTenant, requireUser, scope, staff, href } from '../http/guards.js';
import { render } from '../http/render.js';
import { Page } from '../../views/components/page.js';
import { slotContext } from '../plugin-host/slot-context.js';
import { DASHBOARD_SIDE, DASHBOARD_TILES } from '../plugin-host/slots.js';
import { dashboardFigures } from '../tickets/dashboard-queries.js';
import { QUEUE_STATUS } from '../tickets/ticket-counts.js';
import { CORE_VIEWS } from '../tickets/ticket-views.js';
import type { TicketStatus } from '../db/schema.js';
import { TodoPanel, todoPanelData } from './desk/todos.js';

const QUEUE_TILES = ['new', 'customer', 'support'] as const;
/** Closed tickets are the archive: the Statistics page shows them. */
const HOTLINE_TILES: readonly Exclude<TicketStatus, 'closed'>[] = ['new', 'open', 'waiting', 'solved'];

/** The agent's start page: their queues' counts (as the tabs), the whole hotline's by status, their own open load and their groups. */
export function dashboardRoutes(app: Hono<AppEnv>): void {
  app.get('/desk', requireTenant, requireUser, requirePermission('desk.use'), async (c) => {
    const t = c.var.t;
    const user = staff(c);
    const [{ queues, hotline, mine, groups }, side, tiles, todos] = await Promise.all([
      dashboardFigures(scope(c), user.id),
      // Panels of the tenant's plugins (e.g. a notes summary) beside the core's.
      c.var.services.hooks.slot(DASHBOARD_SIDE, slotContext(c, {})),
      // Plugins' figures (DashboardTile), after the status counts.
      c.var.services.hooks.slot(DASHBOARD_TILES, slotContext(c, {})),
      // The user's next open to-dos (desk/todos.tsx).
      todoPanelData(c),
    ]);
    return render(c, {
      title: t('dashboard.title'),
      page: (
        <Page title={t('dashboard.welcome', { name: user.name })}>
          <section class="card" aria-labelledby="queue-counts-title">
            <h2 id="queue-counts-title">{t('dashboard.queues')}</h2>
            <p class="muted">{t('dashboard.queuesNote')}</p>
            <ul class="stat-grid" id="queue-counts">
              {QUEUE_TILES.map((queue) => (
                <li class={`stat stat-${QUEUE_STATUS[queue]}`}>
                  {/* The same count as the tab it leads to (ticket-counts.ts). */}
                  <a class="stat-link" href={href(c, `/desk/tickets?queue=${queue}`)} data-count={queue}>
                    <span class="stat-value">{queues[queue]}</span><span class="stat-label">{t(`list.tab.${queue}`)}</span>
                  </a>
                </li>
              ))}
            </ul>
          </section>
          <section class="card" aria-labelledby="status-counts-title">
            <h2 id="status-counts-title">{t('dashboard.byStatus')}</h2>
            <p class="muted">{t('dashboard.byStatusNote')}{c.var.can('statistics.view') ? <> <a href={href(c, '/desk/statistics')} id="dashboard-statistics">{t('nav.statistics')}</a></> : null}</p>
            <ul class="stat-grid" id="status-counts">
              {HOTLINE_TILES.map((status) => (
                <li class={`stat stat-${status}`}>
                  {/* Tenant-wide, so each leads to ticket management filtered by its status (whose total is the same number). */}
                  <a class="stat-link" href={href(c, `/desk/tickets?queue=all&status=${status}`)} data-status-count={status}>
                    <span class="stat-value">{hotline[status]}</span><span class="stat-label">{t(`status.${status}`)}</span>
                  </a>
                </li>
              ))}
            </ul>
          </section>
          {tiles.length > 0 ? (
            <section class="card" id="dashboard-tiles" aria-labelledby="dashboard-tiles-title">
              <h2 id="dashboard-tiles-title">{t('dashboard.tiles')}</h2>
              <ul class="stat-grid">{tiles.map((tile) => <li class="stat-slot">{tile}</li>)}</ul>
            </section>
          ) : null}
          <div class="grid-2">
            <section class="card">
              <h2>{t('dashboard.mine')}</h2>
              {/* The "My tickets" view's count (ticket-views.ts): the list it leads to shows as many in total. */}
              <p class="stat-value"><a href={href(c, `/desk/tickets?queue=all&${new URLSearchParams(CORE_VIEWS.mine).toString()}`)} id="my-open">{mine}</a></p>
            </section>
            <section class="card">
              <h2>{t('dashboard.myGroups')}</h2>
              {groups.length === 0 ? <p class="muted">{t('dashboard.noGroups')}</p> : (
                <ul class="plain-list">{groups.map((g) => <li>{g.name} <span class="badge">{t(`level.${g.level}`)}</span></li>)}</ul>
              )}
            </section>
          </div>
          <TodoPanel c={c} open={todos} />
          {side.length > 0 ? <aside id="dashboard-side">{side.map((panel) => <section class="card">{panel}</section>)}</aside> : null}
        </Page>
      ),
    });
  });

  app.get('/', (c) => {
    // A tenant's own address is its customers' front door while it runs the portal; staff sign in at /login.
    if (c.var.tenant && !c.var.user && c.var.enabledPlugins.has('portal')) return c.redirect(href(c, '/portal'), 303);
    if (c.var.tenant) return c.redirect(href(c, c.var.user ? '/desk' : '/login'), 303);
    return c.redirect(c.var.user ? '/platform' : '/login', 303);
  });
}
