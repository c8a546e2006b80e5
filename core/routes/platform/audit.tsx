import type { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { requirePermission, requireUser } from '../../http/guards.js';
import { render } from '../../http/render.js';
import { formatDateTime } from '../../i18n/format.js';
import { Page } from '../../../views/components/page.js';
import { Pagination, pageParam } from '../../../views/components/pagination.js';
import { AuditAction } from '../../../views/components/audit-action.js';
import { platformOnly } from './platform-guard.js';

const PAGE_SIZE = 50;

/** Administrative actions across all tenants, newest first. */
export function platformAuditRoutes(app: Hono<AppEnv>): void {
  app.get('/platform/audit', platformOnly, requireUser, requirePermission('platform.tenants'), async (c) => {
    const t = c.var.t;
    const page = pageParam(c.req.query('page'));
    const { rows, total } = await c.var.services.audit.list({ tenantId: null, page, pageSize: PAGE_SIZE });
    const tenants = new Map((await c.var.services.db.selectFrom('tenants').select(['id', 'slug']).execute()).map((r) => [r.id, r.slug]));
    return render(c, {
      title: t('platform.audit'),
      page: (
        <Page title={t('platform.audit')} crumbs={[{ label: t('platform.tenants'), href: '/platform' }, { label: t('platform.audit') }]}>
          <section class="card">
            <div class="table-wrap">
              <table class="table" id="audit">
                <thead><tr><th>{t('platform.when')}</th><th>{t('platform.tenant')}</th><th>{t('platform.who')}</th><th>{t('platform.action')}</th><th>{t('platform.target')}</th></tr></thead>
                <tbody>
                  {rows.map((row) => (
                    <tr>
                      <td>{formatDateTime(row.created_at, c.var.dates)}</td>
                      <td>{row.tenant_id === null ? t('common.none') : tenants.get(row.tenant_id) ?? row.tenant_id}</td>
                      <td>{row.actor_label}</td>
                      <td><AuditAction action={row.action} label={c.var.services.auditActions.label(row.action, c.var.locale)} /></td>
                      <td>{row.target ?? t('common.none')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination page={page} pageSize={PAGE_SIZE} total={total} link={(p) => `/platform/audit?page=${p}`} t={t} />
          </section>
        </Page>
      ),
    });
  });
}
