import type { Messages } from '../../../core/plugin-api.js';

const TYPES = { en: { on_site: 'On-site visit', repair: 'Repair', installation: 'Installation', remote: 'Remote session', other: 'Other' }, de: { on_site: 'Vor-Ort-Einsatz', repair: 'Reparatur', installation: 'Installation', remote: 'Fernwartung', other: 'Sonstiges' } };
const STATUSES = { en: { planned: 'Planned', in_progress: 'In progress', done: 'Done', cancelled: 'Cancelled' }, de: { planned: 'Geplant', in_progress: 'In Arbeit', done: 'Erledigt', cancelled: 'Storniert' } };
const FIELDS = {
  en: { type: 'Type', technician: 'Technician', planned_at: 'Planned', planned_end: 'Planned end', report: 'Work report', time_spent: 'Time spent', status: 'Status' },
  de: { type: 'Art', technician: 'Techniker', planned_at: 'Geplant', planned_end: 'Geplantes Ende', report: 'Arbeitsbericht', time_spent: 'Zeitaufwand', status: 'Status' },
};

/** The ticket page words history lines from `<action>.history…` keys (see recordTicketHistory). */
function historyWords(locale: 'en' | 'de'): Messages {
  const words: Record<string, string> = {
    'helpdesk.service_order.history': locale === 'en' ? 'changed service order {note}' : 'hat Serviceauftrag {note} geändert',
    'helpdesk.service_order_created.history': locale === 'en' ? 'created service order {note}' : 'hat Serviceauftrag {note} angelegt',
  };
  for (const action of ['helpdesk.service_order', 'helpdesk.service_order_created']) {
    for (const [field, text] of Object.entries(FIELDS[locale])) words[`${action}.history.${field}`] = text;
    for (const [type, text] of Object.entries(TYPES[locale])) words[`${action}.history.type.${type}`] = text;
    for (const [status, text] of Object.entries(STATUSES[locale])) words[`${action}.history.status.${status}`] = text;
  }
  return words;
}

function prefixed(group: string, words: Record<string, string>): Messages {
  return Object.fromEntries(Object.entries(words).map(([key, text]) => [`helpdesk.so.${group}.${key}`, text]));
}

const en: Messages = {
  ...historyWords('en'),
  ...prefixed('type', TYPES.en),
  ...prefixed('status', STATUSES.en),
  ...prefixed('field', FIELDS.en),
  'helpdesk.nav.serviceOrders': 'Service orders',
  'helpdesk.so.title': 'Service orders',
  'helpdesk.so.order': 'Service order #{id}',
  'helpdesk.so.ticket': 'Ticket',
  'helpdesk.so.new': 'New service order',
  'helpdesk.so.create': 'Create service order',
  'helpdesk.so.created': 'Service order #{id} created.',
  'helpdesk.so.saved': 'Service order saved.',
  'helpdesk.so.unchanged': 'Nothing changed.',
  'helpdesk.so.moved': 'Service order #{id} is now: {status}.',
  'helpdesk.so.none': 'No service orders for this ticket yet.',
  'helpdesk.so.empty': 'No service orders match the filter.',
  'helpdesk.so.notFound': 'Service order not found.',
  'helpdesk.so.noTechnician': 'not assigned',
  'helpdesk.so.anyTechnician': '— nobody yet —',
  'helpdesk.so.timeHint': 'h:mm or minutes, e.g. 1:30 or 90',
  'helpdesk.so.plannedHint': 'Date and time ({zone})',
  'helpdesk.so.createdBy': 'Created by {name} · {at}',
  'helpdesk.so.updatedBy': 'Last changed by {name} · {at}',
  'helpdesk.so.edit': 'Edit',
  'helpdesk.so.save': 'Save',
  'helpdesk.so.history': 'History of this order',
  'helpdesk.so.noHistory': 'No changes yet.',
  'helpdesk.so.open': 'Open',
  'helpdesk.so.openAll': 'All service orders',
  'helpdesk.so.details': 'Details',
  'helpdesk.so.final': 'This order is {status}; its status no longer changes.',
  'helpdesk.so.action.in_progress': 'Start work',
  'helpdesk.so.action.done': 'Mark done',
  'helpdesk.so.action.cancelled': 'Cancel order',
  'helpdesk.so.filter.status': 'Status',
  'helpdesk.so.filter.open': 'Open (planned or in progress)',
  'helpdesk.so.filter.any': 'Any',
  'helpdesk.so.filter.technician': 'Technician',
  'helpdesk.so.filter.type': 'Type',
  'helpdesk.so.filter.from': 'Planned from',
  'helpdesk.so.filter.to': 'Planned until',
  'helpdesk.so.filter.q': 'Search',
  'helpdesk.so.filter.qHint': 'Report, ticket, technician',
  'helpdesk.so.filter.apply': 'Filter',
  'helpdesk.so.filter.reset': 'Reset',
  'helpdesk.so.sortBy': 'Sort by {column}',
  'helpdesk.so.column.updated': 'Changed',
  'helpdesk.so.count': '{count} service orders',
  'helpdesk.so.error.technician': 'Choose a technician of this team.',
  'helpdesk.so.error.time': 'Enter a date and time that exists, e.g. 2026-12-01 09:30.',
  'helpdesk.so.error.endBeforeStart': 'The end must be after the planned start.',
  'helpdesk.so.error.duration': 'Enter the time as h:mm (e.g. 1:30) or minutes (e.g. 90), at most 999:59.',
  'helpdesk.so.error.transition': 'A service order cannot go from "{from}" to "{to}".',
  'helpdesk.so.error.final': 'The service order is "{from}" already; that is final, it cannot become "{to}".',
  'helpdesk.so.error.moved': 'Someone else changed the status meanwhile; reload and try again.',
  'helpdesk.so.error.ticketClosed': 'The ticket is closed; reopen it before planning a service order.',
  'helpdesk.so.portal.label': '{type} #{id}',
};

