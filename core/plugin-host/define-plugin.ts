import type { Hono } from 'hono';
import type { Kysely, Migration } from 'kysely';
import type { z } from 'zod';
import type { Child } from 'hono/jsx';
import type { AppEnv, Services } from '../http/app-env.js';
import type { PermissionKey } from '../permission-key.js';
import type { RecordKind } from '../records/record-kinds.js';
import type { Locale, Messages, Translate } from '../i18n/translate.js';
import type { DateContext } from '../i18n/format.js';
import type { JobContext } from '../jobs/job-types.js';
import type { Leases } from '../jobs/leases.js';
import type { DB } from '../db/schema.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { PluginCliCommand } from '../cli/plugin-cli.js';
import type { AnyApiRoute } from '../api/openapi.js';
import type { EventPayload, EventRef, ExtensionPointRef, SlotRef } from './refs.js';
import type { Label } from '../i18n/label.js';

export type { EventPayload } from './refs.js';

export interface NavItem {
  id: string;
  /** Message key; the plugin's catalog or the core's. */
  label: string;
  /** Path inside the tenant, e.g. `/p/helpdesk/mails`. */
  href: string;
  permission?: PermissionKey;
  order?: number;
  /**
   * Kept in the bar when the entries are many; the others then sit under "More" (an agent's
   * everyday pages are primary, reports and admin-like lists are not).
   */
  primary?: boolean;
}

/**
 * The groups of the tenant's Administration page (`/admin`), in this order. A plugin's section
 * without a group gets one of its own, headed by the plugin's name, after these.
 */
export const ADMIN_GROUPS = ['customers', 'team', 'tickets', 'channels', 'tenant'] as const;
export type AdminGroup = (typeof ADMIN_GROUPS)[number];

/**
 * An entry of the tenant's Administration page: a plugin's settings or catalogue page, declared in
 * `adminSections` of `definePlugin` (never as a nav item: the top navigation shows one
 * "Administration" entry for whoever may open at least one section). The host merges the core's
 * and the installed plugins' sections when it builds the registry and refuses to start when two
 * share an id or an href (PluginRegistryError naming both). A section shows only while the tenant
 * has the plugin on and only to users holding `permission`; its page must check that permission too.
 */
export interface AdminSection {
  /** Unique among the core's and every installed plugin's sections (prefix it with the plugin id). */
  id: string;
  /** Message key of the section's title (the plugin's catalog or the core's). */
  label: string;
  /** Message key of one line saying what is set up there. */
  description?: string;
  /** Path inside the tenant, e.g. `/p/portal/settings`. */
  href: string;
  /** Who sees the section: a permission the plugin declares (or a core one). */
  permission: PermissionKey;
  /** One of the core's groups; left out, the plugin's own group. */
  group?: AdminGroup;
  /** Order inside its group (lower first; the core's sections use 10, 20, …). */
  order?: number;
}

/** What a slot view gets from the page that renders it (built by `slotContext(c, props)`). */
export interface SlotContext<Props = unknown> {
  tenantId: number;
  /** What the host page passes, typed by the slot's reference (e.g. the ticket shown). */
  props: Props;
  t: Translate;
  locale: Locale;
  /** The viewer's language and the tenant's zone, for formatDateTime. */
  dates: DateContext;
  /** A path inside the tenant as a link the browser can follow. */
  href: (path: string) => string;
  /** The viewer's permissions: a slot shows only what its viewer may see. */
  can: (permission: PermissionKey) => boolean;
  /** The signed-in staff user viewing (undefined on the portal and outside a request), e.g. to tell their own lock from a colleague's. */
  userId?: number | undefined;
  /** The request's switched-on plugins, when a request resolved them already (saves a revision read per slot). */
  enabledPlugins?: ReadonlySet<string>;
  /** Tenant-scoped reads for views that show the tenant's data. */
  scope: TenantScope;
  /** The request's instant from the app's clock: "now" for clocks, windows and periods (a test's clock reaches the view). */
  now: Date;
}
export type SlotView<Props = unknown> = (ctx: SlotContext<Props>) => Child | Promise<Child>;

