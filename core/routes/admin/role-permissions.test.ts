import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin } from '../../plugin-host/plugin-switches.js';
import { tallyPlugin } from '../../../test/plugins/tally-plugin.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

/** The overview row of one permission: its label, then agent, supervisor, admin. */
function row(html: string, key: string): string {
  const match = new RegExp(`<tr data-permission="${key.replace('.', '\\.')}">(.*?)</tr>`).exec(html);
  return match?.[1] ?? '';
}

describe.each(dialects)('what each role may do, on the users page, on %s', (dialect) => {
  let app: TestApp;
  let acmeAdmin: string;
  let globexAdmin: string;

  beforeAll(async () => {
    app = await createTestApp(dialect, [tallyPlugin]);
    const acme = (await app.createTenant('acme')).id;
    const globex = (await app.createTenant('globex')).id;
    await enablePlugin(app.services.db, app.services.registry, acme, 'tally');
    await app.createStaff(acme, 'admin', 'admin@acme.test');
    await app.createStaff(globex, 'admin', 'admin@globex.test');
    acmeAdmin = await app.signIn('admin@acme.test', 'acme');
    globexAdmin = await app.signIn('admin@globex.test', 'globex');
  });
  afterAll(() => app.cleanup());

  const users = async (slug: string, cookie: string, language = 'en') => {
    const response = await app.request(`/t/${slug}/admin/users`, { cookie, headers: { 'Accept-Language': language } });
    expect(response.status).toBe(200);
    return response.text();
  };
  const yes = (text: string) => `<td><span class="badge badge-on">${text}</span></td>`;
  const no = (text: string) => `<td><span class="muted">${text}</span></td>`;

  it('lists the core\'s permissions and the switched-on plugins\' with their labels, per role', async () => {
    const html = await users('acme', acmeAdmin);
    expect(html).toContain('<h2>What each role may do</h2>');
    expect(row(html, 'tickets.close')).toBe(`<th scope="row">Close tickets</th>${no('No')}${yes('Yes')}${yes('Yes')}`);
    expect(row(html, 'tally.view')).toBe(`<th scope="row">See the tallies</th>${no('No')}${no('No')}${yes('Yes')}`);
    // Operators' permissions are no tenant role's.
    expect(html).not.toContain('data-permission="platform.tenants"');
  });

  it('speaks German', async () => {
    const html = await users('acme', acmeAdmin, 'de');
    expect(html).toContain('<h2>Was jede Rolle darf</h2>');
    expect(row(html, 'tickets.close')).toContain('<th scope="row">Tickets schließen</th>');
    expect(row(html, 'tally.view')).toBe(`<th scope="row">Strichlisten sehen</th>${no('Nein')}${no('Nein')}${yes('Ja')}`);
  });

  it('leaves out the permissions of a plugin the tenant has off', async () => {
    const html = await users('globex', globexAdmin);
    expect(row(html, 'tickets.close')).toContain('Close tickets');
    expect(html).not.toContain('tally.view');
    expect(html).not.toContain('See the tallies');
  });
});
