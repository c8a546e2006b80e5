import type { Context, Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { AppEnv } from '../../http/app-env.js';
import type { DB } from '../../db/schema.js';
import { clientIp, href, requirePermission, requireTenant, requireUser, staff, tenantOf } from '../../http/guards.js';
import { render } from '../../http/render.js';
import { formatDateTime } from '../../i18n/format.js';
import { Page } from '../../../views/components/page.js';
import { Pagination, pageParam } from '../../../views/components/pagination.js';
import { AuditAction } from '../../../views/components/audit-action.js';

const PAGE_SIZE = 50;

/** Records an administrative action of the signed-in staff user in this tenant; pass the transaction of the change. */
export function recordAdminAction(c: Context<AppEnv>, trx: Kysely<DB>, action: string, target: string, details: Record<string, unknown> = {}): Promise<void> {
  const actor = staff(c);
  return c.var.services.audit.record({ tenantId: tenantOf(c).id, actor: { userId: actor.id, label: actor.email }, action, target, details, ip: clientIp(c) }, trx);
}

function detailsText(raw: string): string {
  try {
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    return Object.entries(parsed).map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`).join(', ');
  } catch {
    return raw;
  }
}

/** The tenant's own audit log, newest first. */
export function auditRoutes(app: Hono<AppEnv>): void {
  app.get('/admin/audit', requireTenant, requireUser, requirePermission('admin.audit'), async (c) => {
    const t = c.var.t;
    const page = pageParam(c.req.query('page'));
    const { rows, total } = await c.var.services.audit.list({ tenantId: tenantOf(c).id, page, pageSize: PAGE_SIZE });
    return render(c, {
      title: t('admin.audit'),
      page: (
        <Page title={t('admin.audit')} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('admin.audit') }]}>
          <section class="card">
            <div class="table-wrap">
              <table class="table" id="audit">
                <thead><tr><th>{t('admin.auditWhen')}</th><th>{t('admin.auditWho')}</th><th>{t('admin.auditAction')}</th><th>{t('admin.auditTarget')}</th><th>{t('admin.auditDetails')}</th></tr></thead>
                <tbody>
                  {rows.map((row) => (
                    <tr>
                      <td class="nowrap">{formatDateTime(row.created_at, c.var.dates)}</td>
                      <td>{row.actor_label}</td>
                      <td><AuditAction action={row.action} label={c.var.services.auditActions.label(row.action, c.var.locale)} /></td>
                      <td>{row.target ?? t('common.none')}</td>
                      <td class="muted audit-details">{detailsText(row.details)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {rows.length === 0 ? <p class="muted">{t('common.empty')}</p> : null}
            <Pagination page={page} pageSize={PAGE_SIZE} total={total} link={(p) => href(c, `/admin/audit?page=${p}`)} t={t} />
          </section>
        </Page>
      ),
    });
  });
}
