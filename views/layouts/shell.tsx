import type { Child } from 'hono/jsx';
import type { Locale, Translate } from '../../core/i18n/translate.js';
import { Toasts, type Toast } from '../components/toasts.js';

export interface NavEntry {
  id: string;
  label: string;
  href: string;
  active: boolean;
  /** A count beside the label (e.g. unread timeline posts): loaded from href, reloaded on the live event. */
  badge?: { href: string; event: string } | undefined;
  /** Under "More": plugins' entries that are not primary, once the bar holds too many (core/http/render.tsx). */
  more?: boolean | undefined;
}

export interface ShellProps {
  title: string;
  locale: Locale;
  t: Translate;
  asset: (name: string) => string;
  /** The stylesheets of the plugins the tenant has on, linked after core's. */
  pluginStyles: string[];
  brand: { name: string; css?: string; logo?: string; home: string };
  nav: NavEntry[];
  /** `menu`: plugins' entries (slot shell.userMenu); with any, the name opens a menu of the account link and them. */
  user?: { name: string; accountHref: string; signOutAction: string; menu?: Child[] | undefined } | undefined;
  languageAction: string;
  toasts: Toast[];
  /** The SSE endpoint; <body> connects to it so live pages and the bell share one EventSource per page. */
  live?: string | undefined;
  /** The notification bell of signed-in staff: the list page and the unread-count fragment. */
  notifications?: { href: string; countHref: string; label: string; toastsHref?: string | undefined } | undefined;
  /** The plugins' views of the slot shell.overlay (live pop-ups), after everything else in the body. */
  overlay?: Child[] | undefined;
  children: Child;
}

/** The frame of every page: branded header, navigation, language switch, #main and #toasts. */
/**
 * What a live counter or list on every page reloads on: the page's load, its live event, and each time the live
 * channel (re)opens, because an event sent while the page was connecting, or while a dropped connection was
 * re-established, is never delivered (an agent would otherwise miss a forwarding until the next page).
 */
const LIVE_TRIGGER = (event: string) => `load, sse:${event}, htmx:sseOpen from:body`;

/** The areas whose tables become cards on a phone (static/table-cards.js labels their cells): administration and the operator's pages. */
const CARD_AREAS = new Set(['admin', 'platform']);

function NavLink({ entry }: { entry: NavEntry }) {
  return (
    <a href={entry.href} id={`nav-${entry.id}`} aria-current={entry.active ? 'page' : undefined}>{entry.label}{entry.badge ? (
      <span class="nav-badge-slot" hx-get={entry.badge.href} hx-trigger={LIVE_TRIGGER(entry.badge.event)} hx-swap="innerHTML"></span>
    ) : null}</a>
  );
}

export function Shell(props: ShellProps) {
  const { t } = props;
  const more = props.nav.filter((entry) => entry.more);
  // Administration last, after "More".
  const ordered = more.length ? [...props.nav.filter((entry) => !entry.more && entry.id !== 'admin'), ...more, ...props.nav.filter((entry) => entry.id === 'admin')] : props.nav;
  const firstMore = ordered.findIndex((entry) => entry.more);
  const area = props.nav.find((entry) => entry.active)?.id;
  return (
    <html lang={props.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"historyCacheSize":0}' />
        <title>{`${props.title} · ${props.brand.name}`}</title>
        <link rel="icon" href={props.asset('favicon.svg')} type="image/svg+xml" />
        <link rel="stylesheet" href={props.asset('app.css')} />
        {props.pluginStyles.map((url) => <link rel="stylesheet" href={url} />)}
        {props.brand.css ? <link rel="stylesheet" href={props.brand.css} /> : null}
        <script src={props.asset('htmx.min.js')} defer></script>
        <script src={props.asset('htmx-ext-sse.js')} defer></script>
        <script src={props.asset('app.js')} defer></script>
        <script src={props.asset('table-cards.js')} defer></script>
        <script src={props.asset('text-modules.js')} defer></script>
        <script src={props.asset('composer.js')} defer></script>
        <script src={props.asset('ticket-live.js')} defer></script>
      </head>
      <body hx-ext="sse" {...(props.live ? { 'sse-connect': props.live } : {})} {...(area && CARD_AREAS.has(area) ? { 'data-area': area } : {})}>
        <a class="skip-link" href="#main">{t('app.skip')}</a>
        <header class="topbar">
          <a class="brand" href={props.brand.home}>
            {props.brand.logo ? <img src={props.brand.logo} alt="" class="brand-logo" /> : null}
            <span class="brand-name" title={props.brand.name}>{props.brand.name}</span>
          </a>
          {props.notifications ? (
            <a class="bell" id="nav-bell" href={props.notifications.href} title={props.notifications.label}>
              <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" /></svg>
              <span class="bell-slot" hx-get={props.notifications.countHref} hx-trigger={LIVE_TRIGGER('notification')} hx-swap="innerHTML">
                <span class="visually-hidden">{props.notifications.label}</span>
              </span>
            </a>
          ) : null}
          <input type="checkbox" id="nav-toggle" class="nav-toggle" aria-label={t('nav.menu')} />
          <label for="nav-toggle" class="nav-toggle-label" aria-hidden="true">☰</label>
          <nav class="nav" aria-label={t('nav.menu')}>
            <ul>
              {ordered.map((entry, index) => (entry.more
                // The "More" menu comes after the everyday entries, before Administration.
                ? (index === firstMore ? (
                  <li class="nav-more">
                    <details class="nav-more-menu" data-menu>
                      <summary id="nav-more" aria-current={more.some((m) => m.active) ? 'page' : undefined}>{t('nav.more')}</summary>
                      <ul class="nav-more-list">{more.map((m) => <li><NavLink entry={m} /></li>)}</ul>
                    </details>
                  </li>
                ) : null)
                : <li><NavLink entry={entry} /></li>))}
            </ul>
            <div class="nav-tools">
              <form method="post" action={props.languageAction} class="lang-form">
                <label for="lang-select" class="visually-hidden">{t('lang.label')}</label>
                <select name="locale" id="lang-select" data-autosubmit>
                  <option value="de" selected={props.locale === 'de'}>{t('lang.de')}</option>
                  <option value="en" selected={props.locale === 'en'}>{t('lang.en')}</option>
                </select>
                <button type="submit" class="button-small js-hidden">{t('lang.switch')}</button>
              </form>
              {props.user ? (
                <div class="user-menu">
                  {props.user.menu?.length ? (
                    <details class="user-menu-more" id="user-menu" data-menu="">
                      <summary id="nav-user">{props.user.name}</summary>
                      <ul class="user-menu-list" aria-label={t('nav.userMenu')}>
                        <li><a href={props.user.accountHref} id="nav-account">{t('nav.account')}</a></li>
                        {props.user.menu.map((item) => <li>{item}</li>)}
                      </ul>
                    </details>
                  ) : <a href={props.user.accountHref} id="nav-account">{props.user.name}</a>}
                  <form method="post" action={props.user.signOutAction}>
                    <button type="submit" class="link-button" id="sign-out">{t('nav.signout')}</button>
                  </form>
                </div>
              ) : null}
            </div>
          </nav>
        </header>
        <main id="main">{props.children}</main>
        <Toasts toasts={props.toasts} t={t} />
        {props.notifications?.toastsHref ? (
          <div id="sticky-toasts" class="toasts toasts-sticky" role="status" aria-live="polite" hx-get={props.notifications.toastsHref} hx-trigger={LIVE_TRIGGER('notification')} hx-swap="innerHTML"></div>
        ) : null}
        {props.overlay?.length ? props.overlay : null}
      </body>
    </html>
  );
}
