import { z } from 'zod';
// Written like a real plugin: only the plugin API.
import { DASHBOARD_SIDE, defineEvent, defineExtensionPoint, definePlugin, withId, type EventPayload } from '../../core/plugin-api.js';

/** Test events carry arrays the hooks append to, so a test sees who ran and in which order. */
export interface MemoPayload extends EventPayload {
  subject: string;
  trail: string[];
  heard: string[];
  fail?: boolean;
}
function record(payload: MemoPayload, key: 'trail' | 'heard', pluginId: string): void {
  payload[key].push(pluginId);
}
/** Filtered inside the caller's transaction. */
export const MEMO_SAVING = defineEvent<MemoPayload>('memo.saving');
/** Heard after commit. */
export const MEMO_SAVED = defineEvent<MemoPayload>('memo.saved');

/** What both test plugins provide at the notes plugin's formatter extension point. */
export interface MemoFormatter { format(text: string): string }
export const MEMO_FORMATTER = defineExtensionPoint<MemoFormatter>('notes.memoFormatter');

/**
 * Small plugins for the host's own tests: a base one with a nav entry, routes, a slot, a job and
 * hooks, and one that depends on it. Both hook into the test events 'memo.saving' (filter) and
 * 'memo.saved' (after commit) and provide a 'memo.formatter'.
 */
export const notesPlugin = definePlugin({
  id: 'notes',
  version: '1.0.0',
  core: '^1.0.0',
  name: 'notes.name',
  settings: z.object({ greeting: z.string().min(1).max(40).default('Hello') }),
  permissions: [
    { key: 'notes.read', roles: ['agent', 'supervisor', 'admin'], label: { en: 'Read notes', de: 'Notizen lesen' } },
    { key: 'notes.write', roles: ['admin'], label: { en: 'Write notes', de: 'Notizen schreiben' } },
  ],
  messages: { en: { 'notes.name': 'Notes', 'notes.nav': 'Notes' }, de: { 'notes.name': 'Notizen', 'notes.nav': 'Notizen' } },
  migrations: {
    // A plugin table carries tenant_id and the plugin's prefix.
    '0001-notes-entries': {
      up: async (db) => {
        await withId(db, db.schema.createTable('notes_entries'))
          .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
          .addColumn('body', 'text', (c) => c.notNull())
          .execute();
      },
      down: async (db) => {
        await db.schema.dropTable('notes_entries').execute();
      },
    },
  },
  register(api) {
    api.nav({ id: 'list', label: 'notes.nav', href: '/p/notes', permission: 'notes.read', order: 50 });
    api.routes((app) => {
      app.get('/', async (c) => {
        const settings = await c.var.services.tenants.pluginSettings(c.var.tenant!.id, 'notes');
        return c.text(`${String(settings.greeting ?? 'Hello')} from notes of ${c.var.tenant!.slug}`);
      });
      app.post('/', (c) => (c.var.can('notes.write') ? c.text('written', 201) : c.text('forbidden', 403)));
    });
    api.slot(DASHBOARD_SIDE, () => 'notes slot', 10);
    api.filter(MEMO_SAVING, async (payload, { trx, event }) => {
      record(payload, 'trail', 'notes');
      // Written in the caller's transaction: it must vanish with a veto.
      await trx.insertInto('audit_log').values({ tenant_id: payload.tenantId, actor_label: 'notes', action: `notes.filtered:${event}`, target: payload.subject }).execute();
    });
    api.on(MEMO_SAVED, (payload) => {
      if (payload.fail) throw new Error('notes handler broke');
      record(payload, 'heard', 'notes');
    });
    api.provide(MEMO_FORMATTER, { format: (text: string) => `notes: ${text}` });
    api.job({
      id: 'digest',
      schedule: 'FREQ=HOURLY',
      run: async ({ db, tenantId }) => {
        await db.insertInto('audit_log').values({ tenant_id: tenantId, actor_label: 'notes', action: 'notes.digest' }).execute();
      },
    });
  },
});

export const checklistPlugin = definePlugin({
  id: 'checklist',
  version: '0.2.0',
  core: '^1.0.0',
  dependsOn: ['notes'],
  name: 'checklist.name',
  messages: { en: { 'checklist.name': 'Checklists' }, de: { 'checklist.name': 'Checklisten' } },
  register(api) {
    api.nav({ id: 'list', label: 'checklist.name', href: '/p/checklist' });
    api.routes((app) => app.get('/', (c) => c.text('checklist')));
    // A lower order than notes' panel: slots follow `order`, not the dependency order.
    api.slot(DASHBOARD_SIDE, () => 'checklist slot', 5);
    api.filter(MEMO_SAVING, (payload) => {
      record(payload, 'trail', 'checklist');
      if (payload.subject === 'veto') throw new Error('checklist vetoes');
      payload.subject = payload.subject.toUpperCase();
    });
    api.on(MEMO_SAVED, (payload) => record(payload, 'heard', 'checklist'));
    api.provide(MEMO_FORMATTER, { format: (text: string) => `checklist: ${text}` });
  },
});
