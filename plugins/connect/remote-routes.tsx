import type { Context, Hono } from 'hono';
import {
  DomainError, Page, clientIp, flash, formatDateTime, href, isHtmx, pluginScope, redirectTo, render, requirePermission, staff, tenantOf, type AppEnv,
} from '../../core/plugin-api.js';
import { RemotePanelBody, VALID_FOR_HOURS } from './remote-panel.js';
import { REMOTE_REVEAL, REMOTE_USE, remoteStore } from './remote-store.js';

const actor = (c: Context<AppEnv>) => ({ id: staff(c).id, label: staff(c).name || staff(c).email });

async function ticketOf(c: Context<AppEnv>, id: number) {
  const row = await pluginScope(c.var.services.db, tenantOf(c).id).selectFrom('tickets').select(['id', 'number', 'status'])
    .where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw new DomainError('not_found', 'error.notFound');
  return row;
}

/** After a change: open pages of the ticket refresh (the event names the ticket, never a session's data), then back to it. */
function back(c: Context<AppEnv>, ticket: { number: string; status: string }) {
  c.var.services.events.publish({ tenantId: tenantOf(c).id, type: 'ticket', data: { number: ticket.number, status: ticket.status, action: 'connect' } });
  return redirectTo(c, href(c, `/desk/tickets/${ticket.number}#connect-remote-sessions`));
}

/**
 * The ticket panel's actions: store a session (POST with the password; the answer never repeats it), reveal one
 * (audited; answered with no-store, as a fragment for htmx or a page without it), and wipe one by hand.
 */
export function remoteRoutes(app: Hono<AppEnv>): void {
  app.post('/tickets/:id{[0-9]+}/remote-sessions', requirePermission(REMOTE_USE), async (c) => {
    const ticket = await ticketOf(c, Number(c.req.param('id')));
    const form = await c.req.parseBody();
    const text = (name: string) => (typeof form[name] === 'string' ? form[name] : '');
    const hours = Number(text('valid_for'));
    const validUntil = (VALID_FOR_HOURS as readonly number[]).includes(hours) ? new Date(c.var.services.clock().getTime() + hours * 3_600_000).toISOString() : undefined;
    const store = remoteStore(c.var.services, tenantOf(c).id);
    try {
      await store.create(ticket.id, { tool: text('tool'), remoteId: text('remote_id'), secret: text('secret'), validUntil }, actor(c));
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
      const t = c.var.t;
      const errors = Object.fromEntries(Object.entries(error.fields).map(([field, key]) => [field, t(key)]));
      const body = (
        <RemotePanelBody t={t} dates={c.var.dates} href={(path) => href(c, path)} can={c.var.can} ticketId={ticket.id} closed={false}
          sessions={await store.list(ticket.id)} errors={errors} values={{ tool: text('tool'), remote_id: text('remote_id'), valid_for: text('valid_for') }} />
      );
      return render(c, {
        title: t('connect.remote.title'), status: 422,
        page: (
          <Page title={t('connect.remote.title')} crumbs={[{ label: ticket.number, href: href(c, `/desk/tickets/${ticket.number}`) }, { label: t('connect.remote.title') }]}>
            <div class="form-error" role="alert" id="connect-remote-error">{t('error.invalid')}</div>
            {body}
          </Page>
        ),
      });
    }
    flash(c, 'success', c.var.t('connect.remote.added'));
    return back(c, ticket);
  });

  app.post('/remote-sessions/:id{[0-9]+}/reveal', requirePermission(REMOTE_REVEAL), async (c) => {
    c.header('Cache-Control', 'no-store');
    const t = c.var.t;
    const id = Number(c.req.param('id'));
    let revealed;
    try {
      revealed = await remoteStore(c.var.services, tenantOf(c).id).reveal(id, actor(c), clientIp(c));
    } catch (error) {
      // htmx swaps only a 200: the gone session says so in place of its mask.
      if (error instanceof DomainError && error.kind === 'conflict' && isHtmx(c)) {
        return c.html(<span id={`connect-remote-secret-${id}`} class="connect-remote-secret muted" role="status">{t('connect.remote.gone')}</span>);
      }
      throw error;
    }
    const shown = t('connect.remote.revealed', { time: formatDateTime(c.var.services.clock().toISOString(), c.var.dates) });
    const secret = (
      <span id={`connect-remote-secret-${id}`} class="connect-remote-secret connect-remote-shown" role="status">
        <code class="connect-remote-plain">{revealed.secret}</code> <span class="muted">{shown}</span>
      </span>
    );
    if (isHtmx(c)) return c.html(secret);
    return render(c, {
      title: t('connect.remote.title'),
      page: (
        <Page title={t('connect.remote.title')} crumbs={[{ label: revealed.ticketNumber, href: href(c, `/desk/tickets/${revealed.ticketNumber}`) }, { label: t('connect.remote.title') }]}>
          <section class="card stack">
            <p><strong>{t(`connect.remote.tool.${revealed.session.tool}`)}</strong> {revealed.session.remote_id}</p>
            {secret}
            <p><a href={href(c, `/desk/tickets/${revealed.ticketNumber}#connect-remote-sessions`)}>{revealed.ticketNumber}</a></p>
          </section>
        </Page>
      ),
    });
  });

  app.post('/remote-sessions/:id{[0-9]+}/wipe', requirePermission(REMOTE_USE), async (c) => {
    const ticket = await remoteStore(c.var.services, tenantOf(c).id).remove(Number(c.req.param('id')), actor(c));
    flash(c, 'success', c.var.t('connect.remote.removed'));
    return back(c, ticket);
  });
}
