import { randomUUID } from 'node:crypto';
import type { Context, Hono } from 'hono';
import {
  HttpError, Page, Pagination, flash, formatDateTime, href, pageParam, redirectTo, render, requirePermission, scope, tenantOf, ticketService,
  type AppEnv, type AttachmentInput, type TicketActor,
} from '../../../core/plugin-api.js';
import type { HelpdeskDB } from '../helpdesk-db.js';
import { helpdeskSettings } from '../settings.js';
import type { MailSettlement, SettlementContext } from './mail-apply.js';
import { cleanSubject } from './subject-tag.js';
import { MailFrame } from './article-view.js';
import { ReplyText } from './reply-view.js';

const PAGE_SIZE = 25;
const RESTORABLE_DAYS = 30;

function mailId(c: Context<AppEnv>): number {
  const id = Number(c.req.param('id'));
  if (!Number.isInteger(id) || id <= 0) throw new HttpError(404, c.var.t('helpdesk.mails.notFound'));
  return id;
}

async function loadMail(c: Context<AppEnv>, id: number) {
  const mail = await scope<HelpdeskDB>(c).selectFrom('helpdesk_mails').selectAll().where('id', '=', id).executeTakeFirst();
  if (!mail) throw new HttpError(404, c.var.t('helpdesk.mails.notFound'));
  return mail;
}

function discardCutoff(c: Context<AppEnv>): string {
  return new Date(c.var.services.clock().getTime() - RESTORABLE_DAYS * 86400_000).toISOString();
}

/**
 * Runs a ticket change for an open mail so that "the mail is done" commits with it: the mail is
 * claimed first (open -> processing); if the change is refused, the claim is given back.
 */
async function settleManually(c: Context<AppEnv>, settlement: SettlementContext, id: number, status: 'ticket' | 'article', change: (files: AttachmentInput[], actor: TicketActor, mail: Awaited<ReturnType<typeof loadMail>>) => Promise<{ number: string }>): Promise<string> {
  const s = scope<HelpdeskDB>(c);
  const { tenantId } = s;
  const mail = await loadMail(c, id);
  const claim = randomUUID();
  const claimed = await s.updateTable('helpdesk_mails').set({ status: 'processing', claim, claimed_at: c.var.services.clock().toISOString() })
    .where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) throw new HttpError(409, c.var.t('helpdesk.mails.notFound'));
  try {
    const parts = await s.selectFrom('helpdesk_mail_parts').selectAll().where('mail_id', '=', id).orderBy('id').execute();
    const files: AttachmentInput[] = [];
    for (const part of parts.slice(0, 10)) {
      const stored = await c.var.services.files.get(tenantId, part.sha256);
      if (stored) files.push({ filename: part.filename, bytes: stored.bytes, contentId: part.content_id ?? undefined });
    }
    const person = mail.from_address ? await s.selectFrom('people').select(['id', 'name']).where('email', '=', mail.from_address).orderBy('id').executeTakeFirst() : undefined;
    const actor: TicketActor = person ? { kind: 'person', id: person.id, label: person.name } : { kind: 'system', label: mail.from_address ?? c.var.t('helpdesk.unknownSender') };
    const { note: _note, ...columns } = { from_address: mail.from_address, from_name: mail.from_name, subject: mail.subject, sent_at: mail.sent_at, in_reply_to: mail.in_reply_to, reference_ids: mail.reference_ids, body_text: mail.body_text, body_html: mail.body_html, auto_kind: mail.auto_kind, note: mail.note };
    const settle: MailSettlement = { tenantId, mailId: id, claim, mailboxId: mail.mailbox_id, status, columns: { ...columns, note: mail.note }, parts: [], threadIds: mail.message_id ? [mail.message_id] : [] };
    const result = await settlement.run(settle, () => change(files, actor, mail));
    await c.var.services.audit.record({ tenantId, actor: { userId: c.var.user!.id, label: c.var.user!.name }, action: status === 'ticket' ? 'helpdesk.mail_ticket_opened' : 'helpdesk.mail_attached', target: String(id), details: { number: result.number } });
    return result.number;
  } catch (error) {
    await s.updateTable('helpdesk_mails').set({ status: 'open', claim: null, claimed_at: null }).where('id', '=', id).where('claim', '=', claim).execute();
    throw error;
  }
}

