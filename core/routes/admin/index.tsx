import type { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { href, requireTenant, requireUser } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { Page } from '../../../views/components/page.js';
import { brandingRoutes } from './branding.js';
import { userAdminRoutes } from './users.js';

/** Tenant administration: branding and users. */
export function adminRoutes(app: Hono<AppEnv>): void {
  app.get('/admin', requireTenant, requireUser, (c) => {
    const t = c.var.t;
    const areas = [
      { permission: 'admin.branding', path: '/admin/branding', label: 'admin.branding' },
      { permission: 'admin.users', path: '/admin/users', label: 'admin.users' },
    ].filter((area) => c.var.can(area.permission));
    if (areas.length === 0) throw new HttpError(403, t('error.forbidden'));
    return render(c, {
      title: t('nav.admin'),
      page: (
        <Page title={t('nav.admin')}>
          <ul class="stat-grid">
            {areas.map((area) => <li class="stat"><a href={href(c, area.path)}>{t(area.label)}</a></li>)}
          </ul>
        </Page>
      ),
    });
  });
  brandingRoutes(app);
  userAdminRoutes(app);
}
