import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../core/events/event-bus.js';
import { postToTimeline } from '../../core/plugin-api.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { portalPlugin } from './index.js';
import { portalWorld, type PortalWorld } from '../../test/harness/portal-world.js';

describe.each(dialects)('the customer\'s timeline in the portal on %s', (dialect) => {
  let app: TestApp;
  let world: PortalWorld;
  let other: PortalWorld;
  let acmeCustomer: string;
  let globexCustomer: string;
  const author = { userId: null, label: 'Support' };
  const heard: AppEvent[] = [];

  beforeAll(async () => {
    app = await createTestApp(dialect, [portalPlugin]);
    world = await portalWorld(app, 'tl');
    other = await portalWorld(app, 'tl-other');
    const stop = app.services.events.subscribe(world.tenant.id, (event) => heard.push(event));
    const post = (title: string, extra: Partial<Parameters<typeof postToTimeline>[2]> = {}) => postToTimeline(app.services, world.tenant.id, { kind: 'announcement', title, body: `${title} text`, author, ...extra });
    await post('News for everyone');
    await post('Staff only note', { audience: 'staff' });
    await post('Secret for ACME', { audience: 'organisations', organisationIds: [world.organisations.acme] });
    await post('Secret for Globex', { audience: 'organisations', organisationIds: [world.organisations.globex] });
    await post('Mail server down', { pinned: true });
    await post('Globex outage', { pinned: true, audience: 'organisations', organisationIds: [world.organisations.globex] });
    await postToTimeline(app.services, other.tenant.id, { kind: 'announcement', title: 'Other tenant news', body: 'x', author });
    stop();
    acmeCustomer = await world.signIn(world.emails.colleague);
    globexCustomer = await world.signIn(world.emails.stranger);
  });
  afterAll(() => app.cleanup());

  it('shows a customer of ACME everyone\'s posts and ACME\'s, never Globex\'s, staff posts or another tenant\'s', async () => {
    const html = await (await app.request('/t/tl/portal', { cookie: acmeCustomer })).text();
    expect(html).toContain('id="portal-timeline"');
    for (const seen of ['News for everyone', 'Secret for ACME', 'Mail server down']) expect(html).toContain(seen);
    for (const unseen of ['Secret for Globex', 'Globex outage', 'Staff only note', 'Other tenant news']) expect(html).not.toContain(unseen);
    const globex = await (await app.request('/t/tl/portal', { cookie: globexCustomer })).text();
    expect(globex).toContain('Secret for Globex');
    expect(globex).not.toContain('Secret for ACME');
  });

  it('shows pinned announcements before the new-request form, each customer only theirs', async () => {
    const html = await (await app.request('/t/tl/portal/requests/new', { cookie: acmeCustomer })).text();
    expect(html).toContain('id="portal-pinned"');
    expect(html.indexOf('Mail server down')).toBeLessThan(html.indexOf('id="portal-request-form"'));
    expect(html).not.toContain('Globex outage');
    expect(html).not.toContain('News for everyone');
    expect(await (await app.request('/t/tl/portal/requests/new', { cookie: globexCustomer })).text()).toContain('Globex outage');
  });

  it('gives a customer neither the staff timeline, the REST API nor the live channel, and live events carry no post', async () => {
    expect((await app.request('/t/tl/desk/timeline', { cookie: acmeCustomer })).status).toBe(303);
    expect((await app.request('/t/tl/desk/timeline/feed', { cookie: acmeCustomer })).status).toBe(303);
    expect((await app.request('/t/tl/api/v1/timeline/posts', { cookie: acmeCustomer })).status).toBe(401);
    const live = await app.request('/t/tl/events', { cookie: acmeCustomer });
    expect(live.headers.get('content-type') ?? '').not.toContain('text/event-stream');
    expect(heard.length).toBe(6);
    for (const event of heard) expect(event).toEqual({ tenantId: world.tenant.id, type: 'timeline', data: {} });
  });
});
