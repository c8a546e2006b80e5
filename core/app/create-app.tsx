import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createLoginThrottle } from '../auth/login-throttle.js';
import { createSessionStore } from '../auth/session-store.js';
import { seatMessages } from '../auth/seat-messages.js';
import { seatsPanel } from '../statistics/seats-panel.js';
import { createSignedLinks } from '../auth/signed-links.js';
import { createAuditLog } from '../audit-log.js';
import { createApiRateLimiter } from '../api/api-rate-limit.js';
import { createFileStore } from '../files/file-store.js';
import { blobStoreFor } from '../files/blob-store-for.js';
import { de } from '../i18n/messages-de.js';
import { en } from '../i18n/messages-en.js';
import { createCatalog } from '../i18n/translate.js';
import { DateFormats, dateContext } from '../i18n/format.js';
import { timeZoneMessages } from '../i18n/time-zone-messages.js';
import { auditActionRegistry } from '../audit/audit-actions.js';
import { notificationKindRegistry } from '../notifications/notification-kinds.js';
import { statisticsPanelRegistry, type StatisticsPanels } from '../statistics/statistics-panels.js';
import { statisticsMessages } from '../statistics/statistics-messages.js';
import { kpiMessages } from '../statistics/kpi-messages.js';
import { timelineMessages } from '../timeline/timeline-messages.js';
import { directoryMessages } from '../directory/directory-messages.js';
import { hotlinePanel } from '../statistics/hotline-panel.js';
import type { LabelledCodes } from '../plugin-host/labelled-codes.js';
import { startPage } from '../http/start-page.js';
import { buildPermissionTable, type PermissionTable } from '../permissions.js';
import type { PluginRegistry } from '../plugin-host/registry.js';
import { createPluginHooks, type PluginHooks } from '../plugin-host/plugin-hooks.js';
import { TenantDirectory } from '../tenancy/tenant-directory.js';
import { Page } from '../../views/components/page.js';
import type { AppDeps, AppEnv, Services } from '../http/app-env.js';
import { createReadiness, STARTING_PAGE, STARTING_RETRY_SECONDS } from '../http/readiness.js';
import { textHygiene } from '../http/middleware/text-hygiene.js';
import { parseTrustedProxies } from '../http/client-address.js';
import { takeFlash } from '../http/flash.js';
import { requireTenant, requirePlugin, requireUser, isHtmx } from '../http/guards.js';
import { HttpError, toHttpError } from '../http/http-error.js';
import { csrfProtection } from '../http/middleware/csrf.js';
import { securityHeaders } from '../http/middleware/security-headers.js';
import { sessionLoader } from '../http/middleware/session.js';
import { routingPath, tenantResolution } from '../http/middleware/tenant-resolution.js';
import { pathIdBounds } from '../http/middleware/path-ids.js';
import { render } from '../http/render.js';
import { loadStaticAssets, type StaticAssets } from '../http/static-assets.js';
import { coreRoutes } from '../routes/index.js';
import { adminMessages } from '../routes/admin/messages.js';
import { adminPageMessages } from '../routes/admin/admin-page-messages.js';
import { platformMessages } from '../routes/platform/messages.js';
import { outboxMessages } from '../routes/platform/outbox-messages.js';
import { layoutMessages } from '../../views/layouts/layout-messages.js';
import { ticketMessages } from '../tickets/messages.js';
import { ticketVersionMessages } from '../tickets/ticket-version-messages.js';
import { createPresenceRegistry } from '../presence/presence-registry.js';
import { ticketPageMessages } from '../routes/desk/ticket-page-messages.js';
import { listMessages } from '../routes/desk/list-messages.js';
import { viewMessages } from '../routes/desk/view-messages.js';
import { bulkMessages } from '../routes/desk/bulk-messages.js';
import { contextMessages } from '../routes/desk/context-messages.js';
import { apiMessages } from '../api/api-messages.js';
import { workspaceMessages } from '../routes/desk/workspace-messages.js';
import { replyToolsMessages } from '../routes/desk/reply-tools-messages.js';
import { followupMessages } from '../routes/desk/followup-messages.js';
import { ticketConfigMessages } from '../routes/admin/ticket-config-messages.js';
import { pickerMessages } from '../routes/desk/picker-messages.js';
import { recordMessages } from '../routes/desk/record-messages.js';
import { composerMessages } from '../routes/desk/composer-messages.js';

