import type { Child } from 'hono/jsx';
import { formatDateTime, type DateContext, type SlotContext, type TicketSlotProps, type Translate } from '../../core/plugin-api.js';
import { liveLock, type EditLock } from './lock-store.js';

/** Who may edit tickets (core's permission) may also hold and take over their locks. */
export const EDIT = 'tickets.edit';

/**
 * The page renews the lock while its user is active on it (keys, typing, pointer, scrolling; each at most every
 * 30 s), so an idle page lets it run out after the tenant's idle length. Each throttled trigger sends at once and
 * then at most once per 30 s. (No visibility condition: the app runs htmx with allowEval off.)
 */
const ACTIVITY = 'keydown from:body throttle:30s, input from:body throttle:30s, pointerdown from:body throttle:30s, scroll from:document throttle:30s';
/** Every page looks once a minute and at once when a lock changes elsewhere, without renewing anything. */
const LOOK = 'every 60s, sse:sla-lock';

export interface LockPanelProps {
  t: Translate;
  dates: DateContext;
  /** The plugin's ticket lock path (`/t/<tenant>/p/sla/tickets/<number>/lock`). */
  url: string;
  /** The lock as it holds now, or null. */
  lock: EditLock | null;
  viewerId: number | undefined;
  /**
   * The first rendering: with the page it asks for the lock as soon as the page is shown; after "stop editing"
   * (passive) it looks once more a second later, catching a colleague who took the lock while the panel was swapped.
   */
  initial?: boolean;
  /** After "stop editing": the panel only follows the lock (it takes none) until the viewer starts editing again. */
  passive?: boolean;
  /** The viewer's own lock ran out while their page was idle (nobody holds it now): they start again deliberately. */
  expired?: boolean;
}

/**
 * The lock panel in the ticket's side column: "you are editing", or "locked by X since 10:42" with a take-over
 * behind a confirmation (a details element: works without JavaScript). `data-lock` (`mine`, `other`, `free`)
 * lets the stylesheet show the ticket's forms read-only while a colleague holds the lock.
 */
export function LockPanel(props: LockPanelProps): Child {
  const { t, lock, url } = props;
  const state = !lock ? (props.expired && !props.passive ? 'expired' : 'free') : lock.userId === props.viewerId ? 'mine' : 'other';
  const time = (iso: string) => formatDateTime(iso, props.dates);
  const sync = 'closest section:drop';
  return (
    <section class="card sla-lock" id="sla-lock" data-lock={state} aria-live="polite">
      <h2>{t('sla.lock.title')}</h2>
      {/* Polls give way while the viewer's own click is on its way (a "stop editing" must not be undone by the refresh it causes). */}
      {props.initial && !props.passive ? <div hidden hx-post={url} hx-trigger="load" hx-target="#sla-lock" hx-swap="outerHTML" hx-sync={sync}></div> : null}
      {!props.passive && (state === 'mine' || state === 'free') ? (
        <div hidden data-lock-renew hx-post={`${url}?renew=1`} hx-trigger={ACTIVITY} hx-target="#sla-lock" hx-swap="outerHTML" hx-sync={sync}></div>
      ) : null}
      <div hidden hx-post={`${url}?${props.passive ? 'passive' : 'look'}=1`} hx-trigger={props.initial && props.passive ? `load delay:1s, ${LOOK}` : LOOK}
        hx-target="#sla-lock" hx-swap="outerHTML" hx-sync={sync}></div>
      {state === 'free' ? <p class="muted" id="sla-lock-text">{t('sla.lock.free')}</p> : null}
      {state === 'expired' ? <p id="sla-lock-text" class="sla-lock-expired">{t('sla.lock.idle')}</p> : null}
      {(state === 'free' && props.passive) || state === 'expired' ? (
        <form method="post" action={url} hx-post={url} hx-target="#sla-lock" hx-swap="outerHTML" hx-sync="closest section:replace">
          <button type="submit" class="button" id="sla-lock-start">{t('sla.lock.start')}</button>
        </form>
      ) : null}
      {state === 'mine' ? (
        <>
          <p id="sla-lock-text">{t('sla.lock.mine', { until: time(lock!.expiresAt) })}</p>
          <form method="post" action={`${url}/release`} hx-post={`${url}/release`} hx-target="#sla-lock" hx-swap="outerHTML" hx-sync="closest section:replace">
            <button type="submit" class="button" id="sla-lock-release">{t('sla.lock.release')}</button>
          </form>
        </>
      ) : null}
      {state === 'other' ? (
        <>
          <p id="sla-lock-text" class="sla-lock-other">{t('sla.lock.other', { who: lock!.label, since: time(lock!.since) })}</p>
          <details class="sla-lock-takeover">
            <summary id="sla-lock-takeover">{t('sla.lock.takeOver')}</summary>
            <form method="post" action={`${url}/take-over`} hx-post={`${url}/take-over`} hx-target="#sla-lock" hx-swap="outerHTML" hx-sync="closest section:replace" class="stack">
              <p>{t('sla.lock.takeOver.confirm', { who: lock!.label })}</p>
              <button type="submit" class="button-primary" id="sla-lock-confirm">{t('sla.lock.takeOver.button', { who: lock!.label })}</button>
            </form>
          </details>
        </>
      ) : null}
    </section>
  );
}

/** The side column's lock panel for those who may edit an open ticket (closed and deleted ones have nothing to lock). */
export async function TicketLockPanel(ctx: SlotContext<TicketSlotProps>): Promise<Child> {
  const { ticket } = ctx.props;
  if (!ctx.can(EDIT) || ctx.userId === undefined || ticket.status === 'closed' || ticket.deleted_at) return null;
  const lock = await liveLock(ctx.scope.db, ctx.tenantId, ticket.id, ctx.now.toISOString());
  // The page's first request takes the lock (or shows the colleague's); an expired lock of the viewer's own is taken afresh then.
  return <LockPanel t={ctx.t} dates={ctx.dates} url={ctx.href(`/p/sla/tickets/${ticket.number}/lock`)} lock={lock} viewerId={ctx.userId} initial />;
}
