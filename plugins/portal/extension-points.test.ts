import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../../core/plugin-api.js';
import { disablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { KNOWLEDGE_SUGGESTIONS, SERVICE_ORDERS, type KnowledgeSuggestionsProvider, type ServiceOrdersProvider } from './extension-points.js';
import { portalPlugin } from './index.js';
import { portalWorld, type PortalWorld } from '../../test/harness/portal-world.js';

/** What a knowledge plugin and the helpdesk plugin will provide, written against the published types only. */
const providers = definePlugin({
  id: 'kbstub', version: '1.0.0', core: '^1.0.0', name: 'portal.name', dependsOn: ['portal'],
  register(api) {
    api.provide(KNOWLEDGE_SUGGESTIONS, {
      suggest: async (_tenantId, text, locale) => (text.toLowerCase().includes('printer')
        ? [{ title: `Printer FAQ (${locale})`, url: '/portal/kb/7', excerpt: 'Turn it off and on <again>' }, { title: 'Evil', url: 'javascript:alert(1)', excerpt: 'x' }]
        : []),
    } satisfies KnowledgeSuggestionsProvider);
    api.provide(SERVICE_ORDERS, {
      forTicket: async (_tenantId, ticketId) => [{ label: `Onsite visit for ${ticketId}`, status: 'planned', plannedAt: '2026-12-01T09:00:00Z' }],
    } satisfies ServiceOrdersProvider);
  },
});

describe.each(dialects)('portal extension points on %s', (dialect) => {
  let app: TestApp;
  let world: PortalWorld;
  let cookie: string;

  beforeAll(async () => {
    app = await createTestApp(dialect, [portalPlugin, providers]);
    world = await portalWorld(app, 'ext');
    cookie = await world.signIn(world.emails.colleague);
  });
  afterAll(() => app.cleanup());

  it('suggests knowledge articles for the typed subject, escaped, with safe links only', async () => {
    const response = await app.request('/t/ext/portal/requests/suggestions?subject=My%20printer%20is%20broken', { cookie, headers: { 'HX-Request': 'true' } });
    const html = await response.text();
    expect(html).toContain('Printer FAQ (en)');
    expect(html).toContain('href="/t/ext/portal/kb/7"');
    expect(html).toContain('&lt;again&gt;');
    expect(html).not.toContain('javascript:');
    expect(await (await app.request('/t/ext/portal/requests/suggestions?subject=pr', { cookie })).text()).not.toContain('Printer FAQ');
  });

  it('shows the service orders of a request', async () => {
    const ticket = await world.ticketFor(world.people.colleague, world.organisations.acme, 'Needs a technician');
    const html = await (await app.request(`/t/ext/portal/requests/${ticket.number}`, { cookie })).text();
    expect(html).toContain('id="portal-service-orders"');
    expect(html).toContain(`Onsite visit for ${ticket.id}`);
  });

  it('shows nothing of either while no provider is on', async () => {
    await disablePlugin(app.services.db, app.services.registry, world.tenant.id, 'kbstub');
    const suggestions = await (await app.request('/t/ext/portal/requests/suggestions?subject=printer%20broken', { cookie })).text();
    expect(suggestions).toBe('<div id="portal-suggestions" aria-live="polite"></div>');
    const ticket = await world.ticketFor(world.people.colleague, world.organisations.acme, 'Plain');
    expect(await (await app.request(`/t/ext/portal/requests/${ticket.number}`, { cookie })).text()).not.toContain('portal-service-orders');
  });
});
