import { describe, expect, it } from 'vitest';
import { definePlugin } from '../../core/plugin-api.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { declarationProblems, describePluginContract, mountedRoutes } from '../harness/plugin-contract.js';
import { checklistPlugin, notesPlugin } from './test-plugins.js';
import { tallyPlugin } from './tally-plugin.js';
import { assetTagsPlugin } from './asset-tags-plugin.js';
import { cataloguePlugin } from './catalogue-plugin.js';
import { recordPanelsPlugin } from './record-panels-plugin.js';
import { portalCardsPlugin } from './portal-cards-plugin.js';
import { portalPlugin } from '../../plugins/portal/index.js';

describePluginContract(notesPlugin);
describePluginContract(checklistPlugin, [notesPlugin]);
describePluginContract(tallyPlugin);
describePluginContract(assetTagsPlugin());
describePluginContract(cataloguePlugin);
describePluginContract(recordPanelsPlugin);
describePluginContract(portalCardsPlugin, [portalPlugin]);

describe('the contract helper itself', () => {
  it('finds undeclared nav permissions, one-sided messages and labels in no catalog', () => {
    const sloppy = definePlugin({
      id: 'sloppy', version: '1.0.0', core: '^1.0.0', name: 'sloppy.name',
      permissions: [{ key: 'sloppy.read', roles: ['agent'], label: { en: 'Read', de: 'Lesen' } }],
      messages: { en: { 'sloppy.name': 'Sloppy', 'sloppy.only-en': 'x' }, de: { 'sloppy.name': 'Schlampig', 'sloppy.only-de': 'x' } },
      register(api) {
        api.nav({ id: 'list', label: 'sloppy.nav', href: '/p/sloppy', permission: 'sloppy.write' });
        api.nav({ id: 'home', label: 'nav.dashboard', href: '/p/sloppy/home', permission: 'sloppy.read' });
        api.statisticsPanel({ id: 'secret', label: { en: 'Secret', de: 'Geheim' }, permission: 'sloppy.secret', render: () => 'x' });
      },
    });
    expect(declarationProblems(sloppy)).toEqual([
      'nav "list" uses permission "sloppy.write", which the plugin does not declare',
      'statistics panel "secret" uses permission "sloppy.secret", which the plugin does not declare',
      'message "sloppy.only-en" has no German text',
      'message "sloppy.only-de" has no English text',
      'message "sloppy.nav" is used but in no catalog',
    ]);
  });

  it('finds admin sections with a permission nobody declares and labels in no catalog; core permissions are fine', () => {
    const sections = definePlugin({
      id: 'sections', version: '1.0.0', core: '^1.0.0', name: 'sections.name',
      messages: { en: { 'sections.name': 'Sections', 'sections.a': 'A' }, de: { 'sections.name': 'Abschnitte', 'sections.a': 'A' } },
      adminSections: [
        { id: 'sections-a', label: 'sections.a', href: '/p/sections/a', permission: 'sections.manage' },
        { id: 'sections-b', label: 'sections.b', description: 'sections.b.text', href: '/p/sections/b', permission: 'admin.tickets' },
      ],
      register() {},
    });
    expect(declarationProblems(sections)).toEqual([
      'admin section "sections-a" uses permission "sections.manage", which neither the plugin nor the core declares',
      'message "sections.b" is used but in no catalog',
      'message "sections.b.text" is used but in no catalog',
    ]);
    expect(mountedRoutes(createRegistry([sections]).get('sections')!)).toEqual([
      { method: 'GET', path: '/p/sections' }, { method: 'GET', path: '/p/sections/a' }, { method: 'GET', path: '/p/sections/b' },
    ]);
  });

  it('lists every route a plugin mounts, with parameters filled in, and its nav targets', () => {
    const routed = definePlugin({
      id: 'routed', version: '1.0.0', core: '^1.0.0', name: 'routed.name',
      register(api) {
        api.nav({ id: 'list', label: 'routed.name', href: '/p/routed/list' });
        api.routes((app) => {
          app.get('/items/:id', (c) => c.text('item'));
          app.post('/items/:id{[0-9]+}/close', (c) => c.text('closed'));
        });
        api.portalRoutes((app) => app.get('/routed/*', (c) => c.text('portal')));
      },
    });
    expect(mountedRoutes(createRegistry([routed]).get('routed')!)).toEqual([
      { method: 'GET', path: '/p/routed' },
      { method: 'GET', path: '/p/routed/items/1' },
      { method: 'POST', path: '/p/routed/items/1/close' },
      { method: 'GET', path: '/portal/routed/x' },
      { method: 'GET', path: '/p/routed/list' },
    ]);
    expect(mountedRoutes(createRegistry([notesPlugin]).get('notes')!)).toEqual([
      { method: 'GET', path: '/p/notes' },
      { method: 'POST', path: '/p/notes' },
    ]);
  });
});
