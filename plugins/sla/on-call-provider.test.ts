import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../core/auth/api-tokens.js';
import { disablePlugin, enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { pluginScope } from '../../core/plugin-api.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import type { SlaEscalationDB } from './escalation-db.js';
import { slaPlugin } from './index.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

type Contact = { user_id: number; availability: string; on_call: Array<{ rota: string; until: string | null }> };

describe.each(dialects)('the support directory\'s availability from the on-call rota (sla on) on %s', (dialect) => {
  let app: TestApp;
  let now = new Date('2026-03-10T10:00:00Z');
  let tenantId: number;
  let otherTenant: number;
  let ids: { anna: number; bert: number; carl: number; olga: number };
  let token: string;
  let otherToken: string;
  const contacts = async (bearer = token, slug = 'oc') => {
    const response = await app.request(`/t/${slug}/api/v1/directory`, { headers: { Authorization: `Bearer ${bearer}` } });
    expect(response.status).toBe(200);
    return new Map(((await response.json()) as { data: Contact[] }).data.map((c) => [c.user_id, c]));
  };

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('helpdesk'), slaPlugin], { clock: () => now });
    tenantId = (await app.createTenant('oc')).id;
    otherTenant = (await app.createTenant('oc-other')).id;
    for (const t of [tenantId, otherTenant]) for (const id of ['helpdesk', 'sla']) await enablePlugin(app.services.db, app.services.registry, t, id);
    ids = {
      anna: await app.createStaff(tenantId, 'agent', 'anna@oc.test'), bert: await app.createStaff(tenantId, 'agent', 'bert@oc.test'),
      carl: await app.createStaff(tenantId, 'agent', 'carl@oc.test'), olga: await app.createStaff(otherTenant, 'agent', 'olga@oc.test'),
    };
    token = (await createApiToken(app.services.db, { tenantId, userId: ids.carl, name: 'directory' })).token;
    otherToken = (await createApiToken(app.services.db, { tenantId: otherTenant, userId: ids.olga, name: 'directory' })).token;
    const scope = pluginScope<SlaEscalationDB>(app.services.db, tenantId);
    const stamp = now.toISOString();
    await scope.insertInto('directory_profiles', [
      { user_id: ids.anna, listed: 1, availability: 'off', updated_at: stamp },
      { user_id: ids.bert, listed: 1, availability: 'busy', updated_at: stamp },
      { user_id: ids.carl, listed: 1, availability: 'available', updated_at: stamp },
    ]).execute();
    await pluginScope<SlaEscalationDB>(app.services.db, otherTenant).insertInto('directory_profiles', { user_id: ids.olga, listed: 1, availability: 'off', updated_at: stamp }).execute();
    // Daily at 09:00 Berlin from 1 March, Anna and Bert in turn: on 10 March (the tenth handover) it is Bert's turn, on the 11th Anna's.
    await scope.insertInto('sla_rotas', {
      name: 'Hotline', time_zone: 'Europe/Berlin', freq: 'DAILY', interval: 1, by_day: '', handover: '09:00', start_date: '2026-03-01',
      participants: JSON.stringify([ids.anna, ids.bert]), created_at: stamp, updated_at: stamp,
    }).execute();
  });
  afterAll(() => app.cleanup());

  it('shows who covers the rota now: "available" with the shift\'s end, but their own busy or away stays', async () => {
    const list = await contacts();
    expect(list.get(ids.bert)).toMatchObject({ availability: 'busy', on_call: [{ rota: 'Hotline', until: '2026-03-11T08:00:00.000Z' }] });
    expect(list.get(ids.anna)).toMatchObject({ availability: 'off', on_call: [] });
    now = new Date('2026-03-11T10:00:00Z');
    const next = await contacts();
    expect(next.get(ids.anna)).toMatchObject({ availability: 'available', on_call: [{ rota: 'Hotline', until: '2026-03-12T08:00:00.000Z' }] });
    expect(next.get(ids.bert)).toMatchObject({ availability: 'busy', on_call: [] });
    expect([...next.keys()][0]).toBe(ids.anna);
    const html = await (await app.request('/t/oc/desk/directory', { cookie: await app.signIn('carl@oc.test', 'oc') })).text();
    expect(html).toContain('On call: Hotline until');
  });

  it('lets an override cover the rota instead', async () => {
    const scope = pluginScope<SlaEscalationDB>(app.services.db, tenantId);
    const rota = await scope.selectFrom('sla_rotas').select('id').executeTakeFirstOrThrow();
    await scope.insertInto('sla_rota_overrides', { rota_id: rota.id, user_id: ids.carl, from_at: '2026-03-11T09:30:00.000Z', until_at: '2026-03-11T12:00:00.000Z', created_at: now.toISOString() }).execute();
    const list = await contacts();
    expect(list.get(ids.carl)!.on_call).toEqual([{ rota: 'Hotline', until: '2026-03-11T12:00:00.000Z' }]);
    expect(list.get(ids.anna)).toMatchObject({ availability: 'off', on_call: [] });
  });

  it('shows nobody on call in another tenant, and only the own setting while sla is off', async () => {
    expect((await contacts(otherToken, 'oc-other')).get(ids.olga)).toMatchObject({ availability: 'off', on_call: [] });
    await disablePlugin(app.services.db, app.services.registry, tenantId, 'sla');
    const list = await contacts();
    for (const contact of list.values()) expect(contact.on_call).toEqual([]);
    expect(list.get(ids.carl)!.availability).toBe('available');
    expect(list.get(ids.anna)!.availability).toBe('off');
  });
});
