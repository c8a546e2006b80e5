import type { Context, Hono } from 'hono';
import {
  FormError, HttpError, ticketAttachmentResponse, MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES, clientIp, fieldsFor, filesFromForm, flash, formatCustomValue, formatDateTime,
  activeFieldDefinitions, href, redirectTo, scope, ticketService, type AppEnv, type Ticket,
} from '../../core/plugin-api.js';
import { SERVICE_ORDERS, type ServiceOrderStatus, type ServiceOrdersProvider } from './extension-points.js';
import { findVisibleTicket, isRequester, person, personActor, requirePerson } from './portal-access.js';
import { PortalHead, portalRender } from './portal-shell.js';
import { submissionLimiter } from './rate-limit.js';

/** Ticket numbers look like 2026-000123; anything else is not a request page. */
export const REQUEST_PATH = '/requests/:number{[0-9]+-[0-9]+}';

interface PublicAttachment { id: number; article_id: number | null; filename: string; size: number }

/** The public correspondence of a ticket: answers and customer messages, never internal notes. */
async function publicThread(c: Context<AppEnv>, ticket: Ticket) {
  const [articles, attachments] = await Promise.all([
    scope(c).selectFrom('ticket_articles').select(['id', 'kind', 'author_label', 'author_person_id', 'body_text', 'created_at'])
      .where('ticket_id', '=', ticket.id).where('kind', 'in', ['reply', 'customer']).orderBy('created_at').orderBy('id').execute(),
    publicAttachments(c, ticket.id),
  ]);
  return { articles, attachments };
}

