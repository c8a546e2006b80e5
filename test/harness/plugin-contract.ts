import { Hono } from 'hono';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../../core/http/app-env.js';
import { en as coreEn } from '../../core/i18n/messages-en.js';
import type { PluginDefinition } from '../../core/plugin-host/define-plugin.js';
import { migrateAll } from '../../core/db/migrate.js';
import { honoPath } from '../../core/api/openapi.js';
import { buildPermissionTable, corePermissions } from '../../core/permissions.js';
import { auditActionRegistry } from '../../core/audit/audit-actions.js';
import { notificationKindRegistry } from '../../core/notifications/notification-kinds.js';
import { statisticsPanelRegistry } from '../../core/statistics/statistics-panels.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createApiToken } from '../../core/auth/api-tokens.js';
import { createRegistry, type RegisteredPlugin } from '../../core/plugin-host/registry.js';
import { createTestApp, type TestApp } from './test-app.js';
import { pluginCssProblems } from './plugin-css.js';
import { createTestDatabase, dialects } from './test-database.js';

/** What a plugin declares against what it uses: permissions and its two catalogs. Empty when it is consistent. */
export function declarationProblems(plugin: PluginDefinition, extraPlugins: PluginDefinition[] = []): string[] {
  const problems: string[] = [];
  const registered = createRegistry([...extraPlugins, plugin]).get(plugin.id)!;
  const declared = new Set((plugin.permissions ?? []).map((p) => p.key));
  for (const item of registered.contributions.nav) {
    if (item.permission && !declared.has(item.permission)) problems.push(`nav "${item.id}" uses permission "${item.permission}", which the plugin does not declare`);
  }
  for (const section of plugin.adminSections ?? []) {
    if (!declared.has(section.permission) && !(section.permission in corePermissions)) problems.push(`admin section "${section.id}" uses permission "${section.permission}", which neither the plugin nor the core declares`);
  }
  for (const route of registered.contributions.apiRoutes) {
    const own = route.permission.startsWith(`${plugin.id}.`);
    if (own && !declared.has(route.permission)) problems.push(`API operation "${route.operationId}" uses permission "${route.permission}", which the plugin does not declare`);
  }
  for (const panel of registered.contributions.statisticsPanels) {
    const own = panel.permission?.startsWith(`${plugin.id}.`);
    if (own && !declared.has(panel.permission!)) problems.push(`statistics panel "${panel.id}" uses permission "${panel.permission}", which the plugin does not declare`);
  }
  const en = plugin.messages?.en ?? {};
  const de = plugin.messages?.de ?? {};
  for (const key of Object.keys(en)) if (!(key in de)) problems.push(`message "${key}" has no German text`);
  for (const key of Object.keys(de)) if (!(key in en)) problems.push(`message "${key}" has no English text`);
  // Labels may come from the plugin's catalog or the core's.
  const sectionKeys = (plugin.adminSections ?? []).flatMap((section) => [section.label, ...(section.description ? [section.description] : [])]);
  for (const key of [plugin.name, ...registered.contributions.nav.map((item) => item.label), ...sectionKeys]) {
    if (!(key in en) && !(key in coreEn)) problems.push(`message "${key}" is used but in no catalog`);
  }
  return problems;
}

/** Turns a route pattern into a path that matches it: parameters become `1`, wildcards `x`. */
function concrete(path: string): string {
  return path.replace(/:[A-Za-z0-9_]+(\{[^}]*\})?\??/g, '1').replace(/\*/g, 'x');
}

/** Every (method, path) the plugin mounts, as the app serves it inside a tenant. */
export function mountedRoutes(plugin: RegisteredPlugin): Array<{ method: string; path: string }> {
  const found = new Map<string, { method: string; path: string }>();
  const add = (method: string, path: string) => found.set(`${method} ${path}`, { method, path });
  add('GET', `/p/${plugin.id}`);
  for (const [prefix, mounts] of [[`/p/${plugin.id}`, plugin.contributions.routes], ['/portal', plugin.contributions.portalRoutes], ['', plugin.contributions.publicRoutes]] as const) {
    const sub = new Hono<AppEnv>();
    for (const mount of mounts) mount(sub);
    for (const route of sub.routes) {
      // Middleware (`use`) shows as ALL: probing it with GET reaches it.
      const method = route.method === 'ALL' ? 'GET' : route.method.toUpperCase();
      const path = concrete(route.path);
      add(method, `${prefix}${path === '/' ? '' : path}`);
    }
  }
  for (const item of plugin.contributions.nav) add('GET', item.href);
  for (const section of plugin.adminSections ?? []) add('GET', section.href);
  for (const route of plugin.contributions.apiRoutes) add(route.method.toUpperCase(), `/api/v1${concrete(honoPath(route.path))}`);
  return [...found.values()];
}

/**
 * The free tests every plugin gets (docs/DESIGN.md, plugin contract): it registers, its
 * migrations run up on an empty database, everything it mounts answers 404 while the tenant
 * has it off, and its declarations match what it uses. `extraPlugins` are the plugins it
 * needs installed (its dependencies); they are switched on, so only this plugin is off.
 */
