import type { Context, Hono } from 'hono';
import { sql } from 'kysely';
import type { AppEnv } from '../../http/app-env.js';
import { requirePermission, requireUser } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { formatDateTime } from '../../i18n/format.js';
import { attachmentResponse } from '../../files/attachment-response.js';
import { readAttachments } from '../../mail/mailer.js';
import { Page } from '../../../views/components/page.js';
import { Pagination, pageParam } from '../../../views/components/pagination.js';
import { platformOnly } from './platform-guard.js';

const PAGE_SIZE = 30;
/** A media type with optional parameters; anything else is served as plain bytes. */
const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(\s*;\s*[a-z0-9!#$&^_.+-]+=("[^"\\\r\n]*"|[a-z0-9!#$&^_.+-]+))*$/i;
const mediaType = (contentType: string | undefined) => (contentType && MEDIA_TYPE.test(contentType) ? contentType : 'application/octet-stream');

/** A size in the reader's language: bytes below 1 KB, else kB or MB with one decimal. */
function formatSize(bytes: number, locale: string): string {
  const [value, unit] = bytes < 1024 ? [bytes, 'byte'] : bytes < 1024 * 1024 ? [bytes / 1024, 'kilobyte'] : [bytes / 1024 / 1024, 'megabyte'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: unit === 'byte' ? 0 : 1 }).format(value);
}

async function findMail(c: Context<AppEnv>) {
  const id = Number(c.req.param('id'));
  const mail = Number.isSafeInteger(id) ? await c.var.services.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!mail) throw new HttpError(404, c.var.t('error.notFound'));
  return mail;
}

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
        // How many attachments, without reading their bytes into Node: every stored one has exactly one
        // "filename" key (JSON.stringify of {filename, contentType, content}; quotes inside values are escaped).
        .select(sql<number>`coalesce((length(mail_outbox.attachments) - length(replace(mail_outbox.attachments, '"filename":', ''))) / 11, 0)`.as('files'))
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
                      <td>
                        <a href={`/platform/outbox/${row.id}`}>{row.subject}</a>
                        {Number(row.files) ? <span class="badge outbox-files-count">{t('outbox.fileCount', { count: Number(row.files) })}</span> : null}
                      </td>
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

  app.get('/platform/outbox/:id{[0-9]+}', ...guard, async (c) => {
    const t = c.var.t;
    const mail = await findMail(c);
    const attachments = readAttachments(mail.attachments) ?? [];
    return render(c, {
      title: mail.subject,
      page: (
        <Page title={mail.subject} crumbs={[{ label: t('platform.outbox'), href: '/platform/outbox' }, { label: `#${mail.id}` }]}>
          <section class="card">
            <p class="outbox-meta"><span class="muted">{t('platform.to')}:</span> {mail.to_address} · <span class="muted">{t('outbox.from')}:</span> {mail.from_address}</p>
            <p><span class="muted">{t('platform.created')}:</span> {formatDateTime(mail.created_at, c.var.dates)} · <span class="badge">{t(`platform.mailStatus.${mail.status}`)}</span>{mail.error ? <span class="field-error"> {mail.error}</span> : null}</p>
            <pre class="mail-body">{mail.text_body}</pre>
          </section>
          {attachments.length ? (
            <section class="card" id="outbox-attachments">
              <h2>{t('outbox.attachments')}</h2>
              <div class="table-wrap">
                <table class="table outbox-files">
                  <thead><tr><th scope="col">{t('outbox.file')}</th><th scope="col">{t('outbox.type')}</th><th scope="col" class="num">{t('outbox.size')}</th></tr></thead>
                  <tbody>
                    {attachments.map((file, index) => (
                      <tr>
                        <td><a href={`/platform/outbox/${mail.id}/attachments/${index}`} download={file.filename} aria-label={t('outbox.download', { name: file.filename })}>{file.filename}</a></td>
                        <td><code title={file.contentType}>{(file.contentType ?? 'application/octet-stream').split(';')[0]}</code></td>
                        <td class="num">{formatSize(file.content.byteLength, c.var.locale)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ) : null}
        </Page>
      ),
    });
  });

  // One attachment of a mail, by its position: a download for the operator only, never shown inline.
  app.get('/platform/outbox/:id{[0-9]+}/attachments/:index{[0-9]+}', ...guard, async (c) => {
    const mail = await findMail(c);
    const file = (readAttachments(mail.attachments) ?? [])[Number(c.req.param('index'))];
    if (!file) throw new HttpError(404, c.var.t('outbox.missing'));
    return attachmentResponse(c, { bytes: file.content, filename: file.filename, mimeType: mediaType(file.contentType) }, 'private, no-store');
  });
}