const de: Messages = {
  ...historyWords('de'),
  ...prefixed('type', TYPES.de),
  ...prefixed('status', STATUSES.de),
  ...prefixed('field', FIELDS.de),
  'helpdesk.nav.serviceOrders': 'Serviceaufträge',
  'helpdesk.so.title': 'Serviceaufträge',
  'helpdesk.so.order': 'Serviceauftrag #{id}',
  'helpdesk.so.ticket': 'Ticket',
  'helpdesk.so.new': 'Neuer Serviceauftrag',
  'helpdesk.so.create': 'Serviceauftrag anlegen',
  'helpdesk.so.created': 'Serviceauftrag #{id} angelegt.',
  'helpdesk.so.saved': 'Serviceauftrag gespeichert.',
  'helpdesk.so.unchanged': 'Nichts geändert.',
  'helpdesk.so.moved': 'Serviceauftrag #{id} ist jetzt: {status}.',
  'helpdesk.so.none': 'Zu diesem Ticket gibt es noch keine Serviceaufträge.',
  'helpdesk.so.empty': 'Keine Serviceaufträge passen zum Filter.',
  'helpdesk.so.notFound': 'Serviceauftrag nicht gefunden.',
  'helpdesk.so.noTechnician': 'nicht zugewiesen',
  'helpdesk.so.anyTechnician': '— noch niemand —',
  'helpdesk.so.timeHint': 'h:mm oder Minuten, z. B. 1:30 oder 90',
  'helpdesk.so.plannedHint': 'Datum und Uhrzeit ({zone})',
  'helpdesk.so.createdBy': 'Angelegt von {name} · {at}',
  'helpdesk.so.updatedBy': 'Zuletzt geändert von {name} · {at}',
  'helpdesk.so.edit': 'Bearbeiten',
  'helpdesk.so.save': 'Speichern',
  'helpdesk.so.history': 'Verlauf dieses Auftrags',
  'helpdesk.so.noHistory': 'Noch keine Änderungen.',
  'helpdesk.so.open': 'Öffnen',
  'helpdesk.so.openAll': 'Alle Serviceaufträge',
  'helpdesk.so.details': 'Details',
  'helpdesk.so.final': 'Dieser Auftrag ist {status}; sein Status ändert sich nicht mehr.',
  'helpdesk.so.action.in_progress': 'Arbeit beginnen',
  'helpdesk.so.action.done': 'Als erledigt markieren',
  'helpdesk.so.action.cancelled': 'Auftrag stornieren',
  'helpdesk.so.filter.status': 'Status',
  'helpdesk.so.filter.open': 'Offen (geplant oder in Arbeit)',
  'helpdesk.so.filter.any': 'Alle',
  'helpdesk.so.filter.technician': 'Techniker',
  'helpdesk.so.filter.type': 'Art',
  'helpdesk.so.filter.from': 'Geplant ab',
  'helpdesk.so.filter.to': 'Geplant bis',
  'helpdesk.so.filter.q': 'Suche',
  'helpdesk.so.filter.qHint': 'Bericht, Ticket, Techniker',
  'helpdesk.so.filter.apply': 'Filtern',
  'helpdesk.so.filter.reset': 'Zurücksetzen',
  'helpdesk.so.sortBy': 'Nach {column} sortieren',
  'helpdesk.so.column.updated': 'Geändert',
  'helpdesk.so.count': '{count} Serviceaufträge',
  'helpdesk.so.error.technician': 'Wählen Sie einen Techniker dieses Teams.',
  'helpdesk.so.error.time': 'Geben Sie ein gültiges Datum mit Uhrzeit ein, z. B. 01.12.2026 09:30.',
  'helpdesk.so.error.endBeforeStart': 'Das Ende muss nach dem geplanten Beginn liegen.',
  'helpdesk.so.error.duration': 'Geben Sie die Zeit als h:mm (z. B. 1:30) oder in Minuten (z. B. 90) an, höchstens 999:59.',
  'helpdesk.so.error.transition': 'Ein Serviceauftrag kann nicht von „{from}“ zu „{to}“ wechseln.',
  'helpdesk.so.error.final': 'Der Serviceauftrag ist bereits „{from}“; das ist endgültig, er kann nicht mehr „{to}“ werden.',
  'helpdesk.so.error.moved': 'Jemand hat den Status inzwischen geändert; bitte neu laden und erneut versuchen.',
  'helpdesk.so.error.ticketClosed': 'Das Ticket ist geschlossen; öffnen Sie es wieder, bevor Sie einen Serviceauftrag planen.',
  'helpdesk.so.portal.label': '{type} #{id}',
};

export const serviceOrderMessages = { en, de };