export interface PluginJob {
  id: string;
  /** RFC 5545 recurrence rule, e.g. `FREQ=MINUTELY;INTERVAL=5`. Run once per tenant that has the plugin on. */
  schedule: string;
  /** `ctx.services` is set when the server runs the job (the process's services, as handlers see them). */
  run: (ctx: JobContext) => Promise<void>;
}

/**
 * What a worker gets: the process's services, a signal that fires when the server stops, and leases
 * (owned by this process) for work that only one of several instances may do at a time.
 */
export interface WorkerContext {
  services: Services;
  signal: AbortSignal;
  leases: Leases;
}

/**
 * A long-lived task the server runs once per process beside the HTTP server (e.g. an IMAP IDLE
 * watcher). It decides itself which tenants it serves (only those with the plugin on); durable
 * work belongs in jobs, a worker only makes it happen sooner. `start` returns when it is running.
 */
export interface PluginWorker {
  id: string;
  start(ctx: WorkerContext): Promise<{ stop(): Promise<void> }>;
}

export interface FilterContext {
  event: string;
  /** The caller's transaction: writes here commit or roll back with the change being filtered. */
  trx: Kysely<DB>;
  /** The same transaction, scoped to the payload's tenant. */
  scope: TenantScope;
}
/** May change the payload in place; throwing vetoes the change. */
export type FilterHandler<P extends EventPayload = EventPayload> = (payload: P, ctx: FilterContext) => void | Promise<void>;
/** What an after-commit handler gets: the event's name and the host's services (database, mailer, signed links, catalog…). */
export interface EventContext { event: string; services: Services }
export type EventHandler<P extends EventPayload = EventPayload> = (payload: P, ctx: EventContext) => void | Promise<void>;

export interface PermissionDeclaration {
  key: PermissionKey;
  /** Staff roles that hold it by default. */
  roles: Array<'admin' | 'supervisor' | 'agent'>;
  /** What it allows, as the roles overview shows it, e.g. `{ en: 'Read mails', de: 'Mails lesen' }`. */
  label: Label;
}

// Statistics panels: shown on the staff Statistics page (/desk/statistics) after the core's, for tenants that have the plugin on.
/** What a panel gets: the request's tenant, language, links, the viewer's permissions and tenant-scoped reads. */
/** The period the Statistics page shows (chosen in its URL; tenant calendar days, both included). */
export interface StatisticsPeriod { preset: 'today' | '7d' | '30d' | 'custom'; from: string; to: string; days: readonly string[] }
export type StatisticsPanelContext = SlotContext<{ period: StatisticsPeriod }>;
export interface StatisticsPanel {
  /** Unique within the plugin; the page's element id is `stat-<plugin id>-<id>`. */
  id: string;
  /** The panel's heading. */
  label: Label;
  /** Shown only to viewers who hold it (the page itself needs `statistics.view`); a plugin's own permission must be declared. */
  permission?: PermissionKey;
  render(ctx: StatisticsPanelContext): Child | Promise<Child>;
}

