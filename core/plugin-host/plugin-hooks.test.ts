import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Child } from 'hono/jsx';
import { createLogger } from '../logger.js';
import { createTenant } from '../tenancy/tenant-service.js';
import { TenantDirectory } from '../tenancy/tenant-directory.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { createCatalog } from '../i18n/translate.js';
import { DateFormats, dateContext } from '../i18n/format.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { checklistPlugin, MEMO_FORMATTER, MEMO_SAVED, MEMO_SAVING, notesPlugin, type MemoPayload } from '../../test/plugins/test-plugins.js';
import { definePlugin, type SlotContext } from './define-plugin.js';
import { defineSlot } from './refs.js';
import { DASHBOARD_SIDE } from './slots.js';
import { createPluginHooks, type PluginHooks } from './plugin-hooks.js';
import { disablePlugin, enablePlugin } from './plugin-switches.js';
import { createRegistry, type PluginRegistry } from './registry.js';

function memo(tenantId: number, subject: string, extra: Partial<MemoPayload> = {}): MemoPayload {
  return { tenantId, subject, trail: [], heard: [], ...extra };
}

/** A plugin whose slot view throws, to show one broken panel does not hide the others. */
const brokenPanelPlugin = definePlugin({
  id: 'broken-panel', version: '1.0.0', core: '^1.0.0', name: 'broken.name',
  register(api) {
    api.slot(DASHBOARD_SIDE, () => { throw new Error('panel broke'); }, 1);
    // A panel with nothing to show this time: left out, not framed empty.
    api.slot(DASHBOARD_SIDE, () => null, 2);
    api.slot(DASHBOARD_SIDE, async () => false, 3);
  },
});

