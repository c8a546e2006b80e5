import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { Toasts, href, isHtmx, tenantOf, type AppEnv } from '../../core/plugin-api.js';

/** The portal's own frame: the tenant's logo, colours and name, a phone-first header and nothing of the agent workspace. */
function PortalShell(props: { c: Context<AppEnv>; title: string; children: Child }) {
  const { c } = props;
  const t = c.var.t;
  const tenant = tenantOf(c);
  const { assets } = c.var.services;
  const person = c.var.person;
  const current = c.req.path;
  const navLink = (path: string, label: string, id: string) => (
    <a href={href(c, path)} id={id} aria-current={current === path ? 'page' : undefined}>{label}</a>
  );
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
          {person ? (
            <nav class="portal-nav" aria-label={t('nav.menu')}>
              {navLink('/portal/requests', t('portal.nav.requests'), 'portal-nav-requests')}
              {navLink('/portal/requests/new', t('portal.nav.new'), 'portal-nav-new')}
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
export function portalRender(c: Context<AppEnv>, options: PortalRenderOptions): Response | Promise<Response> {
  c.header('Vary', 'HX-Request');
  c.header('Cache-Control', 'no-store');
  const status = options.status ?? 200;
  if (isHtmx(c)) {
    return c.html(<>{options.fragment ?? options.page}<Toasts toasts={c.var.toasts} t={c.var.t} oob /></>, status);
  }
  return c.html('<!doctype html>' + (<PortalShell c={c} title={options.title}>{options.page}</PortalShell>).toString(), status);
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