declare module '../http/app-env.js' {
  /** The services that need the plugin host or the static assets (which name AppEnv themselves). */
  interface Services {
    registry: PluginRegistry;
    permissions: PermissionTable;
    assets: StaticAssets;
    /** Runs the tenant's enabled plugins' filters, handlers, slots and provides. */
    hooks: PluginHooks;
    // Registries the core and the installed plugins contribute to (merged at start; a clash stops it).
    /** Audit actions with their labels, for the audit pages. */
    auditActions: LabelledCodes;
    /** Notification kinds with their labels, for the notification list. */
    notificationKinds: LabelledCodes;
    /** The Statistics page's panels. */
    statisticsPanels: StatisticsPanels;
  }
}

const MAX_BODY_BYTES = 1024 * 1024;
/** Uploads (logos now, attachments later) get more room than forms. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export function buildServices(registry: PluginRegistry, deps: AppDeps): Services {
  const db = deps.database.db;
  const assets = loadStaticAssets(registry.plugins);
  const tenants = new TenantDirectory(db);
  const permissions = buildPermissionTable(registry);
  const services: Services = {
    ...deps,
    db,
    registry,
    permissions,
    catalog: createCatalog([{ en, de }, adminMessages, adminPageMessages, platformMessages, outboxMessages, ticketMessages, ticketVersionMessages, ticketPageMessages, listMessages, viewMessages, bulkMessages, contextMessages, recordMessages, apiMessages, workspaceMessages, replyToolsMessages, followupMessages, ticketConfigMessages, pickerMessages, timeZoneMessages, statisticsMessages, kpiMessages, timelineMessages, directoryMessages, seatMessages, layoutMessages, composerMessages, ...registry.plugins.flatMap((p) => (p.messages ? [p.messages] : []))]),
    tenants,
    sessions: createSessionStore(db, deps.clock, deps.database.dialect),
    throttle: createLoginThrottle(db, deps.clock),
    links: createSignedLinks(db, deps.config.secret, deps.clock),
    audit: createAuditLog(db),
    files: createFileStore(db, blobStoreFor(deps.config), deps.log),
    // Shared in the database where several instances may serve it (PostgreSQL); in memory on SQLite (one process).
    apiLimiter: createApiRateLimiter(deps.clock, deps.config.apiRateLimits, deps.database.dialect === 'postgres' ? db : undefined),
    assets,
    dateFormats: new DateFormats(),
    trustedProxies: parseTrustedProxies(deps.config.trustedProxies.join(",")),
    presence: createPresenceRegistry(deps.events, deps.clock),
    hooks: createPluginHooks(registry, { enabledPlugins: (tenantId, trx) => tenants.enabledPlugins(tenantId, trx), log: deps.log, services: () => services }),
    auditActions: auditActionRegistry(registry),
    notificationKinds: notificationKindRegistry(registry),
    statisticsPanels: statisticsPanelRegistry(registry, permissions, [hotlinePanel, seatsPanel(deps.clock)]),
  };
  return services;
}

function errorPage(c: Context<AppEnv>, status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500, message: string, title = c.var.t('error.title')) {
  if (c.req.path.startsWith('/api/')) return c.json({ error: { code: status === 500 ? 'internal' : new HttpError(status, message).code, message, fields: {} } }, status);
  if (isHtmx(c)) {
    // A failed partial request shows its message in the toast region instead of the swap target.
    c.header('HX-Retarget', '#toasts');
    c.header('HX-Reswap', 'innerHTML');
    return c.html(<div class="toast toast-error" role="alert">{message}</div>, status);
  }
  return render(c, { title, status, page: <Page title={title}><p class="error-message">{message}</p><p><a href={startPage(c)} class="button" id="error-start">{c.var.t('error.toStart')}</a></p></Page> });
}

/**
 * Passes a switched-off plugin's route on to the next handler, noting whose page it was (for the 404); a
 * middleware (method ALL) is no page of its own and names nobody.
 */