/** Attachments of the description and of public articles; those of internal notes stay hidden. */
function publicAttachments(c: Context<AppEnv>, ticketId: number): Promise<PublicAttachment[]> {
  return scope(c).selectFrom('ticket_attachments')
    .leftJoin('ticket_articles', 'ticket_articles.id', 'ticket_attachments.article_id')
    .select(['ticket_attachments.id', 'ticket_attachments.article_id', 'ticket_attachments.filename', 'ticket_attachments.size'])
    .where('ticket_attachments.ticket_id', '=', ticketId)
    .where((eb) => eb.or([eb('ticket_attachments.article_id', 'is', null), eb('ticket_articles.kind', 'in', ['reply', 'customer'])]))
    .orderBy('ticket_attachments.id').execute();
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function AttachmentList(props: { c: Context<AppEnv>; ticket: Ticket; items: PublicAttachment[] }) {
  if (props.items.length === 0) return null;
  return (
    <ul class="portal-attachments">
      {props.items.map((a) => (
        <li><a href={href(props.c, `/portal/requests/${props.ticket.number}/attachments/${a.id}`)} download>{a.filename}</a> <small class="muted">{size(a.size)}</small></li>
      ))}
    </ul>
  );
}

async function serviceOrders(c: Context<AppEnv>, ticket: Ticket): Promise<ServiceOrderStatus[] | undefined> {
  const providers = await c.var.services.hooks.extensions(SERVICE_ORDERS, ticket.tenant_id, c.var.enabledPlugins);
  if (providers.length === 0) return undefined;
  const orders: ServiceOrderStatus[] = [];
  for (const provider of providers) {
    try {
      orders.push(...(await provider.forTicket(ticket.tenant_id, ticket.id, { services: c.var.services, locale: c.var.locale })));
    } catch (error) {
      c.var.services.log.warn('portal service orders failed', { tenantId: ticket.tenant_id, ticket: ticket.number, error: String(error) });
    }
  }
  return orders;
}

async function requestPage(c: Context<AppEnv>, ticket: Ticket, state: { errors?: Record<string, string>; error?: string; body?: string; status?: 409 | 413 | 422 | 429 } = {}) {
  const t = c.var.t;
  const { articles, attachments } = await publicThread(c, ticket);
  const orders = await serviceOrders(c, ticket);
  const definitions = fieldsFor(await activeFieldDefinitions(scope(c)), ticket.category);
  const custom = JSON.parse(ticket.custom_fields) as Record<string, string | number | boolean>;
  const shownFields = definitions.filter((d) => custom[d.key] !== undefined && custom[d.key] !== '');
  const requester = isRequester(c, ticket);
  const viewerId = person(c).id;
  const base = `/portal/requests/${ticket.number}`;
  const errors = state.errors ?? {};
  // Only the requester marks the request solved or reopens it.
  const statusAction = !requester || ticket.status === 'closed' ? null : ticket.status === 'solved'
    ? <form method="post" action={href(c, `${base}/reopen`)}><button type="submit" class="button" id="portal-reopen">{t('portal.request.reopen')}</button></form>
    : <form method="post" action={href(c, `${base}/solve`)}><button type="submit" class="button" id="portal-solve">{t('portal.request.solve')}</button></form>;
  return portalRender(c, {
    title: `#${ticket.number} ${ticket.subject}`,
    status: state.status ?? 200,
    page: (
      <article class="portal-request" id="portal-request" data-number={ticket.number}>
        <p class="crumbs"><a href={href(c, '/portal/requests')}>← {t('portal.list.title')}</a></p>
        <PortalHead title={ticket.subject} lead={<>#{ticket.number} · <span class={`badge status-${ticket.status}`} id="portal-status">{t(`portal.status.${ticket.status}`)}</span></>} actions={statusAction} />
        {ticket.status === 'waiting' ? <p class="notice portal-your-turn" role="status">{t('portal.request.waitingNotice')}</p> : null}
        <section class="card">
          <dl class="portal-facts">
            <div><dt>{t('portal.request.created')}</dt><dd>{formatDateTime(ticket.created_at, c.var.dates)}</dd></div>
            <div><dt>{t('portal.list.updated')}</dt><dd>{formatDateTime(ticket.updated_at, c.var.dates)}</dd></div>
            {ticket.category ? <div><dt>{t('portal.form.category')}</dt><dd>{ticket.category}</dd></div> : null}
            {shownFields.map((d) => <div><dt>{d.label}</dt><dd>{formatCustomValue(d, custom[d.key], t)}</dd></div>)}
          </dl>
          <h2>{t('portal.form.description')}</h2>
          <div class="portal-text">{ticket.description}</div>
          <AttachmentList c={c} ticket={ticket} items={attachments.filter((a) => a.article_id === null)} />
        </section>
        {orders !== undefined ? (
          <section class="card" id="portal-service-orders">
            <h2>{t('portal.request.serviceOrders')}</h2>
            {orders.length === 0 ? <p class="muted">{t('portal.request.noServiceOrders')}</p> : (
              <ul class="plain-list">
                {orders.map((o) => <li><strong>{o.label}</strong> · {o.status}{o.plannedAt ? <> · {t('portal.request.plannedAt', { date: formatDateTime(o.plannedAt, c.var.dates) })}</> : null}</li>)}
              </ul>
            )}
          </section>
        ) : null}
        <section aria-label={t('portal.request.thread')}>
          <h2>{t('portal.request.thread')}</h2>
          {articles.length === 0 ? <p class="muted">{t('portal.request.noAnswers')}</p> : null}
          <ol class="portal-thread">
            {articles.map((a) => {
              const mine = a.kind === 'customer';
              return (
                <li class={`portal-message ${mine ? 'portal-message-customer' : 'portal-message-support'}`} data-kind={a.kind} id={`article-${a.id}`}>
                  <div class="portal-message-meta">
                    <strong>{mine && a.author_person_id === viewerId ? t('portal.request.you') : a.author_label}</strong>
                    <span class="muted">{mine ? '' : `${t('portal.request.support')} · `}{formatDateTime(a.created_at, c.var.dates)}</span>
                  </div>
                  <div class="portal-text">{a.body_text}</div>
                  <AttachmentList c={c} ticket={ticket} items={attachments.filter((x) => x.article_id === a.id)} />
                </li>
              );
            })}
          </ol>
        </section>
        {ticket.status === 'closed' ? <p class="notice">{t('portal.request.closed')}</p> : (
          <section class="card" id="portal-reply">
            <h2>{t('portal.request.reply')}</h2>
            <form method="post" action={href(c, `${base}/reply`)} enctype="multipart/form-data" class="stack">
              <FormError message={state.error} />
              <div class={`field${errors.body ? ' field-invalid' : ''}`}>
                <label for="f-body">{t('portal.request.message')}</label>
                <textarea id="f-body" name="body" rows={5} maxlength={20000}>{state.body ?? ''}</textarea>
                {errors.body ? <small class="field-error">{errors.body}</small> : null}
              </div>
              <div class={`field${errors.attachments ? ' field-invalid' : ''}`}>
                <label for="f-reply-attachments">{t('portal.form.attachments')}</label>
                <input type="file" id="f-reply-attachments" name="attachments" multiple />
                <small class="hint">{t('portal.form.attachmentsHint', { count: MAX_ATTACHMENTS, size: MAX_ATTACHMENT_BYTES / 1024 / 1024 })}</small>
                {errors.attachments ? <small class="field-error">{errors.attachments}</small> : null}
              </div>
              <button type="submit" class="button-primary portal-wide" id="portal-send-reply">{ticket.status === 'solved' ? t('portal.request.replyReopen') : t('portal.request.send')}</button>
            </form>
          </section>
        )}
      </article>
    ),
  });
}

/** One request: its public thread, reply with attachments, solve or reopen, service orders, attachment downloads. */
export function requestPageRoutes(app: Hono<AppEnv>): void {
  app.get(REQUEST_PATH, requirePerson, async (c) => requestPage(c, await findVisibleTicket(c, c.req.param('number'))));

  app.post(`${REQUEST_PATH}/reply`, requirePerson, async (c) => {
    const t = c.var.t;
    const ticket = await findVisibleTicket(c, c.req.param('number'));
    const body = await c.req.parseBody({ all: true });
    const text = typeof body.body === 'string' ? body.body.slice(0, 20_000) : '';
    const limiter = submissionLimiter(c.var.services, ticket.tenant_id);
    const viewer = person(c);
    const address = clientIp(c);
    const wait = await limiter.retryAfter('reply', viewer.id, address);
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      return requestPage(c, ticket, { status: 429, body: text, error: t('portal.limit.replies', { minutes: Math.ceil(wait / 60_000) }) });
    }
    try {
      await ticketService(c).addArticle(ticket.number, { kind: 'customer', body: text, channel: 'web', attachments: await filesFromForm(body.attachments) }, personActor(c));
    } catch (error) {
      if (error instanceof HttpError && (error.status === 422 || error.status === 409)) {
        return requestPage(c, (await findVisibleTicket(c, ticket.number)), { status: error.status, body: text, errors: error.fields, error: error.message });
      }
      throw error;
    }
    await limiter.record('reply', viewer.id, address);
    flash(c, 'success', t('portal.request.sent'));
    return redirectTo(c, href(c, `/portal/requests/${ticket.number}`));
  });

  for (const [action, to, done] of [['solve', 'solved', 'portal.request.solvedDone'], ['reopen', 'open', 'portal.request.reopenedDone']] as const) {
    app.post(`${REQUEST_PATH}/${action}`, requirePerson, async (c) => {
      const ticket = await findVisibleTicket(c, c.req.param('number'));
      if (!isRequester(c, ticket)) throw new HttpError(403, c.var.t('portal.request.onlyRequester'));
      if (action === 'reopen' && ticket.status !== 'solved') throw new HttpError(409, c.var.t('portal.request.notSolved'));
      await ticketService(c).changeStatus(ticket.number, to, personActor(c));
      flash(c, 'success', c.var.t(done));
      return redirectTo(c, href(c, `/portal/requests/${ticket.number}`));
    });
  }

  // Same headers as the agents' download: always a download, typed from our table, nosniff.
  app.get(`${REQUEST_PATH}/attachments/:id{[0-9]+}`, requirePerson, async (c) => {
    const ticket = await findVisibleTicket(c, c.req.param('number'));
    const id = Number(c.req.param('id'));
    const visible = (await publicAttachments(c, ticket.id)).find((a) => a.id === id);
    if (!visible) throw new HttpError(404, c.var.t('error.notFound'));
    const response = await ticketAttachmentResponse(c, ticket, id, 'private, no-store');
    if (!response) throw new HttpError(404, c.var.t('error.notFound'));
    return response;
  });
}