export function describePluginContract(plugin: PluginDefinition, extraPlugins: PluginDefinition[] = []): void {
  describe(`plugin "${plugin.id}" contract`, () => {
    it('declares the permissions its nav and admin sections use, and has the same message keys in German and English', () => {
      expect(declarationProblems(plugin, extraPlugins)).toEqual([]);
    });

    it('styles only its own elements, with core\'s design tokens', () => {
      expect(pluginCssProblems(createRegistry([...extraPlugins, plugin]).get(plugin.id)!)).toEqual([]);
    });

    it('merges its audit actions, notification kinds and statistics panels with the core\'s without a clash', () => {
      const registry = createRegistry([...extraPlugins, plugin]);
      expect(() => auditActionRegistry(registry)).not.toThrow();
      expect(() => notificationKindRegistry(registry)).not.toThrow();
      expect(() => statisticsPanelRegistry(registry, buildPermissionTable(registry), [])).not.toThrow();
    });

    describe.each(dialects)('on %s', (dialect) => {
      it('registers, with its permissions inside its own prefix', () => {
        const registry = createRegistry([...extraPlugins, plugin]);
        expect(registry.get(plugin.id)?.version).toBe(plugin.version);
        expect(() => buildPermissionTable(registry)).not.toThrow();
      });

      it('migrates up on an empty database, and a second run changes nothing', async () => {
        const registry = createRegistry([...extraPlugins, plugin]);
        const database = await createTestDatabase(dialect, registry);
        try {
          const names = Object.keys(plugin.migrations ?? {}).sort();
          if (names.length > 0) {
            const table = `kysely_migration_${plugin.id.replace(/[^a-z0-9]/g, '_')}`;
            const applied = await sql<{ name: string }>`select name from ${sql.table(table)} order by name`.execute(database.db);
            expect(applied.rows.map((row) => row.name)).toEqual(names);
          }
          expect(await migrateAll(database.db, registry)).toEqual([]);
        } finally {
          await database.cleanup();
        }
      });

      describe('switched off for the tenant', () => {
        let app: TestApp;
        let tenantId: number;
        let admin: string;
        let routes: Array<{ method: string; path: string }>;

        beforeAll(async () => {
          app = await createTestApp(dialect, [...extraPlugins, plugin]);
          tenantId = (await app.createTenant('contract')).id;
          await app.createStaff(tenantId, 'admin', 'admin@contract.test');
          admin = await app.signIn('admin@contract.test', 'contract');
          for (const other of app.services.registry.plugins) {
            if (other.id !== plugin.id) await enablePlugin(app.services.db, app.services.registry, tenantId, other.id);
          }
          routes = mountedRoutes(app.services.registry.get(plugin.id)!);
        });
        afterAll(() => app.cleanup());

        it('links none of its stylesheets in the tenant\'s pages', async () => {
          const page = await (await app.request('/t/contract/account', { cookie: admin })).text();
          expect(page).toContain('/static/app.css?v=');
          expect(page).not.toContain(`/static/p/${plugin.id}/`);
        });

        it('answers 404 on every route it mounts, even to the tenant admin', async () => {
          const answers = await Promise.all(routes.map(async ({ method, path }) => {
            const response = await app.request(`/t/contract${path}`, { method, cookie: admin });
            return `${method} ${path} -> ${response.status}`;
          }));
          expect(answers).toEqual(routes.map(({ method, path }) => `${method} ${path} -> 404`));
        });

        it('answers 404 in JSON on every API operation, also to a bearer token, and leaves them out of openapi.json', async () => {
          const operations = app.services.registry.get(plugin.id)!.contributions.apiRoutes;
          const user = await app.services.db.selectFrom('users').select('id').where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
          const { token } = await createApiToken(app.services.db, { tenantId, userId: user.id, name: 'contract' });
          const answers = await Promise.all(operations.map(async (route) => {
            const path = `/api/v1${concrete(honoPath(route.path))}`;
            const response = await app.request(`/t/contract${path}`, { method: route.method.toUpperCase(), headers: { Authorization: `Bearer ${token}` } });
            const body = (await response.json()) as { error?: { code?: string } };
            return `${route.method.toUpperCase()} ${path} -> ${response.status} ${body.error?.code}`;
          }));
          expect(answers).toEqual(operations.map((route) => `${route.method.toUpperCase()} /api/v1${concrete(honoPath(route.path))} -> 404 not_found`));
          const doc = (await (await app.request('/t/contract/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, { operationId: string }>> };
          const listed = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((o) => o.operationId));
          for (const route of operations) expect(listed).not.toContain(route.operationId);
        });

        it('serves its nav entries and admin sections once switched on (so the 404s above are the switch)', async () => {
          await enablePlugin(app.services.db, app.services.registry, tenantId, plugin.id);
          const nav = [...app.services.registry.get(plugin.id)!.contributions.nav, ...(plugin.adminSections ?? [])];
          for (const item of nav) {
            const response = await app.request(`/t/contract${item.href}`, { cookie: admin });
            expect(`${item.href} -> ${response.status}`).not.toBe(`${item.href} -> 404`);
          }
          // Switched on, its API operations are in the tenant's openapi.json.
          const doc = (await (await app.request('/t/contract/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, { operationId: string }>> };
          const listed = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((o) => o.operationId));
          for (const route of app.services.registry.get(plugin.id)!.contributions.apiRoutes) expect(listed).toContain(route.operationId);
          // Switched on, its top-level stylesheets are linked in the tenant's pages.
          const page = await (await app.request('/t/contract/account', { cookie: admin })).text();
          for (const file of app.services.registry.get(plugin.id)!.staticFiles) {
            if (!file.name.includes('/') && file.name.endsWith('.css')) expect(page).toContain(`href="${app.services.assets.url(`p/${plugin.id}/${file.name}`)}"`);
          }
        });
      });
    });
  });
}