/** Open helpdesk mails: the inbox of mails nothing claimed, with attach / open ticket / discard / restore. */
export function openMailRoutes(app: Hono<AppEnv>, settlement: SettlementContext): void {
  app.use('/mails', requirePermission('helpdesk.mails'));
  app.use('/mails/*', requirePermission('helpdesk.mails'));

  app.get('/mails', async (c) => {
    const t = c.var.t;
    const discarded = c.req.query('view') === 'discarded';
    const page = pageParam(c.req.query('page'));
    let query = scope<HelpdeskDB>(c).selectFrom('helpdesk_mails');
    query = discarded ? query.where('status', '=', 'discarded').where('discarded_at', '>=', discardCutoff(c)) : query.where('status', '=', 'open');
    const [rows, total] = await Promise.all([
      query.select(['id', 'from_address', 'from_name', 'subject', 'created_at', 'note', 'auto_kind', 'discarded_at', 'discarded_by']).orderBy('id', 'desc').limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    const base = href(c, '/p/helpdesk/mails');
    return render(c, {
      title: t('helpdesk.mails.title'),
      page: (
        <Page title={t('helpdesk.mails.title')}>
          <p class="muted">{t('helpdesk.mails.intro')}</p>
          <nav class="tabs hd-tabs" aria-label={t('helpdesk.mails.title')}>
            <a href={base} aria-current={discarded ? undefined : 'page'}>{t('helpdesk.mails.openTab')}</a>
            <a href={`${base}?view=discarded`} aria-current={discarded ? 'page' : undefined}>{t('helpdesk.mails.discardedTab')}</a>
          </nav>
          {rows.length === 0 ? <p>{t('helpdesk.mails.empty')}</p> : (
            <div class="table-wrap">
              <table class="table">
                <thead><tr><th>{t('helpdesk.mails.from')}</th><th>{t('helpdesk.mails.subject')}</th><th>{t('helpdesk.mails.received')}</th><th>{t('helpdesk.mails.note')}</th></tr></thead>
                <tbody>
                  {rows.map((row) => (
                    <tr>
                      <td>{row.from_name ? `${row.from_name} ` : ''}<span class="muted">{row.from_address ?? t('helpdesk.unknownSender')}</span></td>
                      <td><a href={href(c, `/p/helpdesk/mails/${row.id}`)}>{row.subject || t('helpdesk.noSubject')}</a></td>
                      <td>{formatDateTime(row.created_at, c.var.dates)}</td>
                      <td>{row.note ?? (row.auto_kind ? t('helpdesk.mails.auto', { reason: row.auto_kind }) : '')}{discarded && row.discarded_at ? <div class="muted">{t('helpdesk.mails.discardedAt', { at: formatDateTime(row.discarded_at, c.var.dates), by: row.discarded_by ?? '' })}</div> : null}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pagination page={page} total={Number(total.n)} pageSize={PAGE_SIZE} link={(p: number) => `${base}?${discarded ? 'view=discarded&' : ''}page=${p}`} t={t} />
        </Page>
      ),
    });
  });

  app.get('/mails/:id', async (c) => {
    const t = c.var.t;
    const mail = await loadMail(c, mailId(c));
    if (mail.status === 'discarded' && (mail.discarded_at ?? '') < discardCutoff(c)) throw new HttpError(404, t('helpdesk.mails.notFound'));
    const s = scope<HelpdeskDB>(c);
    const parts = await s.selectFrom('helpdesk_mail_parts').select(['id', 'filename', 'size', 'content_id']).where('mail_id', '=', mail.id).orderBy('id').execute();
    const base = `/p/helpdesk/mails/${mail.id}`;
    const recent = await s.selectFrom('tickets').select(['number', 'subject']).where('deleted_at', 'is', null).where('status', '!=', 'closed').orderBy('updated_at', 'desc').limit(50).execute();
    return render(c, {
      title: mail.subject || t('helpdesk.noSubject'),
      page: (
        <Page title={mail.subject || t('helpdesk.noSubject')} crumbs={[{ label: t('helpdesk.mails.title'), href: href(c, '/p/helpdesk/mails') }]}>
          <dl class="hd-meta">
            <dt>{t('helpdesk.mails.from')}</dt><dd>{mail.from_name ? `${mail.from_name} <${mail.from_address ?? ''}>` : mail.from_address ?? t('helpdesk.unknownSender')}</dd>
            <dt>{t('helpdesk.mails.received')}</dt><dd>{formatDateTime(mail.created_at, c.var.dates)}</dd>
            {mail.note ? <><dt>{t('helpdesk.mails.note')}</dt><dd>{mail.note}</dd></> : null}
            {mail.auto_kind ? <><dt>{t('helpdesk.mails.note')}</dt><dd>{t('helpdesk.mails.auto', { reason: mail.auto_kind })}</dd></> : null}
          </dl>
          {mail.status === 'open' ? (
            <section class="card stack hd-actions">
              <form method="post" action={href(c, `${base}/attach`)} class="hd-row">
                <div class="field">
                  <label for="f-number">{t('helpdesk.mails.attachNumber')}</label>
                  <input id="f-number" name="number" list="hd-tickets" required pattern="\d{4}-\d{4,9}" autocomplete="off" placeholder="2026-000123" />
                  <datalist id="hd-tickets">{recent.map((ticket) => <option value={ticket.number}>{ticket.subject}</option>)}</datalist>
                </div>
                <div><button type="submit" class="button-primary">{t('helpdesk.mails.attach')}</button></div>
              </form>
              <div class="hd-row">
                <form method="post" action={href(c, `${base}/ticket`)}><button type="submit" class="button">{t('helpdesk.mails.openTicket')}</button></form>
                <form method="post" action={href(c, `${base}/discard`)}><button type="submit" class="button-danger">{t('helpdesk.mails.discard')}</button></form>
              </div>
            </section>
          ) : mail.status === 'discarded' ? (
            <section class="card hd-actions">
              <p class="muted">{t('helpdesk.mails.discardedAt', { at: formatDateTime(mail.discarded_at ?? '', c.var.dates), by: mail.discarded_by ?? '' })}</p>
              <form method="post" action={href(c, `${base}/restore`)}><button type="submit" class="button">{t('helpdesk.mails.restore')}</button></form>
            </section>
          ) : null}
          <section class="card stack">
            <h2>{t('helpdesk.mails.text')}</h2>
            <ReplyText text={mail.body_text ?? ''} t={t} />
            {mail.body_html ? (
              <MailFrame src={href(c, `${base}/body`)} name={`hd-mail-${mail.id}`} title={t('helpdesk.mails.formatted')} imagesLabel={t('helpdesk.mails.showImages')} />
            ) : null}
            {parts.length ? (
              <div><h3>{t('helpdesk.mails.attachments')}</h3><ul>{parts.map((part) => <li><a href={href(c, `${base}/parts/${part.id}`)}>{part.filename}</a> <span class="muted">({Math.ceil(part.size / 1024)} KB)</span></li>)}</ul></div>
            ) : null}
            <p><a href={href(c, `${base}/raw`)}>{t('helpdesk.mails.raw')}</a></p>
          </section>
        </Page>
      ),
    });
  });

  app.post('/mails/:id/attach', async (c) => {
    const id = mailId(c);
    const body = await c.req.parseBody();
    const number = String(body.number ?? '').trim();
    const service = ticketService(c);
    const ticket = /^\d{4}-\d{4,9}$/.test(number) ? await service.find(number) : undefined;
    if (!ticket || ticket.status === 'closed') throw new HttpError(422, c.var.t('helpdesk.mails.unknownTicket'), { number: c.var.t('helpdesk.mails.unknownTicket') });
    const done = await settleManually(c, settlement, id, 'article', async (files, actor, mail) => {
      await service.addArticle(ticket.number, { kind: 'customer', channel: 'mail', body: mail.body_text?.trim() || c.var.t('helpdesk.noText'), bodyHtml: mail.body_html, messageId: mail.message_id, attachments: files }, actor);
      return { number: ticket.number };
    });
    flash(c, 'success', c.var.t('helpdesk.mails.attached', { number: done }));
    return redirectTo(c, href(c, `/desk/tickets/${done}`));
  });

  app.post('/mails/:id/ticket', async (c) => {
    const id = mailId(c);
    const service = ticketService(c);
    const settings = helpdeskSettings(await c.var.services.tenants.pluginSettings(tenantOf(c).id, 'helpdesk'));
    const done = await settleManually(c, settlement, id, 'ticket', async (files, actor, mail) => {
      const created = await service.create({
        subject: cleanSubject(mail.subject ?? '', settings.subjectTag) || c.var.t('helpdesk.noSubject'), description: mail.body_text?.trim() || c.var.t('helpdesk.noText'), channel: 'mail',
        requesterEmail: mail.from_address ?? undefined, requesterName: mail.from_name ?? undefined, attachments: files,
      }, actor);
      return { number: created.number };
    });
    flash(c, 'success', c.var.t('helpdesk.mails.ticketOpened', { number: done }));
    return redirectTo(c, href(c, `/desk/tickets/${done}`));
  });

  app.post('/mails/:id/discard', async (c) => {
    const id = mailId(c);
    const s = scope<HelpdeskDB>(c);
    const { tenantId } = s;
    const user = c.var.user!;
    const changed = await c.var.services.db.transaction().execute(async (trx) => {
      const result = await s.withDb(trx).updateTable('helpdesk_mails').set({ status: 'discarded', discarded_at: c.var.services.clock().toISOString(), discarded_by: user.name })
        .where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) await c.var.services.audit.record({ tenantId, actor: { userId: user.id, label: user.name }, action: 'helpdesk.mail_discarded', target: String(id) }, trx);
      return Number(result.numUpdatedRows) === 1;
    });
    if (!changed) throw new HttpError(404, c.var.t('helpdesk.mails.notFound'));
    flash(c, 'success', c.var.t('helpdesk.mails.discarded'));
    return redirectTo(c, href(c, '/p/helpdesk/mails'));
  });

  app.post('/mails/:id/restore', async (c) => {
    const id = mailId(c);
    const s = scope<HelpdeskDB>(c);
    const { tenantId } = s;
    const user = c.var.user!;
    const changed = await c.var.services.db.transaction().execute(async (trx) => {
      const result = await s.withDb(trx).updateTable('helpdesk_mails').set({ status: 'open', discarded_at: null, discarded_by: null })
        .where('id', '=', id).where('status', '=', 'discarded').where('discarded_at', '>=', discardCutoff(c)).executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) await c.var.services.audit.record({ tenantId, actor: { userId: user.id, label: user.name }, action: 'helpdesk.mail_restored', target: String(id) }, trx);
      return Number(result.numUpdatedRows) === 1;
    });
    if (!changed) throw new HttpError(404, c.var.t('helpdesk.mails.notFound'));
    flash(c, 'success', c.var.t('helpdesk.mails.restored'));
    return redirectTo(c, href(c, `/p/helpdesk/mails/${id}`));
  });
}
