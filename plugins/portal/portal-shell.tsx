import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { Toasts, directorySettings, href, isHtmx, tenantOf, type AppEnv } from '../../core/plugin-api.js';
import { PORTAL_NAV, type PortalNavItem } from './portal-nav.js';

/** The portal's own entries for a signed-in user. */
const OWN_NAV: PortalNavItem[] = [
  { id: 'requests', label: 'portal.nav.requests', href: '/portal/requests', order: 10 },
  { id: 'new', label: 'portal.nav.new', href: '/portal/requests/new', order: 20 },
];
const DIRECTORY_NAV: PortalNavItem = { id: 'directory', label: 'nav.directory', href: '/portal/directory', order: 30 };

/**
 * The navigation bar's entries: the portal's own for a signed-in user, and what the tenant's
 * enabled plugins provide at PORTAL_NAV for this viewer (a failing provider is logged and skipped).
 */
async function portalNav(c: Context<AppEnv>): Promise<PortalNavItem[]> {
  const tenantId = tenantOf(c).id;
  const person = c.var.person ?? null;
  const items = person ? [...OWN_NAV] : [];
  // The support directory, while the tenant shows it to portal users (core setting, Administration › Support contacts).
  if (person && (await directorySettings(c.var.services.db, tenantId)).portalVisible) items.push(DIRECTORY_NAV);
  for (const provider of await c.var.services.hooks.extensions(PORTAL_NAV, tenantId, c.var.enabledPlugins)) {
    try {
      items.push(...(await provider.items({ tenantId, person })));
    } catch (error) {
      c.var.services.log.warn('portal navigation provider failed', { tenantId, error: String(error) });
    }
  }
  // A stable sort: equal orders keep the portal's entries first, then the plugins' dependency order.
  return items.sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
}

/** The portal's own frame: the tenant's logo, colours and name, a phone-first header and nothing of the agent workspace. */
function PortalShell(props: { c: Context<AppEnv>; title: string; nav: PortalNavItem[]; children: Child }) {
  const { c } = props;
  const t = c.var.t;
  const tenant = tenantOf(c);
  const { assets } = c.var.services;
  const person = c.var.person;
  const current = c.req.path;
  return (
    <html lang={c.var.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"historyCacheSize":0}' />
        <title>{`${props.title} · ${tenant.name}`}</title>
        <link rel="icon" href={assets.url('favicon.svg')} type="image/svg+xml" />
        <link rel="stylesheet" href={assets.url('app.css')} />
        {/* The portal's own portal.css and that of the tenant's other plugins (their portal slots). */}
        {assets.pluginStyles(c.var.enabledPlugins).map((url) => <link rel="stylesheet" href={url} />)}
        <link rel="stylesheet" href={href(c, `/brand.css?v=${encodeURIComponent(tenant.primary_color + tenant.accent_color)}`)} />
        <script src={assets.url('htmx.min.js')} defer></script>
        <script src={assets.url('app.js')} defer></script>
      </head>
      <body class="portal">
        <a class="skip-link" href="#main">{t('app.skip')}</a>
        <header class="portal-bar">
          <div class="portal-bar-inner">
            <a class="portal-brand" href={href(c, '/portal')}>
              {tenant.logo_file ? <img src={href(c, `/logo?v=${tenant.logo_file.slice(0, 12)}`)} alt="" class="portal-logo" /> : null}
              <span>{tenant.name}</span>
            </a>
            {person ? (
              <form method="post" action={href(c, '/portal/logout')} class="portal-signout">
                <span class="portal-person" title={person.email ?? ''}>{person.name}</span>
                <button type="submit" class="link-button" id="portal-sign-out">{t('nav.signout')}</button>
              </form>
            ) : null}
            <form method="post" action={href(c, '/locale')} class="portal-lang">
              <label for="portal-lang" class="visually-hidden">{t('lang.label')}</label>
              <select name="locale" id="portal-lang" data-autosubmit>
                <option value="de" selected={c.var.locale === 'de'}>DE</option>
                <option value="en" selected={c.var.locale === 'en'}>EN</option>
              </select>
              <button type="submit" class="button-small js-hidden">{t('lang.switch')}</button>
            </form>
          </div>
          {props.nav.length ? (
            <nav class="portal-nav" aria-label={t('nav.menu')}>
              {props.nav.map((item) => (
                <a href={href(c, item.href)} id={`portal-nav-${item.id}`} aria-current={current === item.href ? 'page' : undefined}>{t(item.label)}</a>
              ))}
            </nav>
          ) : null}
        </header>
        <main id="main" class="portal-main">{props.children}</main>
        <footer class="portal-footer"><span>{tenant.name}</span></footer>
        <Toasts toasts={c.var.toasts} t={t} />
      </body>
    </html>
  );
}

export interface PortalRenderOptions {
  title: string;
  page: Child;
  /** What an htmx request swaps in; defaults to the page. */
  fragment?: Child;
  status?: 200 | 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429;
}

/** A full portal page, or for an htmx request only the fragment with toasts out-of-band (like core's render). */
export async function portalRender(c: Context<AppEnv>, options: PortalRenderOptions): Promise<Response> {
  c.header('Vary', 'HX-Request');
  c.header('Cache-Control', 'no-store');
  const status = options.status ?? 200;
  if (isHtmx(c)) {
    return c.html(<>{options.fragment ?? options.page}{c.var.toasts.length ? <Toasts toasts={c.var.toasts} t={c.var.t} oob /> : null}</>, status);
  }
  const nav = await portalNav(c);
  return c.html('<!doctype html>' + (<PortalShell c={c} title={options.title} nav={nav}>{options.page}</PortalShell>).toString(), status);
}

/** A portal page's heading with an optional lead line. */
export function PortalHead(props: { title: string; lead?: Child; actions?: Child }) {
  return (
    <div class="portal-head">
      <div>
        <h1>{props.title}</h1>
        {props.lead ? <p class="muted portal-lead">{props.lead}</p> : null}
      </div>
      {props.actions ? <div class="page-actions">{props.actions}</div> : null}
    </div>
  );
}
