import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { Shell, type NavEntry } from '../../views/layouts/shell.js';
import { Toasts } from '../../views/components/toasts.js';
import type { AppEnv } from './app-env.js';
import { href, isHtmx } from './guards.js';
import { slotContext } from '../plugin-host/slot-context.js';
import { SHELL_OVERLAY, USER_MENU } from '../plugin-host/slots.js';
import { visibleAdminSections } from '../plugin-host/admin-sections.js';

interface CoreNavItem {
  id: string; label: string; href: string; visible: (c: Context<AppEnv>) => boolean; order: number;
  /** Further paths this entry is current on (besides its href and what lies below it). */
  also?: string[];
  /** A count fragment shown beside the label, reloaded on this live event. */
  badge?: { href: string; event: string };
}

const CORE_NAV: CoreNavItem[] = [
  { id: 'dashboard', label: 'nav.dashboard', href: '/desk', visible: (c) => c.var.can('desk.use'), order: 0 },
  // The record pages of customers, contact persons and contracts are reached from tickets.
  { id: 'tickets', label: 'nav.tickets', href: '/desk/tickets', visible: (c) => c.var.can('tickets.view'), order: 10, also: ['/desk/organisations', '/desk/people', '/desk/contracts'] },
  { id: 'macros', label: 'macro.title', href: '/desk/macros', visible: (c) => Boolean(c.var.tenant) && c.var.can('tickets.edit'), order: 20 },
  // The unread badge reloads on every timeline event (the fragment counts only what this reader sees).
  { id: 'timeline', label: 'nav.timeline', href: '/desk/timeline', visible: (c) => Boolean(c.var.tenant) && c.var.can('desk.use'), order: 25, badge: { href: '/desk/timeline/count', event: 'timeline' } },
  { id: 'directory', label: 'nav.directory', href: '/desk/directory', visible: (c) => Boolean(c.var.tenant) && c.var.can('desk.use'), order: 27 },
  { id: 'statistics', label: 'nav.statistics', href: '/desk/statistics', visible: (c) => Boolean(c.var.tenant) && c.var.can('statistics.view'), order: 30 },
  { id: 'platform', label: 'nav.platform', href: '/platform', visible: (c) => !c.var.tenant && c.var.user?.role === 'operator', order: 950 },
];

/** How many entries the bar shows before plugins' secondary ones move under "More". */
const NAV_IN_BAR = 9;

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/**
 * Core entries plus those of the plugins this tenant has on, filtered by the user's permissions.
 * Administration is one entry, shown to whoever may open at least one section of it (the core's
 * or an enabled plugin's); it is also the current entry on a plugin's section page.
 */
export function navigation(c: Context<AppEnv>): NavEntry[] {
  if (!c.var.user) return [];
  const items: Array<{ id: string; label: string; href: string; order: number; also?: string[]; badge?: { href: string; event: string }; secondary?: boolean }> = CORE_NAV.filter((item) => item.visible(c));
  const path = c.req.path;
  let inAdmin = false;
  if (c.var.tenant) {
    const adminSections = visibleAdminSections(c.var.services.registry.plugins, c.var.enabledPlugins, c.var.can).flatMap((group) => group.sections);
    if (adminSections.length > 0) {
      items.push({ id: 'admin', label: 'nav.admin', href: '/admin', order: 900 });
      inAdmin = adminSections.some((section) => under(path, section.href));
    }
    for (const plugin of c.var.services.registry.plugins) {
      if (!c.var.enabledPlugins.has(plugin.id)) continue;
      for (const item of plugin.contributions.nav) {
        if (item.permission && !c.var.can(item.permission)) continue;
        items.push({ id: `${plugin.id}-${item.id}`, label: item.label, href: item.href, order: item.order ?? 100, secondary: !item.primary });
      }
    }
  }
  // Only the most specific entry is current: /desk/tickets is Tickets, not also the dashboard at /desk.
  let current: string | undefined = inAdmin ? '/admin' : undefined;
  let matched = 0;
  for (const item of inAdmin ? [] : items) {
    for (const prefix of [item.href, ...(item.also ?? [])]) {
      if (under(path, prefix) && prefix.length > matched) [current, matched] = [item.href, prefix.length];
    }
  }
  // With every plugin on, the bar took four lines at 1280 px: past NAV_IN_BAR entries, the plugins'
  // secondary ones (reports, lists an agent opens now and then) go under "More".
  const crowded = items.length > NAV_IN_BAR;
  return items
    .sort((a, b) => a.order - b.order)
    .map((item) => ({
      ...(crowded && item.secondary ? { more: true } : {}),
      id: item.id,
      label: c.var.t(item.label),
      href: href(c, item.href),
      active: item.href === current,
      ...(item.badge ? { badge: { href: href(c, item.badge.href), event: item.badge.event } } : {}),
    }));
}