function skipOff(c: Context<AppEnv>, next: () => Promise<void>, pluginId: string | undefined): Promise<void> {
  if (pluginId && c.var.tenant && !c.var.offPlugin) c.set('offPlugin', pluginId);
  return next();
}

/** Builds the whole HTTP application from a frozen plugin registry and the process's dependencies. */
export function createApp(registry: PluginRegistry, deps: AppDeps) {
  const services = buildServices(registry, deps);
  const readiness = deps.readiness ?? createReadiness(true);
  // c.req.path is this routing path too, so `/t/<slug>/api/…` counts as an /api/ path for JSON errors.
  const app = new Hono<AppEnv>({ getPath: routingPath });

  app.use(async (c, next) => {
    const started = performance.now();
    c.set('requestId', c.req.header('X-Request-Id')?.slice(0, 64) ?? randomUUID());
    c.set('services', services);
    c.set('toasts', []);
    c.set('t', services.catalog.translator('en'));
    c.set('locale', 'en');
    c.set('dates', dateContext(services.dateFormats, 'en', undefined));
    c.set('can', () => false);
    c.set('base', '');
    c.set('enabledPlugins', new Set());
    await next();
    c.header('X-Request-Id', c.var.requestId);
    services.log.debug('request', { id: c.var.requestId, method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) });
  });
  app.use(securityHeaders);

  app.get('/healthz', async (c) => {
    let database = 'ok';
    try {
      await services.db.selectFrom('meta').select('key').limit(1).execute();
    } catch {
      database = 'unavailable';
    }
    c.header('Cache-Control', 'no-store');
    return c.json({ status: database === 'ok' ? 'ok' : 'degraded', database, dialect: services.database.dialect, version: services.config.version }, database === 'ok' ? 200 : 503);
  });
  // Ready: migrated, first start done, database reachable (container health checks and load balancers ask this).
  app.get('/readyz', async (c) => {
    c.header('Cache-Control', 'no-store');
    if (!readiness.ready) {
      c.header('Retry-After', String(STARTING_RETRY_SECONDS));
      return c.json({ status: 'starting' }, 503);
    }
    try {
      await services.db.selectFrom('meta').select('key').limit(1).execute();
    } catch {
      return c.json({ status: 'unavailable', database: 'unavailable' }, 503);
    }
    return c.json({ status: 'ready' }, 200);
  });
  services.assets.mount(app);
  // Until the first start is done, every other route says so (a sign-in then would find no account yet).
  app.use(async (c, next) => {
    if (readiness.ready) return next();
    c.header('Retry-After', String(STARTING_RETRY_SECONDS));
    c.header('Cache-Control', 'no-store');
    if (c.req.path.startsWith('/api/')) return c.json({ error: { code: 'starting', message: 'Tresen is starting; try again in a moment.', fields: {} } }, 503);
    return c.html(STARTING_PAGE, 503);
  });

  app.use(tenantResolution);
  // Forms and API bodies are small; only multipart uploads get the larger limit.
  const tooLarge = (c: Context<AppEnv>): never => { throw new HttpError(413, c.var.t('error.tooLarge')); };
  const formLimit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });
  const uploadLimit = bodyLimit({ maxSize: MAX_UPLOAD_BYTES, onError: tooLarge });
  app.use((c, next) => (c.req.header('Content-Type')?.startsWith('multipart/form-data') ? uploadLimit(c, next) : formLimit(c, next)));
  app.use(textHygiene);
  app.use(pathIdBounds);
  app.use(sessionLoader);
  app.use(csrfProtection);
  app.use(async (c, next) => {
    takeFlash(c);
    return next();
  });

  coreRoutes(app, registry);

  for (const plugin of registry.plugins) {
    const { routes, portalRoutes, publicRoutes } = plugin.contributions;
    if (routes.length) {
      const sub = new Hono<AppEnv>();
      sub.use(requireTenant, requirePlugin(plugin.id), requireUser);
      for (const mount of routes) mount(sub);
      app.route(`/p/${plugin.id}`, sub);
    }
    if (portalRoutes.length) {
      // Several plugins share /portal: a switched-off plugin's handlers are skipped (next),
      // not answered with 404, so its middleware cannot hide another plugin's pages.
      const sub = new Hono<AppEnv>();
      for (const mount of portalRoutes) mount(sub);
      const guarded = new Hono<AppEnv>();
      const isOn = (c: Context<AppEnv>) => Boolean(c.var.tenant && c.var.enabledPlugins.has(plugin.id));
      for (const route of sub.routes) {
        guarded.on(route.method, route.path, (c, next) => (isOn(c) ? route.handler(c, next) : skipOff(c, next, route.method === 'ALL' ? undefined : plugin.id)) as Promise<Response | void>);
      }
      app.route('/portal', guarded);
    }
    if (publicRoutes.length) {
      // Public pages at the tenant's root, guarded like portal routes: skipped (next) while the plugin is off.
      const sub = new Hono<AppEnv>();
      for (const mount of publicRoutes) mount(sub);
      const isOn = (c: Context<AppEnv>) => Boolean(c.var.tenant && c.var.enabledPlugins.has(plugin.id));
      for (const route of sub.routes) {
        app.on(route.method, route.path, (c, next) => (isOn(c) ? route.handler(c, next) : skipOff(c, next, route.method === 'ALL' ? undefined : plugin.id)) as Promise<Response | void>);
      }
    }
  }

  app.notFound((c) => {
    // `/t/demo/portal/` is what people type and bookmark: send them to the page without the slash.
    // Only a path that is not found is redirected, and never to `//host` (an open redirect).
    const url = new URL(c.req.url);
    const trimmed = url.pathname.replace(/\/+$/, '');
    if ((c.req.method === 'GET' || c.req.method === 'HEAD') && trimmed !== url.pathname && trimmed.startsWith('/') && !trimmed.startsWith('//')) {
      return c.redirect(`${trimmed}${url.search}`, 308);
    }
    // A page of a plugin the tenant switched off (an old link, a bookmark): say it is not offered, not "does not exist".
    const off = c.var.offPlugin ? registry.get(c.var.offPlugin) : undefined;
    // Headed as what it is (nothing went wrong).
    if (off && c.var.tenant) return errorPage(c, 404, c.var.t('error.notOffered', { name: c.var.t(off.name) }), c.var.t('error.notOfferedTitle'));
    return errorPage(c, 404, c.var.t('error.notFound'));
  });
  app.onError((thrown, c) => {
    const error = toHttpError(thrown);
    if (error) {
      // Some plugins' refusals carry a message key (e.g. 'error.notFound') instead of words: shown in the reader's language.
      const message = services.catalog.has(error.message) ? c.var.t(error.message) : error.message;
      if (c.req.path.startsWith('/api/')) {
        return c.json({ error: { code: error.code, message, fields: error.fields } }, error.status);
      }
      return errorPage(c, error.status, message);
    }
    services.log.error('unhandled error', { id: c.var.requestId, path: c.req.path, error: thrown instanceof Error ? thrown.stack : String(thrown) });
    return errorPage(c, 500, c.var.t('error.server'));
  });

  return { app, services, readiness };
}
export type TresenApp = ReturnType<typeof createApp>;
