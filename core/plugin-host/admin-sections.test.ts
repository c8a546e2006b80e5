import { describe, expect, it } from 'vitest';
import { definePlugin, type AdminSection, type PluginDefinition } from './define-plugin.js';
import { createRegistry, PluginRegistryError } from './registry.js';
import { CORE_ADMIN_SECTIONS, visibleAdminSections } from './admin-sections.js';

function plugin(id: string, adminSections: AdminSection[], extra: Partial<PluginDefinition> = {}): PluginDefinition {
  return definePlugin({ id, version: '1.0.0', core: '^1.0.0', name: `${id}.name`, adminSections, register: () => {}, ...extra });
}
const section = (id: string, href: string, extra: Partial<AdminSection> = {}): AdminSection => ({ id, label: `${id}.label`, href, permission: 'x.admin', ...extra });

describe('admin sections', () => {
  it('refuses at registry creation two sections with one id or one href, naming both plugins', () => {
    expect(() => createRegistry([plugin('alpha', [section('catalogue', '/p/alpha/catalogue')]), plugin('beta', [section('catalogue', '/p/beta/catalogue')])]))
      .toThrow(new PluginRegistryError('admin section id "catalogue" of plugin "beta" is taken by plugin "alpha"'));
    expect(() => createRegistry([plugin('alpha', [section('alpha-a', '/p/shared')]), plugin('beta', [section('beta-b', '/p/shared')])]))
      .toThrow('admin section "beta-b" of plugin "beta" has href "/p/shared", taken by plugin "alpha"');
    // Twice in one plugin is a clash too.
    expect(() => createRegistry([plugin('alpha', [section('alpha-a', '/p/alpha/a'), section('alpha-a', '/p/alpha/b')])]))
      .toThrow('admin section id "alpha-a" of plugin "alpha" is taken by plugin "alpha"');
  });

  it('refuses a section that takes a core section\'s id or href, or whose href is no path', () => {
    expect(() => createRegistry([plugin('alpha', [section('people', '/p/alpha/people')])])).toThrow('admin section id "people" of plugin "alpha" is taken by the core');
    expect(() => createRegistry([plugin('alpha', [section('alpha-people', '/admin/people')])])).toThrow('has href "/admin/people", taken by the core');
    expect(() => createRegistry([plugin('alpha', [section('alpha-x', 'p/alpha/x')])])).toThrow('which is no path inside the tenant');
    expect(createRegistry([plugin('alpha', [section('alpha-x', '/p/alpha/x')])]).get('alpha')!.adminSections).toHaveLength(1);
  });

  it('groups what a user may open: core groups in their order, then each plugin\'s own group; only enabled plugins\' sections', () => {
    const plugins = createRegistry([
      plugin('alpha', [section('alpha-rules', '/p/alpha/rules', { group: 'tickets', order: 5, permission: 'alpha.admin' }), section('alpha-catalogue', '/p/alpha/catalogue', { permission: 'alpha.admin' })]),
      plugin('beta', [section('beta-settings', '/p/beta/settings', { group: 'channels', permission: 'beta.admin' })]),
    ]).plugins;
    const everything = () => true;
    const view = (enabled: string[], can: (permission: string) => boolean = everything) =>
      visibleAdminSections(plugins, new Set(enabled), can).map((group) => `${group.id}(${group.label}): ${group.sections.map((s) => s.id).join(', ')}`);
    expect(view([])).toEqual([
      'customers(adminPage.group.customers): organisations, people',
      'team(adminPage.group.team): users, groups',
      'tickets(adminPage.group.tickets): tickets, fields, tags',
      'tenant(adminPage.group.tenant): branding, directory, audit',
    ]);
    expect(view(['alpha', 'beta'])).toEqual([
      'customers(adminPage.group.customers): organisations, people',
      'team(adminPage.group.team): users, groups',
      'tickets(adminPage.group.tickets): alpha-rules, tickets, fields, tags',
      'channels(adminPage.group.channels): beta-settings',
      'tenant(adminPage.group.tenant): branding, directory, audit',
      'plugin-alpha(alpha.name): alpha-catalogue',
    ]);
    // Each section by its own permission; groups left empty disappear.
    expect(view(['alpha', 'beta'], (permission) => permission === 'people.manage' || permission === 'beta.admin')).toEqual([
      'customers(adminPage.group.customers): organisations, people',
      'channels(adminPage.group.channels): beta-settings',
    ]);
    expect(view(['beta'], () => false)).toEqual([]);
  });

  it('lists the core\'s sections with unique ids and hrefs under /admin', () => {
    expect(new Set(CORE_ADMIN_SECTIONS.map((s) => s.id)).size).toBe(CORE_ADMIN_SECTIONS.length);
    expect(new Set(CORE_ADMIN_SECTIONS.map((s) => s.href)).size).toBe(CORE_ADMIN_SECTIONS.length);
    for (const s of CORE_ADMIN_SECTIONS) expect(s.href).toMatch(/^\/admin\//);
  });
});