export interface RenderOptions {
  title: string;
  /** The whole page body, shown inside the Shell. */
  page: Child;
  /** What an htmx request swaps in; defaults to the page body. */
  fragment?: Child;
  status?: 200 | 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500;
  live?: string;
}

/**
 * A full page, or for a real htmx request only the fragment with toasts out-of-band.
 * History restores get the full page, since htmx swaps it into the body.
 */
export function render(c: Context<AppEnv>, options: RenderOptions): Response | Promise<Response> {
  c.header('Vary', 'HX-Request');
  const t = c.var.t;
  const status = options.status ?? 200;
  if (isHtmx(c)) {
    return c.html(
      <>
        {options.fragment ?? options.page}
        {/* Only a fragment with toasts of its own replaces the region: an empty one would wipe the toast the page
            came with as soon as a panel of it loads (seen after restoring a ticket). */}
        {c.var.toasts.length ? <Toasts toasts={c.var.toasts} t={t} oob /> : null}
      </>,
      status,
    );
  }
  // The enabled plugins' entries of the staff user menu (no I/O while none fills it); a view may show nothing.
  if (c.var.tenant && c.var.user) {
    const filled = (items: Child[]) => items.filter((item) => item !== null && item !== undefined && item !== false && item !== '');
    return Promise.all([c.var.services.hooks.slot(USER_MENU, slotContext(c, {})), c.var.services.hooks.slot(SHELL_OVERLAY, slotContext(c, {}))])
      .then(([menu, overlay]) => fullPage(c, options, status, filled(menu), filled(overlay)));
  }
  return fullPage(c, options, status, [], []);
}

/** The page in the Shell. */
function fullPage(c: Context<AppEnv>, options: RenderOptions, status: NonNullable<RenderOptions['status']>, userMenu: Child[], overlay: Child[]): Response | Promise<Response> {
  const t = c.var.t;
  const tenant = c.var.tenant;
  const { assets } = c.var.services;
  const user = c.var.user;
  return c.html(
    '<!doctype html>' +
      (
        <Shell
          title={options.title}
          locale={c.var.locale}
          t={t}
          asset={(name) => assets.url(name)}
          pluginStyles={tenant ? assets.pluginStyles(c.var.enabledPlugins) : []}
          brand={{
            name: tenant?.name ?? t('app.name'),
            css: tenant ? href(c, `/brand.css?v=${encodeURIComponent(tenant.primary_color + tenant.accent_color)}`) : undefined,
            logo: tenant?.logo_file ? href(c, `/logo?v=${tenant.logo_file.slice(0, 12)}`) : undefined,
            home: href(c, user ? (tenant ? '/desk' : '/platform') : '/'),
          }}
          nav={navigation(c)}
          user={user ? { name: user.name, accountHref: href(c, '/account'), signOutAction: href(c, '/logout'), menu: userMenu } : undefined}
          languageAction={href(c, '/locale')}
          toasts={c.var.toasts}
          live={options.live ?? (tenant && user ? href(c, '/events') : undefined)}
          overlay={overlay}
          notifications={tenant && user ? { href: href(c, '/desk/notifications'), countHref: href(c, '/desk/notifications/count'), toastsHref: href(c, '/desk/notifications/toasts'), label: t('notify.title') } : undefined}
        >
          {options.page}
        </Shell>
      ).toString(),
    status,
  );
}

/** Adds a toast to this response (shown out-of-band for htmx, in the page otherwise). */
export function toast(c: Context<AppEnv>, kind: 'success' | 'error' | 'info', text: string): void {
  c.var.toasts.push({ kind, text });
}
