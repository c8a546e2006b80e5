import type { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { href, requireTenant, requireUser } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { Page } from '../../../views/components/page.js';
import { auditRoutes } from './audit.js';
import { brandingRoutes } from './branding.js';
import { contractRoutes } from './contracts.js';
import { groupRoutes } from './groups.js';
import { organisationRoutes } from './organisations.js';
import { peopleRoutes } from './people.js';
import { userAdminRoutes } from './users.js';
import { ticketCategoryRoutes } from './ticket-categories.js';
import { ticketFieldRoutes } from './ticket-fields.js';
import { ticketSettingsRoutes } from './ticket-settings.js';

/** The areas of the tenant administration and the permission each needs. */
export const ADMIN_AREAS = [
  { permission: 'people.manage', path: '/admin/organisations', label: 'admin.organisations' },
  { permission: 'people.manage', path: '/admin/people', label: 'admin.people' },
  { permission: 'admin.groups', path: '/admin/groups', label: 'admin.groups' },
  { permission: 'admin.users', path: '/admin/users', label: 'admin.users' },
  { permission: 'admin.branding', path: '/admin/branding', label: 'admin.branding' },
  { permission: 'admin.tickets', path: '/admin/tickets', label: 'ticketAdmin.title' },
  { permission: 'admin.audit', path: '/admin/audit', label: 'admin.audit' },
] as const;

/** Tenant administration: customers, contact persons, contracts, support groups, users, branding, audit log. */
export function adminRoutes(app: Hono<AppEnv>): void {
  app.get('/admin', requireTenant, requireUser, (c) => {
    const t = c.var.t;
    const areas = ADMIN_AREAS.filter((area) => c.var.can(area.permission));
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
  organisationRoutes(app);
  peopleRoutes(app);
  contractRoutes(app);
  groupRoutes(app);
  auditRoutes(app);
  ticketSettingsRoutes(app);
  ticketCategoryRoutes(app);
  ticketFieldRoutes(app);
}
