import type { Kysely } from 'kysely';
import type { AppConfig } from '../../config/env.js';
import type { Database } from '../db/create-database.js';
import type { DB, Person, Tenant, User } from '../db/schema.js';
import type { Catalog, Locale, Translate } from '../i18n/translate.js';
import type { DateContext, DateFormats } from '../i18n/format.js';
import type { PermissionKey } from '../permission-key.js';
import type { TenantDirectory } from '../tenancy/tenant-directory.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { SessionStore } from '../auth/session-store.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import type { SignedLinks } from '../auth/signed-links.js';
import type { Clock } from '../time.js';
import type { Logger } from '../logger.js';
import type { AuditLog } from '../audit-log.js';
import type { ApiRateLimiter } from '../api/api-rate-limit.js';
import type { FileStore } from '../files/file-store.js';
import type { Mailer } from '../mail/mailer.js';
import type { EventBus } from '../events/event-bus.js';
import type { PresenceRegistry } from '../presence/presence-registry.js';
import type { Readiness } from './readiness.js';
import type { TrustedProxies } from './client-address.js';

/** What the process builds once and hands to createApp: a test builds its own. */
export interface AppDeps {
  config: AppConfig;
  database: Database;
  clock: Clock;
  log: Logger;
  mailer: Mailer;
  events: EventBus;
  /** Starts not ready when given (the server marks it after the first start); an app without it is ready at once. */
  readiness?: Readiness;
}

/**
 * Everything a handler may use, built by buildServices (core/app/create-app.tsx) from the registry
 * and deps. What needs the plugin host (registry, permissions, hooks) and the static assets is
 * declared there and merged into this interface: those modules name AppEnv themselves, so this one
 * does not import them (no import cycle).
 */
export interface Services extends AppDeps {
  db: Kysely<DB>;
  catalog: Catalog;
  tenants: TenantDirectory;
  sessions: SessionStore;
  throttle: LoginThrottle;
  links: SignedLinks;
  audit: AuditLog;
  files: FileStore;
  /** Request budgets of the REST API per token and per address (this process's memory). */
  apiLimiter: ApiRateLimiter;
  /** Date formatters by locale and zone, shared by every request. */
  dateFormats: DateFormats;
  /** From config.trustedProxies: whose forwarding headers clientIp believes. */
  trustedProxies: TrustedProxies;
  /** Who has which ticket open (this instance's memory, kept in step over the event bus). */
  presence: PresenceRegistry;
}

export type StaffUser = Pick<User, 'id' | 'tenant_id' | 'email' | 'name' | 'role' | 'locale'>;
export type PortalPerson = Pick<Person, 'id' | 'tenant_id' | 'organisation_id' | 'email' | 'name' | 'portal_role' | 'is_org_manager' | 'locale'>;

export interface AppVariables {
  requestId: string;
  services: Services;
  /** Set for every request inside a tenant (mapped host or /t/<slug>). */
  tenant: Tenant | undefined;
  /** URL prefix of the tenant: '' on a mapped host, '/t/<slug>' otherwise. */
  base: string;
  enabledPlugins: ReadonlySet<string>;
  /** A plugin whose page the path is while the plugin is off for the tenant: a 404 then says "not offered". */
  offPlugin?: string;
  locale: Locale;
  t: Translate;
  /** The reader's language and the tenant's time zone, for formatDateTime/formatDate. */
  dates: DateContext;
  user: StaffUser | undefined;
  person: PortalPerson | undefined;
  /** Hash of the current session's token, to mark "this session" and end the others. */
  sessionId: string | undefined;
  can: (permission: PermissionKey) => boolean;
  /** Toasts to send out-of-band with the response. */
  toasts: Array<{ kind: 'success' | 'error' | 'info'; text: string }>;
}

export interface AppEnv {
  Variables: AppVariables;
}
