import type { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { requirePermission, requireUser } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { formatDateTime } from '../../i18n/format.js';
import { Page } from '../../../views/components/page.js';
import { Pagination, pageParam } from '../../../views/components/pagination.js';
import { platformOnly } from './platform-guard.js';

const PAGE_SIZE = 30;

/** The operator reads every outgoing mail here; without SMTP this is where mail ends up. */
export function outboxRoutes(app: Hono<AppEnv>): void {
  const guard = [platformOnly, requireUser, requirePermission('platform.outbox')] as const;

  app.get('/platform/outbox', ...guard, async (c) => {
    const t = c.var.t;
    const { db } = c.var.services;
    const page = pageParam(c.req.query('page'));
    const [rows, total] = await Promise.all([
      db.selectFrom('mail_outbox').leftJoin('tenants', 'tenants.id', 'mail_outbox.tenant_id')
        .select(['mail_outbox.id', 'to_address', 'subject', 'status', 'mail_outbox.created_at', 'tenants.slug'])
        .orderBy('mail_outbox.id', 'desc').limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).execute(),
      db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return render(c, {
      title: t('platform.outbox'),
      page: (
        <Page title={t('platform.outbox')} crumbs={[{ label: t('platform.tenants'), href: '/platform' }, { label: t('platform.outbox') }]}>
          <section class="card">
            <p class="muted">{t('platform.outboxIntro')}</p>
            <div class="table-wrap">
              <table class="table" id="outbox">
                <thead><tr><th>{t('platform.created')}</th><th>{t('platform.to')}</th><th>{t('platform.subject')}</th><th>{t('platform.tenant')}</th><th>{t('platform.status')}</th></tr></thead>
                <tbody>
                  {rows.map((row) => (
                    <tr>
                      <td>{formatDateTime(row.created_at, c.var.dates)}</td>
                      <td>{row.to_address}</td>
                      <td><a href={`/platform/outbox/${row.id}`}>{row.subject}</a></td>
                      <td>{row.slug ?? t('common.none')}</td>
                      <td><span class="badge">{t(`platform.mailStatus.${row.status}`)}</span></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination page={page} pageSize={PAGE_SIZE} total={Number(total.n)} link={(p) => `/platform/outbox?page=${p}`} t={t} />
          </section>
        </Page>
      ),
    });
  });

  app.get('/platform/outbox/:id', ...guard, async (c) => {
    const t = c.var.t;
    const id = Number(c.req.param('id'));
    const mail = Number.isInteger(id) ? await c.var.services.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
    if (!mail) throw new HttpError(404, t('error.notFound'));
    return render(c, {
      title: mail.subject,
      page: (
        <Page title={mail.subject} crumbs={[{ label: t('platform.outbox'), href: '/platform/outbox' }, { label: `#${mail.id}` }]}>
          <section class="card">
            <p><span class="muted">{t('platform.to')}:</span> {mail.to_address} · <span class="muted">From:</span> {mail.from_address}</p>
            <p><span class="muted">{t('platform.created')}:</span> {formatDateTime(mail.created_at, c.var.dates)} · <span class="badge">{t(`platform.mailStatus.${mail.status}`)}</span>{mail.error ? <span class="field-error"> {mail.error}</span> : null}</p>
            <pre class="mail-body">{mail.text_body}</pre>
          </section>
        </Page>
      ),
    });
  });
}
