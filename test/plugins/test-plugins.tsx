import { z } from 'zod';
import { definePlugin } from '../../core/plugin-host/define-plugin.js';

/** Small plugins for the host's own tests: a base one with a nav entry, routes and a slot, and one that depends on it. */
export const notesPlugin = definePlugin({
  id: 'notes',
  version: '1.0.0',
  core: '^1.0.0',
  name: 'notes.name',
  settings: z.object({ greeting: z.string().min(1).max(40).default('Hello') }),
  permissions: [{ key: 'notes.read', roles: ['agent', 'supervisor', 'admin'] }, { key: 'notes.write', roles: ['admin'] }],
  messages: { en: { 'notes.name': 'Notes', 'notes.nav': 'Notes' }, de: { 'notes.name': 'Notizen', 'notes.nav': 'Notizen' } },
  register(api) {
    api.nav({ id: 'list', label: 'notes.nav', href: '/p/notes', permission: 'notes.read', order: 50 });
    api.routes((app) => {
      app.get('/', async (c) => {
        const settings = await c.var.services.tenants.pluginSettings(c.var.tenant!.id, 'notes');
        return c.text(`${String(settings.greeting ?? 'Hello')} from notes of ${c.var.tenant!.slug}`);
      });
      app.post('/', (c) => (c.var.can('notes.write') ? c.text('written', 201) : c.text('forbidden', 403)));
    });
    api.slot('dashboard.side', () => 'notes slot', 10);
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
  },
});
