import type { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { href, requirePermission, requireTenant, requireUser } from '../../http/guards.js';
import { render } from '../../http/render.js';
import { labelText } from '../../i18n/label.js';
import { slotContext } from '../../plugin-host/slot-context.js';
import { Page } from '../../../views/components/page.js';

/**
 * The staff Statistics page: the core's panels, then those of the tenant's switched-on plugins
 * (`api.statisticsPanel`), each shown only to viewers with its permission.
 */
export function statisticsRoutes(app: Hono<AppEnv>): void {
  app.get('/desk/statistics', requireTenant, requireUser, requirePermission('statistics.view'), async (c) => {
    const t = c.var.t;
    const panels = c.var.services.statisticsPanels.visible(c.var.enabledPlugins, c.var.can);
    const ctx = slotContext(c, {});
    const bodies = await Promise.all(panels.map((entry) => entry.panel.render(ctx)));
    return render(c, {
      title: t('statistics.title'),
      page: (
        <Page title={t('statistics.title')} crumbs={[{ label: t('nav.dashboard'), href: href(c, '/desk') }, { label: t('statistics.title') }]}>
          <div class="statistics-panels">
            {panels.map((entry, index) => (
              <section class="card statistics-panel" id={entry.domId} aria-labelledby={`${entry.domId}-title`}>
                <h2 id={`${entry.domId}-title`}>{labelText(entry.panel.label, c.var.locale)}</h2>
                {bodies[index]}
              </section>
            ))}
          </div>
        </Page>
      ),
    });
  });
}
