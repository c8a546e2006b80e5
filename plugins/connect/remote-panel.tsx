import type { Child } from 'hono/jsx';
import { formatDateTime, pluginScope, type DateContext, type SlotContext, type TicketSlotProps, type Translate } from '../../core/plugin-api.js';
import { REMOTE_TOOLS, type RemoteDB } from './remote-db.js';
import { REMOTE_ID_MAX, REMOTE_REVEAL, REMOTE_SECRET_MAX, REMOTE_USE, type RemoteSessionView } from './remote-store.js';

/** The validity an agent picks when storing a session, in hours (8 preselected: a working day). */
export const VALID_FOR_HOURS = [1, 4, 8, 24, 72, 168] as const;
const DEFAULT_HOURS = 8;

const hoursLabel = (t: Translate, hours: number) => (hours === 1 ? t('connect.remote.hour') : hours % 24 === 0 && hours > 24 ? t('connect.remote.days', { days: hours / 24 }) : t('connect.remote.hours', { hours }));

interface PanelProps {
  t: Translate; dates: DateContext; href: (path: string) => string; can: (key: string) => boolean;
  ticketId: number; closed: boolean; sessions: RemoteSessionView[]; errors?: Record<string, string>; values?: { tool?: string; remote_id?: string; valid_for?: string };
}

/** One session: tool and ID, validity, and the password masked behind a button (or why it is gone). */
function SessionRow(props: { p: PanelProps; session: RemoteSessionView }) {
  const { p, session } = props;
  const tool = p.t(`connect.remote.tool.${session.tool}`);
  return (
    <li class="connect-remote-session" id={`connect-remote-${session.id}`}>
      <div><strong>{tool}</strong> <span class="connect-remote-id">{session.remote_id}</span></div>
      <div class="muted">{p.t('connect.remote.validUntil', { date: formatDateTime(session.valid_until, p.dates) })} · {p.t('connect.remote.by', { name: session.created_by_label })}</div>
      {session.active ? (
        <div class="connect-remote-actions">
          <span id={`connect-remote-secret-${session.id}`} class="connect-remote-secret">
            <span class="connect-remote-mask" aria-label={p.t('connect.remote.masked')}>••••••••</span>
            {p.can(REMOTE_REVEAL) ? (
              <form method="post" action={p.href(`/p/connect/remote-sessions/${session.id}/reveal`)} class="connect-inline"
                hx-post={p.href(`/p/connect/remote-sessions/${session.id}/reveal`)} hx-target={`#connect-remote-secret-${session.id}`} hx-swap="outerHTML">
                <button type="submit" class="button-small" aria-label={p.t('connect.remote.revealLabel', { tool, id: session.remote_id })}>{p.t('connect.remote.reveal')}</button>
              </form>
            ) : null}
          </span>
          <form method="post" action={p.href(`/p/connect/remote-sessions/${session.id}/wipe`)} class="connect-inline">
            <button type="submit" class="button-small" aria-label={p.t('connect.remote.removeLabel', { tool, id: session.remote_id })}>{p.t('connect.remote.remove')}</button>
          </form>
        </div>
      ) : (
        <div class="muted connect-remote-wiped">{p.t(`connect.remote.wiped.${session.wipe_reason ?? 'expired'}`, { date: formatDateTime(session.wiped_at ?? session.valid_until, p.dates) })}</div>
      )}
    </li>
  );
}

/** The add form; the password is never written back into it (a refused form asks for it again). */
export function RemoteSessionForm(props: { p: PanelProps }) {
  const { p } = props;
  const errors = p.errors ?? {};
  const values = p.values ?? {};
  const chosenHours = Number(values.valid_for ?? DEFAULT_HOURS);
  const field = (name: string) => (errors[name] ? <p class="field-error" id={`connect-remote-${name}-error`}>{errors[name]}</p> : null);
  return (
    <form method="post" action={p.href(`/p/connect/tickets/${p.ticketId}/remote-sessions`)} class="stack connect-remote-form" id="connect-remote-form" autocomplete="off">
      <div class="field">
        <label for="connect-remote-tool">{p.t('connect.remote.tool')}</label>
        <select name="tool" id="connect-remote-tool">{REMOTE_TOOLS.map((tool) => <option value={tool} selected={values.tool === tool}>{p.t(`connect.remote.tool.${tool}`)}</option>)}</select>
        {field('tool')}
      </div>
      <div class="field">
        <label for="connect-remote-id">{p.t('connect.remote.id')}</label>
        <input id="connect-remote-id" name="remote_id" value={values.remote_id ?? ''} maxlength={REMOTE_ID_MAX} required autocomplete="off" inputmode="text" />
        {field('remote_id')}
      </div>
      <div class="field">
        <label for="connect-remote-secret-input">{p.t('connect.remote.secret')}</label>
        <input id="connect-remote-secret-input" name="secret" type="password" maxlength={REMOTE_SECRET_MAX} required autocomplete="new-password" />
        {field('secret')}
      </div>
      <div class="field">
        <label for="connect-remote-valid">{p.t('connect.remote.validFor')}</label>
        <select name="valid_for" id="connect-remote-valid">{VALID_FOR_HOURS.map((hours) => <option value={String(hours)} selected={hours === chosenHours}>{hoursLabel(p.t, hours)}</option>)}</select>
        {field('valid_until')}
      </div>
      <button type="submit" class="button-small">{p.t('connect.remote.add')}</button>
    </form>
  );
}

export function RemotePanelBody(props: PanelProps) {
  const p = props;
  return (
    <section class="card stack connect-remote" id="connect-remote-sessions">
      <h2>{p.t('connect.remote.title')}</h2>
      {p.sessions.length === 0 ? <p class="muted" id="connect-remote-none">{p.t('connect.remote.none')}</p> : (
        <ul class="connect-remote-list">{p.sessions.map((session) => <SessionRow p={p} session={session} />)}</ul>
      )}
      {/* Folded once a session is stored (the panel stays short beside the ticket); open while empty or refused. */}
      {p.closed ? null : (
        <details class="connect-remote-add" open={p.sessions.length === 0 || Boolean(p.errors)}>
          <summary>{p.t('connect.remote.addTitle')}</summary>
          <RemoteSessionForm p={p} />
        </details>
      )}
      <p class="muted connect-remote-note">{p.t('connect.remote.note')}</p>
    </section>
  );
}

/**
 * The ticket page's side panel (TICKET_SIDE) for staff who may use remote sessions. A session shows as active
 * while its password is stored: the wipe job removes it within a minute of the validity's end, and a reveal
 * after the end is refused (and wipes it) by the store, which reads the services' clock.
 */
export async function RemoteSessionsPanel(ctx: SlotContext<TicketSlotProps>): Promise<Child> {
  if (!ctx.can(REMOTE_USE)) return null;
  const ticket = ctx.props.ticket;
  const rows = await pluginScope<RemoteDB>(ctx.scope.db, ctx.tenantId).selectFrom('connect_remote_sessions')
    .select(['id', 'ticket_id', 'tool', 'remote_id', 'valid_until', 'created_at', 'created_by_label', 'wiped_at', 'wipe_reason', 'secret_sealed'])
    .where('ticket_id', '=', ticket.id).orderBy('id', 'desc').limit(50).execute();
  const sessions = rows.map(({ secret_sealed: sealed, ...row }) => ({ ...row, active: sealed !== null }));
  return <RemotePanelBody t={ctx.t} dates={ctx.dates} href={ctx.href} can={ctx.can} ticketId={ticket.id} closed={ticket.status === 'closed'} sessions={sessions} />;
}
