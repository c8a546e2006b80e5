import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { href, requirePermission, scope, type AppEnv } from '../../core/plugin-api.js';
import { MANAGE, type Ctx } from './admin-page.js';
import { recomputeProgress } from './recompute-queue.js';
import type { SlaDB } from './sla-db.js';

/**
 * The recompute job's progress on the calendar and level pages: "1,200 of 100,000 tickets" with a progress bar,
 * refreshed every 2 s while tickets wait (the job takes them every minute, ~20 s a run); then "all clocks current".
 */
export async function RecomputeProgress(props: { c: Ctx }): Promise<Child> {
  const { c } = props;
  const t = c.var.t;
  const progress = await recomputeProgress(scope<SlaDB>(c));
  if (!progress) return <div id="sla-progress" class="sla-progress" data-state="idle"><p class="muted">{t('sla.progress.idle')}</p></div>;
  const percent = progress.total ? Math.floor((progress.done / progress.total) * 100) : 0;
  return (
    <div id="sla-progress" class="card sla-progress" data-state="running" data-done={progress.done} data-total={progress.total}
      hx-get={href(c, '/p/sla/recompute-progress')} hx-trigger="every 2s" hx-swap="outerHTML" role="status">
      <p id="sla-pending">{t('sla.progress', { done: progress.done.toLocaleString(c.var.locale), total: progress.total.toLocaleString(c.var.locale), percent })}</p>
      <progress max={progress.total} value={progress.done}>{`${percent} %`}</progress>
    </div>
  );
}

/** GET /p/sla/recompute-progress (admins): the fragment above, for its own polling. */
export function recomputeProgressRoutes(app: Hono<AppEnv>): void {
  app.get('/recompute-progress', requirePermission(MANAGE), async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.html(<>{await RecomputeProgress({ c })}</>);
  });
}
