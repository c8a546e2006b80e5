import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../../config/env.js';
import type { Dialect } from '../../core/db/create-database.js';
import { createApp, type TresenApp } from '../../core/app/create-app.js';
import type { Readiness } from '../../core/http/readiness.js';
import { createLogger } from '../../core/logger.js';
import { createMailer } from '../../core/mail/mailer.js';
import { createEventBus } from '../../core/events/event-bus.js';
import type { PluginDefinition } from '../../core/plugin-host/define-plugin.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { createUser } from '../../core/people/user-service.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import type { StaffRole, Tenant } from '../../core/db/schema.js';
import type { Clock } from '../../core/time.js';
import { DEFAULT_API_RATE_LIMITS } from '../../core/api/api-rate-limit.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** Cheap scrypt for tests (2^10); production uses 2^16 with p=2. */
export const TEST_SCRYPT_LOG_N = 10;
export const TEST_PASSWORD = 'correct horse battery';

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const dataDir = mkdtempSync(join(tmpdir(), 'tresen-data-'));
  return {
    port: 0, host: '127.0.0.1', dataDir, databaseUrl: 'sqlite::memory:', baseUrl: undefined,
    secret: 'test-secret-test-secret-test-secret-123', logLevel: 'silent', smtpUrl: undefined, smtpFrom: 'tresen@test.local',
    adminEmail: undefined, adminPassword: undefined, demo: false, scryptLogN: TEST_SCRYPT_LOG_N, version: '0.0.0-test', trustedProxies: [], apiRateLimits: DEFAULT_API_RATE_LIMITS,
    ...overrides,
  };
}

export interface TestApp extends TresenApp {
  database: TestDatabase;
  /** Issues a request as a browser on this origin would (Origin set on unsafe methods). */
  request(path: string, init?: RequestInit & { cookie?: string | undefined }): Promise<Response>;
  createTenant(slug: string, name?: string): Promise<Tenant>;
  createStaff(tenantId: number | null, role: StaffRole | 'operator', email: string): Promise<number>;
  /** Signs in and returns the Cookie header value to send. */
  signIn(email: string, tenantSlug?: string, password?: string): Promise<string>;
  cleanup(): Promise<void>;
}

export const ORIGIN = 'http://tresen.test';

export async function createTestApp(dialect: Dialect, plugins: PluginDefinition[] = [], options: { clock?: Clock; config?: Partial<AppConfig>; readiness?: Readiness } = {}): Promise<TestApp> {
  const registry = createRegistry(plugins);
  const database = await createTestDatabase(dialect, registry);
  const config = testConfig(options.config);
  const clock = options.clock ?? (() => new Date());
  const log = createLogger('silent');
  const mailer = createMailer({ db: database.db, clock, defaultSmtpUrl: config.smtpUrl, defaultFrom: config.smtpFrom, log });
  const events = createEventBus();
  const tresen = createApp(registry, { config, database, clock, log, mailer, events, ...(options.readiness ? { readiness: options.readiness } : {}) });

  const request: TestApp['request'] = async (path, init = {}) => {
    const headers = new Headers(init.headers);
    const method = (init.method ?? 'GET').toUpperCase();
    if (!['GET', 'HEAD'].includes(method) && !headers.has('Origin') && !headers.has('Authorization')) headers.set('Origin', ORIGIN);
    if (init.cookie) headers.set('Cookie', init.cookie);
    return tresen.app.request(`${ORIGIN}${path}`, { ...init, headers });
  };

  return {
    ...tresen,
    database,
    request,
    createTenant: (slug, name) => createTenant(database.db, { slug, name: name ?? slug.toUpperCase(), locale: 'en' }),
    createStaff: (tenantId, role, email) => createUser(database.db, { tenantId, email, name: email.split('@')[0]!, role, password: TEST_PASSWORD }, TEST_SCRYPT_LOG_N),
    signIn: async (email, tenantSlug, password = TEST_PASSWORD) => {
      const prefix = tenantSlug ? `/t/${tenantSlug}` : '';
      const response = await request(`${prefix}/login`, { method: 'POST', body: new URLSearchParams({ email, password }) });
      if (response.status !== 303) throw new Error(`sign-in as ${email} failed with ${response.status}`);
      return cookiesOf(response);
    },
    cleanup: async () => {
      await mailer.close();
      await database.cleanup();
    },
  };
}

/** The Cookie header a browser would send back after this response. */
export function cookiesOf(response: Response, previous = ''): string {
  const jar = new Map(previous.split('; ').filter(Boolean).map((pair) => [pair.split('=')[0]!, pair] as const));
  for (const header of response.headers.getSetCookie()) {
    const pair = header.split(';')[0]!;
    const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
    if (!value || /Max-Age=0/i.test(header)) jar.delete(name);
    else jar.set(name, pair);
  }
  return [...jar.values()].join('; ');
}
