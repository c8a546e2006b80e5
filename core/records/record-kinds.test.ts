import { describe, expect, it } from 'vitest';
import { definePlugin, type PluginDefinition } from '../plugin-host/define-plugin.js';
import { createRegistry } from '../plugin-host/registry.js';
import { recordKindsOf } from './record-kind-list.js';
import type { RecordKind } from './record-kinds.js';

const kind = (name: string): RecordKind => ({ kind: name, label: `${name}.label`, permission: 'admin.tickets', scopeLabel: 'x', scopes: async () => [] });
const plugin = (id: string, kinds: string[]): PluginDefinition =>
  definePlugin({ id, version: '1.0.0', core: '^1.0.0', name: `${id}.name`, register: (api) => { for (const name of kinds) api.recordKind(kind(name)); } });

describe('record kinds (custom fields of records other than tickets)', () => {
  it('lists the core\'s ticket kind, then the kinds of the plugins the tenant has on', () => {
    const registry = createRegistry([plugin('assets', ['device', 'contract-line']), plugin('other', ['room'])]);
    expect(recordKindsOf(registry.plugins, new Set(['assets'])).map((k) => [k.kind, k.owner])).toEqual([['ticket', null], ['device', 'assets'], ['contract-line', 'assets']]);
    expect(recordKindsOf(registry.plugins, new Set()).map((k) => k.kind)).toEqual(['ticket']);
  });

  it('refuses the core\'s kind, a kind two plugins declare, and a malformed name', () => {
    expect(() => createRegistry([plugin('assets', ['ticket'])])).toThrow('record kind "ticket" of plugin "assets" is taken by the core');
    expect(() => createRegistry([plugin('assets', ['device']), plugin('other', ['device'])])).toThrow('record kind "device" of plugin "other" is taken by plugin "assets"');
    expect(() => createRegistry([plugin('assets', ['Device'])])).toThrow('must be lower-case');
  });
});
