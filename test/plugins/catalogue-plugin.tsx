// Written like a real plugin: only the plugin API.
import { Page, definePlugin, render, requirePermission } from '../../core/plugin-api.js';

/**
 * A test plugin with two pages on the tenant's Administration page, contributed declaratively: its
 * rules among the core's ticket sections (supervisors too), and a catalogue in a group of its own
 * (admins, and agents through their own permission so a test sees a section-only Administration).
 */
export const cataloguePlugin = definePlugin({
  id: 'catalogue',
  version: '1.0.0',
  core: '^1.0.0',
  name: 'catalogue.name',
  permissions: [
    { key: 'catalogue.rules', roles: ['supervisor', 'admin'], label: { en: 'Edit the rules catalogue', de: 'Regelkatalog bearbeiten' } },
    { key: 'catalogue.items', roles: ['agent', 'admin'], label: { en: 'Edit catalogue items', de: 'Katalogeinträge bearbeiten' } },
  ],
  adminSections: [
    { id: 'catalogue-rules', label: 'catalogue.rules', description: 'catalogue.rules.description', href: '/p/catalogue/rules', permission: 'catalogue.rules', group: 'tickets', order: 30 },
    { id: 'catalogue-items', label: 'catalogue.items', href: '/p/catalogue/items', permission: 'catalogue.items' },
  ],
  messages: {
    en: { 'catalogue.name': 'Device catalogue', 'catalogue.rules': 'Device rules', 'catalogue.rules.description': 'Which device types tickets may name.', 'catalogue.items': 'Device types' },
    de: { 'catalogue.name': 'Gerätekatalog', 'catalogue.rules': 'Geräteregeln', 'catalogue.rules.description': 'Welche Gerätetypen Tickets nennen dürfen.', 'catalogue.items': 'Gerätetypen' },
  },
  register(api) {
    api.routes((app) => {
      app.get('/rules', requirePermission('catalogue.rules'), (c) => render(c, { title: 'Rules', page: <Page title="Rules">rules page</Page> }));
      app.get('/items', requirePermission('catalogue.items'), (c) => render(c, { title: 'Items', page: <Page title="Items">items page</Page> }));
    });
  },
});
