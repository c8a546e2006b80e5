import type { Hono } from 'hono';
import type { Migration } from 'kysely';
import type { z } from 'zod';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../http/app-env.js';
import type { PermissionKey } from '../permissions.js';
import type { Messages } from '../i18n/translate.js';
import type { JobContext } from '../jobs/job-types.js';

export interface NavItem {
  id: string;
  /** Message key; the plugin's catalog or the core's. */
  label: string;
  /** Path inside the tenant, e.g. `/p/helpdesk/mails`. */
  href: string;
  permission?: PermissionKey;
  order?: number;
}

export interface SlotContext {
  tenantId: number;
  /** Whatever the host page passes, e.g. the ticket shown. */
  props: Record<string, unknown>;
  t: (key: string, params?: Record<string, string | number>) => string;
}
export type SlotView = (ctx: SlotContext) => Child | Promise<Child>;

export interface PluginJob {
  id: string;
  /** RFC 5545 recurrence rule, e.g. `FREQ=MINUTELY;INTERVAL=5`. Run once per tenant that has the plugin on. */
  schedule: string;
  run: (ctx: JobContext) => Promise<void>;
}

export interface EventPayload { tenantId: number; [key: string]: unknown }
export type FilterHandler = (payload: EventPayload, ctx: { trx: unknown }) => void | Promise<void>;
export type EventHandler = (payload: EventPayload) => void | Promise<void>;

export interface PermissionDeclaration {
  key: PermissionKey;
  /** Staff roles that hold it by default. */
  roles: Array<'admin' | 'supervisor' | 'agent'>;
}

export interface PluginApi {
  routes(mount: (app: Hono<AppEnv>) => void): void;
  /** Routes for portal users, mounted under the tenant's portal. */
  portalRoutes(mount: (app: Hono<AppEnv>) => void): void;
  nav(item: NavItem): void;
  slot(name: string, view: SlotView, order?: number): void;
  job(job: PluginJob): void;
  /** Runs inside the transaction; may change the payload or throw to veto. */
  filter(event: string, handler: FilterHandler): void;
  /** Runs after commit. */
  on(event: string, handler: EventHandler): void;
  provide(extensionPoint: string, implementation: unknown): void;
}

export interface PluginDefinition {
  id: string;
  version: string;
  /** Semver range of the core plugin API this plugin was written against. */
  core: string;
  dependsOn?: string[];
  /** Message key of the plugin's display name. */
  name: string;
  settings?: z.ZodType<Record<string, unknown>>;
  permissions?: PermissionDeclaration[];
  migrations?: Record<string, Migration>;
  messages?: { en: Messages; de: Messages };
  register(api: PluginApi): void;
}

/** Identity function that gives a plugin's declaration its type. */
export function definePlugin<T extends PluginDefinition>(definition: T): Readonly<T> {
  return Object.freeze(definition);
}
