import { createApiToken } from '../../core/auth/api-tokens.js';
import type { Dialect } from '../../core/plugin-api.js';
import { updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { createTestApp } from '../../test/harness/test-app.js';
import { portalWorld, type PortalWorld } from '../../test/harness/portal-world.js';
import { ideasScope } from './ideas-db.js';
import { ideasPlugin } from './index.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

/**
 * Two tenants with portal, knowledge and ideas on (portalWorld's people and agent), plus per tenant a colleague
 * agent ("anna"), an idea manager (supervisor) and API tokens for each; portal ideas allowed in both.
 */
export async function ideasWorld(dialect: Dialect) {
  const app = await createTestApp(dialect, [installedPlugin('portal'), installedPlugin('knowledge'), ideasPlugin]);
  const tenant = async (slug: string) => {
    const world = await portalWorld(app, slug, { notifyRequester: false });
    await updatePluginSettings(app.services.db, app.services.registry, world.tenant.id, 'ideas', { portalIdeas: true });
    const anna = await app.createStaff(world.tenant.id, 'agent', `anna@${slug}.test`);
    const boss = await app.createStaff(world.tenant.id, 'supervisor', `boss@${slug}.test`);
    const agentId = (await app.services.db.selectFrom('users').select('id').where('email', '=', world.agentEmail).executeTakeFirstOrThrow()).id;
    const token = async (userId: number) => (await createApiToken(app.services.db, { tenantId: world.tenant.id, userId, name: 'ideas' })).token;
    return {
      ...world, ids: { agent: agentId, anna, boss },
      cookies: { agent: await app.signIn(world.agentEmail, slug), anna: await app.signIn(`anna@${slug}.test`, slug), boss: await app.signIn(`boss@${slug}.test`, slug) },
      tokens: { agent: await token(agentId), anna: await token(anna), boss: await token(boss) },
      ideas: () => ideasScope(app.services.db, world.tenant.id),
    };
  };
  const a = await tenant('id-a');
  const b = await tenant('id-b');
  const api = (path: string, token: string, init: { method?: string; body?: unknown } = {}) => app.request(path, {
    method: init.method ?? 'GET', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const form = (path: string, cookie: string, values: Record<string, string> = {}) => app.request(path, { method: 'POST', body: new URLSearchParams(values), cookie });
  return { app, a, b, api, form, cleanup: () => app.cleanup() };
}
export type IdeasWorld = Awaited<ReturnType<typeof ideasWorld>>;
export type IdeasTenant = IdeasWorld['a'];
export type { PortalWorld };