describe.each(dialects)('plugin hooks on %s', (dialect) => {
  let database: TestDatabase;
  let registry: PluginRegistry;
  let hooks: PluginHooks;
  const logLines: string[] = [];
  let both: number;
  let notesOnly: number;
  let none: number;

  const slotCtx = (tenantId: number): SlotContext<Record<string, never>> => ({
    tenantId, props: {}, t: createCatalog([]).translator('en'), locale: 'en', dates: dateContext(new DateFormats(), 'en', undefined), href: (path) => path, can: () => true, scope: tenantScope(database.db, tenantId), now: new Date('2026-12-07T09:00:00Z'),
  });
  const filtered = async (tenantId: number, subject: string) => database.db.selectFrom('audit_log').select('target')
    .where('tenant_id', '=', tenantId).where('action', '=', 'notes.filtered:memo.saving').where('target', '=', subject).execute();

  beforeAll(async () => {
    // Listed dependents-first: the host sorts by dependsOn.
    registry = createRegistry([brokenPanelPlugin, checklistPlugin, notesPlugin]);
    database = await createTestDatabase(dialect, registry);
    const directory = new TenantDirectory(database.db);
    hooks = createPluginHooks(registry, { enabledPlugins: (tenantId, trx) => directory.enabledPlugins(tenantId, trx), log: createLogger('debug', (line) => logLines.push(line)) });
    both = (await createTenant(database.db, { slug: 'both', name: 'Both', locale: 'en' })).id;
    notesOnly = (await createTenant(database.db, { slug: 'notes-only', name: 'Notes only', locale: 'en' })).id;
    none = (await createTenant(database.db, { slug: 'none', name: 'None', locale: 'en' })).id;
    for (const id of ['notes', 'checklist', 'broken-panel']) await enablePlugin(database.db, registry, both, id);
    await enablePlugin(database.db, registry, notesOnly, 'notes');
  });
  afterAll(() => database.cleanup());

  it('runs filters inside the transaction in dependency order; they may change the payload', async () => {
    const payload = memo(both, 'hello');
    await database.db.transaction().execute((trx) => hooks.runFilters(MEMO_SAVING, payload, trx));
    expect(payload.trail).toEqual(['notes', 'checklist']);
    expect(payload.subject).toBe('HELLO');
    expect(await filtered(both, 'hello')).toHaveLength(1);
  });

  it('skips the hooks of plugins the tenant has off', async () => {
    const onlyNotes = memo(notesOnly, 'hello');
    await database.db.transaction().execute((trx) => hooks.runFilters(MEMO_SAVING, onlyNotes, trx));
    expect(onlyNotes.trail).toEqual(['notes']);
    expect(onlyNotes.subject).toBe('hello');
    await hooks.emit(MEMO_SAVED, onlyNotes);
    expect(onlyNotes.heard).toEqual(['notes']);
    expect(await hooks.slot(DASHBOARD_SIDE, slotCtx(notesOnly))).toEqual(['notes slot']);
    expect((await hooks.extensions(MEMO_FORMATTER, notesOnly)).map((f) => f.format('x'))).toEqual(['notes: x']);

    const nothing = memo(none, 'hello');
    await database.db.transaction().execute((trx) => hooks.runFilters(MEMO_SAVING, nothing, trx));
    await hooks.emit(MEMO_SAVED, nothing);
    expect([nothing.trail, nothing.heard]).toEqual([[], []]);
    expect(await hooks.slot(DASHBOARD_SIDE, slotCtx(none))).toEqual([]);
    expect(await hooks.extensions(MEMO_FORMATTER, none)).toEqual([]);
    expect(await filtered(none, 'hello')).toHaveLength(0);
  });

  it('follows a switch on the next call, without a new hooks object', async () => {
    await enablePlugin(database.db, registry, none, 'notes');
    const payload = memo(none, 'later');
    await hooks.emit(MEMO_SAVED, payload);
    expect(payload.heard).toEqual(['notes']);
    await disablePlugin(database.db, registry, none, 'notes');
    const again = memo(none, 'later');
    await hooks.emit(MEMO_SAVED, again);
    expect(again.heard).toEqual([]);
  });

  it('a veto propagates and rolls back the caller\'s writes and the earlier filters\' writes', async () => {
    const payload = memo(both, 'veto');
    await expect(database.db.transaction().execute(async (trx) => {
      await trx.insertInto('audit_log').values({ tenant_id: both, actor_label: 'caller', action: 'memo.created', target: 'veto' }).execute();
      await hooks.runFilters(MEMO_SAVING, payload, trx);
    })).rejects.toThrow('checklist vetoes');
    // notes ran first and wrote; checklist vetoed after it.
    expect(payload.trail).toEqual(['notes', 'checklist']);
    expect(await filtered(both, 'veto')).toHaveLength(0);
    const callerRows = await database.db.selectFrom('audit_log').select('id').where('action', '=', 'memo.created').where('target', '=', 'veto').execute();
    expect(callerRows).toHaveLength(0);
  });

  it('runs after-commit handlers in dependency order; a failing one is logged and the others still run', async () => {
    const ok = memo(both, 'fine');
    await hooks.emit(MEMO_SAVED, ok);
    expect(ok.heard).toEqual(['notes', 'checklist']);

    logLines.length = 0;
    const failing = memo(both, 'fine', { fail: true });
    await expect(hooks.emit(MEMO_SAVED, failing)).resolves.toBeUndefined();
    expect(failing.heard).toEqual(['checklist']);
    const entries = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toEqual([expect.objectContaining({ level: 'error', msg: 'plugin event handler failed', plugin: 'notes', event: 'memo.saved', tenantId: both })]);
    expect(String(entries[0]!.error)).toContain('notes handler broke');
  });

  it('renders slots by their order, skipping a view that throws and one with nothing to show; lists provides in dependency order', async () => {
    logLines.length = 0;
    const panels: Child[] = await hooks.slot(DASHBOARD_SIDE, slotCtx(both));
    expect(panels).toEqual(['checklist slot', 'notes slot']);
    expect(logLines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([expect.objectContaining({ plugin: 'broken-panel', slot: 'dashboard.side' })]);
    expect(await hooks.slot(defineSlot<Record<string, never>>('no.such.slot'), slotCtx(both))).toEqual([]);
    const formatters = await hooks.extensions(MEMO_FORMATTER, both);
    expect(formatters.map((f) => f.format('x'))).toEqual(['notes: x', 'checklist: x']);
  });
});

describe.each(dialects)('dashboard slot on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let agent: string;

  beforeAll(async () => {
    app = await createTestApp(dialect, [notesPlugin]);
    acme = (await app.createTenant('acme')).id;
    await app.createStaff(acme, 'agent', 'agent@acme.test');
    agent = await app.signIn('agent@acme.test', 'acme');
  });
  afterAll(() => app.cleanup());

  it('shows the notes panel on the agent dashboard only while notes is on', async () => {
    const desk = async () => (await app.request('/t/acme/desk', { cookie: agent })).text();
    expect(await desk()).not.toContain('notes slot');
    await enablePlugin(app.services.db, app.services.registry, acme, 'notes');
    const page = await desk();
    expect(page).toContain('id="dashboard-side"');
    expect(page).toContain('notes slot');
    await disablePlugin(app.services.db, app.services.registry, acme, 'notes');
    const after = await desk();
    expect(after).not.toContain('notes slot');
    expect(after).not.toContain('id="dashboard-side"');
  });
});
