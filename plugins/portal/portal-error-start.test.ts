import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { portalWorld, type PortalWorld } from '../../test/harness/portal-world.js';
import { portalPlugin } from './index.js';

const startLink = (html: string) => /<a href="([^"]*)" class="button" id="error-start">/.exec(html)?.[1];

describe.each(dialects)('error page link back to the start for portal users on %s', (dialect) => {
  let app: TestApp;
  let world: PortalWorld;

  beforeAll(async () => {
    app = await createTestApp(dialect, [portalPlugin]);
    world = await portalWorld(app, 'err');
  });
  afterAll(() => app.cleanup());

  it('leads a signed-in portal user to the portal home', async () => {
    const cookie = await world.signIn(world.emails.manager);
    const response = await app.request(`${world.base}/portal/no-such-page`, { cookie });
    expect(response.status).toBe(404);
    expect(startLink(await response.text())).toBe(`${world.base}/portal`);
  });
});
