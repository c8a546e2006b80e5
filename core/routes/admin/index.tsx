import type { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { href, requireTenant, requireUser } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { Page } from '../../../views/components/page.js';
import { visibleAdminSections } from '../../plugin-host/admin-sections.js';
import { auditRoutes } from './audit.js';
import { brandingRoutes } from './branding.js';
import { contractRoutes } from './contracts.js';
import { directorySettingsRoutes } from './directory-settings.js';
import { groupRoutes } from './groups.js';
import { organisationRoutes } from './organisations.js';
import { peopleRoutes } from './people.js';
import { userAdminRoutes } from './users.js';
import { ticketCategoryRoutes } from './ticket-categories.js';
import { ticketFieldRoutes } from './ticket-fields.js';
import { recordFieldRoutes } from './record-fields.js';
import { ticketSettingsRoutes } from './ticket-settings.js';
import { tagAdminRoutes } from './tags-admin.js';

/**
 * Tenant administration: one Administration page with the sections the user may open, grouped (the
 * core's and those of the plugins the tenant has on, see core/plugin-host/admin-sections.ts), then
 * customers, contact persons, contracts, support groups, users, branding, ticket settings, audit log.
 */
export function adminRoutes(app: Hono<AppEnv>): void {
  app.get('/admin', requireTenant, requireUser, (c) => {
    const t = c.var.t;
    const groups = visibleAdminSections(c.var.services.registry.plugins, c.var.enabledPlugins, c.var.can);
    if (groups.length === 0) throw new HttpError(403, t('error.forbidden'));
    return render(c, {
      title: t('nav.admin'),
      page: (
        <Page title={t('nav.admin')}>
          <p class="muted">{t('adminPage.lead')}</p>
          <div class="admin-groups">
            {groups.map((group) => (
              <section class="card admin-group" id={`admin-group-${group.id}`} aria-labelledby={`admin-group-${group.id}-title`}>
                <h2 id={`admin-group-${group.id}-title`}>{t(group.label)}</h2>
                <ul class="admin-sections">
                  {group.sections.map((section) => (
                    <li>
                      <a href={href(c, section.href)} id={`admin-section-${section.id}`} class="admin-section-link">{t(section.label)}</a>
                      {section.description ? <small class="muted">{t(section.description)}</small> : null}
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
        </Page>
      ),
    });
  });
  directorySettingsRoutes(app);
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
  recordFieldRoutes(app);
  tagAdminRoutes(app);
}
