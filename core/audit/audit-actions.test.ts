import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCatalog } from '../i18n/translate.js';
import { auditActionKey, auditActionLabel, coreAuditActions } from './audit-actions.js';
import { auditActionMessages } from './audit-action-messages.js';
import { helpdeskAuditActions } from '../../plugins/helpdesk/audit-actions.js';
import { helpdeskMessages } from '../../plugins/helpdesk/messages.js';
import { portalAuditActions } from '../../plugins/portal/audit-actions.js';
import { portalMessages } from '../../plugins/portal/messages.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const areas = [
  { name: 'core', actions: coreAuditActions as readonly string[], messages: auditActionMessages },
  { name: 'helpdesk', actions: helpdeskAuditActions as readonly string[], messages: helpdeskMessages },
  { name: 'portal', actions: portalAuditActions as readonly string[], messages: portalMessages },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Action codes written by the audit writers' call sites (record({... action ...}), recordAdminAction, the admin `audit(c, ...)` helper). */
function writtenActions(): Set<string> {
  const found = new Set<string>();
  for (const file of [...sourceFiles(join(root, 'core')), ...sourceFiles(join(root, 'plugins'))]) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!/\.record\(\{|recordAdminAction\(c|\baudit\(c, '/.test(line)) continue;
      for (const m of line.matchAll(/'([a-z]+\.[a-z_]+)'/g)) found.add(m[1]!);
      // `${area}.plugin_${action}d` with action 'enable' | 'disable'
      for (const m of line.matchAll(/`([a-z]+)\.plugin_\$\{action\}d`/g)) { found.add(`${m[1]}.plugin_enabled`); found.add(`${m[1]}.plugin_disabled`); }
    }
  }
  return found;
}

describe('audit action labels', () => {
  it('every action written in the source is in an area list', () => {
    const written = writtenActions();
    expect(written.size).toBeGreaterThan(30);
    for (const action of ['admin.contract_created', 'helpdesk.mail_attached', 'platform.plugin_enabled', 'portal.registered']) expect(written).toContain(action);
    const listed = new Set(areas.flatMap((a) => a.actions));
    expect([...written].filter((action) => !listed.has(action))).toEqual([]);
  });

  it.each(areas)('$name: every listed action has an English and a German label', ({ actions, messages }) => {
    for (const action of actions) {
      expect(messages.en[auditActionKey(action)], `${action} en`).toBeTruthy();
      expect(messages.de[auditActionKey(action)], `${action} de`).toBeTruthy();
    }
  });

  it('shows the label in the reader\'s language and falls back to null for unknown codes', () => {
    const catalog = createCatalog([auditActionMessages, helpdeskMessages]);
    expect(auditActionLabel(catalog.translator('en'), 'auth.sign_in')).toBe('Signed in');
    expect(auditActionLabel(catalog.translator('de'), 'auth.sign_in')).toBe('Angemeldet');
    expect(auditActionLabel(catalog.translator('de'), 'helpdesk.mailbox_deleted')).toBe('Postfach gelöscht');
    expect(auditActionLabel(catalog.translator('en'), 'removed_plugin.something')).toBeNull();
  });
});
