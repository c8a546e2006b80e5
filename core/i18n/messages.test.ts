import { describe, expect, it } from 'vitest';
import { de } from './messages-de.js';
import { en } from './messages-en.js';
import { createCatalog, negotiateLocale, type Messages } from './translate.js';
import { adminMessages } from '../routes/admin/messages.js';
import { adminPageMessages } from '../routes/admin/admin-page-messages.js';
import { platformMessages } from '../routes/platform/messages.js';
import { outboxMessages } from '../routes/platform/outbox-messages.js';
import { ticketMessages } from '../tickets/messages.js';
import { ticketVersionMessages } from '../tickets/ticket-version-messages.js';
import { ticketPageMessages } from '../routes/desk/ticket-page-messages.js';
import { listMessages } from '../routes/desk/list-messages.js';
import { viewMessages } from '../routes/desk/view-messages.js';
import { bulkMessages } from '../routes/desk/bulk-messages.js';
import { contextMessages } from '../routes/desk/context-messages.js';
import { apiMessages } from '../api/api-messages.js';
import { workspaceMessages } from '../routes/desk/workspace-messages.js';
import { replyToolsMessages } from '../routes/desk/reply-tools-messages.js';
import { followupMessages } from '../routes/desk/followup-messages.js';
import { ticketConfigMessages } from '../routes/admin/ticket-config-messages.js';
import { pickerMessages } from '../routes/desk/picker-messages.js';
import { composerMessages } from '../routes/desk/composer-messages.js';
import { recordMessages } from '../routes/desk/record-messages.js';
import { timeZoneMessages } from './time-zone-messages.js';
import { statisticsMessages } from '../statistics/statistics-messages.js';
import { kpiMessages } from '../statistics/kpi-messages.js';
import { timelineMessages } from '../timeline/timeline-messages.js';

const sources: Array<[string, { en: Messages; de: Messages }]> = [['core', { en, de }], ['admin', adminMessages], ['admin-page', adminPageMessages], ['platform', platformMessages], ['outbox', outboxMessages], ['tickets', ticketMessages], ['ticket-version', ticketVersionMessages], ['ticketPage', ticketPageMessages], ['desk-list', listMessages], ['desk-views', viewMessages], ['desk-bulk', bulkMessages], ['desk-context', contextMessages], ['desk-record', recordMessages], ['api', apiMessages], ['workspace', workspaceMessages], ['reply-tools', replyToolsMessages], ['followup', followupMessages], ['composer', composerMessages], ['ticket-config', ticketConfigMessages], ['picker', pickerMessages], ['time-zone', timeZoneMessages], ['statistics', statisticsMessages], ['kpi', kpiMessages], ['timeline', timelineMessages]];

describe('message catalogs', () => {
  it.each(sources)('%s: German and English have the same keys and the same placeholders', (_name, { en: english, de: german }) => {
    expect(Object.keys(german).sort()).toEqual(Object.keys(english).sort());
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(english)) expect(placeholders(german[key]!), key).toEqual(placeholders(english[key]!));
  });

  it('fills placeholders and falls back to the key', () => {
    const t = createCatalog([{ en, de }]).translator('de');
    expect(t('login.throttled', { seconds: 30 })).toBe('Zu viele Fehlversuche. Bitte in 30 Sekunden erneut versuchen.');
    expect(t('no.such.key')).toBe('no.such.key');
  });

  it('negotiates the language from Accept-Language with q-values', () => {
    expect(negotiateLocale('fr-FR,fr;q=0.9,en;q=0.8,de;q=0.7', 'de')).toBe('en');
    expect(negotiateLocale('de-AT', 'en')).toBe('de');
    expect(negotiateLocale('en;q=0.1, de;q=0.5', 'en')).toBe('de');
    expect(negotiateLocale('fr', 'de')).toBe('de');
    expect(negotiateLocale(undefined, 'en')).toBe('en');
  });
});
