import type { RegisteredPlugin } from '../plugin-host/registry.js';
import { TICKET_KIND, type RecordKind } from './record-kinds.js';

/** The core's kind: ticket fields, limited by ticket category (a category's name is what a field stores). */
export const ticketRecordKind: RecordKind = {
  kind: TICKET_KIND,
  label: 'recordFields.kind.ticket',
  permission: 'admin.tickets',
  scopeLabel: 'ticketAdmin.limitTo',
  scopeHint: 'ticketAdmin.limitHint',
  async scopes({ scope, t }) {
    const rows = await scope.selectFrom('ticket_categories').select(['name', 'active']).orderBy('position').orderBy('name').orderBy('id').execute();
    return rows.map((row) => ({ value: row.name, label: row.active ? row.name : `${row.name} (${t('ticketAdmin.inactive')})` }));
  },
};

/** A kind with whose it is (null: the core's). */
export type OwnedRecordKind = RecordKind & { owner: string | null };

/** The kinds a tenant has: the core's ticket kind, then those of the plugins it has on (registry order). */
export function recordKindsOf(plugins: readonly RegisteredPlugin[], enabled: ReadonlySet<string>): OwnedRecordKind[] {
  return [
    { ...ticketRecordKind, owner: null },
    ...plugins.filter((plugin) => enabled.has(plugin.id)).flatMap((plugin) => plugin.contributions.recordKinds.map((kind) => ({ ...kind, owner: plugin.id }))),
  ];
}