export interface PluginApi {
  routes(mount: (app: Hono<AppEnv>) => void): void;
  /** Routes for portal users, mounted under the tenant's portal. */
  portalRoutes(mount: (app: Hono<AppEnv>) => void): void;
  /**
   * Pages anyone may open without signing in, at the tenant's root (`/help/…` serves `/t/<slug>/help/…`),
   * e.g. a public help centre. Core's own paths win; a switched-off plugin's handlers are skipped (404).
   * Mount only paths of your own (no catch-all middleware): they sit beside every other plugin's.
   */
  publicRoutes(mount: (app: Hono<AppEnv>) => void): void;
  nav(item: NavItem): void;
  /** Renders `view` where a page shows `slot`, for tenants that have this plugin on (lower `order` first). */
  slot<Props>(slot: SlotRef<Props>, view: SlotView<Props>, order?: number): void;
  job(job: PluginJob): void;
  /** Runs inside the transaction; may change the payload or throw to veto. */
  filter<P extends EventPayload>(event: EventRef<P>, handler: FilterHandler<P>): void;
  /** Runs after commit. */
  on<P extends EventPayload>(event: EventRef<P>, handler: EventHandler<P>): void;
  /**
   * Implements another plugin's (or the core's) extension point. The point's owner must be in this
   * plugin's `dependsOn` or `enhances`, or the host refuses to start.
   */
  provide<Impl>(point: ExtensionPointRef<Impl>, implementation: Impl): void;
  /** A long-lived background task per process (see PluginWorker). */
  worker(worker: PluginWorker): void;
  /** An operator command of `npm run tresen -- <name>`; names must not clash with core's or other plugins'. */
  cli(command: PluginCliCommand): void;
  /**
   * A REST operation under the tenant's /api/v1 (build it with `defineApiRoute`): bearer tokens, JSON errors,
   * listed in openapi.json while the tenant has the plugin on, 404 while it is off. Method, path and
   * operationId must not clash with the core's or another plugin's (the app refuses to start).
   */
  apiRoute(route: AnyApiRoute): void;
  /** A panel on the staff Statistics page (after the core's panels, in registration order). */
  statisticsPanel(panel: StatisticsPanel): void;
  /**
   * A kind of record of this plugin that carries custom fields defined on the core's Administration → Custom
   * fields page (same types, checks and inputs as ticket fields; see core/records/record-kinds.ts). Its name must
   * not clash with 'ticket' or another plugin's kind (the app refuses to start).
   */
  recordKind(kind: RecordKind): void;
}

export interface PluginDefinition {
  id: string;
  version: string;
  /** Semver range of the core plugin API this plugin was written against. */
  core: string;
  dependsOn?: string[];
  /**
   * Plugins this one works with when they are installed and on, without needing them: it may
   * import their published `extension-points.ts`/`events.ts` and provide their extension points.
   */
  enhances?: string[];
  /** Message key of the plugin's display name. */
  name: string;
  settings?: z.ZodType<Record<string, unknown>>;
  permissions?: PermissionDeclaration[];
  /** Its settings and catalogue pages on the tenant's Administration page (see AdminSection). */
  adminSections?: AdminSection[];
  migrations?: Record<string, Migration>;
  messages?: { en: Messages; de: Messages };
  /**
   * The plugin's own static files (CSS, icons): `new URL('./static/', import.meta.url)`. Served hashed under
   * `/static/p/<id>/<file>`; each `.css` file at its top level is linked, in name order, in the pages of
   * tenants that have the plugin on. Design tokens (the custom properties in static/app.css: colours,
   * radius, tap size, the tenant's --brand and --accent) are core's: plugin CSS uses them with var(--…).
   */
  static?: URL;
  // Codes with labels the host merges with the core's (a code starts with `<id>.`; the same code twice stops the start).
  /** The audit actions this plugin writes, e.g. `{ 'helpdesk.mailbox_created': { en: 'Created mailbox', de: 'Postfach angelegt' } }`. */
  auditActions?: Readonly<Record<string, Label>>;
  /** The kinds of notification this plugin sends with `notify`, labelled for the notification list. */
  notificationKinds?: Readonly<Record<string, Label>>;
  /**
   * Those of its notification kinds that pop up as a sticky toast on the recipient's open pages (over the live
   * channel, on any instance) and stay until clicked or dismissed, which marks them read; the bell list shows them too.
   */
  stickyNotificationKinds?: readonly string[];
  register(api: PluginApi): void;
}

/** Identity function that gives a plugin's declaration its type. */
export function definePlugin<T extends PluginDefinition>(definition: T): Readonly<T> {
  return Object.freeze(definition);
}
